"""SHA helpers of the Arm ARM (shared/functions/crypto), with Arm's names:
SHAchoose, SHAmajority, SHAparity, SHAhashSIGMA0, SHAhashSIGMA1, SHA256hash,
and the SHA-1 rounds loop shared by SHA1C/SHA1P/SHA1M (written out inline in
each instruction's ASL; factored here as SHA1hash).

Additions are ``+`` on 32-bit terms (modulo 2^32, as ASL bits(32) arithmetic);
``<Y, X> = ROL(Y : X, 32)`` is written literally as a concatenation, a rotate
and two slices, which the term constructors turn into concat/extract.
"""
from __future__ import annotations

from lnsym.machine.asl import BV, ROL, ROR, Concat, Elem, SetElem, Slice


def SHAchoose(x: BV, y: BV, z: BV) -> BV:
    return ((y ^ z) & x) ^ z


def SHAmajority(x: BV, y: BV, z: BV) -> BV:
    return (x & y) | ((x | y) & z)


def SHAparity(x: BV, y: BV, z: BV) -> BV:
    return x ^ y ^ z


def SHAhashSIGMA0(x: BV) -> BV:
    return ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22)


def SHAhashSIGMA1(x: BV) -> BV:
    return ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25)


def _rol_pair(y: BV, x: BV):
    """ASL ``<Y, X> = ROL(Y : X, 32)``: returns the new (Y, X)."""
    yx = ROL(Concat(y, x), 32)
    return Slice(yx, yx.width - 1, x.width), Slice(yx, x.width - 1, 0)


def SHA256hash(x: BV, y: BV, w: BV, part1: bool) -> BV:
    """Four SHA-256 rounds.  X = {a, b, c, d} and Y = {e, f, g, h} (element 0 first),
    W = four message words already added to their round constants.  Returns the
    new {a, b, c, d} when ``part1`` (SHA256H), else the new {e, f, g, h} (SHA256H2)."""
    for e in range(4):
        chs = SHAchoose(Slice(y, 31, 0), Slice(y, 63, 32), Slice(y, 95, 64))
        maj = SHAmajority(Slice(x, 31, 0), Slice(x, 63, 32), Slice(x, 95, 64))
        t = Slice(y, 127, 96) + SHAhashSIGMA1(Slice(y, 31, 0)) + chs + Elem(w, e, 32)
        x = SetElem(x, 3, 32, t + Slice(x, 127, 96))
        y = SetElem(y, 3, 32, t + SHAhashSIGMA0(Slice(x, 31, 0)) + maj)
        y, x = _rol_pair(y, x)
    return x if part1 else y


def SHA1hash(x: BV, y: BV, w: BV, f) -> BV:
    """The loop of SHA1C/SHA1P/SHA1M with the round function ``f``
    (SHAchoose, SHAparity or SHAmajority).  X is V[d] (128 bits), Y is S[n]."""
    for e in range(4):
        t = f(Slice(x, 63, 32), Slice(x, 95, 64), Slice(x, 127, 96))
        y = y + ROL(Slice(x, 31, 0), 5) + t + Elem(w, e, 32)
        x = SetElem(x, 1, 32, ROL(Slice(x, 63, 32), 30))
        y, x = _rol_pair(y, x)
    return x
