"""Conformance on a cluster: batches of cases as Dask tasks, merged in the client.

``run(seed, count, encs, cluster, ...)`` splits the cases exactly as the local
run does (``cosim._batches``: at most ``CHUNK`` cases of one encoding), submits
one task per batch, and merges each batch's counts once, keyed by
``(encoding, first case, last case)``.  A worker that dies mid-batch loses
nothing: Dask runs the batch again on another worker, and a batch whose result
already arrived is never counted again, so every case is counted exactly once.

Each worker runs its own runner: ``--runner auto`` (the default for clusters)
is ``native`` on an AArch64 host and ``qemu`` elsewhere.  Every batch comes
back with the host name and CPU model that ran it (``MIDR_EL1`` fields on Arm,
the ``model name`` elsewhere), so a campaign across CPU models reports the
evidence per model.  A mismatch is named by its case id
(``SEED:MODULE:ENCODING:INDEX``) and can be replayed locally with
``lnsym conform --replay ID``.
"""
from __future__ import annotations

import platform
import socket
import time
import uuid
from dataclasses import dataclass, field

from .cosim import RunResult, class_prefix, generate_batch, mismatch, plan
from .generate import pristine_scratch
from .harness import build_harness, run_batch_raw, runner_prefix


def cpu_model() -> str:
    """This host's CPU, as /proc/cpuinfo names it (MIDR fields on Arm)."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                k, _, v = line.partition(":")
                fields.setdefault(k.strip(), v.strip())
    except OSError:
        pass
    if "CPU part" in fields:
        return (f"MIDR implementer {fields.get('CPU implementer', '?')} "
                f"part {fields['CPU part']} variant {fields.get('CPU variant', '?')} "
                f"revision {fields.get('CPU revision', '?')}")
    return fields.get("model name") or platform.processor() or platform.machine()


def host_runner(runner: str) -> str:
    """``auto``: the host's own CPU when it is AArch64, else QEMU user mode."""
    if runner != "auto":
        return runner
    return "native" if platform.machine() in ("aarch64", "arm64") else "qemu"


def check_batch(seed: int, key: str, lo: int, hi: int, runner: str, backend: str) -> dict:
    """Run cases lo..hi-1 of one encoding on this worker (model and runner) and
    compare them; the result is small and plain: counts, failing cases with the
    runner's raw output record, and who ran it."""
    runner = host_runner(runner)
    pristine = pristine_scratch(seed)
    js, packed, model_recs, error = generate_batch(seed, key, lo, hi, backend, True)
    prefix = class_prefix(runner_prefix(runner), runner, key)
    outs = run_batch_raw(prefix, build_harness(), packed, pristine) if packed else []
    passed, failed = 0, []
    for j, mine, theirs in zip(js, model_recs, outs):
        if mine == theirs or not mismatch(seed, key, j, theirs, pristine, backend):
            passed += 1
        else:
            failed.append((j, bytes(theirs)))
    return {"key": key, "lo": lo, "hi": hi, "passed": passed, "failed": failed,
            "error": error, "host": socket.gethostname(), "cpu": cpu_model(),
            "runner": runner}


@dataclass
class ClusterResult(RunResult):
    """A ``RunResult`` plus the evidence per (host, CPU, runner)."""
    by_host: dict = field(default_factory=dict)     # (host, cpu, runner) -> cases
    records: list = field(default_factory=list)     # per batch, as conformance.evidence stores them
    batches: int = 0


def run(seed: int, count: int, encs: list, client, runner: str = "auto",
        backend: str = "eval", progress=None) -> ClusterResult:
    """Check ``count`` cases of every encoding in ``encs`` on the Dask ``client``'s workers."""
    from distributed import as_completed
    pristine = pristine_scratch(seed)
    res = ClusterResult(seed)
    t0 = time.time()
    futures = []
    run_id = uuid.uuid4().hex[:12]           # a new run never reuses an old run's results
    for key, js in plan(encs, count, res):
        futures.append(client.submit(check_batch, seed, key, js.start, js.stop, runner, backend,
                                     key=f"conform-{run_id}-{key}-{js.start}-{js.stop}",
                                     retries=3, pure=False))
    merged = set()
    try:
        for fut in as_completed(futures):
            out = fut.result()
            batch = (out["key"], out["lo"], out["hi"])
            if batch in merged:                 # a re-run batch is counted once
                continue
            merged.add(batch)
            res.batches += 1
            er = res.results[out["key"]]
            if out["error"] and not er.error:
                er.error = out["error"]
            er.passed += out["passed"]
            er.failed += len(out["failed"])
            who = (out["host"], out["cpu"], out["runner"])
            res.by_host[who] = res.by_host.get(who, 0) + out["passed"] + len(out["failed"])
            res.records.append({"key": out["key"], "seed": seed, "lo": out["lo"],
                                "hi": out["hi"], "passed": out["passed"],
                                "failed": len(out["failed"]), "host": out["host"],
                                "cpu": out["cpu"], "runner": out["runner"]})
            for j, theirs in out["failed"]:
                res.mismatches.append(mismatch(seed, out["key"], j, theirs, pristine, backend))
            if progress:
                progress(res, time.time() - t0)
    except BaseException:
        for f in futures:
            f.cancel()
        raise
    res.seconds = time.time() - t0
    return res


__all__ = ["ClusterResult", "check_batch", "cpu_model", "host_runner", "run"]
