"""lnsym.proof.value_cut: a register replaced by a fresh variable mid-run; the kept outputs
are over it, the bridge states its term, the others get the term back."""
from __future__ import annotations

import pytest

from lnsym.backends.symbolic import Region, SymMemory, SymState
from lnsym.errors import UserError
from lnsym.proof.value_cut import ValueCut
from lnsym.prover import Obligation
from lnsym.terms.bv import and_, extract, var, xor
from lnsym.terms.dag import variables

RET = var("ret", 64)
# and v5.16b, v5.16b, v0.16b; eor v4.16b, v5.16b, v1.16b; ret
CODE = [0x4E201CA5, 0x6E211CA4, 0xD65F03C0]
BASE = 0x1000


def _state():
    regs = {"x30": RET, **{f"v{i}": var(f"v{i}_0", 128) for i in (0, 1, 5)}}
    return SymState(lambda pc: CODE[(pc - BASE) // 4], SymMemory(), BASE, regs)


def test_the_rest_of_the_run_is_over_the_fresh_value():
    st, cut = _state(), ValueCut(4, "v5", "v5@cut", kept=("hash",))
    term = cut.run(st, BASE, 100, RET)
    assert term is and_(var("v5_0", 128), var("v0_0", 128))
    st.run(RET, 100)
    v1 = var("v1_0", 128)
    assert st.regs["v4"] is xor(cut.fresh, v1)
    kept = Obligation("out: hash", st.regs["v4"], xor(cut.fresh, v1))
    other = Obligation("out: v4", st.regs["v4"], xor(term, v1))
    restored = cut.restore([kept, other])
    assert restored[0] is kept                          # stated over the fresh value
    assert restored[1].impl is xor(term, v1)            # the uncut run's term
    skipped = cut.restore([other], only=lambda name: name.startswith("after"))
    assert skipped[0] is other


def test_bridges_state_the_term_byte_by_byte():
    st, cut = _state(), ValueCut(4, "v5", "v5@cut")
    term = cut.run(st, BASE, 100, RET)
    with pytest.raises(UserError, match="no expected bytes"):
        cut.bridges("exit: ")
    cut.expected = [var(f"e{j}", 8) for j in range(16)]
    obs = cut.bridges("exit: ")
    assert len(obs) == 16 and obs[3].name == "exit: cut at +0x4: v5 byte 3 = the statement's"
    assert obs[3].impl is extract(term, 31, 24) and obs[3].spec is var("e3", 8)
    assert [b is extract(cut.fresh, 8 * j + 7, 8 * j) for j, b in enumerate(cut.bytes())] == \
        [True] * 16


def test_a_cut_not_reached_or_a_used_name_is_refused():
    with pytest.raises(UserError, match="does not reach"):
        ValueCut(0x40, "v5", "v5@cut").run(_state(), BASE, 100, RET)
    with pytest.raises(UserError, match="not a new name"):
        ValueCut(4, "v5", "v1_0").run(_state(), BASE, 100, RET)
    st = _state()                            # a name in memory is used too
    st.mem.add(Region("buf", var("buf_base", 64), 0, 16))
    st.mem.region("buf").bytes[0] = var("held", 8)
    for used in ("held", "buf_base", "buf[3]"):
        with pytest.raises(UserError, match="not a new name"):
            ValueCut(4, "v5", used).run(st, BASE, 100, RET)
    st = _state()
    ValueCut(4, "v5", "v5@cut").run(st, BASE, 100, RET)
    assert var("v5@cut", 128) in variables(st.regs["v5"])
