"""ADD, ADDS, SUB, SUBS (shifted register) and their aliases NEG, NEGS, CMP, CMN.

ASL: aarch64/instrs/integer/arithmetic/add-sub/shiftedreg
(ADD_32_addsub_shift, ADDS_64_addsub_shift, SUB_32_addsub_shift, SUBS_64_addsub_shift ...).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.arith import AddWithCarry
from isa_specs.pseudocode.shifts import DecodeShift, ShiftReg, ShiftType
from isa_specs.syntax import gpr
from lnsym.machine.asl import NOT, Const


def shift_suffix(shift_type: ShiftType, amount: int, always: bool = False) -> str:
    """``, lsr #3`` -- omitted for LSL #0 (capstone prints other shifts even by 0)."""
    if amount == 0 and shift_type == ShiftType.LSL and not always:
        return ""
    return f", {shift_type.name.lower()} #{amount}"


@dataclass(frozen=True, slots=True)
class AddSubShifted:
    d: int
    n: int
    m: int
    datasize: int
    sub_op: bool
    setflags: bool
    shift_type: ShiftType
    shift_amount: int

    def execute(self, s):
        w = self.datasize
        operand1 = s.X(self.n, w)
        operand2 = ShiftReg(s, self.m, self.shift_type, self.shift_amount, w)
        if self.sub_op:
            operand2 = NOT(operand2)
        result, nzcv = AddWithCarry(operand1, operand2, Const(int(self.sub_op), 1))
        if self.setflags:
            s.set_NZCV(nzcv)
        s.set_X(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        rd, rn, rm = gpr(self.d, w), gpr(self.n, w), gpr(self.m, w)
        sh = shift_suffix(self.shift_type, self.shift_amount)
        if self.setflags and self.d == 31:
            return f"{'cmp' if self.sub_op else 'cmn'} {rn}, {rm}{sh}"
        if self.sub_op and self.n == 31:
            return f"neg{'s' if self.setflags else ''} {rd}, {rm}{sh}"
        mnemonic = ("sub" if self.sub_op else "add") + ("s" if self.setflags else "")
        return f"{mnemonic} {rd}, {rn}, {rm}{sh}"


@encoding("sf:1 op:1 S:1 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5")
def decode_add_sub_shifted_reg(sf, op, S, shift, Rm, imm6, Rn, Rd):
    if shift == 3:
        raise Unallocated("add/subtract (shifted register): shift type ROR is reserved")
    if sf == 0 and imm6 & 0x20:
        raise Unallocated("add/subtract (shifted register): shift amount >= 32 in a 32-bit form")
    return AddSubShifted(d=Rd, n=Rn, m=Rm, datasize=64 if sf else 32, sub_op=bool(op),
                         setflags=bool(S), shift_type=DecodeShift(shift), shift_amount=imm6)
