"""GHASH and the GF(2^128) multiplication of GCM, from NIST SP 800-38D (2007).

Bit order.  SP 800-38D numbers the 128 bits of a block from the left:
bit 0 is the leftmost bit (§6.1, "the leftmost bit is X_0"), and a block
written as bytes has bit 0 as the most significant bit of its first byte.
Here a block is a 128-bit term whose **most significant bit (term bit 127)
is the standard's bit 0**, and whose least significant bit (term bit 0) is
the standard's bit 127: the 16 bytes of the block taken big-endian
(``block_from_bytes``).  So the standard's ``V >> 1`` (§6.2 rightshift,
towards higher bit numbers) is a logical right shift of the term, and
``LSB_1(V)`` is term bit 0.

With that order the polynomial of a block is X_0 + X_1 x + ... + X_127 x^127:
the term's most significant bit carries the constant coefficient.
``gf128_mul`` follows §6.3 Algorithm 1; ``gf128_mul_clmul`` computes the same
product as a carry-less multiplication of the bit-reflected operands reduced
modulo x^128 + x^7 + x^2 + x + 1 (the form PMULL-based code uses).
"""
from __future__ import annotations

import functools

from lnsym.terms.bv import BV, and_, clmul, concat, const, extract, xor, zero_extend

from .bytes import be_bytes, be_word

__all__ = ["R", "gf128_mul", "gf128_mul_clmul", "bit_reflect", "GF128", "ghash",
           "block_from_bytes",
           "block_to_bytes", "inc32"]

# §6.3: R = 11100001 || 0^120, bit 0 leftmost, so the term 0xe1 << 120.
R = const(0xE1 << 120, 128)
_R_BITS = [j for j in range(128) if R.params[0] >> j & 1]
_ZERO = const(0, 128)
_BIT0 = const(0, 1)


def _block(x: BV, what: str) -> BV:
    if not isinstance(x, BV) or x.width != 128:
        raise ValueError(f"{what}: expected a 128-bit term")
    return x


def gf128_mul(X: BV, Y: BV) -> BV:
    """§6.3 Algorithm 1, X • Y.

    Steps: Z_0 = 0^128, V_0 = Y; for i = 0..127,
      Z_{i+1} = Z_i if x_i = 0, else Z_i ⊕ V_i;
      V_{i+1} = V_i >> 1 if LSB_1(V_i) = 0, else (V_i >> 1) ⊕ R;
    return Z_128.

    Built bit by bit (term bit j = the standard's bit 127-j): bit j of Z_128 is
    the XOR over i of (x_i AND bit j of V_i), one flat XOR per bit; V_i is a list
    of one-bit terms, shifted by re-indexing, with LSB_1(V_i) XORed into the bits
    where R is 1.  (A 128-bit-wide Algorithm 1 term is the same value but slicing
    it, as the routines' byte loads do, takes minutes.)
    """
    X, Y = _block(X, "gf128_mul"), _block(Y, "gf128_mul")
    if X.op == "const" and Y.op == "const":      # the term would fold to this constant
        return const(algorithm1_int(X.params[0], Y.params[0]), 128)
    return _algorithm1(X, Y)


def algorithm1_int(x: int, y: int) -> int:
    """§6.3 Algorithm 1 on 128-bit integers in the term's bit order (the standard's bit i
    is integer bit 127 - i): Z ⊕= V when x_i = 1; V = V >> 1, ⊕ R when LSB_1(V) = 1."""
    z, v, r = 0, y, R.params[0]
    for i in range(128):
        if x >> (127 - i) & 1:
            z ^= v
        v = (v >> 1) ^ r if v & 1 else v >> 1
    return z


@functools.lru_cache(maxsize=None)
def _algorithm1(X: BV, Y: BV) -> BV:
    """``gf128_mul``'s term, built once per pair of (hash-consed) terms: the proofs
    ask for the same products many times (a loop's step in each case of a split,
    the algebra step's interpretations), and each build is ~16k AND nodes."""
    x = [extract(X, 127 - i, 127 - i) for i in range(128)]     # x[i]: the standard's bit i
    V = [extract(Y, j, j) for j in range(128)]                 # V[j]: term bit j of V_i
    columns: list = [[_BIT0] for _ in range(128)]                # Z_0 = 0^128
    for i in range(128):
        if x[i].op != "const":
            xi = x[i]
            for j in range(128):
                columns[j].append(and_(xi, V[j]))              # Z ⊕= x_i ? V_i : 0
        elif x[i].params[0]:
            for j in range(128):
                columns[j].append(V[j])
        lsb = V[0]                                             # LSB_1(V_i): term bit 0
        V = V[1:] + [_BIT0]                                    # V_i >> 1
        for j in _R_BITS:
            V[j] = V[j] ^ lsb                                  # ⊕ R when LSB_1(V_i) = 1
    return concat(*[xor(*columns[j]) for j in reversed(range(128))])


def bit_reflect(x: BV) -> BV:
    """The term with its bit order reversed (bit i moves to bit width-1-i)."""
    return concat(*[extract(x, i, i) for i in range(x.width)])


_POLY_LOW = const(0x87, 128)      # x^7 + x^2 + x + 1: x^128 ≡ this modulo the field polynomial


def _reduce(p: BV) -> BV:
    """p (256 bits, bit k the coefficient of x^k) modulo x^128 + x^7 + x^2 + x + 1.

    p = hi·x^128 + lo ≡ hi·(x^7 + x^2 + x + 1) + lo; folding twice leaves < 128 bits
    (the first fold is below x^135, the second below x^128).
    """
    for _ in range(2):
        hi, lo = extract(p, 255, 128), extract(p, 127, 0)
        p = clmul(hi, _POLY_LOW) ^ zero_extend(lo, 256)
    return extract(p, 127, 0)


def gf128_mul_clmul(X: BV, Y: BV) -> BV:
    """X • Y as in §6.3, via a carry-less product of the reflected operands.

    After ``bit_reflect`` the term's bit k is the coefficient of x^k, so the
    product is ``clmul`` followed by reduction; reflecting back restores the
    standard's bit order.
    """
    X, Y = _block(X, "gf128_mul_clmul"), _block(Y, "gf128_mul_clmul")
    return bit_reflect(_reduce(clmul(bit_reflect(X), bit_reflect(Y))))


class GF128Field:
    """GF(2^128) on 128-bit terms, as the ``field`` argument of the functions below:
    addition is XOR (§6.3: "the sum of two blocks ... is their bitwise XOR"),
    multiplication is ``gf128_mul``.  The GHASH functions are written against such
    an argument only, so they also run in other rings (the proofs run them in the
    free commutative ring to compare two of them algebraically)."""
    zero = _ZERO

    @staticmethod
    def add(*xs: BV) -> BV:
        return xor(*[_block(x, "GF(2^128) addition") for x in xs])

    @staticmethod
    def mul(a: BV, b: BV) -> BV:
        return gf128_mul(a, b)


GF128 = GF128Field()


def ghash(H, blocks: list, X0=None, field=GF128):
    """§6.4 Algorithm 2, GHASH_H(X_1 || ... || X_m): Y_0 = 0^128 (or X0, to continue a
    running hash), Y_i = (Y_{i-1} ⊕ X_i) • H; returns Y_m."""
    Y = field.zero if X0 is None else X0
    for Xi in blocks:
        Y = field.mul(field.add(Y, Xi), H)
    return Y


# -- blocks as bytes, and inc32 (GCTR and GCM-AE are in gcm.py) --------------------------
def block_from_bytes(byte_terms: list[BV]) -> BV:
    """A block from 16 byte terms: the first byte holds the standard's bits 0..7."""
    if len(byte_terms) != 16:
        raise ValueError("a block is 16 bytes")
    return be_word(byte_terms)


def block_to_bytes(block: BV) -> list[BV]:
    return be_bytes(block)


def inc32(X: BV) -> BV:
    """§6.2: increment the rightmost 32 bits modulo 2^32, keep the leftmost 96."""
    return concat(extract(X, 127, 32), extract(X, 31, 0) + 1)
