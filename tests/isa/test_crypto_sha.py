"""SHA-1 and SHA-256 instructions: FIPS 180-4 compression of the block 'abc' run with
the Arm instructions (as OpenSSL's sha1/sha256_block_armv8 do), compared with hashlib,
plus per-instruction known answers against a test-local FIPS 180-4 round model."""
from __future__ import annotations

import hashlib
import random

from lnsym.backends.snippet import run_words

M32 = 0xFFFFFFFF

# encodings (Rd, Rn, Rm filled in)
SHA1C, SHA1P, SHA1M, SHA1SU0 = 0x5E000000, 0x5E001000, 0x5E002000, 0x5E003000
SHA256H, SHA256H2, SHA256SU1 = 0x5E004000, 0x5E005000, 0x5E006000
SHA1H, SHA1SU1, SHA256SU0 = 0x5E280800, 0x5E281800, 0x5E282800


def op3(base, d, n, m=0):
    if base & 1 << 21:           # the two-register class has no Rm
        m = 0
    return base | m << 16 | n << 5 | d


def vec(words32) -> int:
    """A 128-bit register from four 32-bit elements, element 0 first."""
    return sum((w & M32) << (32 * i) for i, w in enumerate(words32))


def elems(value: int) -> list:
    return [(value >> (32 * i)) & M32 for i in range(4)]


def exec1(base, d=0, n=1, m=2, **regs) -> int:
    """Run one instruction (Vd, Vn, Vm = v0, v1, v2 by default); the new Vd."""
    st, _ = run_words([op3(base, d, n, m)], regs=regs)
    return st.v[d]


def rol(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


def ror(x, k):
    return rol(x, 32 - k)


def block_words(message: bytes) -> list:
    """The single padded FIPS 180-4 block of a short message, as 16 big-endian words."""
    padded = message + b"\x80" + b"\0" * (55 - len(message)) + (8 * len(message)).to_bytes(8, "big")
    return [int.from_bytes(padded[4 * i:4 * i + 4], "big") for i in range(16)]


def icbrt(n: int) -> int:
    x = 1 << ((n.bit_length() + 2) // 3)
    while True:
        y = (2 * x + n // (x * x)) // 3
        if y >= x:
            break
        x = y
    while x ** 3 > n:
        x -= 1
    return x


def primes(count: int) -> list:
    out, k = [], 2
    while len(out) < count:
        if all(k % p for p in out):
            out.append(k)
        k += 1
    return out


# FIPS 180-4 4.2.2 and 5.3.3: fractional parts of cube / square roots of the first primes
K256 = [icbrt(p << 96) & M32 for p in primes(64)]
H256 = [__import__("math").isqrt(p << 64) & M32 for p in primes(8)]


def test_sha256_constants():
    assert K256[0] == 0x428A2F98 and K256[63] == 0xC67178F2
    assert H256[0] == 0x6A09E667 and H256[7] == 0x5BE0CD19


# -- SHA-256 ------------------------------------------------------------------------------
def sha256_rounds_model(state, wk):
    """FIPS 180-4 6.2.2 step 3 for len(wk) rounds; wk[t] = K[t] + W[t]."""
    a, b, c, d, e, f, g, h = state
    for x in wk:
        t1 = (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + x) & M32
        t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) & M32
        a, b, c, d, e, f, g, h = (t1 + t2) & M32, a, b, c, (d + t1) & M32, e, f, g
    return [a, b, c, d, e, f, g, h]


def test_sha256h_h2_are_four_rounds():
    rng = random.Random(180)
    for _ in range(10):
        state = [rng.getrandbits(32) for _ in range(8)]
        wk = [rng.getrandbits(32) for _ in range(4)]
        abcd, efgh, w = vec(state[:4]), vec(state[4:]), vec(wk)
        new_abcd = exec1(SHA256H, v0=abcd, v1=efgh, v2=w)
        new_efgh = exec1(SHA256H2, v0=efgh, v1=abcd, v2=w)
        assert elems(new_abcd) + elems(new_efgh) == sha256_rounds_model(state, wk)


def test_sha256su0_su1_message_schedule():
    rng = random.Random(256)
    W = [rng.getrandbits(32) for _ in range(16)]
    for t in range(16, 20):
        s0 = ror(W[t - 15], 7) ^ ror(W[t - 15], 18) ^ (W[t - 15] >> 3)
        s1 = ror(W[t - 2], 17) ^ ror(W[t - 2], 19) ^ (W[t - 2] >> 10)
        W.append((s1 + W[t - 7] + s0 + W[t - 16]) & M32)
    x = exec1(SHA256SU0, v0=vec(W[0:4]), v1=vec(W[4:8]))
    x = exec1(SHA256SU1, v0=x, v1=vec(W[8:12]), v2=vec(W[12:16]))
    assert elems(x) == W[16:20]


def sha256_compress_with_instructions(H, W):
    """One block the way sha256_block_armv8 runs it: 16 quad-rounds of sha256h/h2,
    message schedule by sha256su0/su1 in four registers."""
    abcd, efgh = vec(H[:4]), vec(H[4:])
    msg = [vec(W[4 * i:4 * i + 4]) for i in range(4)]
    for q in range(16):
        wk = vec([(w + k) & M32 for w, k in zip(elems(msg[0]), K256[4 * q:4 * q + 4])])
        new_abcd = exec1(SHA256H, v0=abcd, v1=efgh, v2=wk)
        efgh = exec1(SHA256H2, v0=efgh, v1=abcd, v2=wk)
        abcd = new_abcd
        if q < 12:
            nxt = exec1(SHA256SU0, v0=msg[0], v1=msg[1])
            nxt = exec1(SHA256SU1, v0=nxt, v1=msg[2], v2=msg[3])
            msg = msg[1:] + [nxt]
        else:
            msg = msg[1:] + [0]
    return [(x + y) & M32 for x, y in zip(H, elems(abcd) + elems(efgh))]


def test_sha256_abc_block_matches_hashlib():
    out = sha256_compress_with_instructions(H256, block_words(b"abc"))
    assert b"".join(x.to_bytes(4, "big") for x in out) == hashlib.sha256(b"abc").digest()


# -- SHA-1 --------------------------------------------------------------------------------
H1 = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
K1 = [0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6]
F1 = [lambda b, c, d: (b & c) ^ (~b & d),
      lambda b, c, d: b ^ c ^ d,
      lambda b, c, d: (b & c) ^ (b & d) ^ (c & d),
      lambda b, c, d: b ^ c ^ d]


def sha1_rounds_model(state, wk, f):
    """FIPS 180-4 6.1.2 step 3 for len(wk) rounds with function f; wk[t] = K + W[t]."""
    a, b, c, d, e = state
    for x in wk:
        t = (rol(a, 5) + (f(b, c, d) & M32) + e + x) & M32
        a, b, c, d, e = t, a, rol(b, 30), c, d
    return [a, b, c, d, e]


def test_sha1c_p_m_are_four_rounds():
    rng = random.Random(1)
    for base, f in ((SHA1C, F1[0]), (SHA1P, F1[1]), (SHA1M, F1[2])):
        for _ in range(5):
            state = [rng.getrandbits(32) for _ in range(5)]
            wk = [rng.getrandbits(32) for _ in range(4)]
            high = rng.getrandbits(96) << 32       # S[n] reads only the low 32 bits
            out = exec1(base, v0=vec(state[:4]), v1=state[4] | high, v2=vec(wk))
            model = sha1_rounds_model(state, wk, f)
            assert elems(out) == model[:4]
            # e after four rounds is ROL(a, 30) of the a four rounds before: SHA1H
            assert exec1(SHA1H, d=3, n=0, v0=vec(state[:4]) | high) == rol(state[0], 30)
            assert model[4] == rol(state[0], 30)


def test_sha1h_zeroes_the_rest_of_the_register():
    assert exec1(SHA1H, d=0, n=1, v0=(1 << 128) - 1, v1=0x80000001) == 0x60000000


def test_sha1su0_su1_message_schedule():
    rng = random.Random(11)
    W = [rng.getrandbits(32) for _ in range(16)]
    for t in range(16, 20):
        W.append(rol(W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16], 1))
    x = exec1(SHA1SU0, v0=vec(W[0:4]), v1=vec(W[4:8]), v2=vec(W[8:12]))
    x = exec1(SHA1SU1, v0=x, v1=vec(W[12:16]))
    assert elems(x) == W[16:20]


def sha1_compress_with_instructions(H, W):
    """One block the way sha1_block_armv8 runs it: 20 quad-rounds of sha1c/p/m with
    sha1h carrying e, message schedule by sha1su0/su1."""
    abcd, e = vec(H[:4]), H[4]
    msg = [vec(W[4 * i:4 * i + 4]) for i in range(4)]
    for q in range(20):
        k = K1[q // 5]
        wk = vec([(w + k) & M32 for w in elems(msg[0])])
        e_next = exec1(SHA1H, d=0, n=1, v1=abcd)
        abcd = exec1((SHA1C, SHA1P, SHA1M, SHA1P)[q // 5], v0=abcd, v1=e, v2=wk)
        e = e_next
        if q < 16:
            nxt = exec1(SHA1SU0, v0=msg[0], v1=msg[1], v2=msg[2])
            nxt = exec1(SHA1SU1, v0=nxt, v1=msg[3])
            msg = msg[1:] + [nxt]
        else:
            msg = msg[1:] + [0]
    return [(x + y) & M32 for x, y in zip(H, elems(abcd) + [e])]


def test_sha1_abc_block_matches_hashlib():
    out = sha1_compress_with_instructions(H1, block_words(b"abc"))
    assert b"".join(x.to_bytes(4, "big") for x in out) == hashlib.sha1(b"abc").digest()


def test_disassembly_of_the_sha_forms():
    from lnsym.machine.decoder import decode
    assert decode(op3(SHA1C, 0, 1, 2)).disasm() == "sha1c q0, s1, v2.4s"
    assert decode(op3(SHA256H2, 0, 1, 2)).disasm() == "sha256h2 q0, q1, v2.4s"
    assert decode(op3(SHA1H, 0, 1)).disasm() == "sha1h s0, s1"
    assert decode(op3(SHA256SU0, 0, 1)).disasm() == "sha256su0 v0.4s, v1.4s"
