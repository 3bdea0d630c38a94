"""The strategy ladder (DESIGN.md): structural equality after normalisation ->
random simulation (a differing input is a counterexample) -> SAT sweeping ->
SMT on what is left -> a stuck goal."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from lnsym.backends.batch.dag import LaneSimulation
from lnsym.prover import gf2, reuse
from lnsym.prover.gf2linear import LinearNormaliser
from lnsym.prover.normalise import Normaliser
from lnsym.prover.opaque import Generaliser, prove_over_opaque_leaves
from lnsym.prover.precondition import Precondition
from lnsym.prover.solve import check_equal
from lnsym.prover.sums import SumNormaliser
from lnsym.prover.sweep import Sweeper, random_envs, simulate, topo
from lnsym.terms.bv import BV


@dataclass
class Obligation:
    name: str
    impl: BV
    spec: BV


@dataclass
class ObligationResult:
    name: str
    status: str                      # "proved", "refuted", "stuck"
    method: str                      # "structural", "sweep", "smt", "simulation", ...
    seconds: float
    counterexample: dict | None = None   # variable name -> int
    residual: tuple | None = None        # (impl, spec) left for the solver
    detail: str = ""
    solver_seconds: float = 0.0


@dataclass
class ProverStats:
    solver_calls: int = 0
    solver_seconds: float = 0.0
    methods: dict = field(default_factory=dict)


class Simulation:
    """Random simulation shared by the obligations of one proof: a node shared by
    many outputs (a whole cipher state) is evaluated once, not once per output.
    The nodes are evaluated on all ``n`` environments at once, as numpy lanes
    (``lnsym.backends.batch.dag``), which makes 64 environments cost less than
    16 did one at a time."""

    def __init__(self, n: int = 64, seed: int = 7):
        self.envs = random_envs(n, seed=seed)
        self.lanes = LaneSimulation(n, lambda t: [env(t) for env in self.envs])

    def signatures(self, impl: BV, spec: BV) -> dict:
        self.lanes.run_roots(impl, spec)
        return {impl: self.lanes.signature(impl), spec: self.lanes.signature(spec)}


def _simulated_counterexample(impl: BV, spec: BV, n: int = 16, shared: Simulation | None = None,
                              precondition: Precondition | None = None):
    """Inputs on which the two sides differ (and the precondition holds), or None."""
    if shared is not None:
        envs, sig = shared.envs, shared.signatures(impl, spec)
    else:
        envs = random_envs(n, seed=7)
        sig = simulate(topo(impl, spec), envs)
    extra = () if precondition is None else tuple(precondition.names.values())
    for i, (a, b) in enumerate(zip(sig[impl], sig[spec])):
        if a != b:
            from lnsym.terms.bv import variables
            cex = {v.params[0]: envs[i](v) & ((1 << v.width) - 1)
                   for v in variables(impl, spec, *extra)}
            if precondition is None or precondition.holds(cex):
                return cex
    return None


# The variables under a node whose names have had two widths, per node: obligations
# share their DAGs, so each node is visited once while the set of names stays the same.
_CLASH_MEMO: dict = {"names": frozenset(), "memo": {}}
_CLASH_MEMO_LIMIT = 2_000_000
_NO_VARIABLES = frozenset()


def _clashing_variables(t: BV, names: frozenset) -> frozenset:
    from lnsym.terms.dag import fold_dag
    if names != _CLASH_MEMO["names"] or len(_CLASH_MEMO["memo"]) > _CLASH_MEMO_LIMIT:
        _CLASH_MEMO.update(names=names, memo={})

    def combine(n, below):
        if n.op == "var":
            return frozenset((n,)) if n.params[0] in names else _NO_VARIABLES
        out = _NO_VARIABLES
        for b in below:
            if b:
                out = b if not out else out | b
        return out
    return fold_dag(t, _CLASH_MEMO["memo"], combine)


def _name_clash(impl: BV, spec: BV) -> str:
    """Counterexamples and simulation name variables by their names: two different
    variables with one name (of different widths) would be confused, so such an
    obligation is not decided."""
    from lnsym.terms.bv import names_of_two_widths
    names = names_of_two_widths()
    if not names:                           # no name was ever given two widths
        return ""
    widths: dict = {}
    for v in _clashing_variables(impl, names) | _clashing_variables(spec, names):
        widths.setdefault(v.params[0], set()).add(v.width)
    bad = sorted(n for n, w in widths.items() if len(w) > 1)
    if not bad:
        return ""
    return (f"the obligation has variables named {bad[0]!r} of widths "
            f"{sorted(widths[bad[0]])}: give them different names")


def prove_equal(ob: Obligation, sweeper=None, timeout: float = 60.0,
                normalise: Normaliser | None = None,
                linear: LinearNormaliser | None = None,
                algebra: gf2.GF2 | None = None,
                sums: SumNormaliser | None = None,
                simulation: Simulation | None = None,
                generalise: Generaliser | None = None,
                precondition: Precondition | None = None,
                rewritten: bool = False) -> ObligationResult:
    """``ob.impl == ob.spec`` for all inputs (that satisfy ``precondition``)."""
    t0 = time.perf_counter()
    impl, spec = ob.impl, ob.spec
    if impl.width != spec.width:
        return ObligationResult(ob.name, "refuted", "widths", 0.0,
                                detail=f"widths differ: {impl.width} vs {spec.width}")
    if impl is spec:
        return ObligationResult(ob.name, "proved", "structural", time.perf_counter() - t0)
    clash = _name_clash(impl, spec)
    if clash:
        return ObligationResult(ob.name, "stuck", "names", time.perf_counter() - t0,
                                detail=clash)
    # carry-less products: the GF(2) normal form (gf2.py) first, since it decides such
    # obligations outright and random simulation of their products costs as much
    if gf2.applicable(impl, spec) and \
            gf2.prove_gf2(impl, spec, algebra if algebra is not None else gf2.GF2()):
        return ObligationResult(ob.name, "proved", "gf2-anf", time.perf_counter() - t0)
    cex = _simulated_counterexample(impl, spec, shared=simulation, precondition=precondition)
    if cex is not None:
        return ObligationResult(ob.name, "refuted", "simulation", time.perf_counter() - t0, cex,
                                (impl, spec))
    norm = normalise or Normaliser()
    impl, spec = norm(impl), norm(spec)
    if impl is spec:
        return ObligationResult(ob.name, "proved", "normalised", time.perf_counter() - t0)
    if linear is not None and linear(impl) is linear(spec):
        return ObligationResult(ob.name, "proved", "gf2-linear", time.perf_counter() - t0)
    if sums is not None and sums(impl) is sums(spec):      # ARX: sums through slices (sums.py)
        return ObligationResult(ob.name, "proved", "sums", time.perf_counter() - t0)
    if (linear is not None and generalise is not None       # GHASH of AES output (opaque.py)
            and prove_over_opaque_leaves(impl, spec, linear, generalise,
                                         algebra if algebra is not None else gf2.GF2())):
        return ObligationResult(ob.name, "proved", "gf2-anf/opaque", time.perf_counter() - t0)
    if precondition is not None and not rewritten:
        cex = precondition.counterexample(ob.impl, ob.spec)    # inputs that satisfy it
        if cex is not None:
            return ObligationResult(ob.name, "refuted", "simulation (precondition)",
                                    time.perf_counter() - t0, cex, (impl, spec))
        again = _under_precondition(ob, precondition, lambda o: prove_equal(
            o, sweeper, timeout, normalise, linear, algebra, sums, simulation, generalise,
            precondition, rewritten=True))
        if again is not None:
            again.seconds = time.perf_counter() - t0
            return again
    solver_s = 0.0
    if callable(sweeper):               # built on first need: it normalises every spec
        sweeper = sweeper()
    if sweeper is not None:
        c0, s0 = sweeper.solver_calls, sweeper.solver_seconds
        impl = sweeper.run(impl)
        solver_s += sweeper.solver_seconds - s0
        if impl is spec:
            return ObligationResult(ob.name, "proved", "sweep", time.perf_counter() - t0,
                                    solver_seconds=solver_s,
                                    detail=f"{sweeper.solver_calls - c0} local solver calls")
    if precondition is None:
        ans = check_equal(impl, spec, timeout)
    else:
        ans = precondition.check(impl, spec, timeout)
        if ans.status == "sat" and not precondition.holds(ans.model):
            ans.status, ans.reason = "unknown", "a model violating the precondition"
    solver_s += ans.seconds
    dt = time.perf_counter() - t0
    if ans.status == "unsat":
        return ObligationResult(ob.name, "proved", "smt", dt, solver_seconds=solver_s)
    if ans.status == "sat":
        return ObligationResult(ob.name, "refuted", "smt", dt, ans.model, (impl, spec),
                                solver_seconds=solver_s)
    return ObligationResult(ob.name, "stuck", "smt", dt, None, (impl, spec),
                            detail=f"solver: {ans.reason or 'unknown'} after {ans.seconds:.1f}s",
                            solver_seconds=solver_s)


def _under_precondition(ob: Obligation, precondition: Precondition, ladder):
    """The ladder again on ``ob`` with the nodes the precondition decides replaced
    (``precondition.rewrite``), or None when it decides none."""
    s0 = precondition.solver_seconds
    impl = precondition.rewrite(ob.impl, ob.spec)
    if impl is ob.impl:
        return None
    r = ladder(Obligation(ob.name, impl, ob.spec))
    r.solver_seconds += precondition.solver_seconds - s0
    if r.status == "proved":
        r.method += " under precondition"
    return r


# rungs that prove an equation for every input, whatever precondition was given (before
# ``_under_precondition``); a result by one of them may be reused under any precondition
FOR_EVERY_INPUT = frozenset(("gf2-anf", "normalised", "gf2-linear", "sums", "gf2-anf/opaque"))


def prove_all(obligations: list, timeout: float = 60.0, sweep: bool = True,
              preconditions: list | None = None) -> list:
    """Results for every obligation; one sweeper, built when an obligation first
    needs it, shares work across them.  With ``preconditions`` (1-bit terms that
    must be 1) each obligation is proved for the inputs that satisfy them
    (``lnsym.prover.precondition``)."""
    precondition = Precondition(preconditions) if preconditions else None
    norm = Normaliser()
    linear = LinearNormaliser()
    algebra = gf2.engine()
    sums = SumNormaliser(norm)
    simulation = Simulation()
    generalise = Generaliser()
    shared: list = []

    def sweeper():
        if not shared:
            shared.append(Sweeper([norm(o.spec) for o in obligations]))
        return shared[0]
    results = []
    for ob in obligations:          # within reuse.sharing(), the same terms are proved once
        r = reuse.reused(ob)        # proved for every input: so under any precondition
        if r is None:
            r = prove_equal(ob, sweeper if sweep else None, timeout, norm, linear, algebra,
                            sums, simulation, generalise, precondition)
            if precondition is None or r.method in FOR_EVERY_INPUT:
                reuse.remember(ob, r)
        results.append(r)
    return results
