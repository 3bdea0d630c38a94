"""Spec sums seen as the code's terms, proven under a path's facts (``SumLeaves``).

The spec adds whole numbers (counter + i, 128 bits); the code adds 64-bit halves
with a carry, or bytes in vector lanes when it knows no carry leaves the low byte.  The terms differ, so
everything computed from them (AES of the counter) differs syntactically.
Each maximal sum of a spec term is replaced by bits of the code's own terms (its
sums, its variables, constants) that simulation under the facts says are equal,
and the replacement is kept only when z3 proves it equal under the facts.  The
obligations are then proved on the ladder against the rewritten spec: equal to
it for all inputs, so equal to the spec wherever the facts hold.

The choices are guided by random simulation on inputs satisfying the facts
(``sample_envs``); only z3's answer decides a replacement.  Within
``lnsym.prover.reuse.sharing()`` a (spec, code term) pair rewritten under the same
facts once is taken again (the cases of a split, the phases of an induction).
"""
from __future__ import annotations

import random

import numpy as np

from lnsym.backends.hypotheses import Hypotheses
from lnsym.proof.paths import fact_terms
from lnsym.prover import reuse
from lnsym.terms.bv import BV, concat, const, extract, mask, substitute
from lnsym.terms.dag import fold_dag, variables
from lnsym.terms.evaluate import evaluate

ARITH = ("add", "neg", "mul")
ENVS = 64


def _roots(terms: list, with_vars: bool = False) -> list:
    """Maximal arithmetic subterms (an ``ARITH`` node not below another one); with
    ``with_vars`` also the variables not below one (what the code's term shows)."""
    out, seen, stack = [], set(), list(terms)
    while stack:
        t = stack.pop()
        if t in seen:
            continue
        seen.add(t)
        if t.op in ARITH or (with_vars and t.op == "var"):
            out.append(t)
        else:
            stack.extend(t.args)
    return out


def root_sets(terms: list, with_vars: bool = False, memo: dict | None = None) -> dict:
    """``set(_roots([t], with_vars))`` for every node t below ``terms``, computed once per
    shared node (the bytes of one cipher block share its whole DAG); ``memo`` may be
    kept for later calls over the same DAG."""
    memo = {} if memo is None else memo
    empty = frozenset()

    def combine(t, below):
        if t.op in ARITH or (with_vars and t.op == "var"):
            return frozenset((t,))
        out = empty
        for b in below:
            if b is not out and not b <= out:
                out = b if not out else out | b
        return out
    for t in terms:
        fold_dag(t, memo, combine)
    return memo


def bit_signatures(values: list, width: int) -> list:
    """For each bit j < width, the number whose bit i is bit j of ``values[i]``."""
    n = len(values)
    words = (width + 63) // 64
    m64 = (1 << 64) - 1
    arr = np.array([[(v >> (64 * w)) & m64 for w in range(words)] for v in values],
                   dtype=np.uint64).reshape(n, words)
    shifts = np.arange(64, dtype=np.uint64)
    bits = ((arr[:, :, None] >> shifts) & np.uint64(1)).astype(np.uint8)
    packed = np.packbits(bits.reshape(n, 64 * words)[:, :width], axis=0, bitorder="little")
    return [int.from_bytes(packed[:, j].tobytes(), "little") for j in range(width)]


def sample_envs(facts: dict, n: int = ENVS, seed: int = 11) -> list:
    """``n`` environments (name -> int, random for unnamed variables) satisfying the
    facts: the facts' own variables fixed one by one to random values while z3 finds
    the facts still satisfiable, the rest from its model; the first two start from
    all zeros and all ones.  The z3 part is asked once per facts within
    ``reuse.sharing()`` (the paths of a split's cases meet the same branch conditions)."""
    fixed, state = reuse.cached(("sample_envs", frozenset(facts.items()), n, seed),
                                lambda: _fixed_samples(facts, n, seed))
    rng = random.Random()
    rng.setstate(state)                 # as if the samples had just been drawn
    return [_env(f, rng, i) for i, f in enumerate(fixed)]


def _fixed_samples(facts: dict, n: int, seed: int) -> tuple:
    """(the facts' variables' values in each of ``n`` samples, the generator's state)."""
    import z3
    rng = random.Random(seed)
    hyp = Hypotheses(fact_terms(facts)) if facts else None
    fvars = sorted({v for t in fact_terms(facts) for v in variables(t)}, key=lambda v: v.params[0])
    samples = []
    for i in range(n):
        fixed = {}
        if hyp is not None:
            s = hyp.solver
            s.push()
            for v in rng.sample(fvars, len(fvars)):
                want = 0 if i == 0 else (1 << v.width) - 1 if i == 1 else rng.getrandbits(v.width)
                s.push()
                s.add(hyp.low(v) == want)
                if s.check() != z3.sat:
                    s.pop()
            if s.check() != z3.sat:
                s.pop()
                raise ValueError("the path's facts are not satisfiable")
            m = s.model()
            fixed = {v.params[0]: m.eval(hyp.low(v), model_completion=True).as_long()
                     for v in fvars}
            s.pop()
        samples.append(fixed)
    return samples, rng.getstate()


def _env(fixed: dict, rng, i: int):
    values = dict(fixed)

    def env(name, width=128):
        if name not in values:
            values[name] = 0 if i == 0 else (1 << width) - 1 if i == 1 else rng.getrandbits(width)
        return values[name]
    return env


class SumLeaves:
    """Spec sums -> the code's terms, proven under ``facts`` (``rewrite``).

    Candidates for each bit of a spec sum are the bits of the code's variables and
    sums and the constants with the same values on environments satisfying the
    facts; a run of bits continues the previous bit's source where it can.  A
    replacement z3 refutes gives a new environment (its counterexample, which
    separates the candidates that misled), and the choice is made again."""

    ATTEMPTS = 8

    def __init__(self, facts: dict, impl_terms: list):
        self.facts = frozenset(facts.items())
        self.proven = 0
        self._impl_terms, self._ready, self._envs = impl_terms, False, None

    @property
    def envs(self) -> list:
        """The environments the choices were made on (only the first ``ENVS`` when every
        rewrite was known from an earlier call)."""
        if self._envs is None:
            self._envs = sample_envs(dict(self.facts))
        return self._envs

    def _prepare(self) -> None:
        """The sources and their signatures, on the first rewrite not known before."""
        if self._ready:
            return
        self._ready, impl_terms = True, self._impl_terms
        self.hyp = Hypotheses(fact_terms(dict(self.facts)))
        self.sources = sorted(variables(*impl_terms), key=lambda v: v.params[0])
        self.sources += _roots(impl_terms)
        self.values = {t: self._values(t) for t in self.sources}
        self.bits: dict = {}               # source -> its 1-bit extracts
        self._root_sigs: dict = {}          # spec sum -> its bit signatures (``_choose``)
        # kept across rewrite calls (one per obligation, over one shared DAG)
        self._root_memos: tuple = ({}, {})  # root_sets of specs, of impls
        self._substituted: dict = {}        # mapping -> substitution memo
        self._index()

    def _values(self, t: BV, envs=None) -> list:
        if t.op == "var":                   # as ``evaluate`` reads it, without the walk
            name, m = t.params[0], mask(t.width)
            return [env(name, 128) & m for env in envs or self.envs]
        return [evaluate(t, lambda name, env=env: env(name, 128)) for env in envs or self.envs]

    def _signatures(self, root: BV) -> list:
        """``root``'s bit signatures on the current environments (kept until one is added)."""
        sigs = self._root_sigs.get(root)
        if sigs is None:
            sigs = self._root_sigs[root] = bit_signatures(self._values(root), root.width)
        return sigs

    def _index(self):
        """Each source's bit signatures, and the candidate bits by signature."""
        self.sigs = {t: bit_signatures(self.values[t], t.width) for t in self.sources}
        self.index: dict = {0: [const(0, 1)], (1 << len(self.envs)) - 1: [const(1, 1)]}
        for t in self.sources:
            bits = self.bits.get(t)
            if bits is None:
                bits = self.bits[t] = [extract(t, j, j) for j in range(t.width)]
            for sig, bit in zip(self.sigs[t], bits):
                self.index.setdefault(sig, []).append(bit)

    def _add_env(self, model: dict):
        rng = random.Random(len(self.envs))
        env = _env(model, rng, len(self.envs))
        self.envs.append(env)
        for t in self.sources:
            self.values[t] += self._values(t, [env])
        self._root_sigs.clear()
        self._index()

    def _choose(self, root: BV, allowed=None) -> BV | None:
        """Bits of the code's terms with the values of ``root``'s bits: from bit 0 up,
        the candidate whose source goes on matching the longest (a whole sum rather
        than a bit of another that happens to agree with it)."""
        sigs = self._signatures(root)
        bits, j = [], 0
        while j < root.width:
            cands = self.index.get(sigs[j])
            if cands and allowed is not None:
                cands = [c for c in cands if c.op == "const" or c.args[0] in allowed]
            if not cands:
                return None
            prev = bits[-1].args[0] if bits and bits[-1].op == "extract" else None
            best, rank = cands[0], (False, 1, False)
            for c in cands:
                if c.op != "extract":
                    continue
                src, k = c.args[0], c.params[1]
                n = 1
                src_sigs = self.sigs[src]
                while (j + n < root.width and k + n < src.width
                       and src_sigs[k + n] == sigs[j + n]):
                    n += 1
                # the previous run's source first (a sum the code split into lanes, read
                # in another byte order), then the longest run, then a variable
                r = (src is prev, n, src.op == "var")
                if r > rank:
                    best, rank = c, r
            run = rank[1]
            if best.op == "extract":
                src, k = best.args[0], best.params[1]
                bits += [extract(src, k + t, k + t) for t in range(run)]
            else:
                bits.append(best)
            j += run
        return joined(bits)

    def _spec_roots(self, specs: list, impls) -> list:
        """The maximal sums of ``specs``, spec by spec in creation order (with ``impls``,
        from the memo ``rewrite`` keeps over the shared DAG)."""
        if impls is None:
            return _roots(specs)
        sets = root_sets(specs, memo=self._root_memos[0])
        return list(dict.fromkeys(r for s in specs for r in sorted(sets[s], key=lambda t: t.id)))

    def rewrite(self, specs: list, impls: list | None = None) -> list:
        """The spec terms with each maximal sum replaced where proven.  With ``impls``
        (the code's term of each spec term), a sum is replaced only by the sources of
        the code's terms where that sum occurs -- what the code computed *there*; and
        within ``reuse.sharing()`` a (spec, code term) pair rewritten under the same
        facts before (another case's, another phase's) takes that proven rewrite."""
        if impls is None:
            return self._rewrite(specs, None)[0]
        keys = [("sum leaves", self.facts, s, i) for s, i in zip(specs, impls)]
        done = [reuse.known(key) for key in keys]
        todo = [j for j, d in enumerate(done) if d is None]
        if todo:
            new, used = self._rewrite([specs[j] for j in todo], [impls[j] for j in todo])
            for j, t, u in zip(todo, new, used):
                done[j] = reuse.cached(keys[j], lambda t=t, u=u: (t, u))
        self.proven += len(frozenset().union(*(u for _, u in done)))
        return [t for t, _ in done]

    def _rewrite(self, specs: list, impls) -> tuple:
        """(the rewritten specs, the sums replaced in each)."""
        self._prepare()
        mapping, allowed = {}, {}
        if impls is not None:
            spec_roots = root_sets(specs, memo=self._root_memos[0])
            impl_roots = root_sets(impls, with_vars=True, memo=self._root_memos[1])
            for spec, impl in zip(specs, impls):
                for root in spec_roots[spec]:
                    allowed.setdefault(root, set()).update(impl_roots[impl])
        for root in self._spec_roots(specs, impls):
            for _ in range(self.ATTEMPTS):
                repl = self._choose(root, allowed.get(root))
                if repl is None or repl is root:
                    break
                # one z3 query per (facts, sum, replacement) proved; refuted: asked again
                holds, model = reuse.cached(
                    ("sum under facts", self.facts, root, repl),
                    lambda: self.hyp.implies(self.hyp.low(root) == self.hyp.low(repl)),
                    keep=lambda answer: answer[0])
                if holds:
                    mapping[root] = repl
                    break
                if model is None:
                    break
                self._add_env({name: model.eval(v, model_completion=True).as_long()
                               for name, v in self.hyp.low.vars.items()})
        if impls is None:
            self.proven += len(mapping)
        if not mapping:
            return list(specs), [frozenset()] * len(specs)
        memo = self._substituted.setdefault(frozenset(mapping.items()), {})
        sets = root_sets(specs, memo=self._root_memos[0]) if impls is not None else {}
        return ([substitute(s, mapping, memo) for s in specs],
                [frozenset(r for r in sets.get(s, ()) if r in mapping) for s in specs])


def joined(bits: list) -> BV:
    """The term of ``bits`` (bit 0 first), adjacent slices of one term merged."""
    runs = []                                   # [term, lo, hi] over the source
    for b in bits:
        src, hi, lo = (b.args[0], *b.params) if b.op == "extract" else (b, 0, 0)
        if runs and runs[-1][0] is src and src.op != "const" and runs[-1][2] + 1 == lo:
            runs[-1][2] = hi
        else:
            runs.append([src, lo, hi])
    parts = [src if src.op == "const" else extract(src, hi, lo) for src, lo, hi in runs]
    return concat(*reversed(parts)) if len(parts) > 1 else parts[0]


__all__ = ["ENVS", "SumLeaves", "bit_signatures", "joined", "root_sets", "sample_envs"]
