"""Conformance evidence: cases checked per encoding, content-addressed, shareable.

Every run stores one small JSON record per encoding and batch of cases:
``{"key", "seed", "lo", "hi", "passed", "failed", "host", "cpu", "runner"}``
(cases ``lo..hi-1`` of that encoding under ``seed``, run on that CPU model by
that runner).  A case is determined by (seed, encoding, index), so a record's
file name is the hash of its identity ``(key, seed, lo, hi, cpu, runner)``:
the same cases checked again on the same kind of CPU write the same file and
count once, and a record whose range lies inside another record of the same
(key, seed, cpu, runner) is not counted again.  Records never change after
they are written, so many machines can write into one directory on shared
storage at once: set ``LNSYM_EVIDENCE_DIR`` (default
``$XDG_CACHE_HOME/lnsym/evidence``).

``lnsym conform --report`` lists every implemented encoding with its count,
the CPU models the evidence came from, and flags those with no evidence.
Counts of the earlier single-file format (``conformance.json``) still count.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
from pathlib import Path

from . import constraints as C
from .generate import enc_key
from .harness import cache_dir


def evidence_dir() -> Path:
    return Path(os.environ.get("LNSYM_EVIDENCE_DIR") or cache_dir() / "evidence")


def legacy_path() -> Path:
    return cache_dir() / "conformance.json"


def _identity(rec: dict) -> str:
    ident = [rec["key"], rec["seed"], rec["lo"], rec["hi"], rec["cpu"], rec["runner"]]
    return hashlib.sha256(json.dumps(ident).encode()).hexdigest()[:32]


def write_record(rec: dict) -> Path:
    d = evidence_dir()
    d.mkdir(parents=True, exist_ok=True)
    p = d / f"{_identity(rec)}.json"
    if not p.exists():
        tmp = p.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(rec, sort_keys=True))
        os.replace(tmp, p)
    return p


def record(result, runner: str = "qemu") -> None:
    """Store a run's evidence: a ``cosim.RunResult`` (cases 0..n-1 of each encoding,
    run here) or a ``distributed.ClusterResult`` (its per-batch records)."""
    batches = getattr(result, "records", None)
    if batches is None:
        from .distributed import cpu_model, host_runner
        host, cpu, runner = socket.gethostname(), cpu_model(), host_runner(runner)
        batches = [{"key": k, "seed": result.seed, "lo": 0, "hi": r.passed + r.failed,
                    "passed": r.passed, "failed": r.failed, "host": host, "cpu": cpu,
                    "runner": runner}
                   for k, r in result.results.items() if r.passed + r.failed]
    for rec in batches:
        write_record(rec)


def load_records() -> list:
    """The distinct records: those not covered by a wider one of the same cases."""
    recs = []
    d = evidence_dir()
    for p in sorted(d.glob("*.json")) if d.is_dir() else []:
        try:
            rec = json.loads(p.read_text())
            if {"key", "seed", "lo", "hi", "passed", "failed", "cpu", "runner"} <= set(rec):
                recs.append(rec)
        except (OSError, ValueError):
            continue
    groups: dict = {}
    for r in recs:
        groups.setdefault((r["key"], r["seed"], r["cpu"], r["runner"]), []).append(r)
    out = []
    for group in groups.values():
        group.sort(key=lambda r: (r["lo"], -r["hi"]))
        for i, r in enumerate(group):
            if not any(o["lo"] <= r["lo"] and r["hi"] <= o["hi"]
                       and (o["lo"], o["hi"]) != (r["lo"], r["hi"]) for o in group):
                if all((o["lo"], o["hi"]) != (r["lo"], r["hi"]) for o in group[:i]):
                    out.append(r)
    return out


def load() -> dict:
    """{key: {"passed", "failed", "cpus": {cpu: cases}}} over all evidence."""
    data: dict = {}
    try:
        legacy = json.loads(legacy_path().read_text())
    except (OSError, ValueError):
        legacy = {}
    for key, e in (legacy.items() if isinstance(legacy, dict) else []):
        if isinstance(e, dict):
            d = data.setdefault(key, {"passed": 0, "failed": 0, "cpus": {}})
            d["passed"] += int(e.get("passed", 0))
            d["failed"] += int(e.get("failed", 0))
            d["cpus"]["(earlier runs)"] = d["cpus"].get("(earlier runs)", 0) + int(
                e.get("passed", 0)) + int(e.get("failed", 0))
    for r in load_records():
        d = data.setdefault(r["key"], {"passed": 0, "failed": 0, "cpus": {}})
        d["passed"] += r["passed"]
        d["failed"] += r["failed"]
        d["cpus"][r["cpu"]] = d["cpus"].get(r["cpu"], 0) + r["passed"] + r["failed"]
    return data


def report_rows() -> list:
    """One row per implemented encoding: key, passed, failed, CPU models, status."""
    data = load()
    rows = []
    from .cosim import all_case_classes  # the encodings and the sequence classes
    for e in all_case_classes():
        key = enc_key(e)
        d = data.get(key, {})
        passed, failed = d.get("passed", 0), d.get("failed", 0)
        excluded = C.exclusion(e.module, e.name)
        if excluded:
            status = f"excluded: {excluded}"
        elif failed:
            status = "MISMATCHES"
        elif passed == 0:
            status = "NO EVIDENCE"
        else:
            status = "ok"
        rows.append({"module": e.module, "encoding": e.name, "passed": passed,
                     "failed": failed, "cpus": d.get("cpus", {}), "status": status})
    return rows
