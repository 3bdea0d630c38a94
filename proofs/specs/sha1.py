"""SHA-1, from FIPS 180-4 (Secure Hash Standard, August 2015).

Words are 32-bit terms; a message block is sixteen words M_0..M_15 taken
big-endian from 64 bytes (§3.1 item 2, §6.1.2).  ROTL^n is
``lnsym.asl.ROL`` and ``+`` is addition modulo 2^32, all on terms.
"""
from __future__ import annotations

from lnsym.machine.asl import ROL
from lnsym.terms.bv import BV, const

from .bytes import be_words, be_words_to_bytes, const_bytes, to_bytes
from .sha256 import Ch, Maj
from .sha256 import pad as _pad

__all__ = ["K", "H0", "Ch", "Parity", "Maj", "f", "message_schedule", "rounds",
           "compress", "pad", "hash_bytes"]

W = 32

# §4.2.1: K_t for 0<=t<=19, 20<=t<=39, 40<=t<=59, 60<=t<=79.
K = (0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6)

# §5.3.1: the initial hash value H^(0).
H0 = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)


def Parity(x: BV, y: BV, z: BV) -> BV:
    return x ^ y ^ z


def f(t: int, x: BV, y: BV, z: BV) -> BV:
    """§4.1.1 (4.1): Ch for t = 0..19, Parity for 20..39, Maj for 40..59, Parity for 60..79."""
    if t < 20:
        return Ch(x, y, z)
    if t < 40 or t >= 60:
        return Parity(x, y, z)
    return Maj(x, y, z)


def _words(xs, n, what):
    xs = list(xs)
    if len(xs) != n or any(x.width != W for x in xs):
        raise ValueError(f"{what}: expected {n} terms of {W} bits")
    return xs


def message_schedule(M: list[BV]) -> list[BV]:
    """§6.1.2 step 1: W_t = ROTL^1(W_{t-3} ⊕ W_{t-8} ⊕ W_{t-14} ⊕ W_{t-16}) for 16 <= t <= 79."""
    Wt = _words(M, 16, "message_schedule")
    for t in range(16, 80):
        Wt.append(ROL(Wt[t - 3] ^ Wt[t - 8] ^ Wt[t - 14] ^ Wt[t - 16], 1))
    return Wt


def rounds(H: list[BV], M: list[BV]) -> list[tuple[BV, ...]]:
    """The working variables (a, b, c, d, e) of one block.

    Element 0 is the initialisation of step 2 (H^(i-1)); element t+1 is the
    value after iteration t of step 3 (t = 0..79), 81 tuples in all.
    """
    H = _words(H, 5, "rounds")
    Wt = message_schedule(M)
    a, b, c, d, e = H
    out = [(a, b, c, d, e)]
    for t in range(80):
        T = ROL(a, 5) + f(t, b, c, d) + e + const(K[t // 20], W) + Wt[t]
        e = d
        d = c
        c = ROL(b, 30)
        b = a
        a = T
        out.append((a, b, c, d, e))
    return out


def compress(H: list[BV], M: list[BV]) -> list[BV]:
    """One block, steps 1-4 of §6.1.2: the intermediate hash H^(i) from H^(i-1) and M^(i)."""
    H = _words(H, 5, "compress")
    final = rounds(H, M)[-1]
    return [x + Hj for x, Hj in zip(final, H)]           # step 4


def pad(msg: bytes) -> bytes:
    """§5.1.1 (the same padding as SHA-256)."""
    return _pad(msg)


def hash_bytes(msg: bytes) -> bytes:
    """SHA-1(msg) through the term-level ``compress`` on constant terms (§6.1)."""
    padded = pad(msg)
    H = [const(v, W) for v in H0]
    for i in range(0, len(padded), 64):
        M = be_words(const_bytes(padded[i:i + 64]), 4)
        H = compress(H, M)
    return to_bytes(be_words_to_bytes(H))
