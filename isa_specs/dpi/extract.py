"""EXTR and its alias ROR (immediate).

ASL: aarch64/instrs/integer/ins-ext/extract/immediate (EXTR_32_extract, EXTR_64_extract).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.syntax import gpr
from lnsym.machine.asl import Concat, Slice


@dataclass(frozen=True, slots=True)
class Extract:
    d: int
    n: int
    m: int
    datasize: int
    lsb: int

    def execute(self, s):
        w = self.datasize
        operand1 = s.X(self.n, w)
        operand2 = s.X(self.m, w)
        concat = Concat(operand1, operand2)
        s.set_X(self.d, Slice(concat, self.lsb + w - 1, self.lsb))

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        rd, rn, rm = gpr(self.d, w), gpr(self.n, w), gpr(self.m, w)
        if self.n == self.m:
            return f"ror {rd}, {rn}, #{self.lsb}"
        return f"extr {rd}, {rn}, {rm}, #{self.lsb}"


@encoding("sf:1 op21:2 100111 N:1 o0:1 Rm:5 imms:6 Rn:5 Rd:5")
def decode_extract(sf, op21, N, o0, Rm, imms, Rn, Rd):
    if op21 != 0 or o0 != 0:
        raise Unallocated("extract: only op21 = 00, o0 = 0 (EXTR) is allocated")
    if N != sf:
        raise Unallocated("extract: N must equal sf")
    if sf == 0 and imms & 0x20:
        raise Unallocated("extract: imms<5> must be 0 for 32-bit forms")
    return Extract(d=Rd, n=Rn, m=Rm, datasize=64 if sf else 32, lsb=imms)
