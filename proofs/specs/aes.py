"""AES, the cipher and the inverse cipher, from FIPS 197 (Advanced Encryption Standard, 2001).

Representation (§3.3-§3.5):

* a byte is an 8-bit term whose bit i is the coefficient b_i of x^i (§3.2);
* a word [a0, a1, a2, a3] (§3.5, §5.2) is a 32-bit term whose *most
  significant* byte is a0, i.e. the key bytes taken big-endian, four at a time;
* the State (§3.4) is a 4x4 list ``s[r][c]`` of byte terms, filled column by
  column from the 16 input bytes: ``s[r][c] = in[r + 4c]``.

The S-box is computed at import from its definition (§5.1.1: the
multiplicative inverse in GF(2^8) modulo m(x) = x^8 + x^4 + x^3 + x + 1,
then the affine transformation); SubBytes applies it with the exact
table-lookup operator ``lnsym.bv.lookup``; the inverse S-box is its inverse
permutation (§5.3.2).  Specified here: the Cipher (§5.1), KeyExpansion (§5.2),
the InvCipher (§5.3) and the Equivalent Inverse Cipher with its modified key
schedule (§5.3.5).
"""
from __future__ import annotations

from lnsym.machine.asl import ROL
from lnsym.terms.bv import BV, concat, const, extract, ite, lookup

from .bytes import be_bytes, be_words, const_bytes, to_bytes

__all__ = ["SBOX", "INV_SBOX", "Rcon", "gf_mul", "gf_inverse", "xtime", "SubBytes",
           "ShiftRows", "MixColumns", "AddRoundKey", "SubWord", "RotWord", "key_expansion",
           "cipher", "encrypt", "InvSubBytes", "InvShiftRows", "InvMixColumns", "inv_cipher",
           "equivalent_decryption_schedule", "eq_inv_cipher", "decrypt", "Nb"]

Nb = 4                                   # §2.2: number of columns of the State
NR_FOR_NK = {4: 10, 6: 12, 8: 14}        # §5 Figure 4: Key-Block-Round combinations


# -- GF(2^8) arithmetic on Python ints (§4.2), used to derive the tables ----------------------
def gf_mul(a: int, b: int) -> int:
    """§4.2: the product a • b modulo m(x) = x^8 + x^4 + x^3 + x + 1 (0x11b)."""
    r = 0
    while b:
        if b & 1:
            r ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11B
        b >>= 1
    return r


def gf_inverse(a: int) -> int:
    """§5.1.1: the multiplicative inverse in GF(2^8); {00} maps to itself."""
    if a == 0:
        return 0
    r, e = 1, 254                        # a^254 = a^-1, as a^255 = 1
    while e:                             # square and multiply
        if e & 1:
            r = gf_mul(r, a)
        a = gf_mul(a, a)
        e >>= 1
    return r


def _affine(b: int) -> int:
    """§5.1.1 (5.1): b'_i = b_i ⊕ b_(i+4)mod8 ⊕ b_(i+5)mod8 ⊕ b_(i+6)mod8 ⊕ b_(i+7)mod8 ⊕ c_i,
    with c = {63}."""
    c = 0x63
    out = 0
    for i in range(8):
        bit = 0
        for k in (0, 4, 5, 6, 7):
            bit ^= b >> ((i + k) % 8) & 1
        out |= (bit ^ (c >> i & 1)) << i
    return out


SBOX = tuple(_affine(gf_inverse(x)) for x in range(256))
INV_SBOX = tuple(SBOX.index(y) for y in range(256))      # §5.3.2: the inverse of the S-box


def _rcon(n: int) -> tuple[int, ...]:
    """§5.2: Rcon[i] = [x^(i-1), {00}, {00}, {00}], x^(i-1) a power of x in GF(2^8)."""
    out, p = [], 1
    for _ in range(n):
        out.append(p << 24)
        p = gf_mul(p, 2)
    return tuple(out)


Rcon = (None,) + _rcon(10)               # indexed 1..10 as in the standard


# -- the round transformations (§5.1) ----------------------------------------------------------
def xtime(b: BV) -> BV:
    """§4.2.1: multiplication by x, i.e. {02} • b: a left shift, then ⊕ {1b} if b_7 was 1."""
    return (b << 1) ^ ite(extract(b, 7, 7), const(0x1B, 8), const(0, 8))


def _mul(b: BV, k: int) -> BV:
    """{k} • b for the small constants of MixColumns, by repeated xtime (§4.2.1)."""
    result = const(0, 8)
    power = b
    while k:
        if k & 1:
            result = result ^ power
        power = xtime(power)
        k >>= 1
    return result


def _check_state(s):
    if len(s) != 4 or any(len(row) != Nb or any(x.width != 8 for x in row) for row in s):
        raise ValueError("the State is a 4x4 list of 8-bit terms")


def SubBytes(s: list[list[BV]]) -> list[list[BV]]:
    """§5.1.1: each byte of the State through the S-box."""
    return [[lookup(SBOX, x, 8) for x in row] for row in s]


def ShiftRows(s: list[list[BV]]) -> list[list[BV]]:
    """§5.1.2 (5.3): s'[r][c] = s[r][(c + shift(r, Nb)) mod Nb], shift(r, 4) = r."""
    return [[s[r][(c + r) % Nb] for c in range(Nb)] for r in range(4)]


def MixColumns(s: list[list[BV]]) -> list[list[BV]]:
    """§5.1.3 (5.6): each column times a(x) = {03}x^3 + {01}x^2 + {01}x + {02}."""
    out = [[None] * Nb for _ in range(4)]
    for c in range(Nb):
        s0, s1, s2, s3 = (s[r][c] for r in range(4))
        out[0][c] = _mul(s0, 2) ^ _mul(s1, 3) ^ s2 ^ s3
        out[1][c] = s0 ^ _mul(s1, 2) ^ _mul(s2, 3) ^ s3
        out[2][c] = s0 ^ s1 ^ _mul(s2, 2) ^ _mul(s3, 3)
        out[3][c] = _mul(s0, 3) ^ s1 ^ s2 ^ _mul(s3, 2)
    return out


def AddRoundKey(s: list[list[BV]], round_words: list[BV]) -> list[list[BV]]:
    """§5.1.4 (5.7): column c is XORed with the word w[round*Nb + c] (byte r of the word is a_r)."""
    cols = [be_bytes(w) for w in round_words]
    return [[s[r][c] ^ cols[c][r] for c in range(Nb)] for r in range(4)]


# -- KeyExpansion (§5.2) -----------------------------------------------------------------------
def SubWord(w: BV) -> BV:
    """§5.2: the S-box applied to each of the four bytes of a word."""
    return concat(*[lookup(SBOX, b, 8) for b in be_bytes(w)])


def RotWord(w: BV) -> BV:
    """§5.2: [a0, a1, a2, a3] -> [a1, a2, a3, a0]; a0 is the most significant byte,
    so this is a left rotation by 8 bits."""
    return ROL(w, 8)


def key_expansion(key_words: list[BV], Nk: int) -> list[BV]:
    """§5.2 Figure 11: the key schedule w[0 .. Nb*(Nr+1)-1] from the Nk key words."""
    if Nk not in NR_FOR_NK:
        raise ValueError(f"Nk must be 4, 6 or 8 (AES-128/192/256), not {Nk}")
    w = list(key_words)
    if len(w) != Nk or any(x.width != 32 for x in w):
        raise ValueError(f"key_expansion: expected {Nk} words of 32 bits")
    Nr = NR_FOR_NK[Nk]
    for i in range(Nk, Nb * (Nr + 1)):
        temp = w[i - 1]
        if i % Nk == 0:
            temp = SubWord(RotWord(temp)) ^ const(Rcon[i // Nk], 32)
        elif Nk > 6 and i % Nk == 4:
            temp = SubWord(temp)
        w.append(w[i - Nk] ^ temp)
    return w


# -- Cipher (§5.1) -----------------------------------------------------------------------------
def cipher(in_bytes: list[BV], w: list[BV]) -> list[BV]:
    """§5.1 Figure 5: Cipher(in, out, w) with Nr = len(w)/Nb - 1; returns the 16 output bytes."""
    if len(in_bytes) != 4 * Nb or any(b.width != 8 for b in in_bytes):
        raise ValueError("cipher: the input block is 16 terms of 8 bits")
    if len(w) % Nb or len(w) // Nb - 1 not in NR_FOR_NK.values():
        raise ValueError(f"cipher: a key schedule of {len(w)} words")
    Nr = len(w) // Nb - 1
    state = [[in_bytes[r + 4 * c] for c in range(Nb)] for r in range(4)]   # §3.4 (3.3)
    state = AddRoundKey(state, w[0:Nb])
    for rnd in range(1, Nr):
        state = SubBytes(state)
        state = ShiftRows(state)
        state = MixColumns(state)
        state = AddRoundKey(state, w[rnd * Nb:(rnd + 1) * Nb])
    state = SubBytes(state)
    state = ShiftRows(state)
    state = AddRoundKey(state, w[Nr * Nb:(Nr + 1) * Nb])
    return [state[r][c] for c in range(Nb) for r in range(4)]            # §3.4 (3.4)


# -- InvCipher (§5.3) --------------------------------------------------------------------------
def InvSubBytes(s: list[list[BV]]) -> list[list[BV]]:
    """§5.3.2: each byte of the State through the inverse S-box."""
    return [[lookup(INV_SBOX, x, 8) for x in row] for row in s]


def InvShiftRows(s: list[list[BV]]) -> list[list[BV]]:
    """§5.3.1 (5.8): s'[r][(c + shift(r, Nb)) mod Nb] = s[r][c]."""
    return [[s[r][(c - r) % Nb] for c in range(Nb)] for r in range(4)]


def _inv_mix_column(s0: BV, s1: BV, s2: BV, s3: BV) -> list[BV]:
    """§5.3.3 (5.10): one column times a^-1(x) = {0b}x^3 + {0d}x^2 + {09}x + {0e}."""
    return [_mul(s0, 0x0E) ^ _mul(s1, 0x0B) ^ _mul(s2, 0x0D) ^ _mul(s3, 0x09),
            _mul(s0, 0x09) ^ _mul(s1, 0x0E) ^ _mul(s2, 0x0B) ^ _mul(s3, 0x0D),
            _mul(s0, 0x0D) ^ _mul(s1, 0x09) ^ _mul(s2, 0x0E) ^ _mul(s3, 0x0B),
            _mul(s0, 0x0B) ^ _mul(s1, 0x0D) ^ _mul(s2, 0x09) ^ _mul(s3, 0x0E)]


def InvMixColumns(s: list[list[BV]]) -> list[list[BV]]:
    """§5.3.3: every column of the State through ``_inv_mix_column``."""
    cols = [_inv_mix_column(*(s[r][c] for r in range(4))) for c in range(Nb)]
    return [[cols[c][r] for c in range(Nb)] for r in range(4)]


def _rounds_of(w: list[BV], what: str) -> int:
    if len(w) % Nb or len(w) // Nb - 1 not in NR_FOR_NK.values():
        raise ValueError(f"{what}: a key schedule of {len(w)} words")
    return len(w) // Nb - 1


def _state_of(in_bytes: list[BV], what: str) -> list[list[BV]]:
    if len(in_bytes) != 4 * Nb or any(b.width != 8 for b in in_bytes):
        raise ValueError(f"{what}: the input block is 16 terms of 8 bits")
    return [[in_bytes[r + 4 * c] for c in range(Nb)] for r in range(4)]   # §3.4 (3.3)


def inv_cipher(in_bytes: list[BV], w: list[BV]) -> list[BV]:
    """§5.3 Figure 12: InvCipher(in, out, w), w the KeyExpansion schedule."""
    Nr = _rounds_of(w, "inv_cipher")
    state = _state_of(in_bytes, "inv_cipher")
    state = AddRoundKey(state, w[Nr * Nb:(Nr + 1) * Nb])
    for rnd in range(Nr - 1, 0, -1):
        state = InvShiftRows(state)
        state = InvSubBytes(state)
        state = AddRoundKey(state, w[rnd * Nb:(rnd + 1) * Nb])
        state = InvMixColumns(state)
    state = InvShiftRows(state)
    state = InvSubBytes(state)
    state = AddRoundKey(state, w[0:Nb])
    return [state[r][c] for c in range(Nb) for r in range(4)]


def equivalent_decryption_schedule(w: list[BV]) -> list[BV]:
    """§5.3.5 Figure 15 (the loop after KeyExpansion): dw = w with InvMixColumns
    applied to the words of rounds 1 .. Nr-1 (each word taken as a column)."""
    Nr = _rounds_of(w, "equivalent_decryption_schedule")
    dw = list(w)
    for i in range(Nb, Nr * Nb):
        dw[i] = concat(*_inv_mix_column(*be_bytes(w[i])))
    return dw


def eq_inv_cipher(in_bytes: list[BV], dw: list[BV]) -> list[BV]:
    """§5.3.5 Figure 15: EqInvCipher(in, out, dw), dw the modified schedule."""
    Nr = _rounds_of(dw, "eq_inv_cipher")
    state = _state_of(in_bytes, "eq_inv_cipher")
    state = AddRoundKey(state, dw[Nr * Nb:(Nr + 1) * Nb])
    for rnd in range(Nr - 1, 0, -1):
        state = InvSubBytes(state)
        state = InvShiftRows(state)
        state = InvMixColumns(state)
        state = AddRoundKey(state, dw[rnd * Nb:(rnd + 1) * Nb])
    state = InvSubBytes(state)
    state = InvShiftRows(state)
    state = AddRoundKey(state, dw[0:Nb])
    return [state[r][c] for c in range(Nb) for r in range(4)]


def decrypt(key_bytes: bytes, block_bytes: bytes) -> bytes:
    """AES decryption (InvCipher) of one 16-byte block, through constant terms."""
    if len(key_bytes) not in (16, 24, 32) or len(block_bytes) != 16:
        raise ValueError("decrypt: a 16/24/32-byte key and a 16-byte block")
    w = key_expansion(be_words(const_bytes(key_bytes), 4), len(key_bytes) // 4)
    return to_bytes(inv_cipher(const_bytes(block_bytes), w))


def encrypt(key_bytes: bytes, block_bytes: bytes) -> bytes:
    """AES encryption of one 16-byte block under a 16/24/32-byte key, through constant terms."""
    if len(key_bytes) not in (16, 24, 32) or len(block_bytes) != 16:
        raise ValueError("encrypt: a 16/24/32-byte key and a 16-byte block")
    w = key_expansion(be_words(const_bytes(key_bytes), 4), len(key_bytes) // 4)
    return to_bytes(cipher(const_bytes(block_bytes), w))
