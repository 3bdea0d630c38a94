"""sha1/sha256/sha512_block_armv8 hash random messages of 0-1000 bytes like hashlib.

The test pads the message (FIPS 180-4 §5.1), runs the block function once over all
blocks from the standard initial hash value (§5.3), and compares the final state
(native little-endian words in the context) with hashlib's digest.  Also run through
``lnsym run`` once, as a user would.
"""
from __future__ import annotations

import hashlib
import json
import random
import struct

import pytest

from lnsym.backends.runner import run_routine
from lnsym.cli.main import main

CTX, INP = 0x100000, 0x200000
SHA1_IV = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
SHA256_IV = (0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
             0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19)
SHA512_IV = (0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B,
             0xA54FF53A5F1D36F1, 0x510E527FADE682D1, 0x9B05688C2B3E6C1F,
             0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179)
# routine -> (hashlib name, IV, word format, block bytes, length-field bytes)
CASES = {
    "sha1_block_armv8": ("sha1", SHA1_IV, "I", 64, 8),
    "sha256_block_armv8": ("sha256", SHA256_IV, "I", 64, 8),
    "sha512_block_armv8": ("sha512", SHA512_IV, "Q", 128, 16),
}


def pad(msg: bytes, block: int, length_bytes: int) -> bytes:
    """§5.1.1/§5.1.2: 1 bit, zeros, then the bit length big-endian."""
    zeros = -(len(msg) + 1 + length_bytes) % block
    return msg + b"\x80" + bytes(zeros) + (8 * len(msg)).to_bytes(length_bytes, "big")


def lengths(rng: random.Random, block: int) -> list[int]:
    edges = [0, 1, block - 9, block - 8, block, 2 * block + 3, 1000]
    return edges + [rng.randrange(1001) for _ in range(3)]


@pytest.mark.parametrize("routine", list(CASES))
def test_hashes_like_hashlib(routine_image, routine):
    name, iv, fmt, block, lenb = CASES[routine]
    image = routine_image(routine)
    rng = random.Random(180 + len(routine))
    total_steps = 0
    for n in lengths(rng, block):
        msg = rng.randbytes(n)
        padded = pad(msg, block, lenb)
        ctx = struct.pack(f"<{len(iv)}{fmt}", *iv)
        r = run_routine(image, routine, {"x0": CTX, "x1": INP, "x2": len(padded) // block},
                        [(CTX, ctx), (INP, padded)])
        total_steps += r.steps
        state = struct.unpack(f"<{len(iv)}{fmt}", r.memory.read_bytes(CTX, len(ctx)))
        digest = struct.pack(f">{len(iv)}{fmt}", *state)
        assert digest == hashlib.new(name, msg).digest(), (routine, n)
    assert total_steps > 0


def test_sha256_through_lnsym_run(openssl_lib, capsys):
    msg = b"abc" * 50
    padded = pad(msg, 64, 8)
    ctx = struct.pack("<8I", *SHA256_IV)
    argv = ["run", f"{openssl_lib}:libcrypto-lib-sha256-armv8.o",
            "--symbol", "sha256_block_armv8",
            "--reg", f"x0={CTX:#x}", "--reg", f"x1={INP:#x}", "--reg", f"x2={len(padded) // 64}",
            "--mem", f"{CTX:#x}={ctx.hex()}", "--mem", f"{INP:#x}={padded.hex()}",
            "--dump", f"{CTX:#x}:32", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    (dumped,) = out["dumps"].values()
    state = struct.unpack("<8I", bytes.fromhex(dumped))
    assert struct.pack(">8I", *state) == hashlib.sha256(msg).digest()
    assert out["steps"] > 100
