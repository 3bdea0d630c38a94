"""Scale-out benchmarks (``make bench``): conformance cases/s and a proof suite's
wall time in one process, on a local pool (``-j 2``) and on a local Dask cluster
(``local:2``), side by side; and the Dask per-task overhead.  The first run on a
new cluster includes each worker's imports and caches (as the ``-j 2`` pool's
does); a second run on the same workers is reported beside it ("warm")."""
from __future__ import annotations

import time

import pytest

from conformance import cosim, distributed
from lnsym.cli.cluster import (
    close_client,
    open_client,
    prove_all,
    prove_local_pool,
    prove_task,
    task_overhead,
)

ENCODINGS = "add_sub_imm,logical_imm,move_wide,add_sub_shifted,logical_shifted,bitfield"
COUNT = 2000
SUITE = ["sha256_block_armv8/1", "aes_v8_encrypt/128", "aes_v8_encrypt/256",
         "aes_v8_set_encrypt_key/256", "gcm_gmult_v8", "gcm_init_v8"]
RESULTS: dict = {}


@pytest.fixture(scope="module")
def client():
    t0 = time.perf_counter()
    c = open_client("local:2")
    RESULTS["cluster_start_s"] = round(time.perf_counter() - t0, 2)
    print(f"\nlocal:2 cluster started in {RESULTS['cluster_start_s']} s")
    yield c
    close_client(c)


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def test_bench_conform_scale_out(benchmark, client):
    encs = cosim.select_encodings(ENCODINGS)
    one, t1 = _timed(lambda: cosim.run(3, COUNT, encs, "qemu", 1))
    two, t2 = _timed(lambda: cosim.run(3, COUNT, encs, "qemu", 2))
    box = {}
    benchmark.pedantic(lambda: box.update(r=distributed.run(3, COUNT, encs, client, "qemu")),
                       rounds=1, iterations=1)
    dask_res, t3 = box["r"], benchmark.stats.stats.mean
    warm, t4 = _timed(lambda: distributed.run(4, COUNT, encs, client, "qemu"))
    assert one.cases == two.cases == dask_res.cases == warm.cases and dask_res.failed == 0
    info = {"cases": one.cases, "cases_per_s_1_process": round(one.cases / t1),
            "cases_per_s_jobs_2": round(two.cases / t2),
            "cases_per_s_local_2": round(dask_res.cases / t3),
            "cases_per_s_local_2_warm_workers": round(warm.cases / t4),
            "local_2_over_1_process": round(t1 / t3, 2), "jobs_2_over_1_process": round(t1 / t2, 2)}
    benchmark.extra_info.update(info)
    RESULTS["conform"] = info
    print(f"\nconform {info}")


def test_bench_proof_suite_scale_out(benchmark, client, openssl_lib):
    seq, t1 = _timed(lambda: [prove_task(n, None, None, 60.0) for n in SUITE])
    pool, t2 = _timed(lambda: prove_local_pool(2, SUITE, None, None, 60.0))
    box = {}
    benchmark.pedantic(lambda: box.update(r=prove_all(client, SUITE, None, None, 60.0)),
                       rounds=1, iterations=1)
    t3 = benchmark.stats.stats.mean
    warm, t4 = _timed(lambda: prove_all(client, SUITE, None, None, 60.0))
    assert [r.status for r in warm] == ["proved"] * len(SUITE)
    assert [r.status for r in seq] == [r.status for r in pool] == \
        [r.status for r in box["r"]] == ["proved"] * len(SUITE)
    info = {"proofs": len(SUITE), "wall_s_1_process": round(t1, 2),
            "wall_s_jobs_2": round(t2, 2), "wall_s_local_2": round(t3, 2),
            "wall_s_local_2_warm_workers": round(t4, 2),
            "jobs_2_speedup": round(t1 / t2, 2), "local_2_speedup": round(t1 / t3, 2)}
    benchmark.extra_info.update(info)
    RESULTS["prove"] = info
    print(f"\nprove suite {info}")


def test_bench_dask_task_overhead(benchmark, client):
    benchmark.pedantic(lambda: task_overhead(client, 100), rounds=3, iterations=1)
    per_task = benchmark.stats.stats.median / 100
    benchmark.extra_info["seconds_per_task"] = round(per_task, 5)
    print(f"\nDask per-task overhead (submit + run + result, in sequence): "
          f"{per_task * 1000:.2f} ms")
