"""Scale-out on a local Dask cluster: same results as one process, nothing lost or
counted twice when a worker dies, shareable content-addressed evidence."""
import os
import signal

import pytest
from tooling import need, need_tool

from conformance import cosim, distributed, evidence

ENCODINGS = "add_sub_imm,logical_imm,conformance.monitor:unpaired,conformance.pauth:sign"


@pytest.fixture(scope="module")
def client():
    try:
        import distributed as _  # noqa: F401
    except ImportError:
        need(False, "Dask distributed (pip install -e '.[dev]')")
    from lnsym.cli.cluster import close_client, open_client
    c = open_client("local:2")
    yield c
    close_client(c)


def counts(res):
    return {k: (r.passed, r.failed, r.excluded) for k, r in res.results.items()}


@pytest.fixture(scope="module")
def local_run():
    need_tool("qemu-aarch64")
    need_tool("aarch64-linux-gnu-gcc")
    return cosim.run(11, 1500, cosim.select_encodings(ENCODINGS), "qemu", 1)


def test_cluster_run_equals_single_process_run(client, local_run):
    res = distributed.run(11, 1500, cosim.select_encodings(ENCODINGS), client, runner="qemu")
    assert counts(res) == counts(local_run)
    assert res.cases == local_run.cases > 0
    assert sum(res.by_host.values()) == res.cases
    assert all(runner == "qemu" and cpu for (_, cpu, runner) in res.by_host)


def test_a_killed_worker_loses_nothing_and_counts_nothing_twice(client, local_run):
    before = client.run(os.getpid)
    victim = sorted(before.values())[0]
    killed = []

    def kill_once(res, secs):
        if not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(res.batches)

    res = distributed.run(11, 1500, cosim.select_encodings(ENCODINGS), client, runner="qemu",
                          progress=kill_once)
    assert killed == [1]                       # killed after the first batch, mid-run
    assert counts(res) == counts(local_run)
    expected_batches = sum(1 for _ in cosim._batches(cosim.select_encodings(ENCODINGS), 1500))
    assert res.batches == len(res.records) == expected_batches
    client.wait_for_workers(2, timeout=60)
    assert victim not in client.run(os.getpid).values()     # the nanny started a new one


def test_cluster_proofs_equal_in_process_proofs(client):
    from lnsym.cli.cluster import prove_all
    from proofs import registry
    names = ["gcm_gmult_v8", "aes_v8_encrypt/128"]
    remote = prove_all(client, names, None, None, 30.0)
    local = [registry.make(n).check(None, timeout=30.0) for n in names]
    assert [(r.name, r.status, r.steps) for r in remote] == \
        [(r.name, r.status, r.steps) for r in local]
    assert all(r.status == "proved" for r in remote)


def _record(key, lo, hi, cpu="cpu A", passed=None):
    n = hi - lo
    return {"key": key, "seed": 5, "lo": lo, "hi": hi, "passed": n if passed is None else passed,
            "failed": 0 if passed is None else n - passed, "host": "h", "cpu": cpu,
            "runner": "qemu"}


def test_evidence_is_content_addressed(tmp_path, monkeypatch):
    monkeypatch.setenv("LNSYM_EVIDENCE_DIR", str(tmp_path / "shared"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    k = "isa_specs.dpi.add_sub_imm:decode_add_sub_imm"
    first = evidence.write_record(_record(k, 0, 1000))
    again = evidence.write_record(_record(k, 0, 1000))          # same cases, same CPU
    assert first == again
    evidence.write_record(_record(k, 0, 300))                    # inside the first: not again
    evidence.write_record(_record(k, 1000, 1500))                # new cases
    evidence.write_record(_record(k, 0, 1000, cpu="cpu B"))      # same cases, other CPU model
    data = evidence.load()[k]
    assert data["passed"] == 1000 + 500 + 1000
    assert data["cpus"] == {"cpu A": 1500, "cpu B": 1000}
    assert len(list((tmp_path / "shared").glob("*.json"))) == 4


def test_evidence_of_a_local_run_names_this_host(tmp_path, monkeypatch, local_run):
    monkeypatch.setenv("LNSYM_EVIDENCE_DIR", str(tmp_path / "shared"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    evidence.record(local_run, "qemu")
    evidence.record(local_run, "qemu")
    data = evidence.load()
    assert sum(d["passed"] + d["failed"] for d in data.values()) == local_run.cases
    assert {c for d in data.values() for c in d["cpus"]} == {distributed.cpu_model()}
