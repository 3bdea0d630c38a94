"""SP 800-38D GCM mode (proofs.specs.gcm) vs the GCM paper's test cases and cryptography."""
from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate
from proofs.specs import gcm, ghash
from proofs.specs.aes import key_expansion
from proofs.specs.bytes import be_words, const_bytes, to_bytes

# McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", Appendix B test cases.
K3 = "feffe9928665731c6d6a8f9467308308"
IV3 = "cafebabefacedbaddecaf888"
P3 = ("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")
C3 = ("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985")
A4 = "feedfacedeadbeeffeedfacedeadbeefabaddad2"
PAPER = [  # (case, K, IV, P, A, C, T)
    (1, "00" * 16, "00" * 12, "", "", "", "58e2fccefa7e3061367f1d57a4e7455a"),
    (2, "00" * 16, "00" * 12, "00" * 16, "", "0388dace60b6a392f328c2b971b2fe78",
     "ab6e47d42cec13bdf53a67b21257bddf"),
    (3, K3, IV3, P3, "", C3, "4d5c2af327cd64a62cf35abd2ba6fab4"),
    (4, K3, IV3, P3[:120], A4, C3[:120], "5bc94fbc3221a5db94fae95ae7121a47"),
    (13, "00" * 32, "00" * 12, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"),
    (14, "00" * 32, "00" * 12, "00" * 16, "", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"),
]


def _schedule(key: bytes):
    return key_expansion(be_words(const_bytes(key), 4), len(key) // 4)


@pytest.mark.parametrize("case, K, IV, P, A, C, T", PAPER, ids=[f"case{c[0]}" for c in PAPER])
def test_gcm_paper_vectors(case, K, IV, P, A, C, T):
    K, IV, P, A, C, T = (bytes.fromhex(x) for x in (K, IV, P, A, C, T))
    assert gcm.gcm_ae_bytes(K, IV, P, A) == (C, T)
    assert gcm.gcm_ad_bytes(K, IV, C, A, T) == P


def test_gcm_ad_fails_on_any_change():
    K, IV, P, A = bytes.fromhex(K3), bytes.fromhex(IV3), bytes.fromhex(P3[:120]), bytes.fromhex(A4)
    C, T = gcm.gcm_ae_bytes(K, IV, P, A)
    flip = bytes([1]) + bytes(len(C) - 1)
    assert gcm.gcm_ad_bytes(K, IV, bytes(a ^ b for a, b in zip(C, flip)), A, T) is None
    assert gcm.gcm_ad_bytes(K, IV, C, A[:-1], T) is None
    assert gcm.gcm_ad_bytes(K, IV, C, A, T[:15] + bytes([T[15] ^ 0x80])) is None
    assert gcm.gcm_ad_bytes(K, IV, C, A, T) == P


def test_inc32_counter_blocks_wrap_the_low_word_only():
    icb = bv.const((0xABCD << 96) | (7 << 32) | 0xFFFFFFFE, 128)
    cbs = gcm.counter_blocks(icb, 3)
    assert [int(c) & 0xFFFFFFFF for c in cbs] == [0xFFFFFFFE, 0xFFFFFFFF, 0]
    assert all(int(c) >> 32 == (0xABCD << 64) | 7 for c in cbs)


def test_gctr_is_aes_ctr_mode_with_a_32_bit_counter():
    rng = random.Random(38)
    key, iv = rng.randbytes(16), rng.randbytes(12)
    for n in (0, 1, 15, 16, 17, 50):
        data = rng.randbytes(n)
        icb = iv + (0xFFFFFFFF).to_bytes(4, "big")        # the counter wraps after one block
        out = to_bytes(gcm.gctr(_schedule(key), bv.concat(*const_bytes(icb)), const_bytes(data)))
        ks = b""
        for i in range(-(-n // 16)):
            cb = iv + ((0xFFFFFFFF + i) & 0xFFFFFFFF).to_bytes(4, "big")
            enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
            ks += enc.update(cb) + enc.finalize()
        assert out == bytes(a ^ b for a, b in zip(data, ks))


def test_ghash_ciphertext_pads_the_last_block_and_continues():
    rng = random.Random(5)
    H = bv.const(rng.getrandbits(128), 128)
    X0 = bv.const(rng.getrandbits(128), 128)
    C = rng.randbytes(37)
    padded = C + bytes(11)
    blocks = [bv.const(int.from_bytes(padded[i:i + 16], "big"), 128) for i in range(0, 48, 16)]
    assert gcm.ghash_ciphertext(H, const_bytes(C), X0) is ghash.ghash(H, blocks, X0)
    assert gcm.ghash_ciphertext(H, [], X0) is X0


def test_length_block_counts_bits():
    assert int(gcm.length_block(20, 60)) == (160 << 64) | 480


@pytest.mark.parametrize("key_len", [16, 24, 32])
def test_random_lengths_vs_cryptography(key_len):
    """Random lengths up to 4 KiB; AAD up to 64 bytes."""
    rng = random.Random(4096 + key_len)
    lengths = [0, 16 * rng.randrange(1, 8), rng.randrange(1, 4097)]
    for n in lengths:
        key, iv = rng.randbytes(key_len), rng.randbytes(12)
        pt, aad = rng.randbytes(n), rng.randbytes(rng.randrange(65))
        C, T = gcm.gcm_ae_bytes(key, iv, pt, aad)
        assert C + T == AESGCM(key).encrypt(iv, pt, aad)
        assert gcm.gcm_ad_bytes(key, iv, C, aad, T) == pt


def test_symbolic_gctr_and_tag_evaluate_like_constants():
    """One symbolic block under a symbolic H and counter: the terms evaluate to the
    constant spec's values."""
    rng = random.Random(11)
    w = [bv.const(x, 32) for x in (int(t) for t in _schedule(rng.randbytes(16)))]
    P = [bv.var(f"p{i}", 8) for i in range(20)]
    icb = bv.var("icb", 128)
    C = gcm.gctr(w, icb, P)
    H = bv.var("H", 128)
    S = gcm.ghash_ciphertext(H, C)
    env = {f"p{i}": rng.getrandbits(8) for i in range(20)}
    env.update(icb=rng.getrandbits(128), H=rng.getrandbits(128))
    Cc = gcm.gctr(w, bv.const(env["icb"], 128), [bv.const(env[f"p{i}"], 8) for i in range(20)])
    Sc = gcm.ghash_ciphertext(bv.const(env["H"], 128), Cc)
    memo: dict = {}
    assert [evaluate(c, env, memo) for c in C] == [int(c) for c in Cc]
    assert evaluate(S, env, memo) == int(Sc)
