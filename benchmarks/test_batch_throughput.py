"""Batch backend throughput beside unicorn (``make bench``).

For ``sha256_block_armv8`` (16 blocks), ``aes_gcm_enc_128_kernel`` (1 KiB) and
``ChaCha20_neon`` (1 KiB), N = 10,000 lanes of independent random inputs run in
lockstep under lnsym's batch backend (timed by pytest-benchmark, blocks already
compiled and the numba loops loaded: that time is reported apart).  In the same run unicorn executes
the same call for 300 of those lanes, one input at a time on one engine (only
``emu_start`` is timed), and its outputs must equal the batch's for those lanes.
Each side is timed ``ROUNDS`` times, alternating, and the medians are reported:
lane-instructions per second, unicorn instructions per second, their ratio (from
wall time, and from CPU time, which a loaded machine distorts less), and the
per-lane memory the batch backend allocated.
"""
from __future__ import annotations

import statistics
import time

import numpy as np
import pytest
from harness import Call, unicorn_machine

from lnsym.backends.batch import kernels, run_batch
from lnsym.backends.batch.run import executor_for
from lnsym.elf.image import load_image

pytest.importorskip("unicorn")

LANES = 10_000
UNICORN_LANES = 300
ROUNDS = 3
KIB = 1024
A, B, C, D, E = 0x200000, 0x210000, 0x220000, 0x230000, 0x240000
BATCH_RESULTS: list = []       # rows for the summary table (benchmarks/conftest.py)


def _rand(rng, size):
    return rng.integers(0, 256, (LANES, size), dtype=np.uint8)


def sha256_inputs(rng):
    return ("libcrypto-lib-sha256-armv8.o", {"x0": A, "x1": B, "x2": 16},
            [(A, _rand(rng, 32)), (B, _rand(rng, 16 * 64))], [(A, 32)])


def gcm_inputs(rng):
    key = _rand(rng, 244)
    key[:, 240:] = np.frombuffer((10).to_bytes(4, "little"), np.uint8)
    return ("libcrypto-lib-aes-gcm-armv8_64.o",
            {"x0": A, "x1": 8 * KIB, "x2": B, "x3": C, "x4": D, "x5": E},
            [(A, _rand(rng, KIB)), (B, _rand(rng, KIB)), (C, _rand(rng, 32 + 256)),
             (D, _rand(rng, 16)), (E, key)], [(B, KIB), (C, 16), (D, 16)])


def chacha_inputs(rng):
    return ("libcrypto-lib-chacha-armv8.o", {"x0": A, "x1": B, "x2": KIB, "x3": C, "x4": D},
            [(A, _rand(rng, KIB)), (B, _rand(rng, KIB)), (C, _rand(rng, 32)), (D, _rand(rng, 16))],
            [(A, KIB)])


CASES = {"sha256_block_armv8": sha256_inputs, "aes_gcm_enc_128_kernel": gcm_inputs,
         "ChaCha20_neon": chacha_inputs}


def unicorn_lanes(image, symbol, regs, memory, outputs, lanes):
    """(seconds, CPU seconds, outputs per lane) of unicorn running ``lanes`` inputs one by one."""
    from unicorn import arm64_const as U
    first = [(addr, arr[0].tobytes()) for addr, arr in memory]
    uc, entry = unicorn_machine(Call(image, symbol, regs, first))
    saved = {r: uc.reg_read(r) for r in (U.UC_ARM64_REG_SP, U.UC_ARM64_REG_X30)}
    seconds, cpu, outs = 0.0, 0.0, []
    for i in lanes:
        for addr, arr in memory:
            uc.mem_write(addr, arr[i].tobytes())
        for name, value in regs.items():
            uc.reg_write(getattr(U, f"UC_ARM64_REG_{name.upper()}"), value)
        for r, value in saved.items():
            uc.reg_write(r, value)
        t0, c0 = time.perf_counter(), time.process_time()
        uc.emu_start(entry, 0x0000_DEAD_0000_0000)
        seconds += time.perf_counter() - t0
        cpu += time.process_time() - c0
        outs.append([bytes(uc.mem_read(addr, size)) for addr, size in outputs])
    return seconds, cpu, outs


@pytest.mark.openssl
@pytest.mark.parametrize("symbol", list(CASES))
def test_batch_lanes_vs_unicorn(benchmark, openssl_lib, symbol):
    member, regs, memory, outputs = CASES[symbol](np.random.default_rng(len(symbol)))
    image = load_image(f"{openssl_lib}:{member}")
    t0, c0 = time.perf_counter(), time.process_time()
    warm = kernels.JIT_MIN_LANES        # compiles the blocks, and loads the numba loops
    run_batch(image, symbol, regs, [(a, arr[:warm]) for a, arr in memory])
    compile_seconds, compile_cpu = time.perf_counter() - t0, time.process_time() - c0
    rounds: list = []

    def once():
        t, c = time.perf_counter(), time.process_time()
        result = run_batch(image, symbol, regs, memory)
        rounds.append((time.perf_counter() - t, time.process_time() - c, result))

    sample = np.linspace(0, LANES - 1, UNICORN_LANES).astype(int)
    u_rounds = []

    def both():                     # the two sides alternate, so a load change hits both
        once()
        u_rounds.append(unicorn_lanes(image, symbol, regs, memory, outputs, sample))

    benchmark.pedantic(both, rounds=ROUNDS, iterations=1, warmup_rounds=0)
    r = rounds[-1][2]
    steps = int(r.steps.sum())
    assert len(set(r.steps.tolist())) == 1
    for k, i in enumerate(sample):
        for (addr, size), want in zip(outputs, u_rounds[-1][2][k]):
            assert r.read(addr, size)[i].tobytes() == want, (symbol, int(i), hex(addr))
    seconds = statistics.median(x[0] for x in rounds)
    cpu = statistics.median(x[1] for x in rounds)
    u_seconds = statistics.median(x[0] for x in u_rounds)
    u_cpu = statistics.median(x[1] for x in u_rounds)
    lane_bytes = sum(g.memory.bytes_per_lane() * len(g.lanes) for g in r.groups) / LANES
    row = {"routine": symbol, "lanes": LANES, "instructions_per_lane": int(r.steps[0]),
           "rounds": ROUNDS, "batch_seconds": round(seconds, 3), "batch_cpu_seconds": round(cpu, 3),
           "compile_seconds": round(compile_seconds, 2), "compile_cpu_seconds": round(compile_cpu, 2),
           "numba": kernels.USE_JIT,
           "lane_ips": round(steps / seconds),
           "unicorn_ips": round(UNICORN_LANES * int(r.steps[0]) / u_seconds),
           "memory_per_lane_bytes": int(lane_bytes)}
    row["batch_over_unicorn"] = round(row["lane_ips"] / row["unicorn_ips"], 3)
    # the same ratio from CPU time, which a loaded machine distorts less than wall time
    row["lane_ips_cpu"] = round(steps / cpu)
    row["unicorn_ips_cpu"] = round(UNICORN_LANES * int(r.steps[0]) / u_cpu)
    row["batch_over_unicorn_cpu"] = round(row["lane_ips_cpu"] / row["unicorn_ips_cpu"], 3)
    benchmark.extra_info.update(row)
    BATCH_RESULTS.append(row)
    assert executor_for(image).blocks
