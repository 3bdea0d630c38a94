"""CCMN, CCMP (register and immediate).

ASL: aarch64/instrs/integer/conditional/compare/register,
aarch64/instrs/integer/conditional/compare/immediate
(CCMN_32_condcmp_reg, CCMP_64_condcmp_reg, CCMN_32_condcmp_imm, CCMP_64_condcmp_imm ...).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.arith import AddWithCarry
from isa_specs.pseudocode.conditions import COND_NAMES, ConditionHolds
from isa_specs.syntax import gpr
from lnsym.machine.asl import NOT, Const, ite


@dataclass(frozen=True, slots=True)
class ConditionalCompare:
    n: int
    m: int | None      # None: the immediate form
    imm: int           # imm5 (immediate form)
    datasize: int
    sub_op: bool
    condition: int
    flags: int         # nzcv field: the flags when the condition fails

    def execute(self, s):
        w = self.datasize
        operand1 = s.X(self.n, w)
        operand2 = Const(self.imm, w) if self.m is None else s.X(self.m, w)
        if self.sub_op:
            operand2 = NOT(operand2)
        _, nzcv = AddWithCarry(operand1, operand2, Const(int(self.sub_op), 1))
        holds = ConditionHolds(self.condition, s.NZCV())
        s.set_NZCV(ite(holds, nzcv, Const(self.flags, 4)))

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        op2 = f"#{self.imm}" if self.m is None else gpr(self.m, w)
        return (f"{'ccmp' if self.sub_op else 'ccmn'} {gpr(self.n, w)}, {op2}, "
                f"#{self.flags}, {COND_NAMES[self.condition]}")


def _check(S, o2, o3):
    if S != 1 or o2 or o3:
        raise Unallocated("conditional compare: S = 0, o2 = 1 or o3 = 1 is unallocated")


@encoding("sf:1 op:1 S:1 11010010 Rm:5 cond:4 0 o2:1 Rn:5 o3:1 nzcv:4")
def decode_cond_compare_reg(sf, op, S, Rm, cond, o2, Rn, o3, nzcv):
    _check(S, o2, o3)
    return ConditionalCompare(n=Rn, m=Rm, imm=0, datasize=64 if sf else 32, sub_op=bool(op),
                              condition=cond, flags=nzcv)


@encoding("sf:1 op:1 S:1 11010010 imm5:5 cond:4 1 o2:1 Rn:5 o3:1 nzcv:4")
def decode_cond_compare_imm(sf, op, S, imm5, cond, o2, Rn, o3, nzcv):
    _check(S, o2, o3)
    return ConditionalCompare(n=Rn, m=None, imm=imm5, datasize=64 if sf else 32,
                              sub_op=bool(op), condition=cond, flags=nzcv)
