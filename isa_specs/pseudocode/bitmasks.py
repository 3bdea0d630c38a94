"""Bit-mask helpers (Arm ARM J1: aarch64/instrs/integer/bitmasks, shared/functions/common).

``DecodeBitMasks`` and ``HighestSetBit`` work on decode-time integers, as in the
ASL, where every argument comes from the instruction word.  ``MaskedMerge``
is the ASL idiom ``(a AND NOT(m)) OR (b AND m)`` for a constant mask ``m``,
built run by run from slices so the term stays structural (an LSR is a
concatenation of zeros and a slice, not an AND with a constant).
"""
from __future__ import annotations

from isa_specs.errors import Unallocated
from lnsym.machine.asl import BV, Concat, Slice, Zeros


def HighestSetBit(x: int, width: int) -> int:
    """Index of the most significant 1 in the ``width``-bit value x, or -1 if none."""
    x &= (1 << width) - 1
    return x.bit_length() - 1


def Ones(n: int) -> int:
    return (1 << n) - 1


def ROR_int(x: int, shift: int, width: int) -> int:
    shift %= width
    x &= Ones(width)
    return ((x >> shift) | (x << (width - shift))) & Ones(width)


def Replicate_int(x: int, esize: int, datasize: int) -> int:
    out = 0
    for i in range(datasize // esize):
        out |= x << (i * esize)
    return out


def DecodeBitMasks(immN: int, imms: int, immr: int, immediate: bool,
                   datasize: int) -> tuple[int, int]:
    """(wmask, tmask) as ints, or raise Unallocated where the ASL is UNDEFINED."""
    # Compute log2 of element size; 2^len must be in range [2, M]
    length = HighestSetBit((immN << 6) | (~imms & 0x3F), 7)
    if length < 1:
        raise Unallocated("DecodeBitMasks: reserved element size")
    esize = 1 << length
    if esize > datasize:
        raise Unallocated("DecodeBitMasks: element larger than the register")
    levels = Ones(length)
    # For logical immediates an all-ones value of S is reserved
    if immediate and (imms & levels) == levels:
        raise Unallocated("DecodeBitMasks: all-ones element is reserved")
    S = imms & levels
    R = immr & levels
    d = (S - R) & levels
    welem = Ones(S + 1)
    telem = Ones(d + 1)
    wmask = Replicate_int(ROR_int(welem, R, esize), esize, datasize)
    tmask = Replicate_int(telem, esize, datasize)
    return wmask, tmask


def MaskedMerge(a: BV, b: BV, m: int) -> BV:
    """``(a AND NOT(m)) OR (b AND m)`` for a constant m: b's bits where m is 1, else a's."""
    w = a.width
    parts = []
    pos = w - 1
    while pos >= 0:
        bit = (m >> pos) & 1
        lo = pos
        while lo > 0 and (m >> (lo - 1)) & 1 == bit:
            lo -= 1
        parts.append(Slice(b if bit else a, pos, lo))
        pos = lo - 1
    return Concat(*parts)


def MaskBits(x: BV, m: int) -> BV:
    """``x AND m`` for a constant m, built from slices and zeros."""
    return MaskedMerge(Zeros(x.width), x, m)
