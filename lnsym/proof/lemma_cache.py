"""The lemma cache: where proven lemmas are kept, and how an entry is re-checked.

An entry (``<cache>/<key>.json``, written by ``lnsym.proof.lemma.Lemma.prove``)
says that a lemma was proved and by which rung of the ladder each equation
closed.  Nothing in it is believed: anyone who can write the directory can
write any entry, and no key or signature changes that.  On load the statement
-- the terms built by the running code, never read from the file -- is checked
again (``recheck``), by the cheapest sound route:

* every equation closed *structurally* (both sides the same hash-consed node):
  that is re-checked, in no time;
* both sides inside the GF(2) fragment (XOR/AND/OR/NOT/ITE, bit moves, clmul)
  with a degree bound of at most 4, computed from the terms: sampled
  (``lnsym.prover.lowdegree``), on fresh random inputs drawn from
  ``os.urandom`` in number enough that a false equation passes with
  probability below 2^-100 (a non-zero polynomial of degree d over GF(2) is 1
  on at least a 2^-d fraction of its inputs);
* anything else: the recorded rung is run again (normalisation, the GF(2)
  normal form, z3 on the normalised sides), skipping the ladder's failed
  attempts; that is a re-proof by a known route, sound by construction.

Measured (the 128-bit field laws of ``proofs/gf128_field.py``, one process,
load 5): re-running their rung, the GF(2) normal form, takes 1.5 s for the four
product laws; sampling them about as long (241 inputs, degree 2).  Keccak's round lemma (a user script's) closes structurally.  A rejected entry is
ignored and the lemma proved afresh by the whole ladder, so a false lemma is
refuted or unknown, whatever the file said.  A proof that used a cached lemma
names the cache and each lemma's re-check in its trusted base (``cache_trust``);
``set_cache_enabled(False)`` -- or ``LNSYM_NO_LEMMA_CACHE=1``, ``lnsym prove
--no-cache`` -- proves every lemma afresh.
"""
from __future__ import annotations

import contextlib
import contextvars
import json
import os
from pathlib import Path


def cache_dir() -> Path:
    """``$LNSYM_LEMMA_DIR`` if set (tests), else ``$XDG_CACHE_HOME/lnsym/lemmas``."""
    if os.environ.get("LNSYM_LEMMA_DIR"):
        return Path(os.environ["LNSYM_LEMMA_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lnsym" / "lemmas"


_cache_enabled = [True]
_used = contextvars.ContextVar("lnsym_lemmas_used", default=None)


def set_cache_enabled(enabled: bool) -> None:
    """Off: every lemma is proved afresh (the cache is still written)."""
    _cache_enabled[0] = bool(enabled)


def cache_enabled() -> bool:
    return _cache_enabled[0] and os.environ.get("LNSYM_NO_LEMMA_CACHE", "") in ("", "0")


@contextlib.contextmanager
def cache_disabled(disabled: bool = True):
    """Within the block, every lemma is proved afresh (when ``disabled``)."""
    before = _cache_enabled[0]
    if disabled:
        _cache_enabled[0] = False
    try:
        yield
    finally:
        _cache_enabled[0] = before


@contextlib.contextmanager
def lemmas_used():
    """Within the block, records every lemma proved or found in the cache: a list of
    (name, how, cached)."""
    record: list = []
    token = _used.set(record)
    try:
        yield record
    finally:
        _used.reset(token)


def cache_trust(used: list) -> list:
    """The trusted-base line for the cached lemmas in ``used`` (none: no line)."""
    routes: dict = {}
    for name, how, cached in used:
        if cached:
            routes.setdefault(how.split(RECHECKED, 1)[-1], set()).add(name)
    if not routes:
        return []
    parts = [f"{', '.join(sorted(names))} re-checked on load by {route}"
             for route, names in sorted(routes.items())]
    line = (f"lemma cache {cache_dir()} (its entries are not trusted): {'; '.join(parts)}; "
            f"lnsym prove --no-cache proves them afresh")
    return [line]


def record_use(name: str, how: str, cached: bool) -> None:
    record = _used.get()
    if record is not None:
        record.append((name, how, cached))


# -- entries and their re-check ------------------------------------------------------------
RECHECKED = "re-checked by "          # in a cached lemma's ``how``: the route follows
RUNGS = ("structural", "normalised", "gf2-anf", "smt")   # the rungs a lemma can close on


def read_entry(lemma, path: Path) -> tuple:
    """(the recorded rung of each equation, "") or (None, why the entry is unusable)."""
    try:
        rec = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        return None, f"unreadable ({e})"
    if not isinstance(rec, dict) or rec.get("key") != lemma.key() \
            or rec.get("statement") != lemma.statement_hash():
        return None, "not an entry for this statement"
    methods = rec.get("methods")
    if not isinstance(methods, list) or len(methods) != len(lemma.lhs) \
            or not all(m in RUNGS for m in methods):
        return None, f"it does not name one of the rungs {', '.join(RUNGS)} per equation"
    return methods, ""


def recheck(lemma, methods: list, timeout: float) -> tuple:
    """Check the lemma's statement again, by the cheapest sound route (module
    docstring): (how it was re-checked, "") or ("", why the check failed)."""
    from lnsym.prover.lowdegree import sample_check
    if all(m == "structural" for m in methods):
        return rerun_rungs(lemma, methods, timeout)
    verdict = sample_check(lemma.lhs, lemma.rhs)
    if verdict is None:
        return rerun_rungs(lemma, methods, timeout)
    if not verdict.holds:
        return "", f"equation {verdict.failing} is false on a random input"
    return f"sampling ({verdict.describe()})", ""


def rerun_rungs(lemma, methods: list, timeout: float) -> tuple:
    """Each equation re-proved by the rung recorded for it, and nothing else."""
    from lnsym.prover import gf2
    from lnsym.prover.normalise import Normaliser
    from lnsym.prover.solve import check_equal
    norm = Normaliser()
    shared = gf2.GF2() if lemma.method == "gf2" else None   # as the proof shared it
    for i, (rung, a, b) in enumerate(zip(methods, lemma.lhs, lemma.rhs)):
        if rung == "structural":
            ok = a is b
        elif rung == "normalised":
            ok = norm(a) is norm(b)
        elif rung == "gf2-anf":
            ok = gf2.prove_gf2(a, b, shared if shared is not None else gf2.GF2()) is True
        else:                                               # smt, on the normalised sides
            ok = check_equal(norm(a), norm(b), timeout).status == "unsat"
        if not ok:
            return "", f"equation {i} is not proved by its recorded rung ({rung})"
    return f"re-running the recorded rung ({', '.join(sorted(set(methods)))})", ""
