"""Advanced SIMD three same (integer): vector forms.

Mnemonics: ADD, SUB, MUL, MLA, MLS, PMUL, AND, BIC, ORR (alias MOV when Rn == Rm),
ORN, EOR, BSL, BIT, BIF, CMEQ, CMGE, CMGT, CMHI, CMHS, CMTST, SHADD, UHADD, SRHADD,
URHADD, SHSUB, UHSUB, SQADD, UQADD, SQSUB, UQSUB, SSHL, USHL, SRSHL, URSHL, SQSHL,
UQSHL, SQRSHL, UQRSHL, SMAX, UMAX, SMIN, UMIN, SMAXP, UMAXP, SMINP, UMINP, ADDP,
SABD, UABD, SABA, UABA, SQDMULH, SQRDMULH.  The floating-point forms of this class
(opcode 11xxx) raise Unimplemented.

ASL: aarch64/instrs/vector/arithmetic/binary/uniform/{add-sub/*, mul-int/*, logical/*,
cmp/*, shift/*, max-min/*, diff}, aarch64/instrs/vector/arithmetic/binary/uniform/
mul-int/doubling, aarch64/instrs/vector/reduce/add-pairwise (ADDP vector).

FPSR.QC is not modelled: saturating forms compute the saturated result only.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.vector import (
    AbsDiff,
    BitMask,
    Compare,
    DoublingMulHigh,
    Elements,
    HalvingAdd,
    HalvingSub,
    MapLanes,
    Max,
    Min,
    PolynomialMult8,
    SatAdd,
    SatSub,
    ShiftReg,
    Vector,
    arrangement,
)
from lnsym.terms.bv import extract

ALL, NO64, HS, B = "all", "no64", "hs", "b"


def _cmp(op, unsigned):
    return lambda a, b: BitMask(Compare(a, b, op, unsigned), a.width)


def _shift(unsigned, rounding, saturating):
    return lambda a, b: ShiftReg(a, extract(b, 7, 0), unsigned, rounding, saturating)


# (U, opcode) -> (mnemonic, lane function, allowed sizes, kind)
INTEGER_OPS = {
    (0, 0b00000): ("shadd", lambda a, b: HalvingAdd(a, b, False), NO64, "lane"),
    (1, 0b00000): ("uhadd", lambda a, b: HalvingAdd(a, b, True), NO64, "lane"),
    (0, 0b00001): ("sqadd", lambda a, b: SatAdd(a, b, False), ALL, "lane"),
    (1, 0b00001): ("uqadd", lambda a, b: SatAdd(a, b, True), ALL, "lane"),
    (0, 0b00010): ("srhadd", lambda a, b: HalvingAdd(a, b, False, True), NO64, "lane"),
    (1, 0b00010): ("urhadd", lambda a, b: HalvingAdd(a, b, True, True), NO64, "lane"),
    (0, 0b00100): ("shsub", lambda a, b: HalvingSub(a, b, False), NO64, "lane"),
    (1, 0b00100): ("uhsub", lambda a, b: HalvingSub(a, b, True), NO64, "lane"),
    (0, 0b00101): ("sqsub", lambda a, b: SatSub(a, b, False), ALL, "lane"),
    (1, 0b00101): ("uqsub", lambda a, b: SatSub(a, b, True), ALL, "lane"),
    (0, 0b00110): ("cmgt", _cmp("gt", False), ALL, "lane"),
    (1, 0b00110): ("cmhi", _cmp("gt", True), ALL, "lane"),
    (0, 0b00111): ("cmge", _cmp("ge", False), ALL, "lane"),
    (1, 0b00111): ("cmhs", _cmp("ge", True), ALL, "lane"),
    (0, 0b01000): ("sshl", _shift(False, False, False), ALL, "lane"),
    (1, 0b01000): ("ushl", _shift(True, False, False), ALL, "lane"),
    (0, 0b01001): ("sqshl", _shift(False, False, True), ALL, "lane"),
    (1, 0b01001): ("uqshl", _shift(True, False, True), ALL, "lane"),
    (0, 0b01010): ("srshl", _shift(False, True, False), ALL, "lane"),
    (1, 0b01010): ("urshl", _shift(True, True, False), ALL, "lane"),
    (0, 0b01011): ("sqrshl", _shift(False, True, True), ALL, "lane"),
    (1, 0b01011): ("uqrshl", _shift(True, True, True), ALL, "lane"),
    (0, 0b01100): ("smax", lambda a, b: Max(a, b, False), NO64, "lane"),
    (1, 0b01100): ("umax", lambda a, b: Max(a, b, True), NO64, "lane"),
    (0, 0b01101): ("smin", lambda a, b: Min(a, b, False), NO64, "lane"),
    (1, 0b01101): ("umin", lambda a, b: Min(a, b, True), NO64, "lane"),
    (0, 0b01110): ("sabd", lambda a, b: AbsDiff(a, b, False), NO64, "lane"),
    (1, 0b01110): ("uabd", lambda a, b: AbsDiff(a, b, True), NO64, "lane"),
    (0, 0b01111): ("saba", lambda a, b: AbsDiff(a, b, False), NO64, "acc"),
    (1, 0b01111): ("uaba", lambda a, b: AbsDiff(a, b, True), NO64, "acc"),
    (0, 0b10000): ("add", lambda a, b: a + b, ALL, "lane"),
    (1, 0b10000): ("sub", lambda a, b: a - b, ALL, "lane"),
    (0, 0b10001): ("cmtst", _cmp("tst", False), ALL, "lane"),
    (1, 0b10001): ("cmeq", _cmp("eq", False), ALL, "lane"),
    (0, 0b10010): ("mla", lambda a, b: a * b, NO64, "acc"),
    (1, 0b10010): ("mls", lambda a, b: a * b, NO64, "sub"),
    (0, 0b10011): ("mul", lambda a, b: a * b, NO64, "lane"),
    (1, 0b10011): ("pmul", lambda a, b: extract(PolynomialMult8(a, b), 7, 0), B, "lane"),
    (0, 0b10100): ("smaxp", lambda a, b: Max(a, b, False), NO64, "pair"),
    (1, 0b10100): ("umaxp", lambda a, b: Max(a, b, True), NO64, "pair"),
    (0, 0b10101): ("sminp", lambda a, b: Min(a, b, False), NO64, "pair"),
    (1, 0b10101): ("uminp", lambda a, b: Min(a, b, True), NO64, "pair"),
    (0, 0b10110): ("sqdmulh", lambda a, b: DoublingMulHigh(a, b, False), HS, "lane"),
    (1, 0b10110): ("sqrdmulh", lambda a, b: DoublingMulHigh(a, b, True), HS, "lane"),
    (0, 0b10111): ("addp", lambda a, b: a + b, ALL, "pair"),
}

LOGICAL = {(0, 0): "and", (0, 1): "bic", (0, 2): "orr", (0, 3): "orn",
           (1, 0): "eor", (1, 1): "bsl", (1, 2): "bit", (1, 3): "bif"}


def check_size(sizes: str, size: int, Q: int, what: str) -> None:
    """Raise Unallocated for the size/Q combinations the Arm ARM reserves."""
    if sizes == ALL and size == 3 and Q == 0:
        raise Unallocated(f"{what}: size=11 with Q=0 is reserved")
    if sizes == NO64 and size == 3:
        raise Unallocated(f"{what}: size=11 is reserved")
    if sizes == HS and size in (0, 3):
        raise Unallocated(f"{what}: size must be 01 or 10")
    if sizes == B and size != 0:
        raise Unallocated(f"{what}: size must be 00")


@dataclass(frozen=True, slots=True)
class SimdThreeSame:
    d: int
    n: int
    m: int
    esize: int
    datasize: int
    U: int
    opcode: int

    @property
    def mnemonic(self) -> str:
        return INTEGER_OPS[self.U, self.opcode][0]

    def execute(self, s):
        _, fn, _, kind = INTEGER_OPS[self.U, self.opcode]
        e = self.esize
        operand1 = s.V(self.n, self.datasize)
        operand2 = s.V(self.m, self.datasize)
        if kind == "pair":
            # ASL: concat = operand2:operand1; element[e] = op(Elem[concat, 2e], Elem[concat, 2e+1])
            lanes = Elements(operand1, e) + Elements(operand2, e)
            result = Vector([fn(lanes[2 * i], lanes[2 * i + 1])
                             for i in range(len(lanes) // 2)], e)
        else:
            result = MapLanes(fn, e, operand1, operand2)
            if kind in ("acc", "sub"):
                acc = s.V(self.d, self.datasize)
                combine = (lambda x, y: x - y) if kind == "sub" else (lambda x, y: x + y)
                result = MapLanes(combine, e, acc, result)
        s.set_V(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        t = arrangement(self.esize, self.datasize)
        return f"{self.mnemonic} v{self.d}.{t}, v{self.n}.{t}, v{self.m}.{t}"


@dataclass(frozen=True, slots=True)
class SimdLogical:
    """AND/BIC/ORR/ORN/EOR/BSL/BIT/BIF (vector): the whole register at once."""
    d: int
    n: int
    m: int
    datasize: int
    op: str

    def execute(self, s):
        w = self.datasize
        operand1 = s.V(self.n, w)
        operand2 = s.V(self.m, w)
        op = self.op
        if op == "and":
            result = operand1 & operand2
        elif op == "bic":
            result = operand1 & ~operand2
        elif op == "orr":
            result = operand1 | operand2
        elif op == "orn":
            result = operand1 | ~operand2
        elif op == "eor":
            result = operand1 ^ operand2
        else:
            # ASL (vector/logical/bsl-eor): result = operand1 EOR ((operand1 EOR operand2) AND operand4)
            dst = s.V(self.d, w)
            if op == "bsl":          # operand1 = Vm, operand2 = Vn, select with Vd
                a, b, sel = operand2, operand1, dst
            elif op == "bit":        # insert Vn where Vm is 1
                a, b, sel = dst, operand1, operand2
            else:                    # bif: insert Vn where Vm is 0
                a, b, sel = dst, operand1, ~operand2
            result = a ^ ((a ^ b) & sel)
        s.set_V(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        t = "16b" if self.datasize == 128 else "8b"
        if self.op == "orr" and self.n == self.m:
            return f"mov v{self.d}.{t}, v{self.n}.{t}"
        return f"{self.op} v{self.d}.{t}, v{self.n}.{t}, v{self.m}.{t}"


@encoding("0 Q:1 U:1 01110 size:2 1 Rm:5 opcode:5 1 Rn:5 Rd:5")
def decode_simd_three_same(Q, U, size, Rm, opcode, Rn, Rd):
    datasize = 128 if Q else 64
    if opcode == 0b00011:
        return SimdLogical(d=Rd, n=Rn, m=Rm, datasize=datasize, op=LOGICAL[U, size])
    if opcode >= 0b11000:
        raise Unimplemented("floating-point arithmetic is out of scope")
    entry = INTEGER_OPS.get((U, opcode))
    if entry is None:
        raise Unallocated("unallocated Advanced SIMD three-same opcode")
    check_size(entry[2], size, Q, entry[0])
    return SimdThreeSame(d=Rd, n=Rn, m=Rm, esize=8 << size, datasize=datasize, U=U,
                         opcode=opcode)
