"""Advanced SIMD two-register miscellaneous (integer): vector forms.

Mnemonics: REV16, REV32, REV64, CNT, CLS, CLZ, NOT (printed MVN), RBIT, ABS, NEG, SQABS,
SQNEG, CMGT/CMGE/CMEQ/CMLE/CMLT (zero), XTN, XTN2, SQXTN(2), UQXTN(2), SQXTUN(2),
SHLL(2), SADDLP, UADDLP, SADALP, UADALP, SUQADD, USQADD.  Floating-point forms and
URECPE/URSQRTE raise Unimplemented.

ASL: aarch64/instrs/vector/arithmetic/unary/{rev, cnt, clsz, not, rbit, add-saturating/*,
diffneg-int, diffneg-sat, cmp/int/lessthan, cmp/int/bulk, extract-nosat, extract-sat/*,
shift}, aarch64/instrs/vector/arithmetic/binary/uniform/add-pairwise/long (xADDLP, xADALP).

FPSR.QC is not modelled: saturating forms compute the saturated result only.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.vector import (
    Abs,
    BitCount,
    BitMask,
    BitReverse,
    Compare,
    CountLeadingSignBits,
    CountLeadingZeroBits,
    Elements,
    Extend,
    SatQ,
    Vector,
    arrangement,
)
from lnsym.machine.asl import Concat, SignExtend, ZeroExtend, Zeros
from lnsym.terms.bv import extract, neg

ALL, NO64, NOD, B, BH = "all", "no64", "nod", "b", "bh"


def SatNeg(x):
    e = x.width
    return SatQ(neg(SignExtend(x, e + 2)), e, False)


def SatAbs(x):
    e = x.width
    return SatQ(Abs(SignExtend(x, e + 2)), e, False)


def CmpZero(op):
    def fn(x):
        z = Zeros(x.width)
        if op == "le":
            c = Compare(z, x, "ge")
        elif op == "lt":
            c = Compare(z, x, "gt")
        else:
            c = Compare(x, z, op)
        return BitMask(c, x.width)
    return fn


def SatAccumulate(acc, x, unsigned_result):
    """SUQADD (signed acc + unsigned x, signed saturation) / USQADD (the converse)."""
    e = x.width
    w = e + 2
    total = Extend(acc, w, unsigned_result) + Extend(x, w, not unsigned_result)
    return SatQ(total, e, unsigned_result)


# (U, opcode) -> (mnemonic, kind, allowed sizes, lane function)
OPS = {
    (0, 0x00): ("rev64", "rev", NOD, 64), (1, 0x00): ("rev32", "rev", BH, 32),
    (0, 0x01): ("rev16", "rev", B, 16),
    (0, 0x02): ("saddlp", "pairlong", NOD, False), (1, 0x02): ("uaddlp", "pairlong", NOD, True),
    (0, 0x03): ("suqadd", "acc", ALL, False), (1, 0x03): ("usqadd", "acc", ALL, True),
    (0, 0x04): ("cls", "lane", NOD, CountLeadingSignBits),
    (1, 0x04): ("clz", "lane", NOD, CountLeadingZeroBits),
    (0, 0x05): ("cnt", "lane", B, BitCount),
    (0, 0x06): ("sadalp", "pairacc", NOD, False), (1, 0x06): ("uadalp", "pairacc", NOD, True),
    (0, 0x07): ("sqabs", "lane", ALL, SatAbs), (1, 0x07): ("sqneg", "lane", ALL, SatNeg),
    (0, 0x08): ("cmgt", "cmp0", ALL, CmpZero("gt")), (1, 0x08): ("cmge", "cmp0", ALL, CmpZero("ge")),
    (0, 0x09): ("cmeq", "cmp0", ALL, CmpZero("eq")), (1, 0x09): ("cmle", "cmp0", ALL, CmpZero("le")),
    (0, 0x0A): ("cmlt", "cmp0", ALL, CmpZero("lt")),
    (0, 0x0B): ("abs", "lane", ALL, Abs), (1, 0x0B): ("neg", "lane", ALL, neg),
    (0, 0x12): ("xtn", "narrow", NOD, None), (1, 0x12): ("sqxtun", "narrow", NOD, None),
    (1, 0x13): ("shll", "shll", NOD, None),
    (0, 0x14): ("sqxtn", "narrow", NOD, None), (1, 0x14): ("uqxtn", "narrow", NOD, None),
}


def narrow(mnemonic: str, x, e: int):
    """One narrowed element of XTN / SQXTN / UQXTN / SQXTUN (x has 2e bits)."""
    if mnemonic == "xtn":
        return extract(x, e - 1, 0)
    w = 2 * e + 2
    if mnemonic == "uqxtn":
        return SatQ(ZeroExtend(x, w), e, True)
    return SatQ(SignExtend(x, w), e, mnemonic == "sqxtun")


@dataclass(frozen=True, slots=True)
class SimdTwoRegMisc:
    d: int
    n: int
    esize: int
    datasize: int
    U: int
    opcode: int

    def execute(self, s):
        name, kind, _, arg = OPS[self.U, self.opcode]
        e, w = self.esize, self.datasize
        if kind in ("narrow", "shll"):
            part = int(w == 128)
            if kind == "shll":       # ASL: Elem[result, e, 2*esize] = operand<e> << esize
                src = Elements(extract(s.V(self.n), 64 * part + 63, 64 * part), e)
                s.set_V(self.d, Vector([Concat(x, Zeros(e)) for x in src], 2 * e))
                return
            result = Vector([narrow(name, x, e) for x in Elements(s.V(self.n), 2 * e)], e)
            if part:                 # Vpart[d, 1] = result: the low half is kept
                result = Concat(result, s.V(self.d, 64))
            s.set_V(self.d, result)
            return
        x = s.V(self.n, w)
        if kind == "rev":            # reverse the elements inside each container
            c = arg
            lanes = []
            for k in range(w // c):
                lanes += reversed(Elements(extract(x, (k + 1) * c - 1, k * c), e))
            result = Vector(lanes, e)
        elif kind in ("pairlong", "pairacc"):
            lanes = Elements(x, e)
            sums = [Extend(lanes[2 * i], 2 * e, arg) + Extend(lanes[2 * i + 1], 2 * e, arg)
                    for i in range(len(lanes) // 2)]
            if kind == "pairacc":
                sums = [a + b for a, b in zip(Elements(s.V(self.d, w), 2 * e), sums)]
            result = Vector(sums, 2 * e)
        elif kind == "acc":
            result = Vector([SatAccumulate(a, b, arg) for a, b in
                             zip(Elements(s.V(self.d, w), e), Elements(x, e))], e)
        else:
            result = Vector([arg(b) for b in Elements(x, e)], e)
        s.set_V(self.d, result)

    @property
    def name(self) -> str:
        return OPS[self.U, self.opcode][0]

    def disasm(self, pc: int = 0) -> str:
        name, kind, _, _ = OPS[self.U, self.opcode]
        e, w = self.esize, self.datasize
        t = arrangement(e, w)
        if kind in ("pairlong", "pairacc"):
            return f"{name} v{self.d}.{arrangement(2 * e, w)}, v{self.n}.{t}"
        if kind == "narrow":
            return f"{name}{'2' if w == 128 else ''} v{self.d}.{t}, v{self.n}.{arrangement(2 * e, 128)}"
        if kind == "shll":
            return (f"shll{'2' if w == 128 else ''} v{self.d}.{arrangement(2 * e, 128)}, "
                    f"v{self.n}.{t}, #{e}")
        if kind == "cmp0":
            return f"{name} v{self.d}.{t}, v{self.n}.{t}, #0"
        return f"{name} v{self.d}.{t}, v{self.n}.{t}"


@dataclass(frozen=True, slots=True)
class SimdNotRbit:
    """NOT (printed MVN) and RBIT (vector): byte-wise, size selects the operation."""
    d: int
    n: int
    datasize: int
    name: str

    def execute(self, s):
        x = s.V(self.n, self.datasize)
        if self.name == "mvn":
            s.set_V(self.d, ~x)
        else:
            s.set_V(self.d, Vector([BitReverse(b) for b in Elements(x, 8)], 8))

    def disasm(self, pc: int = 0) -> str:
        t = arrangement(8, self.datasize)
        return f"{self.name} v{self.d}.{t}, v{self.n}.{t}"


def check_misc_size(sizes: str, size: int, Q: int, what: str) -> None:
    if sizes == ALL and size == 3 and Q == 0:
        raise Unallocated(f"{what}: size=11 with Q=0 is reserved")
    if (sizes == NOD and size == 3) or (sizes == BH and size > 1) or (sizes == B and size):
        raise Unallocated(f"{what}: reserved size")


@encoding("0 Q:1 U:1 01110 size:2 10000 opcode:5 10 Rn:5 Rd:5")
def decode_simd_two_reg_misc(Q, U, size, opcode, Rn, Rd):
    datasize = 128 if Q else 64
    if U == 1 and opcode == 0x05:
        if size > 1:
            raise Unallocated("NOT/RBIT: size must be 00 or 01")
        return SimdNotRbit(d=Rd, n=Rn, datasize=datasize, name="rbit" if size else "mvn")
    entry = OPS.get((U, opcode))
    if entry is None:
        if opcode >= 0x0C:
            raise Unimplemented("floating-point arithmetic is out of scope "
                                "(or an unmodelled estimate instruction)")
        raise Unallocated("unallocated Advanced SIMD two-register misc opcode")
    check_misc_size(entry[2], size, Q, entry[0])
    return SimdTwoRegMisc(d=Rd, n=Rn, esize=8 << size, datasize=datasize, U=U, opcode=opcode)
