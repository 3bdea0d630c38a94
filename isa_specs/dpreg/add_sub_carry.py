"""ADC, ADCS, SBC, SBCS and their aliases NGC, NGCS.

ASL: aarch64/instrs/integer/arithmetic/add-sub/carry
(ADC_32_addsub_carry, ADCS_64_addsub_carry, SBC_32_addsub_carry, SBCS_64_addsub_carry ...).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.pseudocode.arith import AddWithCarry
from isa_specs.syntax import gpr
from lnsym.machine.asl import NOT, Bit


@dataclass(frozen=True, slots=True)
class AddSubCarry:
    d: int
    n: int
    m: int
    datasize: int
    sub_op: bool
    setflags: bool

    def execute(self, s):
        w = self.datasize
        operand1 = s.X(self.n, w)
        operand2 = s.X(self.m, w)
        if self.sub_op:
            operand2 = NOT(operand2)
        result, nzcv = AddWithCarry(operand1, operand2, Bit(s.NZCV(), 1))   # PSTATE.C
        if self.setflags:
            s.set_NZCV(nzcv)
        s.set_X(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        rd, rn, rm = gpr(self.d, w), gpr(self.n, w), gpr(self.m, w)
        flags = "s" if self.setflags else ""
        if self.sub_op and self.n == 31:
            return f"ngc{flags} {rd}, {rm}"
        return f"{'sbc' if self.sub_op else 'adc'}{flags} {rd}, {rn}, {rm}"


@encoding("sf:1 op:1 S:1 11010000 Rm:5 000000 Rn:5 Rd:5")
def decode_add_sub_carry(sf, op, S, Rm, Rn, Rd):
    return AddSubCarry(d=Rd, n=Rn, m=Rm, datasize=64 if sf else 32, sub_op=bool(op),
                       setflags=bool(S))
