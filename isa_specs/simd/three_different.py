"""Advanced SIMD three different: widening, narrowing and long multiplies (vector).

Mnemonics (each with its "2" upper-half variant): SADDL, UADDL, SSUBL, USUBL, SADDW,
UADDW, SSUBW, USUBW, ADDHN, SUBHN, RADDHN, RSUBHN, SABAL, UABAL, SABDL, UABDL, SMLAL,
UMLAL, SMLSL, UMLSL, SMULL, UMULL, SQDMLAL, SQDMLSL, SQDMULL, PMULL (8b -> 8h, and
the FEAT_PMULL 1d -> 1q form).

ASL: aarch64/instrs/vector/arithmetic/binary/disparate/{add-sub/long, add-sub/wide,
add-sub/narrow, diff, mul/accum, mul/product, mul/dmacc, mul/double, mul/poly}.

FPSR.QC is not modelled: SQDMLAL/SQDMLSL/SQDMULL compute the saturated result only.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.vector import (
    AbsDiff,
    DoublingProduct,
    Elements,
    Extend,
    PolynomialMult8,
    SignedSatQ,
    Vector,
    arrangement,
)
from lnsym.machine.asl import Concat, Const, SignExtend, Slice
from lnsym.terms.bv import extract

# opcode -> (signed mnemonic, unsigned mnemonic or None, kind)
OPS = {
    0b0000: ("saddl", "uaddl", "long"), 0b0001: ("saddw", "uaddw", "wide"),
    0b0010: ("ssubl", "usubl", "long"), 0b0011: ("ssubw", "usubw", "wide"),
    0b0100: ("addhn", "raddhn", "narrow"), 0b0101: ("sabal", "uabal", "long"),
    0b0110: ("subhn", "rsubhn", "narrow"), 0b0111: ("sabdl", "uabdl", "long"),
    0b1000: ("smlal", "umlal", "long"), 0b1001: ("sqdmlal", None, "long"),
    0b1010: ("smlsl", "umlsl", "long"), 0b1011: ("sqdmlsl", None, "long"),
    0b1100: ("smull", "umull", "long"), 0b1101: ("sqdmull", None, "long"),
    0b1110: ("pmull", None, "long"),
}


def long_op(opcode: int, unsigned: bool, a, b, acc):
    """One 2N-bit result lane of the widening operations (acc: Vd's lane)."""
    e = a.width
    if opcode == 0b1110:
        return PolynomialMult8(a, b)
    if opcode in (0b1001, 0b1011, 0b1101):
        product = DoublingProduct(a, b)
        if opcode == 0b1101:
            return product
        w = 2 * e + 2
        if opcode == 0b1001:
            total = SignExtend(acc, w) + SignExtend(product, w)
        else:
            total = SignExtend(acc, w) - SignExtend(product, w)
        return SignedSatQ(total, 2 * e)
    x, y = Extend(a, 2 * e, unsigned), Extend(b, 2 * e, unsigned)
    if opcode == 0b0000:
        return x + y
    if opcode == 0b0010:
        return x - y
    if opcode == 0b0101:
        return acc + Extend(AbsDiff(a, b, unsigned), 2 * e, True)
    if opcode == 0b0111:
        return Extend(AbsDiff(a, b, unsigned), 2 * e, True)
    if opcode == 0b1000:
        return acc + x * y
    if opcode == 0b1010:
        return acc - x * y
    return x * y                                            # 0b1100 MULL


@dataclass(frozen=True, slots=True)
class SimdThreeDifferent:
    d: int
    n: int
    m: int
    esize: int          # the narrow element size
    part: int           # 1: the "2" variant (upper halves)
    U: int
    opcode: int

    @property
    def kind(self) -> str:
        return OPS[self.opcode][2]

    def execute(self, s):
        e, part, op = self.esize, self.part, self.opcode
        unsigned = bool(self.U)

        def half(reg):          # ASL Vpart[reg, part]
            return extract(s.V(reg), 64 * part + 63, 64 * part)

        if self.kind == "narrow":
            # ASL: sum = operand1 +/- operand2; sum += round_const; result = sum<2*esize-1:esize>
            ops1, ops2 = Elements(s.V(self.n), 2 * e), Elements(s.V(self.m), 2 * e)
            lanes = []
            for a, b in zip(ops1, ops2):
                total = a - b if op == 0b0110 else a + b
                if unsigned:                                   # RADDHN/RSUBHN
                    total = total + Const(1 << (e - 1), 2 * e)
                lanes.append(Slice(total, 2 * e - 1, e))
            result = Vector(lanes, e)
            if part:
                s.set_V(self.d, Concat(result, s.V(self.d, 64)))
            else:
                s.set_V(self.d, result)
            return
        if self.kind == "wide":
            ops1 = Elements(s.V(self.n), 2 * e)
        else:
            ops1 = Elements(half(self.n), e)
        ops2 = Elements(half(self.m), e)
        accs = Elements(s.V(self.d), 2 * e)
        if self.kind == "wide":
            lanes = [(a - Extend(b, 2 * e, unsigned)) if op == 0b0011
                     else (a + Extend(b, 2 * e, unsigned)) for a, b in zip(ops1, ops2)]
        else:
            lanes = [long_op(op, unsigned, a, b, c) for a, b, c in zip(ops1, ops2, accs)]
        s.set_V(self.d, Vector(lanes, 2 * e))

    def disasm(self, pc: int = 0) -> str:
        signed_name, unsigned_name, kind = OPS[self.opcode]
        name = (unsigned_name if self.U else signed_name) + ("2" if self.part else "")
        e = self.esize
        wide, narrow = arrangement(2 * e, 128), arrangement(e, 64 * (self.part + 1))
        td, tn, tm = {"long": (wide, narrow, narrow), "wide": (wide, wide, narrow),
                      "narrow": (narrow, wide, wide)}[kind]
        return f"{name} v{self.d}.{td}, v{self.n}.{tn}, v{self.m}.{tm}"


@encoding("0 Q:1 U:1 01110 size:2 1 Rm:5 opcode:4 00 Rn:5 Rd:5")
def decode_simd_three_different(Q, U, size, Rm, opcode, Rn, Rd):
    entry = OPS.get(opcode)
    if entry is None or (U and entry[1] is None):
        raise Unallocated("unallocated Advanced SIMD three-different opcode")
    if opcode == 0b1110:
        if size in (1, 2):
            raise Unallocated("PMULL: size must be 00 or 11")
    elif size == 3:
        raise Unallocated(f"{entry[0]}: size=11 is reserved")
    elif opcode in (0b1001, 0b1011, 0b1101) and size == 0:
        raise Unallocated(f"{entry[0]}: size=00 is reserved")
    return SimdThreeDifferent(d=Rd, n=Rn, m=Rm, esize=8 << size, part=Q, U=U, opcode=opcode)
