"""Concrete throughput of lnsym vs unicorn on OpenSSL routines (``make bench``).

Each benchmark makes one call of a routine over 1 MiB of input under lnsym
(timed by pytest-benchmark; a fresh executor, so block compilation is
included) and the same call under unicorn (same pages, same registers), checks
that both leave the same output bytes, and records instructions per second.
lnsym counts the instructions it executes; unicorn runs the same code on the
same data, so it executes the same number.
"""
from __future__ import annotations

import random

import pytest
from harness import Call, run_lnsym, run_unicorn

from lnsym.elf.image import load_image

pytest.importorskip("unicorn")

MIB = 1 << 20
CTX, INP, OUT = 0x100000, 0x200000, 0x400000
SHA256 = "libcrypto-lib-sha256-armv8.o"

RESULTS: list = []       # rows for the summary table (benchmarks/conftest.py)


def measure(benchmark, name: str, call: Call, outputs):
    """Benchmark ``call`` under lnsym, run it under unicorn, compare ``outputs``
    ((addr, size) pairs) and record the figures."""
    box = {}

    def once():
        box["steps"], box["seconds"], box["mem"] = run_lnsym(call)

    benchmark.pedantic(once, rounds=1, iterations=1, warmup_rounds=0)
    steps, seconds, mem = box["steps"], box["seconds"], box["mem"]
    u_seconds, uc = run_unicorn(call)
    for addr, size in outputs:
        assert mem.read_bytes(addr, size) == bytes(uc.mem_read(addr, size)), (name, hex(addr))
    row = {"routine": name, "instructions": steps,
           "lnsym_seconds": round(seconds, 3), "unicorn_seconds": round(u_seconds, 4),
           "lnsym_ips": round(steps / seconds), "unicorn_ips": round(steps / u_seconds)}
    row["ratio"] = round(row["unicorn_ips"] / row["lnsym_ips"], 1)
    benchmark.extra_info.update(row)
    RESULTS.append(row)
    return row, mem


@pytest.fixture(scope="module")
def sha256_image(openssl_lib):
    return load_image(f"{openssl_lib}:{SHA256}")


def sha256_call(image, symbol: str) -> Call:
    rng = random.Random(256)
    nblocks = MIB // 64
    return Call(image, symbol, {"x0": CTX, "x1": INP, "x2": nblocks},
                [(CTX, rng.randbytes(32)), (INP, rng.randbytes(MIB))])


@pytest.mark.openssl
def test_sha256_block_data_order_scalar(benchmark, sha256_image):
    """OPENSSL_armcap_P is zero in the image: the scalar integer path."""
    row, _ = measure(benchmark, "sha256_block_data_order (scalar)",
                  sha256_call(sha256_image, "sha256_block_data_order"), [(CTX, 32)])
    assert row["instructions"] > 16384 * 1000


@pytest.mark.openssl
def test_sha256_block_armv8(benchmark, sha256_image):
    measure(benchmark, "sha256_block_armv8 (crypto ext.)",
            sha256_call(sha256_image, "sha256_block_armv8"), [(CTX, 32)])


# -- AES-128-GCM: aes_gcm_enc_128_kernel(in, bit_length, out, Xi, ivec, key) -------------------
GCM_MEMBER = "libcrypto-lib-aes-gcm-armv8_64.o"
XI, IVEC, KEY, H_IN = 0x600000, 0x610000, 0x620000, 0x630000
HTABLE_BYTES = 16 * 12


def gcm_call(openssl_lib) -> tuple[Call, bytes, bytes, bytes]:
    """The kernel's call on 1 MiB, with the AES_KEY and Htable made by OpenSSL's own
    aes_v8_set_encrypt_key and gcm_init_v8 (run under lnsym)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from lnsym.backends.runner import run_routine
    rng = random.Random(128)
    key, iv, pt = rng.randbytes(16), rng.randbytes(12), rng.randbytes(MIB)
    aes = load_image(f"{openssl_lib}:libcrypto-lib-aesv8-armx.o")
    r = run_routine(aes, "aes_v8_set_encrypt_key", {"x0": H_IN, "x1": 128, "x2": KEY},
                    [(H_IN, key), (KEY, bytes(244))])
    sched = r.memory.read_bytes(KEY, 244)
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    h = enc.update(bytes(16)) + enc.finalize()
    h_arg = int.from_bytes(h[:8], "big").to_bytes(8, "little") \
        + int.from_bytes(h[8:], "big").to_bytes(8, "little")     # u64 H[2] as gcm128.c has it
    ghash = load_image(f"{openssl_lib}:libcrypto-lib-ghashv8-armx.o")
    r = run_routine(ghash, "gcm_init_v8", {"x0": XI, "x1": H_IN},
                    [(XI, bytes(HTABLE_BYTES)), (H_IN, h_arg)])
    table = r.memory.read_bytes(XI, HTABLE_BYTES)
    ivec = iv + (2).to_bytes(4, "big")                             # J0 + 1
    call = Call(load_image(f"{openssl_lib}:{GCM_MEMBER}"), "aes_gcm_enc_128_kernel",
                {"x0": INP, "x1": 8 * MIB, "x2": OUT, "x3": XI, "x4": IVEC, "x5": KEY},
                [(INP, pt), (OUT, bytes(MIB)), (XI, bytes(32) + table), (IVEC, ivec),
                 (KEY, sched)])
    return call, key, ivec, pt


@pytest.mark.openssl
def test_aes_gcm_enc_128_kernel(benchmark, openssl_lib):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    call, key, ivec, pt = gcm_call(openssl_lib)
    row, mem = measure(benchmark, "aes_gcm_enc_128_kernel", call,
                       [(OUT, MIB), (XI, 16), (IVEC, 16)])
    assert row["instructions"] > MIB // 16 * 10
    # the ciphertext is AES-CTR from J0 + 1 (and Xi, the GHASH, agrees with unicorn)
    enc = Cipher(algorithms.AES(key), modes.CTR(ivec)).encryptor()
    assert mem.read_bytes(OUT, MIB) == enc.update(pt) + enc.finalize()
