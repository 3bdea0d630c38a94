"""SHA-512, from FIPS 180-4 (Secure Hash Standard, August 2015).

Words are 64-bit terms (§2.1, w = 64); a message block M^(i) is sixteen
words M_0..M_15 taken big-endian from 128 bytes (§3.1 item 2, §6.4.2).
ROTR^n is ``lnsym.asl.ROR``, SHR^n is ``lnsym.asl.LSR`` and ``+`` is
addition modulo 2^64, all on terms.
"""
from __future__ import annotations

from lnsym.machine.asl import LSR, ROR
from lnsym.terms.bv import BV, const

from .bytes import be_words, be_words_to_bytes, const_bytes, to_bytes
from .sha256 import Ch, Maj, first_primes, root_fraction_bits
from .sha256 import pad as _pad

__all__ = ["K", "H0", "Ch", "Maj", "Sigma0", "Sigma1", "sigma0", "sigma1",
           "message_schedule", "rounds", "compress", "pad", "hash_bytes"]

W = 64  # §2.1: number of bits in a word

# §4.2.3: "the first sixty-four bits of the fractional parts of the cube roots
# of the first eighty prime numbers" (K_0 = 428a2f98d728ae22 ... K_79 = 6c44198c4a475817).
K = tuple(root_fraction_bits(p, 3, W) for p in first_primes(80))

# §5.3.5: "the first sixty-four bits of the fractional parts of the square
# roots of the first eight prime numbers" (H_0^(0) = 6a09e667f3bcc908 ...).
H0 = tuple(root_fraction_bits(p, 2, W) for p in first_primes(8))

# Ch and Maj (§4.1.3) are the same formulas as §4.1.2 on 64-bit words.


def Sigma0(x: BV) -> BV:
    """Σ0{512}(x) = ROTR^28(x) ⊕ ROTR^34(x) ⊕ ROTR^39(x)   (4.10)"""
    return ROR(x, 28) ^ ROR(x, 34) ^ ROR(x, 39)


def Sigma1(x: BV) -> BV:
    """Σ1{512}(x) = ROTR^14(x) ⊕ ROTR^18(x) ⊕ ROTR^41(x)   (4.11)"""
    return ROR(x, 14) ^ ROR(x, 18) ^ ROR(x, 41)


def sigma0(x: BV) -> BV:
    """σ0{512}(x) = ROTR^1(x) ⊕ ROTR^8(x) ⊕ SHR^7(x)   (4.12)"""
    return ROR(x, 1) ^ ROR(x, 8) ^ LSR(x, 7)


def sigma1(x: BV) -> BV:
    """σ1{512}(x) = ROTR^19(x) ⊕ ROTR^61(x) ⊕ SHR^6(x)   (4.13)"""
    return ROR(x, 19) ^ ROR(x, 61) ^ LSR(x, 6)


# -- hash computation (§6.4.2) ----------------------------------------------------------------
def _words(xs, n, what):
    xs = list(xs)
    if len(xs) != n or any(x.width != W for x in xs):
        raise ValueError(f"{what}: expected {n} terms of {W} bits")
    return xs


def message_schedule(M: list[BV]) -> list[BV]:
    """§6.4.2 step 1: W_0..W_79 from the block's words M_0..M_15."""
    Wt = _words(M, 16, "message_schedule")
    for t in range(16, 80):
        Wt.append(sigma1(Wt[t - 2]) + Wt[t - 7] + sigma0(Wt[t - 15]) + Wt[t - 16])
    return Wt


def rounds(H: list[BV], M: list[BV]) -> list[tuple[BV, ...]]:
    """The working variables (a, b, c, d, e, f, g, h) of one block.

    Element 0 is the initialisation of step 2 (H^(i-1)); element t+1 is the
    value after iteration t of step 3 (t = 0..79), 81 tuples in all.
    """
    H = _words(H, 8, "rounds")
    Wt = message_schedule(M)
    a, b, c, d, e, f, g, h = H
    out = [(a, b, c, d, e, f, g, h)]
    for t in range(80):
        T1 = h + Sigma1(e) + Ch(e, f, g) + const(K[t], W) + Wt[t]
        T2 = Sigma0(a) + Maj(a, b, c)
        h = g
        g = f
        f = e
        e = d + T1
        d = c
        c = b
        b = a
        a = T1 + T2
        out.append((a, b, c, d, e, f, g, h))
    return out


def compress(H: list[BV], M: list[BV]) -> list[BV]:
    """One block, steps 1-4 of §6.4.2: the intermediate hash H^(i) from H^(i-1) and M^(i)."""
    H = _words(H, 8, "compress")
    final = rounds(H, M)[-1]
    return [x + Hj for x, Hj in zip(final, H)]           # step 4


def pad(msg: bytes) -> bytes:
    """§5.1.2: append bit 1, k zero bits and the 128-bit message length l (1024-bit blocks)."""
    return _pad(msg, block_bytes=128, length_bytes=16)


def hash_bytes(msg: bytes) -> bytes:
    """SHA-512(msg) through the term-level ``compress`` on constant terms (§6.4)."""
    padded = pad(msg)
    H = [const(v, W) for v in H0]
    for i in range(0, len(padded), 128):
        M = be_words(const_bytes(padded[i:i + 128]), 8)
        H = compress(H, M)
    return to_bytes(be_words_to_bytes(H))
