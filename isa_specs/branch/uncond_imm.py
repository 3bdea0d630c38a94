"""Unconditional branch (immediate): B and BL.

ASL: aarch64/instrs/branch/unconditional/immediate (B_only_branch_imm,
BL_only_branch_imm).  BL writes the return address PC + 4 to X30 (that is the
architecture's link value, not the executor's PC advance).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.syntax import label
from lnsym.machine.asl import Const


@dataclass(frozen=True, slots=True)
class BranchImmediate:
    offset: int
    link: bool          # BranchType_DIRCALL (BL) vs BranchType_DIR (B)

    def execute(self, s):
        if self.link:
            s.set_X(30, s.PC() + Const(4, 64))
        s.BranchTo(s.PC() + Const(self.offset, 64))

    def disasm(self, pc: int = 0) -> str:
        return f"{'bl' if self.link else 'b'} {label((pc + self.offset) & (1 << 64) - 1)}"


@encoding("op:1 00101 imm26:26")
def decode_branch_imm(op, imm26):
    offset = (imm26 - (1 << 26) if imm26 >> 25 else imm26) << 2
    return BranchImmediate(offset=offset, link=bool(op))
