"""ADD, ADDS, SUB, SUBS (extended register) and their aliases CMP, CMN (extended register);
extends UXTB..SXTX, shown as LSL where the Arm ARM prefers it (SP operands).

ASL: aarch64/instrs/integer/arithmetic/add-sub/extendedreg
(ADD_32_addsub_ext, ADDS_64S_addsub_ext, SUB_64_addsub_ext, SUBS_32S_addsub_ext ...).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.arith import AddWithCarry
from isa_specs.pseudocode.shifts import DecodeRegExtend, ExtendReg, ExtendType
from isa_specs.syntax import gpr
from lnsym.machine.asl import NOT, Const


@dataclass(frozen=True, slots=True)
class AddSubExtended:
    d: int
    n: int
    m: int
    datasize: int
    sub_op: bool
    setflags: bool
    extend_type: ExtendType
    shift: int

    def execute(self, s):
        w = self.datasize
        operand1 = s.SP(w) if self.n == 31 else s.X(self.n, w)
        operand2 = ExtendReg(s, self.m, self.extend_type, self.shift, w)
        if self.sub_op:
            operand2 = NOT(operand2)
        result, nzcv = AddWithCarry(operand1, operand2, Const(int(self.sub_op), 1))
        if self.setflags:
            s.set_NZCV(nzcv)
        if self.d == 31 and not self.setflags:
            s.set_SP(result)
        else:
            s.set_X(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        rd = gpr(self.d, w, sp=not self.setflags)
        rn = gpr(self.n, w, sp=True)
        wide_m = w == 64 and self.extend_type in (ExtendType.UXTX, ExtendType.SXTX)
        rm = gpr(self.m, 64 if wide_m else 32)
        # LSL is preferred for UXTW (32-bit) / UXTX (64-bit) when an operand is SP
        natural = ExtendType.UXTX if w == 64 else ExtendType.UXTW
        sp_operand = self.n == 31 or (self.d == 31 and not self.setflags)
        if self.extend_type == natural and sp_operand:
            ext = f", lsl #{self.shift}" if self.shift else ""
        else:
            ext = f", {self.extend_type.name.lower()}" + (f" #{self.shift}" if self.shift else "")
        if self.setflags and self.d == 31:
            return f"{'cmp' if self.sub_op else 'cmn'} {rn}, {rm}{ext}"
        mnemonic = ("sub" if self.sub_op else "add") + ("s" if self.setflags else "")
        return f"{mnemonic} {rd}, {rn}, {rm}{ext}"


@encoding("sf:1 op:1 S:1 01011 opt:2 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5")
def decode_add_sub_extended_reg(sf, op, S, opt, Rm, option, imm3, Rn, Rd):
    if opt != 0:
        raise Unallocated("add/subtract (extended register): opt must be 00")
    if imm3 > 4:
        raise Unallocated("add/subtract (extended register): shift amount above 4 is reserved")
    return AddSubExtended(d=Rd, n=Rn, m=Rm, datasize=64 if sf else 32, sub_op=bool(op),
                          setflags=bool(S), extend_type=DecodeRegExtend(option), shift=imm3)
