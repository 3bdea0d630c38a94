"""The ASL-like vocabulary instruction semantics are written in.

Names follow the Arm ARM pseudocode (``ZeroExtend``, ``ROR``, ``Elem``...) so
``isa_specs`` reads side by side with it.  Shift amounts and sizes are Python
ints (decode-time values); data are ``BV`` terms.
"""
from __future__ import annotations

from lnsym.terms.bv import (
    BV,
    FALSE,
    TRUE,
    add,
    and_,
    ashr,
    clmul,
    concat,
    const,
    eq,
    extract,
    ite,
    lookup,
    lshr,
    ne,
    not_,
    or_,
    rotr,
    shl,
    sign_extend,
    sle,
    slt,
    ule,
    ult,
    xor,
    zero_extend,
)

__all__ = [
    "BV", "TRUE", "FALSE", "Zeros", "Ones", "Const", "Concat", "Slice", "ZeroExtend", "SignExtend",
    "Replicate", "ROR", "ROL", "LSL", "LSR", "ASR", "ite", "IsZero", "IsZeroBit", "Elem",
    "SetElem", "Bit", "EQ", "NE", "ULT", "ULE", "SLT", "SLE", "NOT", "AND", "OR", "EOR",
    "Lookup", "PolynomialMult", "Vector", "add",
]


def Zeros(n: int) -> BV:
    return const(0, n)


def Ones(n: int) -> BV:
    return const(-1, n)


def Const(value: int, n: int) -> BV:
    return const(value, n)


def Concat(*parts: BV) -> BV:
    """ASL ``a:b:c`` -- most significant part first."""
    return concat(*parts)


def Slice(x: BV, hi: int, lo: int) -> BV:
    """ASL ``x<hi:lo>``."""
    return extract(x, hi, lo)


def Bit(x: BV, i: int) -> BV:
    return extract(x, i, i)


def ZeroExtend(x: BV, n: int) -> BV:
    return zero_extend(x, n)


def SignExtend(x: BV, n: int) -> BV:
    return sign_extend(x, n)


def Replicate(x: BV, times: int) -> BV:
    return concat(*([x] * times))


def ROR(x: BV, k: int) -> BV:
    return rotr(x, k)


def ROL(x: BV, k: int) -> BV:
    return rotr(x, -k % x.width)


def LSL(x: BV, k: int) -> BV:
    return shl(x, k)


def LSR(x: BV, k: int) -> BV:
    return lshr(x, k)


def ASR(x: BV, k: int) -> BV:
    return ashr(x, k)


def IsZeroBit(x: BV) -> BV:
    """1 if x is all zeros (a 1-bit term)."""
    return eq(x, const(0, x.width))


IsZero = IsZeroBit
EQ, NE, ULT, ULE, SLT, SLE = eq, ne, ult, ule, slt, sle
NOT, AND, OR, EOR = not_, and_, or_, xor
Lookup = lookup
PolynomialMult = clmul


def Elem(vector: BV, e: int, size: int) -> BV:
    """ASL ``Elem[vector, e, size]``: element e of ``size`` bits."""
    return extract(vector, (e + 1) * size - 1, e * size)


def SetElem(vector: BV, e: int, size: int, value: BV) -> BV:
    """The vector with element e replaced (ASL ``Elem[vector, e, size] = value``)."""
    lo, hi = e * size, (e + 1) * size - 1
    parts = []
    if hi < vector.width - 1:
        parts.append(extract(vector, vector.width - 1, hi + 1))
    parts.append(value)
    if lo > 0:
        parts.append(extract(vector, lo - 1, 0))
    return concat(*parts)


def Vector(elements: list, size: int) -> BV:
    """A vector from its elements, element 0 first (the least significant)."""
    for x in elements:
        if x.width != size:
            raise ValueError(f"element of width {x.width} in a vector of {size}-bit elements")
    return concat(*reversed(elements))
