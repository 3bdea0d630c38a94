"""OpenSSL's GHASH key table ``Htable`` (crypto/modes/asm/ghashv8-armx.pl), as
written by ``gcm_init_v8`` and read by ``gcm_gmult_v8`` / ``gcm_ghash_v8``.

This is **OpenSSL's representation**, not part of SP 800-38D.  It was derived
from the disassembly of gcm_init_v8 (OpenSSL 3.0, Debian's libssl-dev:arm64)
and is checked against concrete runs in tests/proofs/test_ghash_htable.py.

Blocks are 128-bit terms as in ``proofs.specs.ghash``: term bit 127 is the
standard's bit 0 (the 16 bytes of the block read big-endian).

*Twisted* value.  ``twist(X) = (X << 1) xor (X[127] ? 0xC2 00..00 01 : 0)``:
a 128-bit left shift, and when the bit shifted out (the standard's bit 0,
the constant coefficient) was set, the constant ``0xC2000000_00000000_00000000_00000001``
folded back in.  The table stores the powers of H in this form, so that the
PMULL products of bit-reversed data need no extra shift.

*Karatsuba entry* for a pair (A, B): ``kara(A, B)`` has low 64 bits
``twist(A).hi xor twist(A).lo`` and high 64 bits ``twist(B).hi xor twist(B).lo``
(the precomputed middle operand of the Karatsuba product).

Layout (each entry 16 bytes, the 128-bit value stored little-endian, i.e. the
two 64-bit lanes ``st1 {v.2d}`` writes):

    [0] twist(H)     [1] kara(H, H^2)     [2] twist(H^2)
    [3] twist(H^3)   [4] kara(H^3, H^4)   [5] twist(H^4)

with H^2 = H • H, H^3 = H^2 • H and H^4 = H^2 • H^2 (• is ``ghash.gf128_mul``).
``htable(H, P2, P3, P4)`` builds the table from any four values; ``htable_of(H)``
is the table of the powers of H.
"""
from __future__ import annotations

from lnsym.terms.bv import BV, concat, const, extract, ite, xor

from .ghash import GF128

__all__ = ["TWIST_CONST", "ENTRIES", "HTABLE_BYTES", "twist", "kara", "htable", "powers",
           "htable_of", "htable_bytes", "ghash_aggregated"]

TWIST_CONST = const(0xC2000000_00000000_00000000_00000001, 128)
ENTRIES = 6
HTABLE_BYTES = 16 * ENTRIES
_ZERO = const(0, 128)


def _bits(x: BV) -> list:
    """One-bit slices, bit 0 first.  (Wide slices of a GF(2^128) product term slide
    a different window down Algorithm 1's V chain at every step and take minutes to
    build; one-bit slices are shared.)"""
    return [extract(x, i, i) for i in range(x.width)]


def twist(x: BV) -> BV:
    b = _bits(x)
    shifted = concat(*reversed(b[:127]), const(0, 1))
    return xor(shifted, ite(b[127], TWIST_CONST, _ZERO))


def _fold(t: BV) -> BV:
    b = _bits(t)
    return concat(*[xor(b[64 + i], b[i]) for i in reversed(range(64))])


def kara(a: BV, b: BV) -> BV:
    return concat(_fold(twist(b)), _fold(twist(a)))


def htable(H: BV, P2: BV, P3: BV, P4: BV) -> list:
    """The six 128-bit entries for H and the values P2, P3, P4 stored as its powers."""
    return [twist(H), kara(H, P2), twist(P2), twist(P3), kara(P3, P4), twist(P4)]


def powers(H, field=GF128) -> tuple:
    """(H^2, H^3, H^4) as the table defines them: H•H, H^2•H, H^2•H^2."""
    H2 = field.mul(H, H)
    return H2, field.mul(H2, H), field.mul(H2, H2)


def htable_of(H: BV) -> list:
    return htable(H, *powers(H))


def htable_bytes(entries: list) -> list:
    """The table as 8-bit terms in memory order (each entry little-endian)."""
    return [extract(e, 8 * i + 7, 8 * i) for e in entries for i in range(16)]


def ghash_aggregated(powers4: list, blocks: list, X0, field=GF128):
    """GHASH with the key powers taken from a table, in the order OpenSSL's code
    groups the blocks: chunks of 4 while at least 4 remain, then the rest as
    chunks of 2 and a final single block.  A chunk (Z_1..Z_k) with the running
    value Y folds to (Y xor Z_1)•P_k xor Z_2•P_{k-1} xor ... xor Z_k•P_1,
    ``powers4 = [P_1, P_2, P_3, P_4]``.

    With P_m = H^m this equals SP 800-38D Algorithm 2 (``ghash.ghash``):
    ((Y xor Z_1)•H xor Z_2)•H = (Y xor Z_1)•H^2 xor Z_2•H needs only that GF(2^128)
    is a commutative ring.  The proofs check it as an identity of polynomials
    (proofs/ghash_algebra.py) from the field laws, which they prove.
    """
    Y = X0
    i, n = 0, len(blocks)
    while i < n:
        left = n - i
        k = 4 if left >= 4 else (2 if left >= 2 else 1)
        if k == 2 and n >= 4:
            k = left           # the 4-block path's tail takes 1..3 blocks at once
        chunk = blocks[i:i + k]
        terms = [field.mul(field.add(Y, chunk[0]), powers4[k - 1])]
        terms += [field.mul(z, powers4[k - 1 - j]) for j, z in enumerate(chunk[1:], 1)]
        Y = field.add(*terms)
        i += k
    return Y
