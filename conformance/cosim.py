"""Co-simulation: generated cases, the model and the harness, compared.

``run(...)`` generates ``count`` cases per selected encoding, runs them in
batches (one harness process per batch, at most ``BATCH_MAX`` cases, each
batch of one encoding so stub addresses never collide) while the model
evaluates the next batch, and compares every case.
"""
from __future__ import annotations

import fnmatch
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field

from isa_specs import all_encodings
from lnsym.machine.lift import _cache as lift_cache

from . import constraints as C
from .generate import (
    NoValidWord,
    _group_words,
    _x28_free,
    enc_key,
    generate_case,
    pristine_scratch,
)
from .harness import (
    build_harness,
    pack_case,
    pack_outcome,
    run_batch,
    run_batch_raw,
    runner_prefix,
    unpack_outcome,
)
from .model import compare


@dataclass
class Mismatch:
    case: object            # generate.Case
    real: object            # harness Outcome
    diffs: list


@dataclass
class EncodingResult:
    key: str
    passed: int = 0
    failed: int = 0
    excluded: str | None = None
    error: str | None = None


@dataclass
class RunResult:
    seed: int
    results: dict = field(default_factory=dict)     # key -> EncodingResult
    mismatches: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def cases(self) -> int:
        return sum(r.passed + r.failed for r in self.results.values())

    @property
    def failed(self) -> int:
        return sum(r.failed for r in self.results.values())


def all_case_classes() -> list:
    """Every encoding, then the sequence classes (``conformance.monitor``,
    ``conformance.pauth``)."""
    from . import monitor, pauth
    return list(all_encodings()) + list(monitor.CLASSES) + list(pauth.CLASSES)


def make_case(seed: int, enc, j: int, pristine: bytes, backend: str = "eval"):
    """Case ``j`` of an encoding or of a sequence class."""
    from . import monitor, pauth
    if isinstance(enc, monitor.SequenceClass):
        return monitor.generate_case(seed, enc, j, pristine, backend)
    if isinstance(enc, pauth.PauthClass):
        return pauth.generate_case(seed, enc, j, pristine, backend)
    return generate_case(seed, enc, j, pristine, backend)


def mismatch(seed: int, key: str, j: int, theirs: bytes, pristine: bytes, backend: str):
    """The ``Mismatch`` of case j, whose runner record ``theirs`` is not byte-equal to
    the model's, or None when the two outcomes agree where it matters."""
    case = make_case(seed, _encoding(key), j, pristine, backend)
    real = unpack_outcome(theirs, 0)[0]
    diffs = compare(case.model, real, pristine, getattr(case, "observe", None))
    return Mismatch(case, real, diffs) if diffs else None


def class_prefix(prefix: list, runner: str, key: str) -> list:
    """The runner command for one class: the PAuth classes run QEMU with PAuth on."""
    from . import pauth
    if runner == "qemu" and key.startswith(pauth.MODULE + ":"):
        return prefix[:-1] + [pauth.PAUTH_CPU]
    return prefix


def select_encodings(pattern: str | None) -> list:
    """Encodings whose ``module:name`` (or module short name) matches the pattern(s)."""
    encs = all_case_classes()
    if not pattern:
        return encs
    pats = [p.strip() for p in pattern.split(",") if p.strip()]
    out = []
    for e in encs:
        names = (enc_key(e), e.module, e.module.rsplit(".", 1)[-1], e.name,
                 e.module.split(".", 1)[-1])
        if any(fnmatch.fnmatchcase(n, p) or fnmatch.fnmatchcase(n, f"*{p}*")
               for n in names for p in pats):
            out.append(e)
    return out


CHUNK = 1000     # cases per harness process (<= BATCH_MAX)


def _batches(encs, count):
    for e in encs:
        for lo in range(0, count, CHUNK):
            yield e, range(lo, min(count, lo + CHUNK))


def plan(encs, count, res) -> list:
    """The batches to run, as (encoding key, case range); ``res`` gets a row per
    encoding, excluded encodings marked (and not planned)."""
    work = []
    for enc, js in _batches(encs, count):
        key = enc_key(enc)
        er = res.results.setdefault(key, EncodingResult(key))
        reason = C.exclusion(enc.module, enc.name)
        if reason:
            er.excluded = reason
            continue
        work.append((key, js))
    return work


_ENCS: dict = {}


def _encoding(key: str):
    if not _ENCS:
        _ENCS.update({enc_key(e): e for e in all_case_classes()})
    return _ENCS[key]


def generate_batch(seed: int, key: str, lo: int, hi: int, backend: str = "eval",
                   compact: bool = False):
    """(cases, packed cases, error) for cases lo..hi-1 of one encoding (runs in a worker).

    ``compact``: return (indices, packed cases, model output records, error)
    instead, all bytes, cheap to send between processes; the main process
    compares records byte for byte and regenerates a case only when its
    records differ.
    """
    enc = _encoding(key)
    pristine = pristine_scratch(seed)
    cases, error = [], None
    try:
        for j in range(lo, hi):
            cases.append(make_case(seed, enc, j, pristine, backend))
    except NoValidWord as e:
        error = str(e)
    lift_cache.clear()      # summaries of random words are rarely seen again: bound memory
    _x28_free.clear()
    _group_words.clear()
    packed = [pack_case(c.state, c.start, c.stub_addr, c.words) for c in cases]
    if compact:
        return ([lo + i for i in range(len(cases))], packed,
                [pack_outcome(c.model) for c in cases], error)
    return cases, packed, error


def run(seed: int, count: int, encs: list, runner: str = "qemu", jobs: int = 2,
        progress=None, backend: str = "eval") -> RunResult:
    """Check ``count`` cases of every encoding in ``encs``.

    ``jobs`` worker processes generate cases and evaluate the model; each
    finished batch runs in the harness (a thread waits on the process) and
    is compared as soon as it comes back.
    """
    prefix = runner_prefix(runner)
    exe = build_harness()
    pristine = pristine_scratch(seed)
    res = RunResult(seed)
    t0 = time.time()
    work = plan(encs, count, res)

    def harness(gen_future, key):
        js, packed, model_recs, error = gen_future.result()
        outs = (run_batch_raw(class_prefix(prefix, runner, key), exe, packed, pristine)
                if packed else [])
        return js, model_recs, outs, error

    if jobs > 1:
        gen_pool = ProcessPoolExecutor(max_workers=jobs)
    else:
        gen_pool = ThreadPoolExecutor(max_workers=1)
    with gen_pool, ThreadPoolExecutor(max_workers=max(2, jobs)) as run_pool:
        gens = [gen_pool.submit(generate_batch, seed, key, js.start, js.stop, backend, True)
                for key, js in work]
        runs = [run_pool.submit(harness, g, key) for g, (key, _) in zip(gens, work)]
        try:
            for (key, _), fut in zip(work, runs):
                js, model_recs, outs, error = fut.result()
                er = res.results[key]
                if error and not er.error:
                    er.error = error
                for j, mine, theirs in zip(js, model_recs, outs):
                    if mine == theirs:
                        er.passed += 1
                        continue
                    m = mismatch(seed, key, j, theirs, pristine, backend)
                    if m:
                        er.failed += 1
                        res.mismatches.append(m)
                    else:
                        er.passed += 1
                if progress:
                    progress(res, time.time() - t0)
        except BaseException:
            for f in gens + runs:
                f.cancel()
            raise
    res.seconds = time.time() - t0
    return res


def replay(case_id: str, runner: str = "qemu"):
    """(case, real outcome, diffs) for one case named ``SEED:MODULE:ENCODING:J``."""
    from lnsym.errors import UserError
    parts = case_id.split(":")
    if len(parts) != 4:
        raise UserError(f"case {case_id!r} is not SEED:MODULE:ENCODING:INDEX")
    try:
        seed, j = int(parts[0], 0), int(parts[3], 0)
    except ValueError:
        raise UserError(f"case {case_id!r}: SEED and INDEX must be integers") from None
    encs = [e for e in all_case_classes() if (e.module, e.name) == (parts[1], parts[2])]
    if not encs:
        raise UserError(f"no encoding {parts[2]!r} in module {parts[1]!r}")
    prefix = runner_prefix(runner)
    exe = build_harness()
    pristine = pristine_scratch(seed)
    case = make_case(seed, encs[0], j, pristine)
    real = run_batch(class_prefix(prefix, runner, enc_key(encs[0])), exe,
                     [pack_case(case.state, case.start, case.stub_addr, case.words)], pristine)[0]
    return case, real, compare(case.model, real, pristine, getattr(case, "observe", None))
