"""The CT and MEM observers on short hand-assembled routines (words checked
against capstone's text), run symbolically in the ct mode of ``lnsym ct``."""
from __future__ import annotations

import pytest

from lnsym.backends.guards import BelowStackPointer
from lnsym.backends.symbolic import Region, SymbolicBranch, SymMemory, SymState, observing
from lnsym.machine.disasm import capstone_text
from lnsym.proof.routine import RETURN, STACK_BYTES
from lnsym.safety.check import CTRecovery
from lnsym.safety.collector import SafetyCollector
from lnsym.terms.bv import var

BASE = 0x1000
W = {  # word: capstone text (aarch64-linux-gnu-as)
    "push": (0xA9BF7BFD, "stp x29, x30, [sp, #-0x10]!"),
    "pop": (0xA8C17BFD, "ldp x29, x30, [sp], #0x10"),
    "ret": (0xD65F03C0, "ret"),
    "below": (0xF81F03E0, "stur x0, [sp, #-0x10]"),
    "alloc": (0xD10083FF, "sub sp, sp, #0x20"),
    "uninit": (0xF94007E2, "ldr x2, [sp, #8]"),
    "free": (0x910083FF, "add sp, sp, #0x20"),
    "index": (0xF8606823, "ldr x3, [x1, x0]"),
    "cbz_x0": (0xB4000040, "cbz x0, #0x{:x}"),
    "udiv": (0x9AC10802, "udiv x2, x0, x1"),
    "zero": (0xCA000002, "eor x2, x0, x0"),
    "cbz_x2": (0xB4000042, "cbz x2, #0x{:x}"),
    "store": (0xF9000020, "str x0, [x1]"),
    "square": (0x9B007C02, "mul x2, x0, x0"),
    "bit1": (0x927F0042, "and x2, x2, #2"),
    "index2": (0xF8626823, "ldr x3, [x1, x2]"),
    "past_end": (0xF9402023, "ldr x3, [x1, #0x40]"),
}


def run(names, recover=True, public=()):
    words = [W[n][0] for n in names]
    for i, n in enumerate(names):
        assert capstone_text(W[n][0], BASE + 4 * i) == W[n][1].format(BASE + 4 * i + 8)
    mem = SymMemory()
    mem.add(Region("stack", var("sp_0", 64), -STACK_BYTES, 0))
    mem.add(Region("buf", var("buf", 64), 0, 64))
    collector = SafetyCollector(public=public)
    with collector.watching():
        st = SymState(lambda pc: words[(pc - BASE) // 4], mem, BASE,
                      {"sp": var("sp_0", 64), "x30": RETURN, "x1": var("buf", 64)})
    if recover:
        st.recovery = CTRecovery(collector.ct[0], collector.mem[0])
    try:
        st.run(RETURN, 100)
    except BelowStackPointer as e:        # the executor's guard stops the run first
        return collector.result(str(e))
    return collector.result()


def test_a_clean_frame_is_ct_and_memory_safe_with_its_depth():
    r = run(["push", "store", "pop", "ret"])
    assert (r.ct, r.mem, r.stack_depth) == ("yes", "yes", 16)
    assert any("speculative" in t for t in r.trusted_base)
    assert any("stack depth 16 bytes" in t for t in r.trusted_base)


def test_store_below_sp_is_reported():
    r = run(["below", "ret"])
    assert r.mem == "no" and r.mem_findings[0].kind == "below SP"
    assert r.mem_findings[0].pc == BASE


def test_read_of_uninitialised_stack_is_reported():
    r = run(["alloc", "uninit", "free", "ret"])
    assert r.mem == "no" and r.mem_findings[0].kind == "uninitialised stack read"
    assert r.mem_findings[0].pc == BASE + 4 and r.stack_depth == 32


def test_secret_index_is_reported_with_a_pair_and_mem_is_not_shown():
    r = run(["index", "ret"])
    f = r.ct_findings[0]
    assert (r.ct, f.kind, f.pc, f.secrets) == ("no", "address", BASE, ["x0_0"])
    a, b = f.pair
    assert a["buf"] == b["buf"] and a["x0_0"] != b["x0_0"] and f.values[0] != f.values[1]
    assert r.mem == "unknown"                 # the access was not placed in a region


def test_public_index_is_not_a_ct_violation():
    r = run(["index", "ret"], public={"x0_0"})
    assert r.ct == "yes" and r.mem == "unknown"


def test_secret_branch_is_reported_and_without_ct_mode_stops_the_run():
    r = run(["cbz_x0", "ret", "ret"])
    assert r.ct == "no" and r.ct_findings[0].kind == "branch"
    assert sorted(r.ct_findings[0].values) == [BASE + 4, BASE + 8]
    with pytest.raises(SymbolicBranch):
        run(["cbz_x0", "ret", "ret"], recover=False)


def test_branch_on_a_term_that_folds_is_not_a_violation():
    r = run(["zero", "cbz_x2", "ret", "ret"])
    assert r.ct == "yes"


def test_secret_operand_of_a_non_dit_instruction_is_reported():
    r = run(["udiv", "ret"])
    f = r.ct_findings[0]
    assert (r.ct, f.kind, f.pc) == ("no", "non-DIT", BASE) and "x0" in f.explanation
    assert run(["store", "ret"]).dit_pcs == [BASE]    # on the list: recorded, not a violation


def test_no_observer_outside_the_watching_block():
    mem = SymMemory()
    with observing(lambda st: None):
        pass
    assert SymState(lambda pc: 0, mem, 0).observers == []


def test_address_independent_only_by_z3_self_composition_names_z3():
    # (x0 * x0) & 2 is 0 for every x0 (a square is 0 or 1 mod 4): the address does
    # not depend on the secret, which only the solver shows
    r = run(["square", "bit1", "index2", "ret"])
    assert r.ct == "yes"
    assert any(t.startswith("z3 ") and "self-composition" in t for t in r.trusted_base)
    assert any("syntactically and by z3 self-composition" in t for t in r.trusted_base)
    assert r.mem == "unknown"                 # the index is not syntactically 0


def test_a_constant_offset_past_a_region_is_out_of_bounds():
    r = run(["past_end", "ret"])
    assert r.mem == "no" and r.mem_findings[0].kind == "out of bounds"
    assert "region 'buf'" in r.mem_findings[0].detail and r.ct == "yes"
