"""OpenSSL's Htable representation (proofs/specs/ghash_htable.py) against concrete
runs of gcm_init_v8, and the aggregated GHASH against SP 800-38D Algorithm 2."""
from __future__ import annotations

import random
import struct

from lnsym.backends.runner import run_routine
from lnsym.elf.image import load_image
from lnsym.terms import bv
from proofs.specs import ghash
from proofs.specs.ghash_htable import (
    HTABLE_BYTES,
    ghash_aggregated,
    htable_bytes,
    htable_of,
    powers,
)


def test_htable_matches_gcm_init_v8(openssl_lib):
    image = load_image(f"{openssl_lib}:libcrypto-lib-ghashv8-armx.o")
    rng = random.Random(96)
    for h in [bytes(16), b"\x80" + bytes(15), bytes(15) + b"\x01", *(rng.randbytes(16) for _ in range(6))]:
        arg = struct.pack("<2Q", int.from_bytes(h[:8], "big"), int.from_bytes(h[8:], "big"))
        r = run_routine(image, "gcm_init_v8", {"x0": 0x100000, "x1": 0x110000},
                        [(0x100000, bytes(256)), (0x110000, arg)])
        table = r.memory.read_bytes(0x100000, 256)
        H = bv.const(int.from_bytes(h, "big"), 128)
        assert table[:HTABLE_BYTES] == bytes(int(b) for b in htable_bytes(htable_of(H)))
        assert table[HTABLE_BYTES:] == bytes(256 - HTABLE_BYTES)     # nothing else written


def test_aggregated_is_algorithm_2():
    rng = random.Random(2)
    for n in range(1, 13):
        H = bv.const(rng.getrandbits(128), 128)
        X0 = bv.const(rng.getrandbits(128), 128)
        blocks = [bv.const(rng.getrandbits(128), 128) for _ in range(n)]
        assert ghash_aggregated([H, *powers(H)], blocks, X0) is ghash.ghash(H, blocks, X0)
