"""Advanced SIMD scalar three same (integer).

Mnemonics: SQADD, UQADD, SQSUB, UQSUB, SQSHL, UQSHL, SQRSHL, UQRSHL (b/h/s/d), CMGT,
CMHI, CMGE, CMHS, CMTST, CMEQ, SSHL, USHL, SRSHL, URSHL, ADD, SUB (d only), SQDMULH,
SQRDMULH (h/s).  The floating-point forms of this class raise Unimplemented.

ASL: aarch64/instrs/vector/arithmetic/binary/uniform/{add-saturating/*, add-wrapping/*,
cmp/*, shift/*, mul-int/doubling} with scalar = TRUE.

The lane operations are those of the vector class (isa_specs.simd.three_same) applied
to one element.  FPSR.QC is not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.simd.three_same import INTEGER_OPS
from isa_specs.syntax import scalar_reg

ANY, D, HS = "any", "d", "hs"
SCALAR_OPS = {
    (0, 0b00001): ANY, (1, 0b00001): ANY, (0, 0b00101): ANY, (1, 0b00101): ANY,
    (0, 0b00110): D, (1, 0b00110): D, (0, 0b00111): D, (1, 0b00111): D,
    (0, 0b01000): D, (1, 0b01000): D, (0, 0b01001): ANY, (1, 0b01001): ANY,
    (0, 0b01010): D, (1, 0b01010): D, (0, 0b01011): ANY, (1, 0b01011): ANY,
    (0, 0b10000): D, (1, 0b10000): D, (0, 0b10001): D, (1, 0b10001): D,
    (0, 0b10110): HS, (1, 0b10110): HS,
}


@dataclass(frozen=True, slots=True)
class SimdScalarThreeSame:
    d: int
    n: int
    m: int
    esize: int
    U: int
    opcode: int

    def execute(self, s):
        fn = INTEGER_OPS[self.U, self.opcode][1]
        e = self.esize
        s.set_V(self.d, fn(s.V(self.n, e), s.V(self.m, e)))

    def disasm(self, pc: int = 0) -> str:
        name = INTEGER_OPS[self.U, self.opcode][0]
        e = self.esize
        return f"{name} {scalar_reg(self.d, e)}, {scalar_reg(self.n, e)}, {scalar_reg(self.m, e)}"


@encoding("01 U:1 11110 size:2 1 Rm:5 opcode:5 1 Rn:5 Rd:5")
def decode_simd_scalar_three_same(U, size, Rm, opcode, Rn, Rd):
    if opcode >= 0b11000:
        raise Unimplemented("floating-point arithmetic is out of scope")
    sizes = SCALAR_OPS.get((U, opcode))
    if sizes is None:
        raise Unallocated("unallocated Advanced SIMD scalar three-same opcode")
    if (sizes == D and size != 3) or (sizes == HS and size in (0, 3)):
        raise Unallocated("reserved size for this scalar three-same instruction")
    return SimdScalarThreeSame(d=Rd, n=Rn, m=Rm, esize=8 << size, U=U, opcode=opcode)
