"""Advanced SIMD scalar shift by immediate.

Mnemonics: SSHR, USHR, SSRA, USRA, SRSHR, URSHR, SRSRA, URSRA, SRI, SHL, SLI (d only),
SQSHL, UQSHL, SQSHLU (immediate; b/h/s/d), SQSHRN, UQSHRN, SQRSHRN, UQRSHRN, SQSHRUN,
SQRSHRUN (b/h/s result).  The fixed-point conversions of this class (SCVTF, UCVTF,
FCVTZS, FCVTZU) raise Unimplemented.

ASL: aarch64/instrs/vector/shift/{right, right-insert, left, left-insert, left-sat,
right-narrow/nonuniform, right-narrow/uniform} with scalar = TRUE.

As in the vector class (isa_specs.simd.shift_imm, whose lane operation this reuses),
immh == 0000 is not part of the class, so four diagrams cover immh = 1xxx, 01xx, 001x
and 0001.  FPSR.QC is not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.simd.shift_imm import FIXED_POINT, OPS, decode_shift_amount, shift_lane
from isa_specs.syntax import scalar_reg

SATURATING_LEFT = ("sqshl", "uqshl", "sqshlu")


@dataclass(frozen=True, slots=True)
class SimdScalarShiftImm:
    d: int
    n: int
    esize: int          # the result's size
    shift: int
    name: str
    kind: str

    def execute(self, s):
        e = self.esize
        if self.kind == "narrow":
            s.set_V(self.d, shift_lane(self.name, s.V(self.n, 2 * e), None, self.shift))
        else:
            s.set_V(self.d, shift_lane(self.name, s.V(self.n, e), s.V(self.d, e), self.shift))

    def disasm(self, pc: int = 0) -> str:
        e = self.esize
        src = scalar_reg(self.n, 2 * e if self.kind == "narrow" else e)
        return f"{self.name} {scalar_reg(self.d, e)}, {src}, #{self.shift}"


def decode_simd_scalar_shift_imm(U, immh, immb, opcode, Rn, Rd):
    if opcode in FIXED_POINT:
        raise Unimplemented("fixed-point conversions are floating-point arithmetic, "
                            "out of scope")
    entry = OPS.get((U, opcode))
    if entry is None or entry[1] == "long" or entry[0] in ("shrn", "rshrn"):
        raise Unallocated("unallocated Advanced SIMD scalar shift-by-immediate opcode")
    name, kind = entry
    if kind == "narrow" and immh >> 3:
        raise Unallocated(f"{name} (scalar): immh=1xxx is reserved")
    if kind in ("right", "left") and name not in SATURATING_LEFT and not immh >> 3:
        raise Unallocated(f"{name} (scalar): immh must be 1xxx")
    esize, shift = decode_shift_amount(immh, immb, kind)
    return SimdScalarShiftImm(d=Rd, n=Rn, esize=esize, shift=shift, name=name, kind=kind)


@encoding("01 U:1 111110 1 immh_lo:3 immb:3 opcode:5 1 Rn:5 Rd:5")
def decode_simd_scalar_shift_imm_d(U, immh_lo, immb, opcode, Rn, Rd):
    return decode_simd_scalar_shift_imm(U, 0b1000 | immh_lo, immb, opcode, Rn, Rd)


@encoding("01 U:1 111110 01 immh_lo:2 immb:3 opcode:5 1 Rn:5 Rd:5")
def decode_simd_scalar_shift_imm_s(U, immh_lo, immb, opcode, Rn, Rd):
    return decode_simd_scalar_shift_imm(U, 0b0100 | immh_lo, immb, opcode, Rn, Rd)


@encoding("01 U:1 111110 001 immh_lo:1 immb:3 opcode:5 1 Rn:5 Rd:5")
def decode_simd_scalar_shift_imm_h(U, immh_lo, immb, opcode, Rn, Rd):
    return decode_simd_scalar_shift_imm(U, 0b0010 | immh_lo, immb, opcode, Rn, Rd)


@encoding("01 U:1 111110 0001 immb:3 opcode:5 1 Rn:5 Rd:5")
def decode_simd_scalar_shift_imm_b(U, immb, opcode, Rn, Rd):
    return decode_simd_scalar_shift_imm(U, 0b0001, immb, opcode, Rn, Rd)
