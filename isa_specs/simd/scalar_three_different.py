"""Advanced SIMD scalar three different: SQDMLAL, SQDMLSL, SQDMULL (``sqdmlal s0, h1, h2``).

ASL: aarch64/instrs/vector/arithmetic/binary/disparate/mul/{dmacc, double} with scalar.

FPSR.QC is not modelled: the saturated result only.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.simd.three_different import OPS, long_op
from isa_specs.syntax import scalar_reg


@dataclass(frozen=True, slots=True)
class SimdScalarThreeDifferent:
    d: int
    n: int
    m: int
    esize: int           # the source size; the result has 2 * esize bits
    opcode: int

    def execute(self, s):
        e = self.esize
        result = long_op(self.opcode, False, s.V(self.n, e), s.V(self.m, e), s.V(self.d, 2 * e))
        s.set_V(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        e = self.esize
        return (f"{OPS[self.opcode][0]} {scalar_reg(self.d, 2 * e)}, {scalar_reg(self.n, e)}, "
                f"{scalar_reg(self.m, e)}")


@encoding("01 U:1 11110 size:2 1 Rm:5 opcode:4 00 Rn:5 Rd:5")
def decode_simd_scalar_three_different(U, size, Rm, opcode, Rn, Rd):
    if U or opcode not in (0b1001, 0b1011, 0b1101):
        raise Unallocated("unallocated Advanced SIMD scalar three-different opcode")
    if size in (0, 3):
        raise Unallocated(f"{OPS[opcode][0]} (scalar): size must be 01 or 10")
    return SimdScalarThreeDifferent(d=Rd, n=Rn, m=Rm, esize=8 << size, opcode=opcode)
