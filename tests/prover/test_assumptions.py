"""Stated assumptions decide symbolic branches (lnsym.symbolic.SymState)."""
from __future__ import annotations

import pytest

from lnsym.backends.symbolic import Region, SymbolicBranch, SymMemory, SymState
from lnsym.terms.bv import const, eq, var

RET = var("ret", 64)
# cbz x0, +8 ; mov x1, #1 ; ret   (at 0x1000; the branch target is the ret)
CODE = {0x1000: 0xB4000040, 0x1004: 0xD2800021, 0x1008: 0xD65F03C0}


def _state(assumptions=None):
    mem = SymMemory()
    mem.add(Region("p", var("p", 64), 0, 8))
    return SymState(CODE.__getitem__, mem, 0x1000, {"x0": var("p", 64), "x30": RET,
                                                    "x1": const(0, 64)}, assumptions)


def test_symbolic_branch_without_assumption():
    with pytest.raises(SymbolicBranch):
        _state().run(RET)


def test_assumed_non_null_takes_the_fall_through():
    st = _state({eq(var("p", 64), const(0, 64)): 0})
    st.run(RET)
    assert st.regs["x1"] is const(1, 64)
    assert st.assumptions_used == {eq(var("p", 64), const(0, 64))}


def test_assumed_null_takes_the_branch():
    st = _state({eq(var("p", 64), const(0, 64)): 1})
    st.run(RET)
    assert st.regs["x1"] is const(0, 64)


def test_unrelated_assumption_does_not_decide():
    with pytest.raises(SymbolicBranch):
        _state({eq(var("q", 64), const(0, 64)): 0}).run(RET)
