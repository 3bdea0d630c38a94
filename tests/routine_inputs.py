"""Valid random arguments for each of the eleven OpenSSL target routines
(shared by the trace and CLI tests)."""
from __future__ import annotations

import struct

A, B, C, D, E = 0x200000, 0x210000, 0x220000, 0x230000, 0x240000


def _rand(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def _aes_key(rng, rounds=10):
    return _rand(rng, 240) + struct.pack("<I", rounds)


def routine_call(symbol, rng):
    """(member, regs, writes) for one call with valid, random arguments."""
    if symbol in ("sha1_block_armv8", "sha256_block_armv8", "sha512_block_armv8"):
        member = {"sha1": "sha1", "sha256": "sha256", "sha512": "sha512"}[symbol.split("_")[0]]
        block = 128 if member == "sha512" else 64
        return (f"libcrypto-lib-{member}-armv8.o", {"x0": A, "x1": B, "x2": 2},
                [(A, _rand(rng, 64)), (B, _rand(rng, 2 * block))])
    if symbol == "aes_v8_set_encrypt_key":
        return ("libcrypto-lib-aesv8-armx.o", {"x0": A, "x1": 256, "x2": B},
                [(A, _rand(rng, 32)), (B, bytes(256))])
    if symbol == "aes_v8_encrypt":
        return ("libcrypto-lib-aesv8-armx.o", {"x0": A, "x1": B, "x2": C},
                [(A, _rand(rng, 16)), (B, bytes(16)), (C, _aes_key(rng, 14))])
    if symbol == "gcm_init_v8":
        return ("libcrypto-lib-ghashv8-armx.o", {"x0": A, "x1": B},
                [(A, bytes(256)), (B, _rand(rng, 16))])
    if symbol == "gcm_gmult_v8":
        return ("libcrypto-lib-ghashv8-armx.o", {"x0": A, "x1": B},
                [(A, _rand(rng, 16)), (B, _rand(rng, 256))])
    if symbol == "gcm_ghash_v8":
        return ("libcrypto-lib-ghashv8-armx.o", {"x0": A, "x1": B, "x2": C, "x3": 16 * 5},
                [(A, _rand(rng, 16)), (B, _rand(rng, 256)), (C, _rand(rng, 16 * 5))])
    if symbol == "aes_gcm_enc_128_kernel":
        return ("libcrypto-lib-aes-gcm-armv8_64.o",
                {"x0": A, "x1": 8 * 80, "x2": B, "x3": C, "x4": D, "x5": E},
                [(A, _rand(rng, 80)), (B, bytes(96)), (C, _rand(rng, 32 + 256)),
                 (D, _rand(rng, 12) + b"\0\0\0\1"), (E, _aes_key(rng))])
    if symbol == "KeccakF1600_ce":
        regs = {f"v{i}": rng.getrandbits(64) for i in range(25)}
        return ("libcrypto-lib-keccak1600-armv8.o", regs, [])
    if symbol == "ChaCha20_neon":
        return ("libcrypto-lib-chacha-armv8.o",
                {"x0": A, "x1": B, "x2": 192, "x3": C, "x4": D},
                [(A, bytes(192)), (B, _rand(rng, 192)), (C, _rand(rng, 32)), (D, _rand(rng, 16))])
    raise KeyError(symbol)


ROUTINES = ["sha1_block_armv8", "sha256_block_armv8", "sha512_block_armv8",
            "aes_v8_set_encrypt_key", "aes_v8_encrypt", "gcm_init_v8", "gcm_gmult_v8",
            "gcm_ghash_v8", "aes_gcm_enc_128_kernel", "KeccakF1600_ce", "ChaCha20_neon"]
