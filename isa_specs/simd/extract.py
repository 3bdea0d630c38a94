"""Advanced SIMD extract: EXT.

ASL: aarch64/instrs/vector/transfer/vector/extract (EXT_asimdext_only).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.syntax import imm, vreg
from lnsym.machine.asl import Concat, Slice


@dataclass(frozen=True, slots=True)
class SimdExtract:
    d: int
    n: int
    m: int
    datasize: int
    position: int     # in bits: imm4 << 3

    def execute(self, s):
        # ASL not modelled: CheckFPAdvSIMDEnabled64() (the FP/SIMD unit is always enabled)
        hi = s.V(self.m, self.datasize)
        lo = s.V(self.n, self.datasize)
        concat = Concat(hi, lo)
        s.set_V(self.d, Slice(concat, self.position + self.datasize - 1, self.position))

    def disasm(self, pc: int = 0) -> str:
        arr = "16b" if self.datasize == 128 else "8b"
        return (f"ext {vreg(self.d, arr)}, {vreg(self.n, arr)}, {vreg(self.m, arr)}, "
                f"{imm(self.position >> 3)}")


@encoding("0 Q:1 101110 00 0 Rm:5 0 imm4:4 0 Rn:5 Rd:5")
def decode_simd_ext(Q, Rm, imm4, Rn, Rd):
    if Q == 0 and imm4 >> 3:
        raise Unallocated("EXT .8b with an index above 7 is reserved")
    return SimdExtract(d=Rd, n=Rn, m=Rm, datasize=64 << Q, position=imm4 << 3)
