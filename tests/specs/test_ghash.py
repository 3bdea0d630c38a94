"""SP 800-38D reference spec (proofs.specs.ghash) vs published vectors and AES-GCM."""
from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate
from proofs.specs import gcm, ghash
from proofs.specs.bytes import const_bytes

ONE = bv.const(1 << 127, 128)          # the field's 1: the standard's bit 0 set


def _c(v):
    return bv.const(v, 128)


def test_multiplicative_identity_and_R():
    rng = random.Random(1)
    for _ in range(5):
        x = _c(rng.getrandbits(128))
        assert ghash.gf128_mul(x, ONE) is x and ghash.gf128_mul(ONE, x) is x
    # x • x^127 = x^128 = 1 + x + x^2 + x^7, which is R (§6.3)
    x1, x127 = _c(1 << 126), _c(1)
    assert ghash.gf128_mul(x1, x127) is ghash.R
    assert int(ghash.R) == 0xE1 << 120


def test_algorithm_1_and_clmul_form_agree():
    rng = random.Random(38)
    for _ in range(40):
        x, y = _c(rng.getrandbits(128)), _c(rng.getrandbits(128))
        assert ghash.gf128_mul(x, y) is ghash.gf128_mul_clmul(x, y)
        assert ghash.gf128_mul(x, y) is ghash.gf128_mul(y, x)


def test_constant_products_are_the_terms_algorithm_1_folds_to():
    """Constants take the integer Algorithm 1; the term Algorithm 1 builds, on the same
    constants, folds to the very same constant."""
    rng = random.Random(11)
    for _ in range(20):
        x, y = _c(rng.getrandbits(128)), _c(rng.getrandbits(128))
        assert ghash._algorithm1(x, y) is ghash.gf128_mul(x, y)


def test_symbolic_products_evaluate_correctly():
    rng = random.Random(7)
    X, Y = bv.var("X", 128), bv.var("Y", 128)
    z1, z2 = ghash.gf128_mul(X, Y), ghash.gf128_mul_clmul(X, Y)
    for _ in range(5):
        env = {"X": rng.getrandbits(128), "Y": rng.getrandbits(128)}
        want = int(ghash.gf128_mul(_c(env["X"]), _c(env["Y"])))
        assert evaluate(z1, env) == want and evaluate(z2, env) == want


def test_gcm_paper_test_cases_1_and_2():
    # McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 1-2 (K = 0^128, IV = 0^96)
    K = bytes(16)
    H = ghash.block_from_bytes(const_bytes(bytes.fromhex("66e94bd4ef8a2c3b884cfa59ca342b2e")))
    C, T = gcm.gcm_ae_bytes(K, bytes(12), b"")
    assert C == b"" and T.hex() == "58e2fccefa7e3061367f1d57a4e7455a"
    C, T = gcm.gcm_ae_bytes(K, bytes(12), bytes(16))
    assert C.hex() == "0388dace60b6a392f328c2b971b2fe78"
    assert T.hex() == "ab6e47d42cec13bdf53a67b21257bddf"
    S = ghash.ghash(H, [ghash.block_from_bytes(const_bytes(C)), _c(128)])
    assert f"{int(S):032x}" == "f38cbb1ad69223dcc3457ae5b6b0f885"


def test_ghash_continues_from_X0():
    rng = random.Random(3)
    H = _c(rng.getrandbits(128))
    blocks = [_c(rng.getrandbits(128)) for _ in range(5)]
    assert ghash.ghash(H, blocks) is ghash.ghash(H, blocks[2:], X0=ghash.ghash(H, blocks[:2]))
    assert ghash.ghash(H, []) is _c(0)


@pytest.mark.parametrize("key_len", [16, 24, 32])
def test_random_gcm_vs_cryptography(key_len):
    rng = random.Random(800 + key_len)
    for n in (0, 15, 16, rng.randrange(100)):
        key, iv = rng.randbytes(key_len), rng.randbytes(12)
        pt, aad = rng.randbytes(n), rng.randbytes(rng.randrange(40))
        C, T = gcm.gcm_ae_bytes(key, iv, pt, aad)
        assert C + T == AESGCM(key).encrypt(iv, pt, aad)


def test_inc32_wraps_the_low_word_only():
    x = _c((5 << 32) | 0xFFFFFFFF)
    assert int(ghash.inc32(x)) == 5 << 32


def test_multiply_by_zero_and_one():
    """0 • Y = 0 and 1 • Y = Y (1 is the block with only the standard's bit 0 set)."""
    y = _c(0x66E94BD4EF8A2C3B884CFA59CA342B2E)
    one = _c(1 << 127)
    assert ghash.gf128_mul(_c(0), y) is _c(0)
    assert ghash.gf128_mul(y, _c(0)) is _c(0)
    assert ghash.gf128_mul(one, y) is y and ghash.gf128_mul(y, one) is y
