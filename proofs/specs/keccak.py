"""Keccak-f[1600] and the SHA-3 / SHAKE sponge, from FIPS 202 (SHA-3 Standard, 2015).

The state (§3.1) is 25 lanes of w = 64 bits.  Lane (x, y) is
``lanes[x + 5*y]`` and its bit z is term bit z: that is the state-array /
string conversion of §3.1.2-§3.1.3 (A[x,y,z] = S[w(5y+x)+z]) with the
bytes of the string taken little-endian into each lane (§B.1).  A rotation
that moves bit z to bit z+n mod w (ρ, θ) is ``lnsym.asl.ROL`` by n.

The round constants come from the LFSR rc(t) of §3.2.5 Algorithm 5 and the
ρ offsets from the walk of §3.2.2 Algorithm 2, both computed at import.
"""
from __future__ import annotations

from lnsym.machine.asl import ROL
from lnsym.terms.bv import BV, const

from .bytes import const_bytes, le_words, le_words_to_bytes, to_bytes

__all__ = ["w", "l", "RHO_OFFSETS", "RC", "rc", "theta", "rho", "pi", "chi", "iota", "Rnd",
           "keccak_f", "pad10star1", "sponge", "sha3_256", "sha3_512", "shake128", "shake256"]

w = 64          # §3.1 Table 1, b = 1600
l = 6           # log2(w)
n_r = 12 + 2 * l    # §3.4: Keccak-f[1600] = Keccak-p[1600, 12 + 2l] = 24 rounds


def _lane(x: int, y: int) -> int:
    return (x % 5) + 5 * (y % 5)


# -- constants ---------------------------------------------------------------------------------
def _rho_offsets() -> tuple[int, ...]:
    """§3.2.2 Algorithm 2: (x, y) = (1, 0); for t = 0..23 lane (x, y) is rotated by
    (t+1)(t+2)/2, then (x, y) = (y, (2x + 3y) mod 5).  Lane (0, 0) is not rotated."""
    off = [0] * 25
    x, y = 1, 0
    for t in range(24):
        off[_lane(x, y)] = ((t + 1) * (t + 2) // 2) % w
        x, y = y, (2 * x + 3 * y) % 5
    return tuple(off)


RHO_OFFSETS = _rho_offsets()


def rc(t: int) -> int:
    """§3.2.5 Algorithm 5: the output bit of the LFSR after t mod 255 steps."""
    if t % 255 == 0:
        return 1
    R = [1, 0, 0, 0, 0, 0, 0, 0]            # R = 10000000, R[0] leftmost
    for _ in range(1, t % 255 + 1):
        R = [0] + R                         # a. R = 0 || R
        R[0] ^= R[8]                        # b.
        R[4] ^= R[8]                        # c.
        R[5] ^= R[8]                        # d.
        R[6] ^= R[8]                        # e.
        R = R[:8]                           # f. R = Trunc_8(R)
    return R[0]


def _round_constant(i_r: int) -> int:
    """§3.2.5 Algorithm 6 steps 2-3: RC[2^j - 1] = rc(j + 7 i_r) for j = 0..l."""
    RCv = 0
    for j in range(l + 1):
        RCv |= rc(j + 7 * i_r) << ((1 << j) - 1)
    return RCv


RC = tuple(_round_constant(i_r) for i_r in range(n_r))


# -- step mappings (§3.2), on 25 lane terms ----------------------------------------------------
def theta(A: list[BV]) -> list[BV]:
    """§3.2.1 Algorithm 1: C[x] = ⊕_y A[x,y]; D[x] = C[x-1] ⊕ ROT(C[x+1], 1);
    A'[x,y] = A[x,y] ⊕ D[x]."""
    C = [A[_lane(x, 0)] ^ A[_lane(x, 1)] ^ A[_lane(x, 2)] ^ A[_lane(x, 3)] ^ A[_lane(x, 4)]
         for x in range(5)]
    D = [C[(x - 1) % 5] ^ ROL(C[(x + 1) % 5], 1) for x in range(5)]
    return [A[_lane(x, y)] ^ D[x] for y in range(5) for x in range(5)]


def rho(A: list[BV]) -> list[BV]:
    """§3.2.2: each lane rotated by its offset (bit z moves to z + offset mod w)."""
    return [ROL(A[i], RHO_OFFSETS[i]) for i in range(25)]


def pi(A: list[BV]) -> list[BV]:
    """§3.2.3 Algorithm 3: A'[x,y] = A[(x + 3y) mod 5, x]."""
    return [A[_lane(x + 3 * y, x)] for y in range(5) for x in range(5)]


def chi(A: list[BV]) -> list[BV]:
    """§3.2.4 Algorithm 4: A'[x,y] = A[x,y] ⊕ ((A[x+1,y] ⊕ 1) · A[x+2,y])."""
    return [A[_lane(x, y)] ^ (~A[_lane(x + 1, y)] & A[_lane(x + 2, y)])
            for y in range(5) for x in range(5)]


def iota(A: list[BV], i_r: int) -> list[BV]:
    """§3.2.5 Algorithm 6: lane (0, 0) XORed with RC for round i_r."""
    return [A[0] ^ const(RC[i_r], w)] + A[1:]


def Rnd(A: list[BV], i_r: int) -> list[BV]:
    """§3.3: Rnd(A, i_r) = ι(χ(π(ρ(θ(A)))), i_r)."""
    return iota(chi(pi(rho(theta(A)))), i_r)


def keccak_f(lanes: list[BV]) -> list[BV]:
    """§3.4: Keccak-f[1600] = Keccak-p[1600, 24], rounds i_r = 0..23 (§3.3 Algorithm 7)."""
    A = list(lanes)
    if len(A) != 25 or any(x.width != w for x in A):
        raise ValueError("keccak_f: expected 25 lanes of 64 bits")
    for i_r in range(n_r):
        A = Rnd(A, i_r)
    return A


# -- the sponge (§4, §5.1, §6), concretely on bytes --------------------------------------------
def pad10star1(msg: bytes, suffix: int, rate_bytes: int) -> bytes:
    """§6.1-§6.2 domain bits then §5.1 pad10*1, for byte-aligned messages (§B.2):
    ``suffix`` holds the domain bits then the first 1 of pad10*1, least significant
    bit first (0x06 for SHA-3: 01||1; 0x1f for SHAKE: 1111||1); the final 1 is 0x80."""
    p = bytearray(msg + bytes([suffix]) + bytes(-(len(msg) + 1) % rate_bytes))
    p[-1] |= 0x80
    return bytes(p)


def sponge(msg: bytes, rate_bytes: int, suffix: int, out_bytes: int) -> bytes:
    """§4 Algorithm 8, SPONGE[Keccak-f[1600], pad10*1, r] on constant terms."""
    P = pad10star1(msg, suffix, rate_bytes)
    S = [const(0, w)] * 25
    for i in range(0, len(P), rate_bytes):
        block = le_words(const_bytes(P[i:i + rate_bytes]), 8)
        S = keccak_f([S[j] ^ block[j] if j < len(block) else S[j] for j in range(25)])
    out = b""
    while True:
        out += to_bytes(le_words_to_bytes(S[:rate_bytes // 8]))
        if len(out) >= out_bytes:
            return out[:out_bytes]
        S = keccak_f(S)


def sha3_256(msg: bytes) -> bytes:
    """§6.1: SHA3-256(M) = KECCAK[512](M || 01, 256), rate 1088 bits."""
    return sponge(msg, 136, 0x06, 32)


def sha3_512(msg: bytes) -> bytes:
    """§6.1: SHA3-512(M) = KECCAK[1024](M || 01, 512), rate 576 bits."""
    return sponge(msg, 72, 0x06, 64)


def shake128(msg: bytes, d_bytes: int) -> bytes:
    """§6.2: SHAKE128(M, d) = KECCAK[256](M || 1111, d), rate 1344 bits."""
    return sponge(msg, 168, 0x1F, d_bytes)


def shake256(msg: bytes, d_bytes: int) -> bytes:
    """§6.2: SHAKE256(M, d) = KECCAK[512](M || 1111, d), rate 1088 bits."""
    return sponge(msg, 136, 0x1F, d_bytes)
