"""aes_gcm_enc_128_kernel vs the cryptography package's AES-GCM.

OpenSSL 3.0 (aes-gcm-armv8_64.pl) calls
``aes_gcm_enc_128_kernel(in, bit_length, out, Xi, ivec, key)``: ``Xi`` points at the
GCM128_CONTEXT's running hash (16 bytes, standard order) and the Htable written by
gcm_init_v8 follows at ``Xi + 32``; ``ivec`` is the 16-byte counter block (IV and a
32-bit big-endian counter), whose counter is written back advanced by the number of
blocks; ``key`` is the AES_KEY of aes_v8_set_encrypt_key.  It returns the byte length.  A partial
last block is encrypted and hashed zero-padded; the bytes after it are left alone.

The test feeds Xi = GHASH(AAD) and ivec = J0 + 1 as the caller would, then finishes
the tag (lengths block, E_K(J0)) in Python and compares ciphertext and tag with
AESGCM.
"""
from __future__ import annotations

import random
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from test_run_ghash import h_arg, spec_ghash

from lnsym.backends.runner import run_routine

IN, OUT, CTX, IVEC, KEY, USER_KEY = 0x100000, 0x200000, 0x300000, 0x310000, 0x320000, 0x330000
HTABLE_BYTES = 16 * 12


def ecb(key: bytes, block: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def pad16(b: bytes) -> bytes:
    return b + bytes(-len(b) % 16)


def prepare(routine_image, key: bytes) -> tuple[bytes, bytes]:
    """(AES_KEY bytes, Htable bytes) from the routines under test for their parts."""
    r = run_routine(routine_image("aes_v8_set_encrypt_key"), "aes_v8_set_encrypt_key",
                    {"x0": USER_KEY, "x1": 128, "x2": KEY},
                    [(USER_KEY, key), (KEY, bytes(244))])
    sched = r.memory.read_bytes(KEY, 244)
    h = ecb(key, bytes(16))
    r = run_routine(routine_image("gcm_init_v8"), "gcm_init_v8", {"x0": CTX, "x1": IVEC},
                    [(CTX, bytes(HTABLE_BYTES)), (IVEC, h_arg(h))])
    return sched, r.memory.read_bytes(CTX, HTABLE_BYTES)


@pytest.mark.parametrize("nbytes", [16, 32, 48, 64, 80, 128, 176, 272, 5, 37, 100])
def test_enc_128_kernel_matches_aesgcm(routine_image, nbytes):
    """Whole blocks (the 4-block loop and its tails) and a partial last block."""
    rng = random.Random(800 + nbytes)
    nblocks = -(-nbytes // 16)
    key, iv = rng.randbytes(16), rng.randbytes(12)
    aad, pt = rng.randbytes(rng.randrange(40)), rng.randbytes(nbytes)
    sched, table = prepare(routine_image, key)
    h = ecb(key, bytes(16))
    xi = spec_ghash(h, bytes(16), pad16(aad))
    ivec = iv + (2).to_bytes(4, "big")                           # J0 + 1
    r = run_routine(routine_image("aes_gcm_enc_128_kernel"), "aes_gcm_enc_128_kernel",
                    {"x0": IN, "x1": 8 * len(pt), "x2": OUT, "x3": CTX, "x4": IVEC, "x5": KEY},
                    [(IN, pt), (OUT, bytes(16 * nblocks)), (CTX, xi + bytes(16) + table),
                     (IVEC, ivec), (KEY, sched)])
    assert r.state.x[0] == len(pt)
    ct = r.memory.read_bytes(OUT, len(pt))
    xi_out = r.memory.read_bytes(CTX, 16)
    assert r.memory.read_bytes(IVEC, 16) == iv + (2 + nblocks).to_bytes(4, "big")
    assert xi_out == spec_ghash(h, xi, pad16(ct))
    tail = 16 * nblocks - len(pt)
    assert r.memory.read_bytes(OUT + len(pt), tail) == bytes(tail)      # untouched
    lengths = struct.pack(">QQ", 8 * len(aad), 8 * len(pt))
    s = spec_ghash(h, xi_out, lengths)
    tag = bytes(a ^ b for a, b in zip(s, ecb(key, iv + (1).to_bytes(4, "big"))))
    assert ct + tag == AESGCM(key).encrypt(iv, pt, aad)


def test_zero_length_returns_zero(routine_image):
    r = run_routine(routine_image("aes_gcm_enc_128_kernel"), "aes_gcm_enc_128_kernel",
                    {"x0": IN, "x1": 0, "x2": OUT, "x3": CTX, "x4": IVEC, "x5": KEY},
                    [(CTX, bytes(32)), (IVEC, bytes(16))])
    assert r.state.x[0] == 0 and r.memory.read_bytes(CTX, 16) == bytes(16)
