"""Advanced SIMD lane helpers (Arm ARM J1: shared/functions/vector, shared/functions/integer).

Elements are taken with ``Elem`` and put back with ``Vector``.  The ASL computes
most integer SIMD results at unbounded precision (``Int(x, unsigned)``) and then
truncates or saturates; here the same values come from a bit-vector wide enough
to hold them exactly (at least two bits wider than the operand), interpreted as
signed.  Functions take and return terms; sizes and shift amounts that are
decode-time values are Python ints.

FPSR.QC (the cumulative saturation flag) is not modelled: the saturating
helpers return only the saturated value (ASL ``(result, sat) = SatQ(...)``;
``if sat then FPSR.QC = '1'`` is not modelled).
"""
from __future__ import annotations

from lnsym.machine.asl import (
    BV,
    Concat,
    Const,
    Elem,
    Ones,
    SignExtend,
    Slice,
    Vector,
    ZeroExtend,
    Zeros,
    ite,
)
from lnsym.terms.bv import (
    add,
    ashr_var,
    clmul,
    clz,
    eq,
    extract,
    ne,
    neg,
    shl_var,
    slt,
    ule,
    ult,
)

__all__ = [
    "Elements", "Extend", "SignedSatQ", "UnsignedSatQ", "SatQ", "BitMask", "Abs", "Max",
    "Min", "AbsDiff", "HalvingAdd", "HalvingSub", "SatAdd", "SatSub", "ShiftReg",
    "ShiftRightWide", "DoublingMulHigh", "DoublingProduct", "PolynomialMult8", "BitCount", "CountLeadingZeroBits",
    "CountLeadingSignBits", "BitReverse", "Compare", "MapLanes", "Vector", "arrangement",
]


def Elements(x: BV, esize: int) -> list:
    """The elements of x, element 0 (least significant) first."""
    return [Elem(x, e, esize) for e in range(x.width // esize)]


def MapLanes(fn, esize: int, *vectors: BV) -> BV:
    """``Vector([fn(a_e, b_e, ...) ...])``: fn applied lane by lane."""
    lanes = [Elements(v, esize) for v in vectors]
    out = [fn(*xs) for xs in zip(*lanes)]
    return Vector(out, out[0].width)


def Extend(x: BV, n: int, unsigned: bool) -> BV:
    """ASL ``Extend(x, N, unsigned)``."""
    return ZeroExtend(x, n) if unsigned else SignExtend(x, n)


def SignedSatQ(i: BV, n: int) -> BV:
    """ASL ``SignedSatQ(i, N)``: i (a signed wide term) clamped to N-bit signed range."""
    w = i.width
    hi, lo = (1 << (n - 1)) - 1, -(1 << (n - 1))
    # ASL: the saturated flag sets FPSR.QC -- not modelled (FPSR.QC is not in the state)
    return ite(slt(Const(hi, w), i), Const(hi, n),
               ite(slt(i, Const(lo, w)), Const(lo, n), extract(i, n - 1, 0)))


def UnsignedSatQ(i: BV, n: int) -> BV:
    """ASL ``UnsignedSatQ(i, N)``: i (a signed wide term) clamped to [0, 2^N - 1]."""
    if i.width < n + 2:
        i = SignExtend(i, n + 2)
    w = i.width
    # ASL: the saturated flag sets FPSR.QC -- not modelled (FPSR.QC is not in the state)
    return ite(slt(i, Zeros(w)), Zeros(n),
               ite(slt(Const((1 << n) - 1, w), i), Ones(n), extract(i, n - 1, 0)))


def SatQ(i: BV, n: int, unsigned: bool) -> BV:
    """ASL ``SatQ(i, N, unsigned)`` (the saturation flag is not modelled)."""
    return UnsignedSatQ(i, n) if unsigned else SignedSatQ(i, n)


def BitMask(cond: BV, n: int) -> BV:
    """All ones when the 1-bit cond holds, else zeros (ASL ``if c then Ones() else Zeros()``)."""
    return SignExtend(cond, n)


def Compare(a: BV, b: BV, op: str, unsigned: bool = False) -> BV:
    """1-bit comparison: op one of eq, gt, ge, tst (ASL CompareOp)."""
    if op == "eq":
        return eq(a, b)
    if op == "tst":
        return ne(a & b, Zeros(a.width))
    if op == "gt":
        return ult(b, a) if unsigned else slt(b, a)
    if op == "ge":
        return ule(b, a) if unsigned else ~slt(a, b)
    raise ValueError(op)


def Abs(x: BV) -> BV:
    """|x| of a signed term, modulo 2^N."""
    return ite(Slice(x, x.width - 1, x.width - 1), neg(x), x)


def Max(a: BV, b: BV, unsigned: bool) -> BV:
    return ite(Compare(a, b, "ge", unsigned), a, b)


def Min(a: BV, b: BV, unsigned: bool) -> BV:
    return ite(Compare(a, b, "ge", unsigned), b, a)


def AbsDiff(a: BV, b: BV, unsigned: bool) -> BV:
    """ASL ``Abs(Int(a, u) - Int(b, u))``, truncated to the element size."""
    e = a.width
    diff = Extend(a, e + 1, unsigned) - Extend(b, e + 1, unsigned)
    return extract(Abs(diff), e - 1, 0)


def HalvingAdd(a: BV, b: BV, unsigned: bool, rounding: bool = False) -> BV:
    """ASL SHADD/URHADD: ``(Int(a) + Int(b) [+ 1]) >> 1`` (the sum fits in N+1 bits)."""
    e = a.width
    s = add(Extend(a, e + 1, unsigned), Extend(b, e + 1, unsigned), Const(int(rounding), e + 1))
    return extract(s, e, 1)


def HalvingSub(a: BV, b: BV, unsigned: bool) -> BV:
    """ASL SHSUB/UHSUB: ``(Int(a) - Int(b)) >> 1``."""
    e = a.width
    return extract(Extend(a, e + 1, unsigned) - Extend(b, e + 1, unsigned), e, 1)


def SatAdd(a: BV, b: BV, unsigned: bool) -> BV:
    e = a.width
    return SatQ(Extend(a, e + 2, unsigned) + Extend(b, e + 2, unsigned), e, unsigned)


def SatSub(a: BV, b: BV, unsigned: bool) -> BV:
    e = a.width
    return SatQ(Extend(a, e + 2, unsigned) - Extend(b, e + 2, unsigned), e, unsigned)


def ShiftReg(element: BV, shift_elem: BV, unsigned: bool, rounding: bool,
             saturating: bool) -> BV:
    """SSHL/USHL/SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL of one element (ASL
    aarch64/instrs/vector/arithmetic/binary/uniform/shift/...).

    ``shift = SInt(shift_elem<7:0>)``; a negative shift is a right shift, with
    ``round_const = 1 << (-shift - 1)`` added first when rounding.  Unbounded
    shift amounts are clamped to values with identical results: a left shift
    by more than N bits behaves as one by N (the element is 0 or overflows),
    a right shift by more than N+1 bits as one by N+1.
    """
    e = element.width
    w = 2 * e + 2
    sh = Slice(shift_elem, 7, 0)
    x = Extend(element, w, unsigned)
    # left: amount min(shift, e)
    left_amt = ite(slt(Const(e, 8), sh), Const(e, 8), sh)
    left = shl_var(x, ZeroExtend(left_amt, w))
    # right: amount min(-shift, e + 1) (computed in 9 bits: -(-128) = 128)
    r9 = neg(SignExtend(sh, 9))
    right_amt = ZeroExtend(ite(ult(Const(e + 1, 9), r9), Const(e + 1, 9), r9), w)
    if rounding:
        round_const = shl_var(Const(1, w), right_amt - Const(1, w))
        right = ashr_var(x + round_const, right_amt)
    else:
        right = ashr_var(x, right_amt)
    wide = ite(Slice(sh, 7, 7), right, left)
    if saturating:
        return SatQ(wide, e, unsigned)
    return extract(wide, e - 1, 0)


def ShiftRightWide(element: BV, shift: int, unsigned: bool, rounding: bool) -> BV:
    """``(Int(element, unsigned) + round_const) >> shift`` as an exact (N+2)-bit signed term
    (0 < shift <= N, a decode-time amount; ASL shift-by-immediate right shifts)."""
    e = element.width
    w = e + 2
    x = Extend(element, w, unsigned)
    if rounding:
        x = x + Const(1 << (shift - 1), w)
    return SignExtend(extract(x, w - 1, shift), w)


def DoublingMulHigh(a: BV, b: BV, rounding: bool) -> BV:
    """SQDMULH/SQRDMULH: ``SignedSatQ((2 * SInt(a) * SInt(b) + round_const) >> N, N)``."""
    e = a.width
    w = 2 * e + 2
    p = SignExtend(a, w) * SignExtend(b, w)
    p = p + p
    if rounding:
        p = p + Const(1 << (e - 1), w)
    return SignedSatQ(SignExtend(extract(p, w - 1, e), w), e)


def DoublingProduct(a: BV, b: BV) -> BV:
    """``SignedSatQ(2 * SInt(a) * SInt(b), 2N)`` (SQDMULL and friends)."""
    e = a.width
    w = 2 * e + 2
    p = SignExtend(a, w) * SignExtend(b, w)
    return SignedSatQ(p + p, 2 * e)


def PolynomialMult8(a: BV, b: BV) -> BV:
    """ASL ``PolynomialMult(op1, op2)``: carry-less product, twice as wide."""
    return clmul(a, b)


def BitCount(x: BV) -> BV:
    """ASL ``BitCount(x)`` as a term of x's width."""
    n = x.width
    return add(*[ZeroExtend(Slice(x, i, i), n) for i in range(n)])


def CountLeadingZeroBits(x: BV) -> BV:
    return clz(x)


def CountLeadingSignBits(x: BV) -> BV:
    """ASL ``CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>)``, as an N-bit term."""
    n = x.width
    return ZeroExtend(clz(Slice(x, n - 1, 1) ^ Slice(x, n - 2, 0)), n)


def BitReverse(x: BV) -> BV:
    """The bits of x in reverse order (RBIT of one element)."""
    return Concat(*[Slice(x, i, i) for i in range(x.width)])


def arrangement(esize: int, datasize: int) -> str:
    """Disassembly arrangement specifier: ``8b``, ``16b``, ``4s``, ``2d``, ``1q``..."""
    return f"{datasize // esize}{ {8: 'b', 16: 'h', 32: 's', 64: 'd', 128: 'q'}[esize]}"
