"""Proof benchmarks (``make bench``): wall time of shipped proofs (SHA one block,
AES-256, GHASH the 8-block cases), symbolic instructions per second (steps / symbolic-execution seconds)
and solver seconds, recorded in ``benchmark.extra_info`` and printed."""
from __future__ import annotations

import pytest

from proofs import registry

PROOFS = ["sha256_block_armv8/1", "sha512_block_armv8/1", "sha1_block_armv8/1",
          "aes_v8_encrypt/256", "aes_v8_e2e/256", "gcm_init_v8", "gcm_ghash_v8/8",
          "gcm_init+ghash_v8/8", "aes_gcm_enc_128_kernel/8"]
SLOW = {"sha1_block_armv8/1", "gcm_ghash_v8/8", "gcm_init+ghash_v8/8",
        "aes_gcm_enc_128_kernel/8"}       # two groups: the main loop's path, then the tail


@pytest.mark.parametrize("name", PROOFS)
def test_bench_proof(benchmark, openssl_lib, capsys, name):
    box = {}

    def once():
        box["report"] = registry.make(name).check()

    if name in SLOW:
        benchmark.pedantic(once, rounds=1, iterations=1, warmup_rounds=0)
    else:
        benchmark.pedantic(once, rounds=3, iterations=1, warmup_rounds=0)
    rep = box["report"]
    assert rep.status == "proved", [(r.name, r.status, r.detail) for r in rep.failed]
    sec = rep.seconds
    info = {"proof": rep.name, "status": rep.status, "steps": rep.steps,
            "wall_seconds": round(sec["total"], 3),
            "symex_seconds": round(sec["symex"], 3),
            "symbolic_instructions_per_second": round(rep.steps / sec["symex"]),
            "prove_seconds": round(sec["prove"], 3),
            "solver_seconds": round(sec["solver"], 3),
            "methods": sorted({r.method for r in rep.results})}
    benchmark.extra_info.update(info)
    with capsys.disabled():
        print(f"\n{info['proof']:<30} {info['steps']:>5} instructions  "
              f"wall {info['wall_seconds']:7.2f}s  "
              f"symex {info['symbolic_instructions_per_second']:>7,} instr/s  "
              f"prove {info['prove_seconds']:6.2f}s  solver {info['solver_seconds']:6.2f}s  "
              f"({', '.join(info['methods'])})")


# All-lengths proofs (induction) beside the bounded instances they replace: the
# bounded cost grows with the block count, the induction's does not.  KeccakF1600_ce:
# induction over its 24 rounds.
ALL_LENGTHS = ["KeccakF1600_ce",
               "sha256_block_armv8/all", "sha512_block_armv8/all", "sha1_block_armv8/all",
               "gcm_ghash_v8/all", "gcm_init+ghash_v8/all"]
# the scalar SHA block functions (OPENSSL_armcap_P = 0): ctx and stack spills in the invariant
ALL_LENGTHS += ["sha256_block_data_order/all", "sha512_block_data_order/all"]
# ChaCha20 every length (scalar path; the NEON path with its 512-byte loop)
ALL_LENGTHS += ["ChaCha20_ctr32/all", "ChaCha20_neon/all"]
BOUNDED = [("sha256_block_armv8/1", n) for n in (1, 2, 4, 8)] + \
          [("sha512_block_armv8/1", n) for n in (1, 2, 4, 8)] + \
          [("gcm_ghash_v8/1", n) for n in (4, 8, 16)]


@pytest.mark.parametrize("name", ALL_LENGTHS)
def test_bench_all_lengths(benchmark, openssl_lib, capsys, name):
    box = {}
    benchmark.pedantic(lambda: box.update(report=registry.make(name).check()),
                       rounds=1, iterations=1, warmup_rounds=0)
    rep = box["report"]
    assert rep.status == "proved", [(r.name, r.status, r.detail) for r in rep.failed]
    info = {"proof": rep.name, "steps": rep.steps, "wall_seconds": round(rep.seconds["total"], 3),
            "solver_seconds": round(rep.seconds["solver"], 3), "obligations": len(rep.results)}
    benchmark.extra_info.update(info)
    with capsys.disabled():
        print(f"\n{info['proof']:<45} {info['steps']:>5} instructions  "
              f"wall {info['wall_seconds']:7.2f}s  solver {info['solver_seconds']:6.2f}s  "
              f"{info['obligations']} obligations")


@pytest.mark.parametrize("name,blocks", BOUNDED, ids=[f"{n}x{b}" for n, b in BOUNDED])
def test_bench_bounded_blocks(benchmark, openssl_lib, capsys, name, blocks):
    box = {}
    benchmark.pedantic(lambda: box.update(report=registry.make(name, blocks=blocks).check()),
                       rounds=1, iterations=1, warmup_rounds=0)
    rep = box["report"]
    assert rep.status == "proved", [(r.name, r.status, r.detail) for r in rep.failed]
    benchmark.extra_info.update({"proof": rep.name, "steps": rep.steps,
                                 "wall_seconds": round(rep.seconds["total"], 3)})
    with capsys.disabled():
        print(f"\n{rep.name:<45} {rep.steps:>5} instructions  "
              f"wall {rep.seconds['total']:7.2f}s")
