"""Advanced SIMD scalar pairwise (integer): ADDP (scalar), ``addp d0, v1.2d``.

The floating-point pairwise forms of this class (FADDP, FMAXP, FMINP, FMAXNMP, FMINNMP)
raise Unimplemented.

ASL: aarch64/instrs/vector/reduce/add-pairwise (ADDP_asisdpair_only).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from lnsym.machine.asl import Slice


@dataclass(frozen=True, slots=True)
class SimdScalarAddPairwise:
    d: int
    n: int

    def execute(self, s):
        # ASL: D[d] = Reduce(ReduceOp_ADD, V[n], 64): the sum of the two doublewords
        x = s.V(self.n)
        s.set_V(self.d, Slice(x, 63, 0) + Slice(x, 127, 64))

    def disasm(self, pc: int = 0) -> str:
        return f"addp d{self.d}, v{self.n}.2d"


@encoding("01 U:1 11110 size:2 11000 opcode:5 10 Rn:5 Rd:5")
def decode_simd_scalar_pairwise(U, size, opcode, Rn, Rd):
    if opcode in (0x0C, 0x0D, 0x0F):
        raise Unimplemented("floating-point arithmetic is out of scope")
    if U == 0 and opcode == 0x1B:
        if size != 3:
            raise Unallocated("ADDP (scalar): size must be 11")
        return SimdScalarAddPairwise(d=Rd, n=Rn)
    raise Unallocated("unallocated Advanced SIMD scalar pairwise opcode")
