"""aes_v8_set_encrypt_key and aes_v8_encrypt vs FIPS 197 (proofs.specs.aes) and
the cryptography package, for 128-, 192- and 256-bit keys.

``AES_KEY`` is ``{u32 rd_key[60]; int rounds;}``: the routine stores round key
word w[i] (FIPS 197 §5.2) as its four bytes in the standard's order, i.e. the
big-endian bytes of w[i]; ``rounds`` (10/12/14) is at offset 240.
"""
from __future__ import annotations

import random
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lnsym.backends.runner import run_routine
from proofs.specs import aes
from proofs.specs.bytes import be_words, const_bytes

USER_KEY, KEY, IN, OUT = 0x100000, 0x110000, 0x120000, 0x130000
ROUNDS = {128: 10, 192: 12, 256: 14}


def schedule_bytes(key: bytes) -> bytes:
    """The rd_key bytes the spec's key expansion gives: w[i] big-endian, in order."""
    w = aes.key_expansion(be_words(const_bytes(key), 4), len(key) // 4)
    return b"".join(int(x).to_bytes(4, "big") for x in w)


def set_key(image, key: bytes):
    bits = 8 * len(key)
    return run_routine(image, "aes_v8_set_encrypt_key",
                       {"x0": USER_KEY, "x1": bits, "x2": KEY},
                       [(USER_KEY, key), (KEY, bytes(244))])


@pytest.mark.parametrize("bits", [128, 192, 256])
def test_set_encrypt_key_matches_key_expansion(routine_image, bits):
    image = routine_image("aes_v8_set_encrypt_key")
    rng = random.Random(197 + bits)
    for _ in range(4):
        key = rng.randbytes(bits // 8)
        r = set_key(image, key)
        assert r.state.x[0] == 0                                   # success
        rounds = ROUNDS[bits]
        rd_key = r.memory.read_bytes(KEY, 16 * (rounds + 1))
        assert rd_key == schedule_bytes(key)
        assert struct.unpack("<i", r.memory.read_bytes(KEY + 240, 4))[0] == rounds


def test_set_encrypt_key_rejects_bad_arguments(routine_image):
    image = routine_image("aes_v8_set_encrypt_key")
    r = run_routine(image, "aes_v8_set_encrypt_key", {"x0": USER_KEY, "x1": 100, "x2": KEY},
                    [(USER_KEY, bytes(32)), (KEY, bytes(244))])
    assert r.state.x[0] == 2**64 - 2                           # -2: unsupported key size
    r = run_routine(image, "aes_v8_set_encrypt_key", {"x0": 0, "x1": 128, "x2": KEY},
                    [(KEY, bytes(244))])
    assert r.state.x[0] == 2**64 - 1                           # -1: NULL user key


@pytest.mark.parametrize("bits", [128, 192, 256])
def test_encrypt_matches_aes_ecb(routine_image, bits):
    set_image = routine_image("aes_v8_set_encrypt_key")
    image = routine_image("aes_v8_encrypt")
    rng = random.Random(38 + bits)
    for _ in range(3):
        key = rng.randbytes(bits // 8)
        sched = set_key(set_image, key).memory.read_bytes(KEY, 244)
        for _ in range(3):
            block = rng.randbytes(16)
            r = run_routine(image, "aes_v8_encrypt", {"x0": IN, "x1": OUT, "x2": KEY},
                            [(IN, block), (OUT, bytes(16)), (KEY, sched)])
            enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
            expected = enc.update(block) + enc.finalize()
            assert r.memory.read_bytes(OUT, 16) == expected
            assert aes.encrypt(key, block) == expected


def test_encrypt_fips197_appendix_c1(routine_image):
    """FIPS 197 Appendix C.1 with the schedule built by the spec, not by the routine."""
    key = bytes(range(16))
    sched = schedule_bytes(key) + bytes(240 - 176) + struct.pack("<i", 10)
    r = run_routine(routine_image("aes_v8_encrypt"), "aes_v8_encrypt",
                    {"x0": IN, "x1": OUT, "x2": KEY},
                    [(IN, bytes.fromhex("00112233445566778899aabbccddeeff")),
                     (OUT, bytes(16)), (KEY, sched)])
    assert r.memory.read_bytes(OUT, 16).hex() == "69c4e0d86a7b0430d8cdb78070b4c55a"
