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


def test_encrypt_2_4_2_first_bytes():
    nonce = bytes.fromhex("000000000000004a00000000")
    pt = (b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
          b"for the future, sunscreen would be it.")
    ct = chacha20.encrypt(KEY, 1, nonce, pt)
    assert ct[:16].hex() == "6e2e359a2568f98041ba0728dd0d6981"
    assert ct[-2:].hex() == "874d"


def _reference(key, counter, nonce, data):
    # cryptography's ChaCha20 takes 16 bytes: the 32-bit counter (little-endian) || the 96-bit nonce
    enc = Cipher(algorithms.ChaCha20(key, counter.to_bytes(4, "little") + nonce), None).encryptor()
    return enc.update(data) + enc.finalize()


def test_random_vs_cryptography():
    rng = random.Random(8439)
    for n in (1, 64, 65, rng.randrange(300)):
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
