"""RFC 8439 reference spec (proofs.specs.chacha20) vs the RFC's vectors and cryptography."""
from __future__ import annotations

import random

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate
from proofs.specs import chacha20

KEY = bytes(range(32))


def _w(v):
    return bv.const(v, 32)


def test_quarter_round_2_1_1():
    out = chacha20.quarter_round(_w(0x11111111), _w(0x01020304), _w(0x9B8D6F43), _w(0x01234567))
    assert [int(x) for x in out] == [0xEA2A92F4, 0xCB1CF8CE, 0x4581472E, 0x5881C4BB]


def test_block_function_2_3_2():
    nonce = bytes.fromhex("000000090000004a00000000")
    words = chacha20.chacha20_block(chacha20.key_words_from_bytes(KEY), 1,
                                    chacha20.nonce_words_from_bytes(nonce))
    assert [int(x) for x in words[:4]] == [0xE4E7F110, 0x15593BD1, 0x1FDD0F50, 0xC47120A3]
    assert int(words[15]) == 0x4E3C50A2
    assert chacha20.block_bytes(KEY, 1, nonce).hex() == (
        "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e")


def test_quarter_round_on_the_state_2_2_1():
    before = [0x879531E0, 0xC5ECF37D, 0x516461B1, 0xC9A62F8A, 0x44C20EF3, 0x3390AF7F,
              0xD9FC690B, 0x2A5F714C, 0x53372767, 0xB00A5631, 0x974C541A, 0x359E9963,
              0x5C971061, 0x3D631689, 0x2098D9D6, 0x91DBD320]
    after = list(before)
    after[2], after[7], after[8], after[13] = 0xBDB886DC, 0xCFACAFD2, 0xE46BEA80, 0xCCC07C79
    out = chacha20.QUARTERROUND([_w(x) for x in before], 2, 7, 8, 13)
    assert [int(x) for x in out] == after


SUNSCREEN = (b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
             b"for the future, sunscreen would be it.")


def test_encrypt_2_4_2():
    nonce = bytes.fromhex("000000000000004a00000000")
    ct = chacha20.encrypt(KEY, 1, nonce, SUNSCREEN)
    assert ct.hex() == (
        "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
        "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
        "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
        "5af90bbf74a35be6b40b8eedf2785e42874d")
    assert chacha20.encrypt(KEY, 1, nonce, ct) == SUNSCREEN


def test_the_counter_is_32_bits_and_wraps():
    """Block j uses counter + j modulo 2^32 (§2.3: a 32-bit block count)."""
    nonce = bytes(range(12))
    pt = bytes(130)
    ct = chacha20.encrypt(KEY, 0xFFFFFFFF, nonce, pt)
    assert ct[:64] == chacha20.block_bytes(KEY, 0xFFFFFFFF, nonce)
    assert ct[64:128] == chacha20.block_bytes(KEY, 0, nonce)
    assert ct[128:] == chacha20.block_bytes(KEY, 1, nonce)[:2]


def _reference(key, counter, nonce, data):
    # cryptography's ChaCha20 takes 16 bytes: the 32-bit counter (little-endian) || the 96-bit nonce
    enc = Cipher(algorithms.ChaCha20(key, counter.to_bytes(4, "little") + nonce), None).encryptor()
    return enc.update(data) + enc.finalize()


def test_random_vs_cryptography():
    """Random lengths up to 4 KiB (no counter wrap: OpenSSL's EVP counter carries
    into the nonce, RFC 8439's does not)."""
    rng = random.Random(8439)
    for n in (0, 1, 63, 64, 65, rng.randrange(300), rng.randrange(4097)):
        key, nonce, pt = rng.randbytes(32), rng.randbytes(12), rng.randbytes(n)
        counter = rng.getrandbits(31)
        assert chacha20.encrypt(key, counter, nonce, pt) == _reference(key, counter, nonce, pt)


def test_symbolic_block_evaluates_like_the_constant_path():
    rng = random.Random(20)
    key = [bv.var(f"k{i}", 32) for i in range(8)]
    nonce = [bv.var(f"n{i}", 32) for i in range(3)]
    out = chacha20.chacha20_block(key, bv.var("ctr", 32), nonce)
    env = {f"k{i}": rng.getrandbits(32) for i in range(8)}
    env.update((f"n{i}", rng.getrandbits(32)) for i in range(3))
    env["ctr"] = rng.getrandbits(32)
    want = chacha20.chacha20_block([env[f"k{i}"] for i in range(8)], env["ctr"],
                                   [env[f"n{i}"] for i in range(3)])
    memo: dict = {}
    assert [evaluate(x, env, memo) for x in out] == [int(x) for x in want]


def test_symbolic_encryption_evaluates_like_the_reference():
    rng = random.Random(21)
    key = [bv.var(f"k{i}", 32) for i in range(8)]
    nonce = [bv.var(f"n{i}", 32) for i in range(3)]
    pt = [bv.var(f"p{i}", 8) for i in range(100)]
    out = chacha20.encrypt_terms(key, bv.var("ctr", 32), nonce, pt)
    kb, nb, pb = rng.randbytes(32), rng.randbytes(12), rng.randbytes(100)
    ctr = 0xFFFFFFFF                                # the second block wraps to counter 0
    env = {f"k{i}": int.from_bytes(kb[4 * i:4 * i + 4], "little") for i in range(8)}
    env.update((f"n{i}", int.from_bytes(nb[4 * i:4 * i + 4], "little")) for i in range(3))
    env.update((f"p{i}", pb[i]) for i in range(100))
    env["ctr"] = ctr
    memo: dict = {}
    assert bytes(evaluate(x, env, memo) for x in out) == chacha20.encrypt(kb, ctr, nb, pb)
