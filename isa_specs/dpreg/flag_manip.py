"""RMIF (rotate right into flags) and SETF8, SETF16 (evaluate into flags), FEAT_FlagM.

ASL: aarch64/instrs/integer/flags/rmif (RMIF_only_rmif),
aarch64/instrs/integer/flags/setf (SETF8_only_setf, SETF16_only_setf).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.bitmasks import MaskedMerge
from isa_specs.syntax import gpr
from lnsym.machine.asl import EOR, ROR, Bit, Concat, IsZeroBit, Slice


@dataclass(frozen=True, slots=True)
class RotateRightIntoFlags:
    n: int
    lsb: int           # imm6: rotate amount
    mask: int          # which of N, Z, C, V (bit 3 = N) are written

    def execute(self, s):
        tmp = ROR(s.X(self.n, 64), self.lsb)
        # PSTATE.<N,Z,C,V><i> = tmp<i> where mask<i> is 1; others unchanged
        s.set_NZCV(MaskedMerge(s.NZCV(), Slice(tmp, 3, 0), self.mask))

    def disasm(self, pc: int = 0) -> str:
        return f"rmif {gpr(self.n, 64)}, #{self.lsb}, #{self.mask}"


@dataclass(frozen=True, slots=True)
class EvaluateIntoFlags:
    n: int
    msb: int           # 7 (SETF8) or 15 (SETF16)

    def execute(self, s):
        operand = s.X(self.n, 32)
        N = Bit(operand, self.msb)
        Z = IsZeroBit(Slice(operand, self.msb, 0))
        V = EOR(Bit(operand, self.msb + 1), N)
        s.set_NZCV(Concat(N, Z, Bit(s.NZCV(), 1), V))     # C unchanged

    def disasm(self, pc: int = 0) -> str:
        return f"setf{self.msb + 1} {gpr(self.n, 32)}"


@encoding("sf:1 op:1 S:1 11010000 imm6:6 00001 Rn:5 o2:1 mask:4")
def decode_rmif(sf, op, S, imm6, Rn, o2, mask):
    if (sf, op, S, o2) != (1, 0, 1, 0):
        raise Unallocated("rotate right into flags: only sf=1 op=0 S=1 o2=0 (RMIF) is allocated")
    return RotateRightIntoFlags(n=Rn, lsb=imm6, mask=mask)


@encoding("sf:1 op:1 S:1 11010000 opcode2:6 sz:1 0010 Rn:5 o3:1 mask:4")
def decode_setf(sf, op, S, opcode2, sz, Rn, o3, mask):
    if (sf, op, S, opcode2, o3, mask) != (0, 0, 1, 0, 0, 0b1101):
        raise Unallocated("evaluate into flags: only SETF8/SETF16 are allocated")
    return EvaluateIntoFlags(n=Rn, msb=15 if sz else 7)
