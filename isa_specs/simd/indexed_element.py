"""Advanced SIMD vector x indexed element, and the scalar forms (integer operations).

Mnemonics, vector: MUL, MLA, MLS, SQDMULH, SQRDMULH, SQRDMLAH, SQRDMLSH, SMULL(2),
UMULL(2), SMLAL(2), UMLAL(2), SMLSL(2), UMLSL(2), SQDMULL(2), SQDMLAL(2), SQDMLSL(2),
SDOT, UDOT (all "by element"); scalar: SQDMULH, SQRDMULH, SQRDMLAH, SQRDMLSH,
SQDMULL, SQDMLAL, SQDMLSL.

ASL: aarch64/instrs/vector/arithmetic/binary/element/{mul/int, mul-acc/int,
mul-acc/long, mul/long, mul/double-sisd, mul/double-simd, mul/high-sisd, mul/high-simd,
mul-acc/double-sisd, mul-acc/double-simd, mul-acc/high-sisd, mul-acc/high-simd, dotp}.

The element of Vm: 16-bit elements are indexed by H:L:M and come from V0-V15 (Rm is
4 bits); 32-bit elements by H:L with Rm = M:Rm; SDOT/UDOT take the H:L-th 32-bit group
of four bytes.  Floating-point, BFloat16 and mixed-sign forms (FMLA, FMLS, FMUL, FMULX,
FMLAL(2), FMLSL(2), FCMLA, BFDOT, BFMLAL(B/T), SUDOT, USDOT) are decoded as
Unimplemented.  FPSR.QC is not modelled: the saturating forms give only the value.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.vector import (
    DoublingMulHigh,
    DoublingProduct,
    Elements,
    Extend,
    SignedSatQ,
    Vector,
    arrangement,
)
from lnsym.machine.asl import BV, LSL, Const, Elem, SignExtend, ZeroExtend
from lnsym.terms.bv import add, extract

# (U, opcode) -> (mnemonic, kind); kinds: "same" N-bit lanes, "long" 2N-bit results,
# "dot" 32-bit lanes from bytes
INT_OPS = {
    (0, 0b1000): ("mul", "same"), (1, 0b0000): ("mla", "same"), (1, 0b0100): ("mls", "same"),
    (0, 0b1100): ("sqdmulh", "same"), (0, 0b1101): ("sqrdmulh", "same"),
    (1, 0b1101): ("sqrdmlah", "same"), (1, 0b1111): ("sqrdmlsh", "same"),
    (0, 0b1010): ("smull", "long"), (1, 0b1010): ("umull", "long"),
    (0, 0b0010): ("smlal", "long"), (1, 0b0010): ("umlal", "long"),
    (0, 0b0110): ("smlsl", "long"), (1, 0b0110): ("umlsl", "long"),
    (0, 0b1011): ("sqdmull", "long"), (0, 0b0011): ("sqdmlal", "long"),
    (0, 0b0111): ("sqdmlsl", "long"),
    (0, 0b1110): ("sdot", "dot"), (1, 0b1110): ("udot", "dot"),
}
SCALAR_OPS = ("sqdmulh", "sqrdmulh", "sqrdmlah", "sqrdmlsh", "sqdmull", "sqdmlal", "sqdmlsl")
# (U, opcode) -> (what, sizes it is allocated for) of the forms not modelled
FP_OPS = {
    (0, 0b0001): ("FMLA", (0, 2, 3)), (0, 0b0101): ("FMLS", (0, 2, 3)),
    (0, 0b1001): ("FMUL", (0, 2, 3)), (1, 0b1001): ("FMULX", (0, 2, 3)),
    (0, 0b0000): ("FMLAL", (2,)), (0, 0b0100): ("FMLSL", (2,)),
    (1, 0b1000): ("FMLAL2", (2,)), (1, 0b1100): ("FMLSL2", (2,)),
    (1, 0b0001): ("FCMLA", (1, 2)), (1, 0b0011): ("FCMLA", (1, 2)),
    (1, 0b0101): ("FCMLA", (1, 2)), (1, 0b0111): ("FCMLA", (1, 2)),
    (0, 0b1111): ("SUDOT/BFDOT/USDOT/BFMLAL", (0, 1, 2, 3)),
}
SCALAR_FP = {(0, 0b0001), (0, 0b0101), (0, 0b1001), (1, 0b1001)}
SUFFIX = {8: "b", 16: "h", 32: "s", 64: "d"}


def _accumulate_high(name: str, a: BV, b: BV, acc: BV) -> BV:
    """SQRDMLAH/SQRDMLSH: SignedSatQ(((acc << N) +/- 2*a*b + round_const) >> N, N)."""
    e = a.width
    w = 2 * e + 3
    product = SignExtend(a, w) * SignExtend(b, w)
    shifted_acc = LSL(SignExtend(acc, w), e)
    total = shifted_acc - product - product if name == "sqrdmlsh" else \
        shifted_acc + product + product
    total = total + Const(1 << (e - 1), w)
    return SignedSatQ(SignExtend(extract(total, w - 1, e), w), e)


def same_lane(name: str, a: BV, b: BV, acc: BV) -> BV:
    if name == "mul":
        return a * b
    if name == "mla":
        return acc + a * b
    if name == "mls":
        return acc - a * b
    if name in ("sqdmulh", "sqrdmulh"):
        return DoublingMulHigh(a, b, rounding=name == "sqrdmulh")
    return _accumulate_high(name, a, b, acc)


def long_lane(name: str, a: BV, b: BV, acc: BV) -> BV:
    e = a.width
    if name.startswith("sq"):
        product = DoublingProduct(a, b)
        if name == "sqdmull":
            return product
        w = 2 * e + 2
        if name == "sqdmlal":
            return SignedSatQ(SignExtend(acc, w) + SignExtend(product, w), 2 * e)
        return SignedSatQ(SignExtend(acc, w) - SignExtend(product, w), 2 * e)
    unsigned = name[0] == "u"
    product = Extend(a, 2 * e, unsigned) * Extend(b, 2 * e, unsigned)
    if name.endswith("mull"):
        return product
    return acc + product if name.endswith("mlal") else acc - product


@dataclass(frozen=True, slots=True)
class SimdIndexedElement:
    d: int
    n: int
    m: int
    index: int
    esize: int          # the source element size (8 for SDOT/UDOT)
    datasize: int       # 64 or 128 for vectors; esize for the scalar forms
    part: int           # 1: the "2" variant (upper half of Vn)
    name: str
    kind: str
    scalar: bool

    def execute(self, s):
        e, name = self.esize, self.name
        if self.kind == "dot":
            group = Elements(Elem(s.V(self.m), self.index, 32), 8)
            ext = (lambda x: ZeroExtend(x, 32)) if name == "udot" else \
                (lambda x: SignExtend(x, 32))
            ops1 = Elements(s.V(self.n, self.datasize), 8)
            lanes = []
            for i, acc in enumerate(Elements(s.V(self.d, self.datasize), 32)):
                lanes.append(add(acc, *[ext(ops1[4 * i + k]) * ext(group[k])
                                        for k in range(4)]))
            s.set_V(self.d, Vector(lanes, 32))
            return
        element2 = Elem(s.V(self.m), self.index, e)
        if self.kind == "same":
            ops1 = Elements(s.V(self.n, self.datasize), e)
            accs = Elements(s.V(self.d, self.datasize), e)
            lanes = [same_lane(name, a, element2, c) for a, c in zip(ops1, accs)]
            s.set_V(self.d, Vector(lanes, e))
            return
        # long: ASL operand1 = Vpart[n, part] (the scalar forms: V[n, esize])
        lo = 64 * self.part
        ops1 = Elements(extract(s.V(self.n), lo + self.datasize - 1, lo), e)
        accs = Elements(s.V(self.d, 2 * self.datasize), 2 * e)
        lanes = [long_lane(name, a, element2, c) for a, c in zip(ops1, accs)]
        s.set_V(self.d, Vector(lanes, 2 * e))

    def disasm(self, pc: int = 0) -> str:
        e = self.esize
        if self.kind == "dot":
            return (f"{self.name} v{self.d}.{arrangement(32, self.datasize)}, "
                    f"v{self.n}.{arrangement(8, self.datasize)}, v{self.m}.4b[{self.index}]")
        elem = f"v{self.m}.{SUFFIX[e]}[{self.index}]"
        wide = 2 * e if self.kind == "long" else e
        if self.scalar:
            return f"{self.name} {SUFFIX[wide]}{self.d}, {SUFFIX[e]}{self.n}, {elem}"
        if self.kind == "long":
            name = self.name + ("2" if self.part else "")
            return (f"{name} v{self.d}.{arrangement(wide, 128)}, "
                    f"v{self.n}.{arrangement(e, 64 * (self.part + 1))}, {elem}")
        t = arrangement(e, self.datasize)
        return f"{self.name} v{self.d}.{t}, v{self.n}.{t}, {elem}"


def _operand_index(size: int, L: int, M: int, H: int, Rm: int) -> tuple[int, int]:
    """(m, index) of the integer forms: ASL ``case size of`` in the decode."""
    if size == 1:
        return Rm, (H << 2) | (L << 1) | M
    return (M << 4) | Rm, (H << 1) | L


def _not_modelled(key, size: int) -> None:
    what, sizes = FP_OPS[key]
    if size not in sizes:
        raise Unallocated(f"{what} (by element): size={size:02b} is reserved")
    raise Unimplemented(f"{what} (by element): floating-point/BFloat16/mixed-sign "
                        f"forms are not modelled")


@encoding("0 Q:1 U:1 01111 size:2 L:1 M:1 Rm:4 opcode:4 H:1 0 Rn:5 Rd:5")
def decode_simd_indexed_element(Q, U, size, L, M, Rm, opcode, H, Rn, Rd):
    key = (U, opcode)
    if key in FP_OPS:
        _not_modelled(key, size)
    entry = INT_OPS.get(key)
    if entry is None:
        raise Unallocated("unallocated Advanced SIMD vector x indexed element opcode")
    name, kind = entry
    if kind == "dot":
        if size != 2:
            raise Unallocated(f"{name} (by element): size must be 10")
        return SimdIndexedElement(d=Rd, n=Rn, m=(M << 4) | Rm, index=(H << 1) | L, esize=8,
                                  datasize=64 << Q, part=0, name=name, kind=kind,
                                  scalar=False)
    if size not in (1, 2):
        raise Unallocated(f"{name} (by element): size={size:02b} is reserved")
    m, index = _operand_index(size, L, M, H, Rm)
    datasize = 64 if kind == "long" else 64 << Q
    return SimdIndexedElement(d=Rd, n=Rn, m=m, index=index, esize=8 << size,
                              datasize=datasize, part=Q if kind == "long" else 0,
                              name=name, kind=kind, scalar=False)


@encoding("01 U:1 11111 size:2 L:1 M:1 Rm:4 opcode:4 H:1 0 Rn:5 Rd:5")
def decode_simd_scalar_indexed_element(U, size, L, M, Rm, opcode, H, Rn, Rd):
    key = (U, opcode)
    if key in SCALAR_FP:
        _not_modelled(key, size)
    entry = INT_OPS.get(key)
    if entry is None or entry[0] not in SCALAR_OPS:
        raise Unallocated("unallocated Advanced SIMD scalar x indexed element opcode")
    name, kind = entry
    if size not in (1, 2):
        raise Unallocated(f"{name} (scalar, by element): size={size:02b} is reserved")
    m, index = _operand_index(size, L, M, H, Rm)
    esize = 8 << size
    return SimdIndexedElement(d=Rd, n=Rn, m=m, index=index, esize=esize, datasize=esize,
                              part=0, name=name, kind=kind, scalar=True)
