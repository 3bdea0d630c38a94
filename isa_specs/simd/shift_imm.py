"""Advanced SIMD shift by immediate: vector forms.

Mnemonics: SSHR, USHR, SSRA, USRA, SRSHR, URSHR, SRSRA, URSRA, SRI, SHL, SLI, SQSHLU,
SQSHL (immediate), UQSHL (immediate), SHRN(2), RSHRN(2), SQSHRN(2), UQSHRN(2), SQRSHRN(2),
UQRSHRN(2), SQSHRUN(2), SQRSHRUN(2), SSHLL(2), USHLL(2) (aliases SXTL/UXTL for #0, which
capstone prints as SSHLL/USHLL #0).  The fixed-point conversions of this class
(SCVTF/UCVTF/FCVTZS/FCVTZU) raise Unimplemented.

ASL: aarch64/instrs/vector/shift/{right, right-insert, left, left-insert, left-sat,
right-narrow/logical, right-narrow/nonuniform, right-narrow/uniform, left-long}.

The element size comes from the highest set bit of immh; immh == 0000 is the modified
immediate class, so this class is declared as four diagrams (immh = 1xxx, 01xx, 001x,
0001), which do not overlap it.  FPSR.QC is not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.vector import (
    Elements,
    Extend,
    SatQ,
    ShiftRightWide,
    Vector,
    arrangement,
)
from lnsym.machine.asl import LSL, LSR, Concat, Ones
from lnsym.terms.bv import extract

# (U, opcode) -> (mnemonic, kind): right/left shifts keep the element size, "narrow"
# halves it, "long" doubles it.
OPS = {
    (0, 0x00): ("sshr", "right"), (1, 0x00): ("ushr", "right"),
    (0, 0x02): ("ssra", "right"), (1, 0x02): ("usra", "right"),
    (0, 0x04): ("srshr", "right"), (1, 0x04): ("urshr", "right"),
    (0, 0x06): ("srsra", "right"), (1, 0x06): ("ursra", "right"),
    (1, 0x08): ("sri", "right"),
    (0, 0x0A): ("shl", "left"), (1, 0x0A): ("sli", "left"),
    (1, 0x0C): ("sqshlu", "left"),
    (0, 0x0E): ("sqshl", "left"), (1, 0x0E): ("uqshl", "left"),
    (0, 0x10): ("shrn", "narrow"), (1, 0x10): ("sqshrun", "narrow"),
    (0, 0x11): ("rshrn", "narrow"), (1, 0x11): ("sqrshrun", "narrow"),
    (0, 0x12): ("sqshrn", "narrow"), (1, 0x12): ("uqshrn", "narrow"),
    (0, 0x13): ("sqrshrn", "narrow"), (1, 0x13): ("uqrshrn", "narrow"),
    (0, 0x14): ("sshll", "long"), (1, 0x14): ("ushll", "long"),
}
FIXED_POINT = (0x1C, 0x1F)
ROUNDING = {"srshr", "urshr", "srsra", "ursra", "rshrn", "sqrshrn", "uqrshrn", "sqrshrun"}


def shift_lane(name: str, x, acc, shift: int):
    """One result element of shift-by-immediate ``name``.

    x: the source element (twice the result size for the narrowing forms), acc: the
    destination's element (SSRA, SRI, SLI...), shift: the decoded amount.
    """
    e = x.width
    if name in ("shl", "sli"):
        shifted = LSL(x, shift)
        if name == "shl":
            return shifted
        mask = LSL(Ones(e), shift)                   # ASL: (operand2 AND NOT mask) OR shifted
        return (acc & ~mask) | shifted
    if name in ("sqshl", "uqshl", "sqshlu"):
        src_unsigned = name == "uqshl"
        wide = LSL(Extend(x, 2 * e + 2, src_unsigned), shift)
        return SatQ(wide, e, name != "sqshl")
    if name == "sri":
        if shift == e:
            return acc
        mask = LSR(Ones(e), shift)
        return (acc & ~mask) | LSR(x, shift)
    if name in ("sshll", "ushll"):
        return LSL(Extend(x, 2 * e, name == "ushll"), shift)
    rounding = name in ROUNDING
    if name in ("shrn", "rshrn"):
        return extract(ShiftRightWide(x, shift, False, rounding), e // 2 - 1, 0)
    if name.endswith("shrn") or name.endswith("shrun"):
        src_unsigned = name.startswith("uq")
        wide = ShiftRightWide(x, shift, src_unsigned, rounding)
        return SatQ(wide, e // 2, not name.startswith("sq") or name.endswith("un"))
    # SSHR USHR SSRA USRA SRSHR URSHR SRSRA URSRA
    shifted = extract(ShiftRightWide(x, shift, name[0] == "u", rounding), e - 1, 0)
    return acc + shifted if name.endswith("sra") else shifted


def decode_shift_amount(immh: int, immb: int, kind: str) -> tuple:
    """(esize, shift) from immh:immb; esize is the element size of the result for
    right/left shifts, the narrow size for narrowing and widening forms."""
    esize = 8 << (immh.bit_length() - 1)
    value = (immh << 3) | immb
    shift = (2 * esize - value) if kind in ("right", "narrow") else (value - esize)
    return esize, shift


@dataclass(frozen=True, slots=True)
class SimdShiftImm:
    d: int
    n: int
    esize: int
    datasize: int
    shift: int
    name: str
    kind: str

    def execute(self, s):
        e, w = self.esize, self.datasize
        if self.kind == "narrow":
            src = Elements(s.V(self.n), 2 * e)
            result = Vector([shift_lane(self.name, x, None, self.shift) for x in src], e)
            if w == 128:             # Vpart[d, 1] = result keeps the low half
                result = Concat(result, s.V(self.d, 64))
            s.set_V(self.d, result)
            return
        if self.kind == "long":
            part = int(w == 128)
            src = Elements(extract(s.V(self.n), 64 * part + 63, 64 * part), e)
            s.set_V(self.d, Vector([shift_lane(self.name, x, None, self.shift) for x in src],
                                   2 * e))
            return
        src = Elements(s.V(self.n, w), e)
        accs = Elements(s.V(self.d, w), e)
        s.set_V(self.d, Vector([shift_lane(self.name, x, a, self.shift)
                                for x, a in zip(src, accs)], e))

    def disasm(self, pc: int = 0) -> str:
        e, w = self.esize, self.datasize
        two = "2" if w == 128 and self.kind in ("narrow", "long") else ""
        if self.kind == "narrow":
            td, tn = arrangement(e, w), arrangement(2 * e, 128)
        elif self.kind == "long":
            td, tn = arrangement(2 * e, 128), arrangement(e, w)
        else:
            td = tn = arrangement(e, w)
        return f"{self.name}{two} v{self.d}.{td}, v{self.n}.{tn}, #{self.shift}"


def decode_simd_shift_imm(Q, U, immh, immb, opcode, Rn, Rd):
    if opcode in FIXED_POINT:
        raise Unimplemented("fixed-point conversions are floating-point arithmetic, "
                            "out of scope")
    entry = OPS.get((U, opcode))
    if entry is None:
        raise Unallocated("unallocated Advanced SIMD shift-by-immediate opcode")
    name, kind = entry
    if immh >> 3:
        if kind in ("narrow", "long"):
            raise Unallocated(f"{name}: immh=1xxx is reserved")
        if not Q:
            raise Unallocated(f"{name}: immh=1xxx with Q=0 is reserved")
    esize, shift = decode_shift_amount(immh, immb, kind)
    return SimdShiftImm(d=Rd, n=Rn, esize=esize, datasize=128 if Q else 64, shift=shift,
                        name=name, kind=kind)


@encoding("0 Q:1 U:1 011110 1 immh_lo:3 immb:3 opcode:5 1 Rn:5 Rd:5")
def decode_simd_shift_imm_d(Q, U, immh_lo, immb, opcode, Rn, Rd):
    return decode_simd_shift_imm(Q, U, 0b1000 | immh_lo, immb, opcode, Rn, Rd)


@encoding("0 Q:1 U:1 011110 01 immh_lo:2 immb:3 opcode:5 1 Rn:5 Rd:5")
def decode_simd_shift_imm_s(Q, U, immh_lo, immb, opcode, Rn, Rd):
    return decode_simd_shift_imm(Q, U, 0b0100 | immh_lo, immb, opcode, Rn, Rd)


@encoding("0 Q:1 U:1 011110 001 immh_lo:1 immb:3 opcode:5 1 Rn:5 Rd:5")
def decode_simd_shift_imm_h(Q, U, immh_lo, immb, opcode, Rn, Rd):
    return decode_simd_shift_imm(Q, U, 0b0010 | immh_lo, immb, opcode, Rn, Rd)


@encoding("0 Q:1 U:1 011110 0001 immb:3 opcode:5 1 Rn:5 Rd:5")
def decode_simd_shift_imm_b(Q, U, immb, opcode, Rn, Rd):
    return decode_simd_shift_imm(Q, U, 0b0001, immb, opcode, Rn, Rd)
