"""Conditional branch (immediate): B.cond for all sixteen conditions
(capstone spells CS/CC as the aliases b.hs/b.lo).

ASL: aarch64/instrs/branch/conditional/cond (B_only_condbranch).
BC.cond (FEAT_HBC, o0 == 1) is not modelled.

``if ConditionHolds(cond) then BranchTo(PC[] + offset)`` is a data-dependent
choice, so the next PC is ``ite(ConditionHolds(cond), PC + offset, PC + 4)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.pseudocode.conditions import COND_NAMES, ConditionHolds
from isa_specs.syntax import label
from lnsym.machine.asl import Const, ite


@dataclass(frozen=True, slots=True)
class BranchConditional:
    offset: int
    cond: int

    def execute(self, s):
        taken = s.PC() + Const(self.offset, 64)
        s.BranchTo(ite(ConditionHolds(self.cond, s.NZCV()), taken, s.PC() + Const(4, 64)))

    def disasm(self, pc: int = 0) -> str:
        return f"b.{COND_NAMES[self.cond]} {label((pc + self.offset) & (1 << 64) - 1)}"


@encoding("01010100 imm19:19 0 cond:4")
def decode_branch_cond(imm19, cond):
    offset = (imm19 - (1 << 19) if imm19 >> 18 else imm19) << 2
    return BranchConditional(offset=offset, cond=cond)
