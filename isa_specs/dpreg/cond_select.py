"""CSEL, CSINC, CSINV, CSNEG and their aliases CSET, CSETM, CINC, CINV, CNEG.

ASL: aarch64/instrs/integer/conditional/select
(CSEL_32_condsel, CSINC_64_condsel, CSINV_32_condsel, CSNEG_64_condsel ...).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.conditions import COND_NAMES, ConditionHolds
from isa_specs.syntax import gpr
from lnsym.machine.asl import NOT, Const, ite

ALIASES = {(False, True): "cinc", (True, False): "cinv", (True, True): "cneg"}


@dataclass(frozen=True, slots=True)
class ConditionalSelect:
    d: int
    n: int
    m: int
    datasize: int
    condition: int
    else_inv: bool     # op: CSINV, CSNEG
    else_inc: bool     # o2: CSINC, CSNEG

    def execute(self, s):
        w = self.datasize
        operand1 = s.X(self.n, w)
        operand2 = s.X(self.m, w)
        if self.else_inv:
            operand2 = NOT(operand2)
        if self.else_inc:
            operand2 = operand2 + Const(1, w)
        s.set_X(self.d, ite(ConditionHolds(self.condition, s.NZCV()), operand1, operand2))

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        rd, rn, rm = gpr(self.d, w), gpr(self.n, w), gpr(self.m, w)
        cond = self.condition
        kind = (self.else_inv, self.else_inc)
        if cond >> 1 != 0b111:
            inv = COND_NAMES[cond ^ 1]
            if kind in ((False, True), (True, False)) and self.n == self.m == 31:
                return f"{'csetm' if self.else_inv else 'cset'} {rd}, {inv}"
            if self.n == self.m and (kind == (True, True) or self.m != 31):
                name = ALIASES.get(kind)
                if name:
                    return f"{name} {rd}, {rn}, {inv}"
        name = {(False, False): "csel", (False, True): "csinc", (True, False): "csinv",
                (True, True): "csneg"}[kind]
        return f"{name} {rd}, {rn}, {rm}, {COND_NAMES[cond]}"


@encoding("sf:1 op:1 S:1 11010100 Rm:5 cond:4 op2:2 Rn:5 Rd:5")
def decode_cond_select(sf, op, S, Rm, cond, op2, Rn, Rd):
    if S or op2 & 2:
        raise Unallocated("conditional select: S = 1 or op2<1> = 1 is unallocated")
    return ConditionalSelect(d=Rd, n=Rn, m=Rm, datasize=64 if sf else 32, condition=cond,
                             else_inv=bool(op), else_inc=bool(op2 & 1))
