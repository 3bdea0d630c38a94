"""The local exclusive monitor in every backend: symbolic outcomes (decided where
the Arm ARM decides them, a fresh choice where it does not), concrete outcomes
(QEMU's), and the conformance sequence classes against QEMU."""
from __future__ import annotations

import pytest

from conformance import cosim, monitor
from conformance.generate import pristine_scratch
from lnsym.backends.snippet import run_words
from lnsym.backends.symbolic import Region, SymMemory, SymState
from lnsym.machine.memory import Memory
from lnsym.terms.bv import add, const, var, variables

BUF = 0x10000
DATA = bytes((7 * i + 3) & 0xFF for i in range(0x100))
# words (checked against the GNU assembler when this file was written)
LDXR_X1 = 0xC85F7C01        # ldxr x1, [x0]
LDXR_W1 = 0x885F7C01        # ldxr w1, [x0]
STXR_X3 = 0xC8027C03        # stxr w2, x3, [x0]
STXR_W3 = 0x88027C03        # stxr w2, w3, [x0]
STXR_X3_X5 = 0xC8027CA3     # stxr w2, x3, [x5]
CLREX = 0xD5033F5F
STR_X4 = 0xF9000004         # str x4, [x0]
STR_X4_16 = 0xF9000804      # str x4, [x0, #16]
LDXP = 0xC87F1801           # ldxp x1, x6, [x0]
STXP = 0xC8221003           # stxp w2, x3, x4, [x0]


def symbolic(words: list) -> SymState:
    mem = SymMemory()
    buf = var("buf", 64)
    mem.add(Region("buf", buf, 0, 64))
    code = {0x1000 + 4 * i: w for i, w in enumerate(words)}
    st = SymState(code.__getitem__, mem, 0x1000, {"x0": buf, "x5": add(buf, const(8, 64))})
    for _ in words:
        st.pc = st.step().params[0]
    return st


def stored(st: SymState, off: int = 0) -> bool:
    r = st.mem.region("buf")
    return any(r.bytes.get(off + i) is not r.initial(off + i) for i in range(8))


def choices_in(t) -> set:
    return {v.params[0].split("@")[0] for v in variables(t) if v.params[0].startswith("unpred")}


def test_symbolic_closed_monitor_fails_and_matched_pair_succeeds():
    st = symbolic([CLREX, STXR_X3])
    assert st.regs["x2"].params == (1,) and not stored(st)
    st = symbolic([LDXR_X1, CLREX, STXR_X3])
    assert st.regs["x2"].params == (1,) and not stored(st)
    st = symbolic([LDXR_X1, STXR_X3])
    assert st.regs["x2"].params == (0,) and stored(st)
    assert st.regs["excl_open"].params == (0,)          # the store closes the monitor
    st = symbolic([LDXR_X1, STXR_X3, STXR_X3])
    assert st.regs["x2"].params == (1,)
    st = symbolic([LDXP, STXP])
    assert st.regs["x2"].params == (0,) and stored(st) and stored(st, 8)


def test_symbolic_unknown_entry_state_is_not_decided():
    # a caller may have left the monitor open: the status depends on the entry state
    st = symbolic([STXR_X3])
    names = {v.params[0] for v in variables(st.regs["x2"])}
    assert "excl_open_0" in names and st.regs["x2"].op != "const"


@pytest.mark.parametrize("words,label", [
    ([LDXR_W1, STXR_X3], "size"),                  # another size
    ([LDXR_X1, STXR_W3], "size"),
    ([LDXR_X1, STXR_X3_X5], "address"),            # 8 bytes further
    ([LDXR_X1, STR_X4, STXR_X3], "store"),         # a normal store to the marked bytes
])
def test_symbolic_constrained_unpredictable_is_a_choice(words, label):
    st = symbolic(words)
    status = st.regs["x2"]
    assert status.op != "const" and choices_in(status), status
    assert st.choices


def test_store_elsewhere_keeps_the_monitor():
    st = symbolic([LDXR_X1, STR_X4_16, STXR_X3])
    assert st.regs["x2"].params == (0,)
    assert not any("store-clears-monitor" in v.params[0] for v in st.choices)


def concrete(words: list, regs: dict) -> tuple:
    mem = Memory()
    mem.load(BUF, DATA)
    st, mem = run_words(words, regs=regs, memory=mem)
    return st, mem


def test_concrete_outcomes_are_qemus():
    regs = {"x0": BUF + 16, "x3": 0x1122334455667788, "x4": 0xAABB}
    old = int.from_bytes(DATA[16:24], "little")
    st, mem = concrete([CLREX, STXR_X3], regs)
    assert st.get("x2") == 1 and mem.read(BUF + 16, 8) == old
    st, mem = concrete([LDXR_X1, STXR_X3], regs)
    assert st.get("x2") == 0 and mem.read(BUF + 16, 8) == 0x1122334455667788
    # QEMU: 4-byte compare-and-swap against the 8 bytes read: stores, reports failure
    st, mem = concrete([LDXR_X1, STXR_W3], regs)
    assert st.get("x2") == 1 and mem.read(BUF + 16, 8) == old & ~0xFFFFFFFF | 0x55667788
    # QEMU: a normal store of the value read leaves the monitor's compare intact
    st, mem = concrete([LDXR_X1, 0xF9000001, STXR_X3], regs)      # str x1, [x0]
    assert st.get("x2") == 0
    st, mem = concrete([LDXR_X1, STR_X4, STXR_X3], regs)
    assert st.get("x2") == 1 and mem.read(BUF + 16, 8) == 0xAABB


def test_sequence_classes_vary():
    """The classes exercise both outcomes, so agreeing with QEMU means something."""
    pristine = pristine_scratch(3)
    statuses = set()
    for cls in monitor.CLASSES:
        for j in range(24):
            case = monitor.generate_case(3, cls, j, pristine)
            s = (case.words[-2] >> 16) & 31
            statuses.add((cls.name, case.model.state.x[s]))
    assert {("unpaired", 1), ("clrex_between", 1), ("other_address", 1), ("matched", 0),
            ("store_between", 0), ("store_between", 1), ("other_size", 1)} <= statuses


def test_sequence_classes_agree_with_qemu(qemu, cross_gcc):
    res = cosim.run(5, 120, monitor.CLASSES, jobs=1)
    assert res.cases == 120 * len(monitor.CLASSES)
    assert res.failed == 0, [(m.case.id, m.diffs) for m in res.mismatches[:3]]
