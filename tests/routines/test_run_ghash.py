"""gcm_init_v8, gcm_gmult_v8 and gcm_ghash_v8 vs SP 800-38D GHASH (proofs.specs.ghash,
itself checked against AES-GCM in tests/specs).

OpenSSL's conventions (crypto/modes/gcm128.c): ``H`` is passed as two u64 holding the
big-endian halves of the 16 bytes of H = E_K(0^128), ``Xi`` as the 16 bytes of the
running hash in the standard's order.  ``gcm_ghash_v8(Xi, Htable, inp, len)`` takes
``len`` in bytes (a multiple of 16) and uses a 4-block path from 64 bytes on.
"""
from __future__ import annotations

import random
import struct

import pytest

from lnsym.backends.runner import run_routine
from lnsym.terms import bv
from proofs.specs import ghash

HTABLE, H, XI, INP = 0x100000, 0x110000, 0x120000, 0x130000
HTABLE_BYTES = 16 * 12


def h_arg(h: bytes) -> bytes:
    """H as gcm128.c hands it over: u64 H[2] = {BE64(h[0:8]), BE64(h[8:16])}."""
    return struct.pack("<2Q", int.from_bytes(h[:8], "big"), int.from_bytes(h[8:], "big"))


def init_htable(image, h: bytes) -> bytes:
    r = run_routine(image, "gcm_init_v8", {"x0": HTABLE, "x1": H},
                    [(HTABLE, bytes(HTABLE_BYTES)), (H, h_arg(h))])
    return r.memory.read_bytes(HTABLE, HTABLE_BYTES)


def spec_ghash(h: bytes, xi: bytes, data: bytes) -> bytes:
    blocks = [bv.const(int.from_bytes(data[i:i + 16], "big"), 128)
              for i in range(0, len(data), 16)]
    y = ghash.ghash(bv.const(int.from_bytes(h, "big"), 128), blocks,
                    bv.const(int.from_bytes(xi, "big"), 128))
    return int(y).to_bytes(16, "big")


def test_gmult_is_one_ghash_step(routine_image):
    """gcm_init_v8 then gcm_gmult_v8: Xi <- Xi • H."""
    image = routine_image("gcm_gmult_v8")
    rng = random.Random(3800)
    for _ in range(8):
        h, xi = rng.randbytes(16), rng.randbytes(16)
        table = init_htable(image, h)
        r = run_routine(image, "gcm_gmult_v8", {"x0": XI, "x1": HTABLE},
                        [(XI, xi), (HTABLE, table)])
        assert r.memory.read_bytes(XI, 16) == spec_ghash(h, xi, bytes(16))


@pytest.mark.parametrize("nblocks", [1, 2, 3, 4, 5, 7, 8, 9, 16, 37])
def test_ghash_blocks(routine_image, nblocks):
    image = routine_image("gcm_ghash_v8")
    rng = random.Random(nblocks)
    h, xi, data = rng.randbytes(16), rng.randbytes(16), rng.randbytes(16 * nblocks)
    table = init_htable(image, h)
    r = run_routine(image, "gcm_ghash_v8", {"x0": XI, "x1": HTABLE, "x2": INP,
                                            "x3": len(data)},
                    [(XI, xi), (HTABLE, table), (INP, data)])
    assert r.memory.read_bytes(XI, 16) == spec_ghash(h, xi, data)
    assert r.memory.read_bytes(INP, len(data)) == data       # input untouched
