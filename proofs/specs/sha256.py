"""SHA-256, from FIPS 180-4 (Secure Hash Standard, August 2015).

Words are 32-bit terms (§2.1, w = 32); a message block M^(i) is sixteen
words M_0..M_15 taken big-endian from the bytes (§3.1 item 2, §6.2.2).
ROTR^n is ``lnsym.asl.ROR``, SHR^n is ``lnsym.asl.LSR`` and ``+`` is
addition modulo 2^32 (§3.2 item 1), all on terms, so the functions below
build symbolic terms from variables and fold to constants from constants.
"""
from __future__ import annotations

from lnsym.machine.asl import LSR, ROR
from lnsym.terms.bv import BV, const

from .bytes import be_words, be_words_to_bytes, const_bytes, to_bytes

__all__ = ["K", "H0", "Ch", "Maj", "Sigma0", "Sigma1", "sigma0", "sigma1",
           "message_schedule", "rounds", "compress", "pad", "hash_bytes",
           "first_primes", "root_fraction_bits"]

W = 32  # §2.1: number of bits in a word


# -- constants, from their definitions (§4.2.2, §5.3.3) ---------------------------------
def first_primes(n: int) -> list[int]:
    """The first n prime numbers."""
    primes: list[int] = []
    k = 2
    while len(primes) < n:
        if all(k % p for p in primes if p * p <= k):
            primes.append(k)
        k += 1
    return primes


def _iroot(x: int, k: int) -> int:
    """floor(x ** (1/k)) for integers, exactly (Newton's method)."""
    r = 1 << -(-x.bit_length() // k)          # an upper bound
    while True:
        s = ((k - 1) * r + x // r ** (k - 1)) // k
        if s >= r:
            return r
        r = s


def root_fraction_bits(p: int, k: int, bits: int) -> int:
    """The first ``bits`` bits of the fractional part of the k-th root of p."""
    return _iroot(p << (k * bits), k) & ((1 << bits) - 1)


# §4.2.2: "the first thirty-two bits of the fractional parts of the cube roots
# of the first sixty-four prime numbers" (K_0 = 428a2f98 ... K_63 = c67178f2).
K = tuple(root_fraction_bits(p, 3, W) for p in first_primes(64))

# §5.3.3: "the first thirty-two bits of the fractional parts of the square
# roots of the first eight prime numbers" (H_0^(0) = 6a09e667 ...).
H0 = tuple(root_fraction_bits(p, 2, W) for p in first_primes(8))


# -- functions (§4.1.2) -------------------------------------------------------------------
def Ch(x: BV, y: BV, z: BV) -> BV:
    return (x & y) ^ (~x & z)


def Maj(x: BV, y: BV, z: BV) -> BV:
    return (x & y) ^ (x & z) ^ (y & z)


def Sigma0(x: BV) -> BV:
    """Σ0{256}(x) = ROTR^2(x) ⊕ ROTR^13(x) ⊕ ROTR^22(x)   (4.4)"""
    return ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22)


def Sigma1(x: BV) -> BV:
    """Σ1{256}(x) = ROTR^6(x) ⊕ ROTR^11(x) ⊕ ROTR^25(x)   (4.5)"""
    return ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25)


def sigma0(x: BV) -> BV:
    """σ0{256}(x) = ROTR^7(x) ⊕ ROTR^18(x) ⊕ SHR^3(x)   (4.6)"""
    return ROR(x, 7) ^ ROR(x, 18) ^ LSR(x, 3)


def sigma1(x: BV) -> BV:
    """σ1{256}(x) = ROTR^17(x) ⊕ ROTR^19(x) ⊕ SHR^10(x)   (4.7)"""
    return ROR(x, 17) ^ ROR(x, 19) ^ LSR(x, 10)


# -- hash computation (§6.2.2) ----------------------------------------------------------------
def _words(xs, n, what):
    xs = list(xs)
    if len(xs) != n or any(x.width != W for x in xs):
        raise ValueError(f"{what}: expected {n} terms of {W} bits")
    return xs


def message_schedule(M: list[BV]) -> list[BV]:
    """§6.2.2 step 1: W_0..W_63 from the block's words M_0..M_15."""
    Wt = _words(M, 16, "message_schedule")
    for t in range(16, 64):
        Wt.append(sigma1(Wt[t - 2]) + Wt[t - 7] + sigma0(Wt[t - 15]) + Wt[t - 16])
    return Wt


def rounds(H: list[BV], M: list[BV], K=K) -> list[tuple[BV, ...]]:
    """The working variables (a, b, c, d, e, f, g, h) of one block.

    Element 0 is the initialisation of step 2 (H^(i-1)); element t+1 is the
    value after iteration t of step 3 (t = 0..63), 65 tuples in all.  ``K``, the
    64 constants of §4.2.2, may be given as integers or as 32-bit terms (a
    routine that takes its table as an input is proved for the table it reads).
    """
    H = _words(H, 8, "rounds")
    if len(K) != 64:
        raise ValueError("rounds: K has 64 words")
    K = [k if isinstance(k, BV) else const(k, W) for k in K]
    Wt = message_schedule(M)
    a, b, c, d, e, f, g, h = H
    out = [(a, b, c, d, e, f, g, h)]
    for t in range(64):
        T1 = h + Sigma1(e) + Ch(e, f, g) + K[t] + Wt[t]
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


def compress(H: list[BV], M: list[BV], K=K) -> list[BV]:
    """One block, steps 1-4 of §6.2.2: the intermediate hash H^(i) from H^(i-1) and M^(i)
    (``K``: the constants, as for ``rounds``)."""
    H = _words(H, 8, "compress")
    final = rounds(H, M, K)[-1]
    return [x + Hj for x, Hj in zip(final, H)]           # step 4


# -- concrete helpers: padding (§5.1.1) and the whole hash -------------------------------------
def pad(msg: bytes, block_bytes: int = 64, length_bytes: int = 8) -> bytes:
    """§5.1.1: append bit 1, k zero bits and the 64-bit message length l.

    (With ``block_bytes=128, length_bytes=16`` this is §5.1.2 for SHA-512.)
    """
    l = 8 * len(msg)
    zeros = -(len(msg) + 1 + length_bytes) % block_bytes
    return msg + b"\x80" + bytes(zeros) + l.to_bytes(length_bytes, "big")


def hash_bytes(msg: bytes) -> bytes:
    """SHA-256(msg) through the term-level ``compress`` on constant terms (§6.2)."""
    padded = pad(msg)
    H = [const(v, W) for v in H0]
    for i in range(0, len(padded), 64):
        M = be_words(const_bytes(padded[i:i + 64]), 4)
        H = compress(H, M)
    return to_bytes(be_words_to_bytes(H))
