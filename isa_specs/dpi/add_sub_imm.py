"""ADD, ADDS, SUB, SUBS (immediate) and their aliases MOV (to/from SP), CMP, CMN.

ASL: aarch64/instrs/integer/arithmetic/add-sub/immediate
(ADD_32_addsub_imm, ADDS_32S_addsub_imm, SUB_64_addsub_imm, SUBS_64S_addsub_imm ...).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.pseudocode.arith import AddWithCarry
from isa_specs.syntax import gpr, imm
from lnsym.machine.asl import Const


@dataclass(frozen=True, slots=True)
class AddSubImmediate:
    d: int
    n: int
    datasize: int
    sub_op: bool
    setflags: bool
    imm: int          # already shifted
    shift: int        # 0 or 12, kept for disassembly

    def execute(self, s):
        w = self.datasize
        operand1 = s.SP(w) if self.n == 31 else s.X(self.n, w)
        operand2 = Const(self.imm, w)
        if self.sub_op:
            operand2 = ~operand2
            carry_in = Const(1, 1)
        else:
            carry_in = Const(0, 1)
        result, nzcv = AddWithCarry(operand1, operand2, carry_in)
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
        raw = self.imm >> self.shift
        operand = imm(raw) + (f", lsl #{self.shift}" if self.shift else "")
        if not self.sub_op and not self.setflags and raw == 0 and not self.shift \
                and (self.d == 31 or self.n == 31):
            return f"mov {rd}, {rn}"
        if self.setflags and self.d == 31:
            return f"{'cmp' if self.sub_op else 'cmn'} {rn}, {operand}"
        mnemonic = ("sub" if self.sub_op else "add") + ("s" if self.setflags else "")
        return f"{mnemonic} {rd}, {rn}, {operand}"


@encoding("sf:1 op:1 S:1 100010 sh:1 imm12:12 Rn:5 Rd:5")
def decode_add_sub_imm(sf, op, S, sh, imm12, Rn, Rd):
    return AddSubImmediate(d=Rd, n=Rn, datasize=64 if sf else 32, sub_op=bool(op),
                           setflags=bool(S), imm=imm12 << (12 * sh), shift=12 * sh)
