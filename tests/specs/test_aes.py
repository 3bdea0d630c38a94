"""FIPS 197 reference spec (proofs.specs.aes) vs the standard's examples and cryptography."""
from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate
from proofs.specs import aes
from proofs.specs.bytes import be_words, const_bytes

PLAIN = bytes.fromhex("00112233445566778899aabbccddeeff")


def _ecb(key: bytes, block: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def test_sbox_entries_from_figure_7():
    assert aes.SBOX[0x53] == 0xED          # §5.1.1 worked example
    assert aes.SBOX[0x00] == 0x63
    assert (aes.SBOX[0x01], aes.SBOX[0x10], aes.SBOX[0xFF]) == (0x7C, 0xCA, 0x16)
    assert sorted(aes.SBOX) == list(range(256))
    assert all(aes.SBOX[x] ^ x for x in range(256))          # no fixed points


def test_gf_arithmetic_examples():
    assert aes.gf_mul(0x57, 0x83) == 0xC1                    # §4.2
    assert aes.gf_mul(0x57, 0x13) == 0xFE                    # §4.2.1
    chain = [0x57]
    for _ in range(4):
        chain.append(int(aes.xtime(bv.const(chain[-1], 8))))
    assert chain == [0x57, 0xAE, 0x47, 0x8E, 0x07]            # §4.2.1 xtime chain
    assert aes.gf_mul(aes.gf_inverse(0x53), 0x53) == 1 and aes.gf_inverse(0x53) == 0xCA
    assert [r >> 24 for r in aes.Rcon[1:]] == [1, 2, 4, 8, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36]


def test_mix_columns_column():
    col = [bv.const(b, 8) for b in (0xDB, 0x13, 0x53, 0x45)]
    state = [[col[r]] * 4 for r in range(4)]
    out = aes.MixColumns(state)
    assert [int(out[r][0]) for r in range(4)] == [0x8E, 0x4D, 0xA1, 0xBC]


def test_shift_rows_moves_row_r_left_by_r():
    s = [[bv.const(16 * r + c, 8) for c in range(4)] for r in range(4)]
    out = aes.ShiftRows(s)
    assert [[int(x) for x in row] for row in out] == [
        [0x00, 0x01, 0x02, 0x03], [0x11, 0x12, 0x13, 0x10],
        [0x22, 0x23, 0x20, 0x21], [0x33, 0x30, 0x31, 0x32]]


@pytest.mark.parametrize("key, last", [
    ("2b7e151628aed2a6abf7158809cf4f3c", 0xB6630CA6),                                  # A.1
    ("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", 0x01002202),                  # A.2
    ("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 0x706C631E),  # A.3
])
def test_key_expansion_appendix_a(key, last):
    k = bytes.fromhex(key)
    w = aes.key_expansion(be_words(const_bytes(k), 4), len(k) // 4)
    assert len(w) == 4 * (len(k) // 4 + 7)
    assert int(w[-1]) == last
    if len(k) == 16:
        assert [int(x) for x in w[4:8]] == [0xA0FAFE17, 0x88542CB1, 0x23A33939, 0x2A6C7605]


@pytest.mark.parametrize("key, block, out", [
    ("2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734",
     "3925841d02dc09fbdc118597196a0b32"),                                           # Appendix B
    ("000102030405060708090a0b0c0d0e0f", PLAIN.hex(), "69c4e0d86a7b0430d8cdb78070b4c55a"),  # C.1
    ("000102030405060708090a0b0c0d0e0f1011121314151617", PLAIN.hex(),
     "dda97ca4864cdfe06eaf70a0ec0d7191"),                                                # C.2
    ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", PLAIN.hex(),
     "8ea2b7ca516745bfeafc49904b496089"),                                                # C.3
])
def test_fips_197_vectors(key, block, out):
    assert aes.encrypt(bytes.fromhex(key), bytes.fromhex(block)).hex() == out


def test_random_vs_cryptography_ecb():
    rng = random.Random(197)
    for key_len in (16, 24, 32):
        for _ in range(4):
            key, block = rng.randbytes(key_len), rng.randbytes(16)
            assert aes.encrypt(key, block) == _ecb(key, block), (key.hex(), block.hex())


def test_symbolic_cipher_evaluates_like_the_constant_path():
    rng = random.Random(5)
    key_words = [bv.var(f"k{i}", 32) for i in range(4)]
    block = [bv.var(f"in{i}", 8) for i in range(16)]
    before = bv.term_count()
    out = aes.cipher(block, aes.key_expansion(key_words, 4))
    assert bv.term_count() > before and len(out) == 16
    for _ in range(3):
        key, data = rng.randbytes(16), rng.randbytes(16)
        env = {f"k{i}": int.from_bytes(key[4 * i:4 * i + 4], "big") for i in range(4)}
        env.update((f"in{i}", data[i]) for i in range(16))
        memo: dict = {}
        assert bytes(evaluate(x, env, memo) for x in out) == _ecb(key, data)


def test_rejects_bad_shapes():
    with pytest.raises(ValueError):
        aes.key_expansion([bv.const(0, 32)] * 5, 5)
    with pytest.raises(ValueError):
        aes.encrypt(bytes(15), bytes(16))


# -- the inverse cipher (§5.3) ------------------------------------------------------------------
def _ecb_decrypt(key: bytes, block: bytes) -> bytes:
    d = Cipher(algorithms.AES(key), modes.ECB()).decryptor()
    return d.update(block) + d.finalize()


def test_inverse_sbox_and_inv_mix_columns():
    assert aes.INV_SBOX[0x63] == 0x00 and aes.INV_SBOX[0xED] == 0x53     # §5.3.2, Figure 14
    col = [bv.const(b, 8) for b in (0x8E, 0x4D, 0xA1, 0xBC)]             # MixColumns' result
    state = [[col[r]] * 4 for r in range(4)]
    assert [int(x) for x in aes.InvMixColumns(state)[:][0]] == [0xDB] * 4
    assert [int(aes.InvMixColumns(state)[r][2]) for r in range(4)] == [0xDB, 0x13, 0x53, 0x45]


@pytest.mark.parametrize("key, block, out", [
    ("000102030405060708090a0b0c0d0e0f", PLAIN.hex(), "69c4e0d86a7b0430d8cdb78070b4c55a"),  # C.1
    ("000102030405060708090a0b0c0d0e0f1011121314151617", PLAIN.hex(),
     "dda97ca4864cdfe06eaf70a0ec0d7191"),                                                # C.2
    ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", PLAIN.hex(),
     "8ea2b7ca516745bfeafc49904b496089"),                                                # C.3
])
def test_fips_197_inverse_vectors(key, block, out):
    """Appendix C's INVERSE CIPHER runs: the ciphertext decrypts to the plaintext, by
    InvCipher and by the Equivalent Inverse Cipher."""
    k = bytes.fromhex(key)
    assert aes.decrypt(k, bytes.fromhex(out)).hex() == block
    w = aes.key_expansion(be_words(const_bytes(k), 4), len(k) // 4)
    dw = aes.equivalent_decryption_schedule(w)
    got = aes.eq_inv_cipher(const_bytes(bytes.fromhex(out)), dw)
    assert bytes(int(b) for b in got).hex() == block


def test_random_decrypt_vs_cryptography_ecb():
    rng = random.Random(1970)
    for key_len in (16, 24, 32):
        for _ in range(3):
            key, block = rng.randbytes(key_len), rng.randbytes(16)
            assert aes.decrypt(key, block) == _ecb_decrypt(key, block)
