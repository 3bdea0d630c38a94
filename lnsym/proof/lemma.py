"""Lemmas: user-stated bit-vector equations, proven once and cached on disk.

A ``Lemma`` states ``lhs == rhs`` (or a system ``lhs[i] == rhs[i]``) for every
value of the variables occurring in it (universally quantified).  ``prove``
runs the prover ladder (random simulation -> normalisation -> z3); a lemma
that is proven is recorded under ``$XDG_CACHE_HOME/lnsym/lemmas`` (default
``~/.cache/lnsym/lemmas``) keyed by

* a structural hash of its statement (stable across processes: the
  arguments of associative-commutative operators are hashed as a multiset),
* the hash of the sources its proof depends on (by default every ``.py`` of
  ``lnsym`` and ``isa_specs``: the term constructors, normaliser, z3 lowering
  and the instruction semantics that produced the terms), and z3's version.

A false lemma raises ``LemmaRefuted`` with a counterexample and is never
written to the cache.

A cache entry is not believed: it records which rung closed each equation,
and on load the statement is checked again -- structurally, by sampling with
a bound on the error (low-degree GF(2) terms), or by re-running the recorded
rung -- before the lemma counts as proved (``lnsym.proof.lemma_cache`` says
which route and why).  An entry that fails is ignored and the lemma proved
afresh, so a false lemma is refuted whatever the file said.  The trusted base
of a proof that used a cached lemma names the cache and the route
(``lemmas_used``, ``cache_trust``); ``set_cache_enabled(False)`` (or
``LNSYM_NO_LEMMA_CACHE=1``, or ``lnsym prove --no-cache``) proves every lemma
afresh.

Using a lemma: ``instance(binding)`` gives the
instantiated sides; ``rewrite(term)`` replaces every instance of a left side
in ``term`` by the right side (matching the lemma's variables, with
argument permutations for associative-commutative operators).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from lnsym.proof.lemma_cache import (
    RECHECKED,
    cache_dir,
    cache_enabled,
    cache_trust,
    lemmas_used,
    read_entry,
    recheck,
    record_use,
    set_cache_enabled,
)
from lnsym.terms.bv import BV, fold_dag, substitute, variables

AC_OPS = ("add", "and", "or", "xor")
ROOT = Path(__file__).resolve().parent.parent
_source_hashes: dict = {}


class LemmaRefuted(Exception):
    def __init__(self, lemma, index, counterexample, detail=""):
        self.lemma, self.index, self.counterexample = lemma, index, counterexample
        cex = ", ".join(f"{k}={v:#x}" for k, v in sorted((counterexample or {}).items())[:16])
        super().__init__(f"lemma {lemma.name!r} is false (equation {index}): "
                         f"{detail or 'counterexample'}: {cex}")


class LemmaUnknown(Exception):
    pass


_digests: dict = {}          # term -> its 16-byte structural digest (terms are immortal)
_heads: dict = {}            # (op, width, params) -> its encoding


def _digest(t, kids) -> bytes:
    """A node's digest, from its operator, width, parameters and children's digests."""
    key = (t.op, t.width, t.params)
    head = _heads.get(key)
    if head is None:
        head = _heads[key] = f"{t.op}\0{t.width}\0{t.params!r}\0".encode()
    if t.op in AC_OPS:
        kids = sorted(kids)
    return hashlib.blake2b(head + b"".join(kids), digest_size=16).digest()


def term_hash(*terms: BV) -> str:
    """A structural hash, independent of creation order (hash-consing ids)."""
    for root in terms:
        fold_dag(root, _digests, _digest)
    return hashlib.sha256(b"|".join(_digests[t] for t in terms)).hexdigest()


def sources_hash(packages=("lnsym", "isa_specs")) -> str:
    """Hash of every .py file of the named packages (the semantics a proof trusts)."""
    key = tuple(packages)
    if key not in _source_hashes:
        h = hashlib.sha256()
        for pkg in packages:
            for path in sorted((ROOT / pkg).rglob("*.py")):
                h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
        try:
            import z3
            h.update(z3.get_version_string().encode())
        except ImportError:                       # pragma: no cover
            pass
        _source_hashes[key] = h.hexdigest()
    return _source_hashes[key]


class Lemma:
    """``lhs == rhs`` for all values of its variables (lhs/rhs: a term or a sequence)."""

    def __init__(self, name: str, lhs, rhs, depends=("lnsym", "isa_specs"), method="ladder"):
        """``method``: "ladder" (the prover ladder) or "gf2" (the GF(2) algebraic normal
        form alone, one engine shared by all equations: for bit-level algebra such
        as GF(2^128) products, which the ladder only tries beside a clmul)."""
        if method not in ("ladder", "gf2"):
            raise ValueError(f"lemma {name!r}: unknown method {method!r}")
        self.method = method
        self.name = name
        self.lhs = tuple(lhs) if isinstance(lhs, (list, tuple)) else (lhs,)
        self.rhs = tuple(rhs) if isinstance(rhs, (list, tuple)) else (rhs,)
        if len(self.lhs) != len(self.rhs):
            raise ValueError(f"lemma {name!r}: {len(self.lhs)} left sides, {len(self.rhs)} right")
        for i, (a, b) in enumerate(zip(self.lhs, self.rhs)):
            if a.width != b.width:
                raise ValueError(f"lemma {name!r} equation {i}: widths {a.width} vs {b.width}")
        self.depends = tuple(depends)
        self.variables = sorted(variables(*self.lhs, *self.rhs), key=lambda v: v.params[0])
        self.proved = False
        self.how = ""
        self._key = None

    def __repr__(self):
        return (f"Lemma({self.name!r}, {len(self.lhs)} equation(s) over "
                f"{len(self.variables)} variable(s), {'proved: ' + self.how if self.proved else 'unproved'})")

    # -- the statement and its cache key ---------------------------------------------------
    def key(self) -> str:
        if self._key is None:
            self._key = self._statement_key()
        return self._key

    def _statement_key(self) -> str:
        h = hashlib.sha256()
        h.update(self.statement_hash().encode())
        h.update(sources_hash(self.depends).encode())
        return h.hexdigest()[:40]

    def cache_path(self) -> Path:
        return cache_dir() / f"{self.key()}.json"

    def show(self, max_lines: int = 60) -> str:
        from lnsym.terms.pretty import pretty
        out = [f"lemma {self.name}: for all {', '.join(v.params[0] for v in self.variables)}"]
        for i, (a, b) in enumerate(zip(self.lhs, self.rhs)):
            out.append(f"  [{i}] lhs: " + pretty(a, max_lines=max_lines).replace("\n", "\n        "))
            out.append("      rhs: " + pretty(b, max_lines=max_lines).replace("\n", "\n        "))
        return "\n".join(out)

    # -- proving -------------------------------------------------------------------------------
    def prove(self, timeout: float = 60.0, use_cache: bool = True) -> "Lemma":
        """Prove every equation (or find the proof in the cache); raises LemmaRefuted /
        LemmaUnknown.  Only a complete proof is written to the cache."""
        if self.proved:
            self._record(self.how.startswith("cached"))
            return self
        path = self.cache_path()
        rejected = ""
        if use_cache and cache_enabled() and path.is_file():
            t0 = time.perf_counter()
            methods, rejected = read_entry(self, path)
            route = ""
            if methods is not None:
                route, rejected = recheck(self, methods, timeout)
            if not rejected:
                self.proved = True
                self.how = (f"cached ({path.name[:12]}…, {time.perf_counter() - t0:.2f}s), "
                            f"{RECHECKED}{route}")
                self._record(True)
                return self
        t0 = time.perf_counter()
        methods = self._prove_gf2() if self.method == "gf2" else self._prove_ladder(timeout)
        self.proved = True
        self.how = f"proved ({', '.join(sorted(set(methods)))}, {time.perf_counter() - t0:.2f}s)"
        if rejected:
            self.how += f"; the cache entry was rejected: {rejected}"
        self._record(False)
        path.parent.mkdir(parents=True, exist_ok=True)
        rec = {"key": self.key(), "status": "proved", "name": self.name,
               "statement": self.statement_hash(), "equations": len(self.lhs),
               "methods": methods, "variables": [v.params[0] for v in self.variables],
               "depends": list(self.depends), "when": time.strftime("%Y-%m-%dT%H:%M:%S")}
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(rec, indent=1))
        os.replace(tmp, path)
        return self

    def _record(self, cached: bool) -> None:
        record_use(self.name, self.how, cached)

    def statement_hash(self) -> str:
        if getattr(self, "_statement", None) is None:
            self._statement = term_hash(*self.lhs) + "=" + term_hash(*self.rhs)
        return self._statement

    def _prove_ladder(self, timeout: float) -> list:
        from lnsym.prover import Obligation, prove_equal
        from lnsym.prover.normalise import Normaliser
        norm = Normaliser()
        methods = []
        for i, (a, b) in enumerate(zip(self.lhs, self.rhs)):
            r = prove_equal(Obligation(f"{self.name}[{i}]", a, b), None, timeout, norm)
            if r.status == "refuted":
                raise LemmaRefuted(self, i, r.counterexample, r.detail or r.method)
            if r.status != "proved":
                raise LemmaUnknown(f"lemma {self.name!r} equation {i}: not proven ({r.detail})")
            methods.append(r.method)
        return methods

    def _prove_gf2(self) -> list:
        from lnsym.prover import gf2
        engine = gf2.GF2()
        for i, (a, b) in enumerate(zip(self.lhs, self.rhs)):
            verdict = gf2.prove_gf2(a, b, engine)
            if verdict is False:
                raise LemmaRefuted(self, i, gf2.witness(a, b, engine),
                                   "their GF(2) normal forms differ")
            if verdict is None:
                raise LemmaUnknown(f"lemma {self.name!r} equation {i}: the GF(2) normal form "
                                   f"needed cut points, where a difference is inconclusive"
                                   if engine.cuts else
                                   f"lemma {self.name!r} equation {i}: an operator outside "
                                   f"the GF(2) normal form")
        return ["gf2-anf"] * len(self.lhs)

    def _require(self):
        if not self.proved:
            raise LemmaUnknown(f"lemma {self.name!r} is used before it is proven: call .prove()")

    # -- using it ------------------------------------------------------------------------------
    def instance(self, binding: dict) -> tuple:
        """(lhs terms, rhs terms) with the lemma's variables replaced (by name or term)."""
        self._require()
        m = _binding(self, binding)
        memo: dict = {}
        return ([substitute(t, m, memo) for t in self.lhs],
                [substitute(t, dict(m), {}) for t in self.rhs])

    def rewrite(self, term: BV) -> tuple:
        """(term with each instance of a left side replaced by the right side, count)."""
        self._require()
        pvars = set(self.variables)
        lhs_vars = variables(*self.lhs)
        for v in pvars - lhs_vars:
            raise ValueError(f"lemma {self.name!r}: variable {v.params[0]} occurs only on the "
                             f"right side: give a binding and use instance()")
        heads: dict = {}
        for p, q in zip(self.lhs, self.rhs):
            heads.setdefault((p.op, p.width), []).append((p, q))
        memo: dict = {}
        count = [0]

        def go(t):
            stack = [t]
            while stack:
                x = stack[-1]
                if x in memo:
                    stack.pop()
                    continue
                hit = None
                for p, q in heads.get((x.op, x.width), ()):
                    b = match(p, x, pvars)
                    if b is not None:
                        hit = (q, b)
                        break
                if hit is not None:
                    q, b = hit
                    pending = [v for v in b.values() if v not in memo]
                    if pending:
                        stack.extend(pending)
                        continue
                    stack.pop()
                    memo[x] = substitute(q, {v: memo[s] for v, s in b.items()}, {})
                    count[0] += 1
                    continue
                pending = [a for a in x.args if a not in memo]
                if pending:
                    stack.extend(pending)
                    continue
                stack.pop()
                from lnsym.terms.bv import rebuild
                new = [memo[a] for a in x.args]
                memo[x] = x if all(a is b for a, b in zip(new, x.args)) else rebuild(x, new)
            return memo[t]
        out = go(term)
        return out, count[0]


def _binding(lemma, binding: dict) -> dict:
    by_name = {v.params[0]: v for v in lemma.variables}
    out = {}
    for k, val in binding.items():
        v = by_name.get(k) if isinstance(k, str) else k
        if v is None or v not in set(lemma.variables):
            raise KeyError(f"lemma {lemma.name!r} has no variable {k!r}")
        if isinstance(val, int):
            from lnsym.terms.bv import const
            val = const(val, v.width)
        if val.width != v.width:
            raise ValueError(f"binding {v.params[0]}: width {val.width}, expected {v.width}")
        out[v] = val
    return out


def match(pattern: BV, term: BV, pvars: set, binding: dict | None = None, budget=None):
    """A binding of the pattern variables making ``pattern`` the same node as ``term``,
    or None.  Associative-commutative operators of equal arity (at most 7 arguments)
    are matched up to permutation."""
    binding = {} if binding is None else binding
    budget = budget if budget is not None else [20000]
    if budget[0] <= 0:
        return None
    budget[0] -= 1
    if pattern in pvars:
        got = binding.get(pattern)
        if got is None:
            if pattern.width != term.width:
                return None
            b = dict(binding)
            b[pattern] = term
            return b
        return binding if got is term else None
    if pattern is term and not (variables(pattern) & pvars):
        return binding
    if (pattern.op, pattern.width, pattern.params, len(pattern.args)) != \
            (term.op, term.width, term.params, len(term.args)) or not pattern.args:
        return None
    if pattern.op in AC_OPS and len(pattern.args) <= 7:
        return _match_ac(list(pattern.args), list(term.args), pvars, binding, budget)
    for p, t in zip(pattern.args, term.args):
        binding = match(p, t, pvars, binding, budget)
        if binding is None:
            return None
    return binding


def _match_ac(ps, ts, pvars, binding, budget):
    if not ps:
        return binding
    p = ps[0]
    for j, t in enumerate(ts):
        b = match(p, t, pvars, binding, budget)
        if b is not None:
            r = _match_ac(ps[1:], ts[:j] + ts[j + 1:], pvars, b, budget)
            if r is not None:
                return r
    return None


__all__ = ["Lemma", "LemmaRefuted", "LemmaUnknown", "match", "term_hash", "sources_hash",
           "cache_dir", "set_cache_enabled", "cache_enabled", "lemmas_used", "cache_trust"]
