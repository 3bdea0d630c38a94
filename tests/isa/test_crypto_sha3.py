"""SHA-512 instructions (FIPS 180-4 'abc' block vs hashlib, round and schedule models) and
the SHA-3 helpers EOR3, BCAX, RAX1, XAR against plain Python bit operations."""
from __future__ import annotations

import hashlib
import random

import pytest

from lnsym.backends.snippet import run_words
from lnsym.machine.decoder import decode

M64 = (1 << 64) - 1
M128 = (1 << 128) - 1

SHA512H, SHA512H2, SHA512SU1, RAX1 = 0xCE608000, 0xCE608400, 0xCE608800, 0xCE608C00
SHA512SU0 = 0xCEC08000
EOR3, BCAX = 0xCE000000, 0xCE200000
XAR = 0xCE800000


def enc(base, d, n, m=0, a=0, imm6=0):
    return base | m << 16 | imm6 << 10 | a << 10 | n << 5 | d


def exec1(word, d=0, **regs) -> int:
    st, _ = run_words([word], regs=regs)
    return st.v[d]


def pair(lo, hi) -> int:
    return (lo & M64) | (hi & M64) << 64


def halves(x):
    return x & M64, x >> 64


def ror(x, k):
    return ((x >> k) | (x << (64 - k))) & M64


def rol(x, k):
    return ror(x, 64 - k)


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


# FIPS 180-4 4.2.3 and 5.3.5
K512 = [icbrt(p << 192) & M64 for p in primes(80)]
H512 = [__import__("math").isqrt(p << 128) & M64 for p in primes(8)]


def test_sha512_constants():
    assert K512[0] == 0x428A2F98D728AE22 and K512[79] == 0x6C44198C4A475817
    assert H512[0] == 0x6A09E667F3BCC908 and H512[7] == 0x5BE0CD19137E2179


def S0(a):
    return ror(a, 28) ^ ror(a, 34) ^ ror(a, 39)


def S1(e):
    return ror(e, 14) ^ ror(e, 18) ^ ror(e, 41)


def rounds_model(state, wk):
    """FIPS 180-4 6.4.2 step 3; wk[t] = K[t] + W[t]."""
    a, b, c, d, e, f, g, h = state
    for x in wk:
        t1 = (h + S1(e) + ((e & f) ^ (~e & g)) + x) & M64
        t2 = (S0(a) + ((a & b) ^ (a & c) ^ (b & c))) & M64
        a, b, c, d, e, f, g, h = (t1 + t2) & M64, a, b, c, (d + t1) & M64, e, f, g
    return [a, b, c, d, e, f, g, h]


def two_rounds_with_instructions(state, wk0, wk1):
    """Two rounds with SHA512H then SHA512H2, register contents as sha512_block_armv8 forms them:
    SHA512H  Qd={h+wk0, g+wk1}, Qn={g, f}, Vm={e, d}   -> {T1(t), T1(t+1)}
    SHA512H2 Qd=that,           Qn={d, c}, Vm={b, a}   -> {new a(t), new a(t+1)}"""
    a, b, c, d, e, f, g, h = state
    t1 = exec1(enc(SHA512H, 0, 1, 2), v0=pair(g + wk1, h + wk0), v1=pair(f, g), v2=pair(d, e))
    t1_next, t1_now = halves(t1)
    new_e_now, new_e_next = (d + t1_now) & M64, (c + t1_next) & M64
    aa = exec1(enc(SHA512H2, 0, 1, 2), v0=t1, v1=pair(c, d), v2=pair(a, b))
    a_next, a_now = halves(aa)
    return [a_next, a_now, a, b, new_e_next, new_e_now, e, f]


def test_sha512h_h2_are_two_rounds():
    rng = random.Random(512)
    for _ in range(10):
        state = [rng.getrandbits(64) for _ in range(8)]
        wk = [rng.getrandbits(64) for _ in range(2)]
        assert two_rounds_with_instructions(state, *wk) == rounds_model(state, wk)


def sigma0(x):
    return ror(x, 1) ^ ror(x, 8) ^ (x >> 7)


def sigma1(x):
    return ror(x, 19) ^ ror(x, 61) ^ (x >> 6)


def schedule_pair(W, t):
    """W[t], W[t+1] (t >= 16) from SHA512SU0 then SHA512SU1, as sha512_block_armv8 does."""
    x = exec1(enc(SHA512SU0, 0, 1), v0=pair(W[t - 16], W[t - 15]), v1=pair(W[t - 14], W[t - 13]))
    x = exec1(enc(SHA512SU1, 0, 1, 2), v0=x, v1=pair(W[t - 2], W[t - 1]), v2=pair(W[t - 7], W[t - 6]))
    return halves(x)


def test_sha512su0_su1_message_schedule():
    rng = random.Random(80)
    W = [rng.getrandbits(64) for _ in range(16)]
    model = list(W)
    for t in range(16, 20):
        model.append((sigma1(model[t - 2]) + model[t - 7] + sigma0(model[t - 15]) + model[t - 16]) & M64)
    for t in (16, 18):
        W.extend(schedule_pair(W, t))
    assert W == model


def test_sha512_abc_block_matches_hashlib():
    msg = b"abc"
    padded = msg + b"\x80" + b"\0" * (111 - len(msg)) + (8 * len(msg)).to_bytes(16, "big")
    W = [int.from_bytes(padded[8 * i:8 * i + 8], "big") for i in range(16)]
    for t in range(16, 80, 2):
        W.extend(schedule_pair(W, t))
    state = list(H512)
    for t in range(0, 80, 2):
        state = two_rounds_with_instructions(state, (K512[t] + W[t]) & M64,
                                             (K512[t + 1] + W[t + 1]) & M64)
    out = [(x + y) & M64 for x, y in zip(H512, state)]
    assert b"".join(x.to_bytes(8, "big") for x in out) == hashlib.sha512(msg).digest()


# -- SHA-3 helpers ------------------------------------------------------------------------
@pytest.fixture
def randoms():
    rng = random.Random(3)
    return [(rng.getrandbits(128), rng.getrandbits(128), rng.getrandbits(128)) for _ in range(8)]


def test_eor3(randoms):
    for n, m, a in randoms:
        assert exec1(enc(EOR3, 0, 1, 2, a=3), v1=n, v2=m, v3=a) == n ^ m ^ a


def test_bcax(randoms):
    for n, m, a in randoms:
        assert exec1(enc(BCAX, 4, 1, 2, a=3), d=4, v1=n, v2=m, v3=a) == n ^ (m & ~a & M128)


def test_rax1(randoms):
    for n, m, _ in randoms:
        expect = pair(n & M64 ^ rol(m & M64, 1), (n >> 64) ^ rol(m >> 64, 1))
        assert exec1(enc(RAX1, 0, 1, 2), v1=n, v2=m) == expect


@pytest.mark.parametrize("imm6", [0, 1, 17, 63])
def test_xar(randoms, imm6):
    for n, m, _ in randoms:
        x = n ^ m
        expect = pair(ror(x & M64, imm6) if imm6 else x & M64, ror(x >> 64, imm6) if imm6 else x >> 64)
        assert exec1(enc(XAR, 0, 1, 2, imm6=imm6), v1=n, v2=m) == expect


def test_same_register_operands():
    # RAX1 v1, v1, v1 and EOR3 with repeated registers read every operand before writing
    x = 0x0123456789ABCDEF_FEDCBA9876543210
    assert exec1(enc(RAX1, 1, 1, 1), d=1, v1=x) == pair(x & M64 ^ rol(x & M64, 1), (x >> 64) ^ rol(x >> 64, 1))
    assert exec1(enc(EOR3, 1, 1, 1, a=1), d=1, v1=x) == x


@pytest.mark.parametrize("word,text", [
    (enc(SHA512H, 0, 1, 2), "sha512h q0, q1, v2.2d"),
    (enc(SHA512H2, 0, 1, 2), "sha512h2 q0, q1, v2.2d"),
    (enc(SHA512SU0, 0, 1), "sha512su0 v0.2d, v1.2d"),
    (enc(SHA512SU1, 0, 1, 2), "sha512su1 v0.2d, v1.2d, v2.2d"),
    (enc(RAX1, 0, 1, 2), "rax1 v0.2d, v1.2d, v2.2d"),
    (enc(EOR3, 0, 1, 2, a=3), "eor3 v0.16b, v1.16b, v2.16b, v3.16b"),
    (enc(BCAX, 0, 1, 2, a=3), "bcax v0.16b, v1.16b, v2.16b, v3.16b"),
    (enc(XAR, 0, 1, 2, imm6=5), "xar v0.2d, v1.2d, v2.2d, #5"),
])
def test_disassembly(word, text):
    assert decode(word).disasm() == text
