"""Obligations under a stated precondition on input values.

A proof may state preconditions: 1-bit terms over its inputs that must be 1
(e.g. ChaCha20's ``counter + blocks <= 2^32``).  An obligation ``impl == spec``
is then proved as ``P -> impl == spec``; the ladder's rungs prove equalities for
all inputs, which is stronger, so they stay sound as they are.  What the
precondition adds:

- a counterexample (from random simulation or z3) is reported only if it
  satisfies P (``holds``); an input violating P is no counterexample;
- where P is narrow, random inputs rarely satisfy it, so before the solver the
  obligation is also simulated on inputs that do (``counterexample``): the random
  ones that held, topped up with spread z3 models of P (``model_draws``);
- ``rewrite``: where the rungs fail, the implementation's nodes that P decides
  are replaced.  Both DAGs are simulated on random inputs that satisfy P and
  on inputs that violate it; a node of the implementation whose children are
  unchanged, whose values on the P-inputs are those of a spec node (or one
  constant), and whose values on the violating inputs are not -- the places
  where P matters -- is checked by z3 as ``P -> node == that term`` and, when
  proven, replaced.  An addition over a concatenation (a 32-bit counter packed
  with a nonce word in one 64-bit register) is split in two where P decides
  the carry between the halves.  The rewritten
  implementation equals the original one wherever P holds, so the ladder is
  run on it again;
- the last rung asks z3 for ``P and impl != spec`` (``hypotheses``).
"""
from __future__ import annotations

import random

from lnsym.backends.batch.dag import LaneSimulation
from lnsym.errors import UserError
from lnsym.prover.solve import check_equal
from lnsym.prover.sweep import topo
from lnsym.terms.bv import BV, add, and_, concat, const, extract, zero_extend
from lnsym.terms.dag import rebuild, variables
from lnsym.terms.evaluate import evaluate


SMALL = 64        # nodes: the additions split where P decides the carry (a counter's)
DRAWN = 16        # inputs satisfying P that a counterexample is looked for on
SLICE = 16        # bits of a variable fixed at once when spreading z3's models


class Precondition:
    """The conjunction of ``terms`` (1-bit), with inputs that satisfy and violate it."""

    def __init__(self, terms: list, n: int = 32, seed: int = 11, max_checks: int = 32,
                 check_timeout: float = 5.0):
        for t in terms:
            if t.width != 1:
                raise ValueError("a precondition is a 1-bit term (1: holds)")
        self.terms = list(terms)
        self.term = and_(*terms) if len(terms) > 1 else terms[0]
        self.names = {v.params[0]: v for v in variables(self.term)}
        self.max_checks, self.check_timeout = max_checks, check_timeout
        self.checks = 0                  # z3 queries made by ``rewrite``
        self.solver_seconds = 0.0
        holding, violating = [], []
        rng = random.Random(seed)
        for i in range(8 * n):
            env = _env(rng.getrandbits(64), {} if i else {v: 0 for v in self.names.values()})
            (holding if self._holds_in(env) else violating).append(env)
            if len(holding) >= n and len(violating) >= 2:
                break
        violating += [_env(rng.getrandbits(64), m) for m in self._models(0, 8)]
        if not holding:
            holding = [_env(rng.getrandbits(64), m) for m in self._models(1, 1)]
        if not holding:      # every statement would hold vacuously
            raise UserError("the stated preconditions are unsatisfiable (or z3 found no input "
                            "satisfying them): nothing would be proved")
        self.holding_envs = holding
        self.drawn = None                # lanes satisfying P for counterexamples (``drawn_lanes``)
        self.holding = LaneSimulation(len(holding), lambda t: [e(t) for e in holding])
        self.violating = (LaneSimulation(len(violating), lambda t: [e(t) for e in violating])
                          if violating else None)
        self.spec_nodes: dict = {}       # (width, values where P holds) -> spec node
        self.seen_specs: set = set()
        self.replaced: dict = {}         # implementation node -> its replacement

    # -- counterexamples ------------------------------------------------------------
    def holds(self, values: dict) -> bool:
        """Whether the inputs ``values`` (name -> int; a missing one is 0) satisfy P."""
        return evaluate(self.term, lambda name: values.get(name, 0)) == 1

    def _holds_in(self, env) -> bool:
        return evaluate(self.term, lambda name: env(self.names[name])) == 1

    def _models(self, value: int, k: int) -> list:
        """Up to ``k`` assignments of P's variables (by term) that make it ``value``."""
        import z3

        from lnsym.terms.smt import Lowering, solver_for
        low = Lowering()
        s = solver_for(low, self.check_timeout)
        s.add(low(self.term) == value)
        out = []
        while len(out) < k and s.check() == z3.sat:
            m = s.model()
            vals = {v: m.eval(low(v), model_completion=True).as_long() for v in self.names.values()}
            out.append(vals)
            s.add(z3.Or([low(v) != x for v, x in vals.items()]))
        return out

    @property
    def narrow(self) -> bool:
        """Fewer than ``DRAWN`` of the random inputs tried satisfy P."""
        return len(self.holding_envs) < DRAWN

    def counterexample(self, impl: BV, spec: BV) -> dict | None:
        """Where P is ``narrow``, inputs satisfying P on which ``impl`` and ``spec``
        differ (name -> int), from the lanes of ``drawn_lanes``, or None.  Random
        simulation discards every input violating P, so where P is narrow (a carry
        path's facts) only these lanes can show a difference before the solver; where
        it is not, random simulation had such inputs and nothing is done again."""
        if not self.narrow:
            return None
        lanes, envs = self.drawn_lanes()
        lanes.run_roots(impl, spec)
        names = variables(impl, spec, *self.names.values())
        for env, a, b in zip(envs, lanes.signature(impl), lanes.signature(spec)):
            if a != b:
                cex = {v.params[0]: env(v) for v in names}
                if self.holds(cex):
                    return cex
        return None

    def drawn_lanes(self) -> tuple:
        """(lanes, their environments): the random inputs satisfying P, topped up, when
        fewer than ``DRAWN`` of them held, with inputs from spread z3 models of P
        (``model_draws``); built on first need and kept."""
        if self.drawn is None:
            envs = list(self.holding_envs)
            if not self.narrow:             # the lanes ``rewrite`` simulates
                self.drawn = (self.holding, envs)
                return self.drawn
            rng = random.Random(len(envs))
            envs += [_env(rng.getrandbits(64), m)
                     for m in model_draws(self.term, self.names, DRAWN - len(envs), rng)]
            self.drawn = (LaneSimulation(len(envs), lambda t: [e(t) for e in envs]), envs)
        return self.drawn

    def check(self, impl: BV, spec: BV, timeout: float):
        """z3 on ``P and impl != spec`` (unsat: proved under P)."""
        return check_equal(impl, spec, timeout, hypotheses=[self.term])

    # -- rewriting where P matters ----------------------------------------------------
    def rewrite(self, impl: BV, spec: BV) -> BV:
        """``impl`` with the nodes P decides replaced (each replacement proven by z3
        under P); ``impl`` itself when there are none."""
        self._index_spec(spec)
        self.holding.run_roots(impl)
        if self.violating is not None:
            self.violating.run_roots(impl)
        done = self.replaced
        for t in topo(impl):
            if t in done:
                continue
            if t.op in ("const", "var"):
                done[t] = t
                continue
            args = [done[a] for a in t.args]
            if any(a is not b for a, b in zip(args, t.args)):
                done[t] = rebuild(t, args)
            else:
                target = self._decided(t)
                if target is None and t.op == "add":
                    target = self._carry_decided(t)
                done[t] = t if target is None else target
        return done[impl]

    def _index_spec(self, spec: BV) -> None:
        if spec in self.seen_specs:
            return
        self.seen_specs.add(spec)
        self.holding.run_roots(spec)
        if self.violating is not None:
            self.violating.run_roots(spec)
        for s in topo(spec):
            self.spec_nodes.setdefault((s.width, self.holding.signature(s)), s)

    def _decided(self, t: BV) -> BV | None:
        values = self.holding.signature(t)
        target = self.spec_nodes.get((t.width, values))
        if target is None and len(set(values)) == 1:
            target = const(values[0], t.width)          # e.g. a carry P rules out
        if target is None or target is t:
            return None
        if self.violating is None:
            return None
        self.violating.run_roots(target)
        if self.violating.signature(t) == self.violating.signature(target):
            return None                  # P does not matter here: the rungs' business
        return target if self._proven(t, target) else None

    def _carry_decided(self, t: BV) -> BV | None:
        """A two-operand addition one of whose operands is a concatenation (a counter
        packed with other words) as two additions, when P decides the carry
        between them, e.g. ``(n0 : ctr) + 5`` as ``n0 : (ctr + 5)`` while ctr + 5
        does not wrap."""
        if len(t.args) != 2 or self.violating is None:
            return None
        joined = next((a for a in t.args if a.op == "concat"), None)
        if joined is None or len(topo(t)) > SMALL:
            return None
        k = joined.args[-1].width
        lo = [extract(a, k - 1, 0) for a in t.args]
        hi = [extract(a, t.width - 1, k) for a in t.args]
        carry = extract(add(*[zero_extend(x, k + 1) for x in lo]), k, k)
        self.holding.run_roots(carry)
        self.violating.run_roots(carry)
        values = set(self.holding.signature(carry))
        if len(values) != 1:     # (the inputs violating P need not reach a wrap: not asked)
            return None
        target = concat(add(*hi, const(values.pop(), t.width - k)), add(*lo))
        return target if self._proven(t, target) else None

    def _proven(self, t: BV, target: BV) -> bool:
        """z3 proves ``P -> t == target`` (within the budget of checks)."""
        if self.checks >= self.max_checks:
            return False
        self.checks += 1
        ans = self.check(t, target, self.check_timeout)
        self.solver_seconds += ans.seconds
        return ans.status == "unsat"


def model_draws(term: BV, names: dict, k: int, rng, budget: float = 2.0) -> list:
    """Up to ``k`` assignments {variable term: value} satisfying the 1-bit ``term`` (over
    the variables ``names``: name -> term), spread over its solutions: each starts from
    z3's model and fixes the variables' 16-bit slices, in random order, to random
    values wherever ``term`` stays satisfiable.  Stops after ``budget`` seconds."""
    import time

    import z3

    from lnsym.terms.smt import Lowering, solver_for
    low = Lowering()
    s = solver_for(low, budget)
    s.add(low(term) == 1)
    slices = [(v, lo, min(lo + SLICE, v.width) - 1) for v in names.values()
              for lo in range(0, v.width, SLICE)]
    out, t0 = [], time.perf_counter()
    while len(out) < k and time.perf_counter() - t0 < budget:
        kept = []
        for v, lo, hi in rng.sample(slices, len(slices)):
            c = z3.Extract(hi, lo, low(v)) == rng.getrandbits(hi - lo + 1)
            if s.check(*kept, c) == z3.sat:
                kept.append(c)
            if time.perf_counter() - t0 >= budget:
                break
        if s.check(*kept) != z3.sat:
            break
        m = s.model()
        out.append({v: m.eval(low(v), model_completion=True).as_long() for v in names.values()})
    return out


def _env(seed: int, fixed: dict):
    """Random values per variable (from ``seed``), ``fixed`` ones (by term) first."""
    rng = random.Random(seed)
    cache = dict(fixed)

    def env(t):
        v = cache.get(t)
        if v is None:
            v = cache[t] = rng.getrandbits(t.width)
        return v
    return env
