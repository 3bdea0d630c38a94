"""Test bit and branch (immediate): TBZ, TBNZ.

ASL: aarch64/instrs/branch/conditional/test (TBZ_only_testbranch,
TBNZ_only_testbranch).  ``bit_pos = b5:b40``; the register is W[t] when
b5 == 0.  The next PC is ``ite(X[t]<bit_pos> == op, PC + offset, PC + 4)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.syntax import gpr, imm, label
from lnsym.machine.asl import NOT, Bit, Const, ite


@dataclass(frozen=True, slots=True)
class TestBitAndBranch:
    t: int
    datasize: int
    bit_pos: int
    bit_val: int        # op: TBZ branches when the bit is 0, TBNZ when it is 1
    offset: int

    def execute(self, s):
        bit = Bit(s.X(self.t, self.datasize), self.bit_pos)
        cond = bit if self.bit_val else NOT(bit)
        s.BranchTo(ite(cond, s.PC() + Const(self.offset, 64), s.PC() + Const(4, 64)))

    def disasm(self, pc: int = 0) -> str:
        return (f"{'tbnz' if self.bit_val else 'tbz'} {gpr(self.t, self.datasize)}, "
                f"{imm(self.bit_pos)}, {label((pc + self.offset) & (1 << 64) - 1)}")


@encoding("b5:1 011011 op:1 b40:5 imm14:14 Rt:5")
def decode_test_branch(b5, op, b40, imm14, Rt):
    offset = (imm14 - (1 << 14) if imm14 >> 13 else imm14) << 2
    return TestBitAndBranch(t=Rt, datasize=64 if b5 else 32, bit_pos=b5 << 5 | b40,
                            bit_val=op, offset=offset)
