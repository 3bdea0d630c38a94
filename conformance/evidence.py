"""Conformance evidence: cases passed per encoding, persisted between runs.

The counts live in ``$XDG_CACHE_HOME/lnsym/conformance.json`` (default
``~/.cache/lnsym``): ``{"MODULE:ENCODING": {"passed": N, "failed": N,
"seeds": [...]}}``.  ``lnsym conform --report`` lists every implemented
encoding with its count and flags those with no evidence.
"""
from __future__ import annotations

import json
import os

from isa_specs import all_encodings

from . import constraints as C
from .generate import enc_key
from .harness import cache_dir


def path():
    return cache_dir() / "conformance.json"


def load() -> dict:
    try:
        with open(path()) as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def record(result) -> None:
    """Add a run's counts (a ``cosim.RunResult``) to the stored evidence."""
    data = load()
    for key, r in result.results.items():
        if r.passed + r.failed == 0:
            continue
        e = data.setdefault(key, {"passed": 0, "failed": 0, "seeds": []})
        e["passed"] += r.passed
        e["failed"] += r.failed
        if result.seed not in e["seeds"]:
            e["seeds"] = (e["seeds"] + [result.seed])[-20:]
    p = path()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, p)


def report_rows() -> list:
    """One row per implemented encoding: key, passed, failed, status."""
    data = load()
    rows = []
    for e in all_encodings():
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
                     "failed": failed, "status": status})
    return rows
