"""AES helpers of the Arm ARM (shared/functions/crypto): AESSubBytes, AESInvSubBytes,
AESShiftRows, AESInvShiftRows, AESMixColumns, AESInvMixColumns.

All operate on a 128-bit state term whose byte i (bits 8i+7..8i) is FIPS-197
state byte i, i.e. ``s[r, c]`` with ``i = r + 4c`` (column-major, as the
Arm ARM and FIPS-197 section 3.4 lay it out: memory byte i loaded by
``ld1 {v.16b}`` is ``in[i]``).

The S-box tables are derived here from their definition (FIPS-197 5.1.1:
multiplicative inverse in GF(2^8) modulo x^8+x^4+x^3+x+1, then the affine
transform with constant 0x63); applying them is an exact table-lookup term
(``lnsym.bv.lookup``) per byte.  FFmul02/03/09/0B/0D/0E of the ASL are written
with ``xtime`` (multiplication by x) on 8-bit terms.
"""
from __future__ import annotations

from lnsym.machine.asl import BV, Concat, Elem, Lookup, Slice, Vector, Zeros

AES_POLY = 0x11B


def gf_mul(a: int, b: int, poly: int = AES_POLY) -> int:
    """Product in GF(2^8) modulo ``poly`` (the AES polynomial by default; integers 0..255)."""
    r = 0
    while b:
        if b & 1:
            r ^= a
        a <<= 1
        if a & 0x100:
            a ^= poly
        b >>= 1
    return r


def gf_inverse(a: int, poly: int = AES_POLY) -> int:
    """Multiplicative inverse in GF(2^8) modulo ``poly``; 0 maps to 0 (FIPS-197 5.1.1)."""
    if a == 0:
        return 0
    r, e = 1, 254             # a^254 = a^-1 since the multiplicative group has order 255
    while e:                  # square and multiply
        if e & 1:
            r = gf_mul(r, a, poly)
        a = gf_mul(a, a, poly)
        e >>= 1
    return r


def _affine(b: int) -> int:
    """FIPS-197 (5.1): b'_i = b_i ^ b_(i+4) ^ b_(i+5) ^ b_(i+6) ^ b_(i+7) ^ c_i, c = 0x63."""
    out = 0
    for i in range(8):
        bit = 0
        for k in (0, 4, 5, 6, 7):
            bit ^= (b >> ((i + k) % 8)) & 1
        out |= bit << i
    return out ^ 0x63


SBOX: tuple = tuple(_affine(gf_inverse(x)) for x in range(256))
INV_SBOX: tuple = tuple(SBOX.index(y) for y in range(256))


def _map_bytes(op: BV, table: tuple) -> BV:
    return Vector([Lookup(table, Elem(op, i, 8), 8) for i in range(16)], 8)


def AESSubBytes(op: BV) -> BV:
    """S-box applied to each of the 16 bytes."""
    return _map_bytes(op, SBOX)


def AESInvSubBytes(op: BV) -> BV:
    """Inverse S-box applied to each of the 16 bytes."""
    return _map_bytes(op, INV_SBOX)


def AESShiftRows(op: BV) -> BV:
    """Row r rotated left by r columns: s'[r, c] = s[r, (c + r) mod 4]."""
    return Vector([Elem(op, r + 4 * ((c + r) % 4), 8) for c in range(4) for r in range(4)], 8)


def AESInvShiftRows(op: BV) -> BV:
    """Row r rotated right by r columns: s'[r, c] = s[r, (c - r) mod 4]."""
    return Vector([Elem(op, r + 4 * ((c - r) % 4), 8) for c in range(4) for r in range(4)], 8)


def xtime(b: BV) -> BV:
    """b * x in GF(2^8): shift left, reduce by 0x1B when bit 7 was set."""
    h = Slice(b, 7, 7)
    return Concat(Slice(b, 6, 0), Zeros(1)) ^ Concat(Zeros(3), h, h, Zeros(1), h, h)


def FFmul02(b: BV) -> BV:
    return xtime(b)


def FFmul03(b: BV) -> BV:
    return xtime(b) ^ b


def FFmul09(b: BV) -> BV:
    return xtime(xtime(xtime(b))) ^ b


def FFmul0B(b: BV) -> BV:
    return xtime(xtime(xtime(b))) ^ xtime(b) ^ b


def FFmul0D(b: BV) -> BV:
    return xtime(xtime(xtime(b))) ^ xtime(xtime(b)) ^ b


def FFmul0E(b: BV) -> BV:
    return xtime(xtime(xtime(b))) ^ xtime(xtime(b)) ^ xtime(b)


def _mix(op: BV, coeffs) -> BV:
    """Each column times the circulant matrix whose first row is ``coeffs``."""
    out = []
    for c in range(4):
        col = [Elem(op, 4 * c + r, 8) for r in range(4)]
        for r in range(4):
            terms = [coeffs[(k - r) % 4](col[k]) for k in range(4)]
            out.append(terms[0] ^ terms[1] ^ terms[2] ^ terms[3])
    return Vector(out, 8)


def _ident(b: BV) -> BV:
    return b


def AESMixColumns(op: BV) -> BV:
    """FIPS-197 5.1.3: each column times {02 03 01 01} circulant."""
    return _mix(op, (FFmul02, FFmul03, _ident, _ident))


def AESInvMixColumns(op: BV) -> BV:
    """FIPS-197 5.3.3: each column times {0e 0b 0d 09} circulant."""
    return _mix(op, (FFmul0E, FFmul0B, FFmul0D, FFmul09))
