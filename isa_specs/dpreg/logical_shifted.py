"""AND, BIC, ORR, ORN, EOR, EON, ANDS, BICS (shifted register) and their aliases
MOV (register), MVN, TST (shifted register).

ASL: aarch64/instrs/integer/logical/shiftedreg
(AND_32_log_shift, BIC_64_log_shift, ORR_32_log_shift, ORN_64_log_shift, EOR_32_log_shift,
EON_64_log_shift, ANDS_32_log_shift, BICS_64_log_shift).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.dpreg.add_sub_shifted import shift_suffix
from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.arith import NZCV_logical
from isa_specs.pseudocode.shifts import DecodeShift, ShiftReg, ShiftType
from isa_specs.syntax import gpr
from lnsym.machine.asl import AND, EOR, NOT, OR

MNEMONICS = (("and", "bic"), ("orr", "orn"), ("eor", "eon"), ("ands", "bics"))


@dataclass(frozen=True, slots=True)
class LogicalShifted:
    d: int
    n: int
    m: int
    datasize: int
    op: int            # opc: 0 AND, 1 ORR, 2 EOR, 3 ANDS
    invert: bool       # N: BIC, ORN, EON, BICS
    setflags: bool
    shift_type: ShiftType
    shift_amount: int

    def execute(self, s):
        w = self.datasize
        operand1 = s.X(self.n, w)
        operand2 = ShiftReg(s, self.m, self.shift_type, self.shift_amount, w)
        if self.invert:
            operand2 = NOT(operand2)
        result = (AND, OR, EOR, AND)[self.op](operand1, operand2)
        if self.setflags:
            s.set_NZCV(NZCV_logical(result))
        s.set_X(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        rd, rn, rm = gpr(self.d, w), gpr(self.n, w), gpr(self.m, w)
        sh = shift_suffix(self.shift_type, self.shift_amount)
        if self.op == 1 and self.n == 31:
            if self.invert:
                return f"mvn {rd}, {rm}{sh}"
            if not sh:
                return f"mov {rd}, {rm}"
        if self.op == 3 and self.d == 31 and not self.invert:
            return f"tst {rn}, {rm}{sh}"
        return f"{MNEMONICS[self.op][self.invert]} {rd}, {rn}, {rm}{sh}"


@encoding("sf:1 opc:2 01010 shift:2 N:1 Rm:5 imm6:6 Rn:5 Rd:5")
def decode_logical_shifted_reg(sf, opc, shift, N, Rm, imm6, Rn, Rd):
    if sf == 0 and imm6 & 0x20:
        raise Unallocated("logical (shifted register): shift amount >= 32 in a 32-bit form")
    return LogicalShifted(d=Rd, n=Rn, m=Rm, datasize=64 if sf else 32, op=opc, invert=bool(N),
                          setflags=opc == 3, shift_type=DecodeShift(shift), shift_amount=imm6)
