"""KeccakF1600_ce vs FIPS 202 Keccak-f[1600] (proofs.specs.keccak) and ChaCha20_neon
vs the cryptography package's ChaCha20 (and RFC 8439, proofs.specs.chacha20).

KeccakF1600_ce is an internal routine: SHA3_absorb_cext and KeccakF1600_cext load
lane i = x + 5*y of the state into the low 64 bits of V<i> (i = 0..24), call it, and
store the same registers back; it uses x9, x10 and v25-v31 as scratch.

ChaCha20_neon(out, inp, len, key, counter): key is 8 little-endian u32 words and
counter[4] the 32-bit block counter followed by the 96-bit nonce -- as bytes, the
16-byte "nonce" of cryptography's ChaCha20.  From 512 bytes on it continues in
ChaCha20_512_neon.
"""
from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

from lnsym.backends.runner import run_routine
from lnsym.terms import bv
from proofs.specs import chacha20, keccak

STATE, OUT, INP, KEY, CTR = 0x100000, 0x200000, 0x300000, 0x400000, 0x410000
M64 = (1 << 64) - 1


def test_keccakf1600_ce_matches_keccak_f(routine_image):
    image = routine_image("KeccakF1600_ce")
    rng = random.Random(202)
    for trial in range(4):
        lanes = [0] * 25 if trial == 0 else [rng.getrandbits(64) for _ in range(25)]
        # the high halves hold junk: the routine must only depend on the low lanes
        regs = {f"v{i}": (rng.getrandbits(64) << 64) | lanes[i] for i in range(25)}
        r = run_routine(image, "KeccakF1600_ce", regs)
        expected = [int(x) for x in keccak.keccak_f([bv.const(v, 64) for v in lanes])]
        assert [r.state.v[i] & M64 for i in range(25)] == expected


def test_keccakf1600_cext_through_memory(routine_image):
    """The C-callable wrapper: state as 25 little-endian u64 at x0."""
    image = routine_image("KeccakF1600_ce")
    rng = random.Random(1600)
    lanes = [rng.getrandbits(64) for _ in range(25)]
    data = b"".join(v.to_bytes(8, "little") for v in lanes)
    r = run_routine(image, "KeccakF1600_cext", {"x0": STATE}, [(STATE, data)])
    out = r.memory.read_bytes(STATE, 200)
    expected = [int(x) for x in keccak.keccak_f([bv.const(v, 64) for v in lanes])]
    assert [int.from_bytes(out[8 * i:8 * i + 8], "little") for i in range(25)] == expected


def chacha_run(image, key: bytes, counter: bytes, msg: bytes):
    return run_routine(image, "ChaCha20_neon",
                       {"x0": OUT, "x1": INP, "x2": len(msg), "x3": KEY, "x4": CTR},
                       [(OUT, bytes(len(msg) + 64)), (INP, msg), (KEY, key), (CTR, counter)])


@pytest.mark.parametrize("nbytes", [64, 100, 192, 256, 320, 448, 511, 512, 700, 1024, 4096])
def test_chacha20_neon_matches_cryptography(routine_image, nbytes):
    image = routine_image("ChaCha20_neon")
    rng = random.Random(8439 + nbytes)
    key, nonce, msg = rng.randbytes(32), rng.randbytes(12), rng.randbytes(nbytes)
    counter = rng.getrandbits(20).to_bytes(4, "little") + nonce
    r = chacha_run(image, key, counter, msg)
    enc = Cipher(algorithms.ChaCha20(key, counter), mode=None).encryptor()
    assert r.memory.read_bytes(OUT, nbytes) == enc.update(msg)
    assert r.memory.read_bytes(OUT + nbytes, 64) == bytes(64)          # nothing past len


def test_chacha20_neon_rfc8439_vector(routine_image):
    """RFC 8439 §2.4.2 (the sunscreen text), against the spec as well."""
    key = bytes(range(32))
    nonce = bytes.fromhex("000000000000004a00000000")
    msg = (b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
           b"the future, sunscreen would be it.")
    r = chacha_run(routine_image("ChaCha20_neon"), key, (1).to_bytes(4, "little") + nonce, msg)
    ct = r.memory.read_bytes(OUT, len(msg))
    assert ct == chacha20.encrypt(key, 1, nonce, msg)
    assert ct[:16].hex() == "6e2e359a2568f98041ba0728dd0d6981"
