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
from lnsym.elf import load_image

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
    return row


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
    row = measure(benchmark, "sha256_block_data_order (scalar)",
                  sha256_call(sha256_image, "sha256_block_data_order"), [(CTX, 32)])
    assert row["instructions"] > 16384 * 1000


@pytest.mark.openssl
def test_sha256_block_armv8(benchmark, sha256_image):
    measure(benchmark, "sha256_block_armv8 (crypto ext.)",
            sha256_call(sha256_image, "sha256_block_armv8"), [(CTX, 32)])
