"""SAT sweeping: find internal nodes of the implementation equal to nodes of the spec.

Both term DAGs are simulated on the same random inputs; an implementation
node whose values match a spec node of the same width is a *candidate*.
Walking the implementation bottom-up, each node is rebuilt over the
representatives of its children; if the rebuilt node is structurally a spec
candidate it is merged at once, otherwise the candidate is checked by z3
with the shared children cut to free variables (sound: equal for all values
of the cut terms implies equal), and merged when proven.
"""
from __future__ import annotations

import random

from lnsym.prover.solve import check_equal
from lnsym.terms.bv import BV, rebuild
from lnsym.terms.evaluate import OPS


def topo(*roots: BV) -> list:
    order, seen = [], set()
    stack = [(r, False) for r in roots]
    while stack:
        t, done = stack.pop()
        if done:
            order.append(t)
            continue
        if t in seen:
            continue
        seen.add(t)
        stack.append((t, True))
        stack.extend((a, False) for a in t.args)
    return order


def simulate(order: list, envs: list, known: dict | None = None) -> dict:
    """node -> tuple of values, one per environment (``known`` signatures are reused)."""
    sig = dict(known) if known else {}
    for t in order:
        if t in sig:
            continue
        if t.op == "const":
            sig[t] = (t.params[0],) * len(envs)
        elif t.op == "var":
            mask = (1 << t.width) - 1
            sig[t] = tuple(env(t) & mask for env in envs)
        else:
            f = OPS[t.op]
            cols = [sig[a] for a in t.args]
            sig[t] = tuple(f(t, *vals) for vals in zip(*cols))
    return sig


def random_envs(n: int, seed: int = 0):
    envs = []
    for i in range(n):
        rng = random.Random(seed * 1000 + i)
        cache = {}

        def env(t, cache=cache, rng=rng, i=i):
            v = cache.get(t)
            if v is None:
                # a few structured patterns besides uniform random values
                if i == 0:
                    v = 0
                elif i == 1:
                    v = (1 << t.width) - 1
                else:
                    v = rng.getrandbits(t.width)
                cache[t] = v
            return v
        envs.append(env)
    return envs


class Sweeper:
    def __init__(self, spec_roots: list, n_sim: int = 24, local_timeout: float = 5.0):
        self.envs = random_envs(n_sim)
        self.spec_order = topo(*spec_roots)
        self.sig = simulate(self.spec_order, self.envs)
        self.by_sig = {}
        for t in self.spec_order:
            self.by_sig.setdefault((t.width, self.sig[t]), t)
        self.rep: dict = {}          # impl node -> equal spec-side node (or itself)
        self.local_timeout = local_timeout
        self.solver_calls = 0
        self.solver_seconds = 0.0

    def run(self, impl_root: BV) -> BV:
        order = topo(impl_root)
        isig = simulate(order, self.envs, self.sig)
        for t in order:
            if t.args:
                new = rebuild(t, [self.rep[a] for a in t.args])
            else:
                new = t
            cand = self.by_sig.get((t.width, isig[t]))
            if cand is not None and cand is not new and new.op != "const":
                if self._prove_local(new, cand):
                    new = cand
            self.rep[t] = new
        return self.rep[impl_root]

    def _prove_local(self, a: BV, b: BV) -> bool:
        """Is a == b?  Tried with the nodes at depth 1, 2, 4 cut to free variables
        (a proof with cuts is a proof), then on the whole terms."""
        for depth in (1, 2, 4, None):
            cuts = None if depth is None else frontier((a, b), depth)
            if cuts is not None and not cuts:
                continue
            self.solver_calls += 1
            ans = check_equal(a, b, self.local_timeout, cuts)
            self.solver_seconds += ans.seconds
            if ans.status == "unsat":
                return True
            if ans.status == "sat" and depth is None:
                return False
        return False


def frontier(roots, depth: int) -> dict:
    """Non-leaf nodes at exactly ``depth`` below the roots -> cut variable names."""
    level = set(roots)
    for _ in range(depth):
        level = {a for t in level for a in t.args}
    return {t: f"cut{t.id}" for t in level if t.args}
