"""MADD, MSUB (aliases MUL, MNEG), SMADDL, SMSUBL, UMADDL, UMSUBL (aliases SMULL, SMNEGL,
UMULL, UMNEGL), SMULH, UMULH (data-processing, 3 source).

ASL: aarch64/instrs/integer/arithmetic/mul/uniform/add-sub,
aarch64/instrs/integer/arithmetic/mul/widening/32-64, .../widening/64-128hi
(MADD_32A_dp_3src, MSUB_64A_dp_3src, SMADDL_64WA_dp_3src, UMSUBL_64WA_dp_3src,
SMULH_64_dp_3src, UMULH_64_dp_3src ...).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.syntax import gpr
from lnsym.machine.asl import SignExtend, Slice, ZeroExtend
from lnsym.terms.bv import mul

MADD, SMADDL, SMULH, UMADDL, UMULH = 0b000, 0b001, 0b010, 0b101, 0b110


@dataclass(frozen=True, slots=True)
class DataProcessing3Source:
    d: int
    n: int
    m: int
    a: int
    datasize: int
    op31: int
    sub_op: bool       # o0

    def execute(self, s):
        w = self.datasize
        if self.op31 == MADD:
            # result = X[a] +/- X[n] * X[m], modulo 2^datasize
            product = mul(s.X(self.n, w), s.X(self.m, w))
            addend = s.X(self.a, w)
            s.set_X(self.d, addend - product if self.sub_op else addend + product)
            return
        extend = ZeroExtend if self.op31 in (UMADDL, UMULH) else SignExtend
        if self.op31 in (SMADDL, UMADDL):
            # result = X[a] +/- Int(W[n]) * Int(W[m]), 64-bit
            product = mul(extend(s.X(self.n, 32), 64), extend(s.X(self.m, 32), 64))
            addend = s.X(self.a, 64)
            s.set_X(self.d, addend - product if self.sub_op else addend + product)
            return
        # SMULH/UMULH: bits 127:64 of the 128-bit product
        product = mul(extend(s.X(self.n, 64), 128), extend(s.X(self.m, 64), 128))
        s.set_X(self.d, Slice(product, 127, 64))

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        rd, ra = gpr(self.d, 64 if w == 64 else 32), gpr(self.a, w)
        if self.op31 in (SMULH, UMULH):
            name = "umulh" if self.op31 == UMULH else "smulh"
            return f"{name} {rd}, {gpr(self.n, 64)}, {gpr(self.m, 64)}"
        if self.op31 == MADD:
            rn, rm = gpr(self.n, w), gpr(self.m, w)
            names = ("madd", "mul") if not self.sub_op else ("msub", "mneg")
        else:
            rn, rm = gpr(self.n, 32), gpr(self.m, 32)
            u = "u" if self.op31 == UMADDL else "s"
            names = (f"{u}maddl", f"{u}mull") if not self.sub_op else (f"{u}msubl", f"{u}mnegl")
        if self.a == 31:
            return f"{names[1]} {rd}, {rn}, {rm}"
        return f"{names[0]} {rd}, {rn}, {rm}, {ra}"


@encoding("sf:1 op54:2 11011 op31:3 Rm:5 o0:1 Ra:5 Rn:5 Rd:5")
def decode_dp_3src(sf, op54, op31, Rm, o0, Ra, Rn, Rd):
    if op54 != 0 or op31 not in (MADD, SMADDL, SMULH, UMADDL, UMULH):
        raise Unallocated("data-processing (3 source): unallocated op54/op31")
    if op31 != MADD and sf == 0:
        raise Unallocated("data-processing (3 source): widening forms need sf = 1")
    if op31 in (SMULH, UMULH) and o0:
        raise Unallocated("data-processing (3 source): SMULH/UMULH need o0 = 0")
    return DataProcessing3Source(d=Rd, n=Rn, m=Rm, a=Ra, datasize=64 if sf else 32, op31=op31,
                                 sub_op=bool(o0))
