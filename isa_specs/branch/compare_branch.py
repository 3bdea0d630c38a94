"""Compare and branch (immediate): CBZ, CBNZ.

ASL: aarch64/instrs/branch/conditional/compare (CBZ_32_compbranch,
CBNZ_64_compbranch ...).  The next PC is ``ite(IsZero(X[t]) != op, PC + offset, PC + 4)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.syntax import gpr, label
from lnsym.machine.asl import NOT, Const, IsZeroBit, ite


@dataclass(frozen=True, slots=True)
class CompareAndBranch:
    t: int
    datasize: int
    iszero: bool        # CBZ (op == 0)
    offset: int

    def execute(self, s):
        zero = IsZeroBit(s.X(self.t, self.datasize))
        cond = zero if self.iszero else NOT(zero)
        s.BranchTo(ite(cond, s.PC() + Const(self.offset, 64), s.PC() + Const(4, 64)))

    def disasm(self, pc: int = 0) -> str:
        return (f"{'cbz' if self.iszero else 'cbnz'} {gpr(self.t, self.datasize)}, "
                f"{label((pc + self.offset) & (1 << 64) - 1)}")


@encoding("sf:1 011010 op:1 imm19:19 Rt:5")
def decode_compare_branch(sf, op, imm19, Rt):
    offset = (imm19 - (1 << 19) if imm19 >> 18 else imm19) << 2
    return CompareAndBranch(t=Rt, datasize=64 if sf else 32, iszero=not op, offset=offset)
