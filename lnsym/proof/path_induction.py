"""All-lengths inductions over loops that branch on their data and write an output per pass.

``PathInduction`` is the ``Induction`` of ``lnsym.proof.induction`` with two additions,
both general (libgcrypt's CTR mode is the first user):

* **Path splits inside the induction.**  Each run of the induction (the entry to the
  loop head, the probe iteration, the step, the exit) may stop at a branch on symbolic
  data (``SymbolicBranch``, next PC ``ite(c, A, B)``).  Such a run is explored as in
  ``lnsym.proof.path_split``: once with c = 0 and once with c = 1 stated as facts (in
  the hypotheses, so z3 decides the branch and every side condition under them), a
  side kept only when z3 finds it satisfiable.  Every obligation of a path is proved
  under its facts: the spec's sums are first replaced by the code's terms z3 proves
  equal under them (``lnsym.proof.sum_leaves.SumLeaves``), then the ladder proves the rest
  for every input.  Per run, z3 checks that the paths' facts cover every input.  The
  base is checked on every path of the entry run (the whole head state: running,
  counter and pointer values, the invariant part and memory), and the derived
  classification merges every probe path (a location is invariant or affine only if
  it is on all of them).
* **An output per pass** (``OutputFold``): a pass k writes ``block_bytes`` bytes at
  ``output_region + block_bytes·k`` (a CTR key stream XOR its input).  The output
  region exists only through windows: a writable window of one block at
  ``output + block_bytes·k`` in the step and the exit pass, whose every byte must equal
  ``emit(Fold(k), block k)``, and one of ``tail_bytes`` at ``output + block_bytes·num``
  after the loop, whose every byte the statement's outputs must name.  A write outside
  them is an unresolved access (an error, never accepted); the entry run must not write
  the output region at all.  So, by induction, output block k is written once, by pass
  k, with its spec value.  The output region of num blocks and the tail must not wrap
  (a hypothesis of every phase).
"""
from __future__ import annotations

from dataclasses import dataclass

from lnsym.backends.batch.dag import LaneSimulation
from lnsym.backends.hypotheses import Hypotheses, HypothesisMemory
from lnsym.backends.symbolic import Region, SymbolicBranch
from lnsym.proof.induction import FoldStatement, Induction, _entry_state, _no_wrap, by_hypotheses
from lnsym.proof.loops import NUM, K, LoopShape, LoopShapeError, copy_memory
from lnsym.proof.path_split import path_label
from lnsym.proof.paths import covers, explore, fact_terms
from lnsym.proof.sum_leaves import ENVS, SumLeaves
from lnsym.proof.routine import RETURN
from lnsym.prover import Obligation, prove_all, reuse
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import add, const, extract, mul, var


@dataclass
class OutputFold(FoldStatement):
    """A ``FoldStatement`` whose loop also writes one output block per pass."""
    # the region written a block per pass (e.g. a cipher's dst); None: no output per pass
    output_region: str | None = None
    # (fold, block bytes) -> the block_bytes bytes pass k writes at output + block_bytes·k
    emit: object = None


def merge_shapes(shapes: list) -> LoopShape:
    """One classification for every path of the entry run and the probe: a location
    stays running, invariant or affine (with one stride) only if it is so on every
    path; otherwise it is scratch (a temporary one path writes, another not)."""
    shape = shapes[0]
    for other in shapes[1:]:
        if set(other.cells) != set(shape.cells):
            raise LoopShapeError("the probe's paths write different memory cells")
        demoted = [loc for loc in shape.running if loc not in other.running]
        shape.running = [loc for loc in shape.running if loc not in demoted]
        demoted += [loc for loc in shape.invariant if loc not in other.invariant]
        demoted += [loc for loc, c in shape.affine.items() if other.affine.get(loc) != c]
        shape.invariant = [loc for loc in shape.invariant if loc not in demoted]
        shape.affine = {loc: c for loc, c in shape.affine.items() if loc not in demoted}
        shape.scratch += demoted
    return shape


def byte_obligations(ob: Obligation) -> list:
    """``ob`` as one obligation per byte (the AES normal forms work bytewise)."""
    w = ob.impl.width
    if w <= 8 or w % 8:
        return [ob]
    return [Obligation(f"{ob.name} byte {i}", extract(ob.impl, 8 * i + 7, 8 * i),
                       extract(ob.spec, 8 * i + 7, 8 * i)) for i in range(w // 8)]


def head_memory(shape: LoopShape, st) -> list:
    """(region, offset, byte in ``st``, byte at the head) for every byte either wrote,
    outside the shape's memory cells: the entry run of one path against the head's."""
    celled = {(region, off + i) for region, off, size in shape.cells.values()
              for i in range(size)}
    head = {r.name: r for r in shape.memory.regions}
    return [(r.name, off, r.byte(off), head[r.name].byte(off))
            for r in st.mem.regions if r.name in head
            for off in sorted(set(r.bytes) | set(head[r.name].bytes))
            if (r.name, off) not in celled]


SAMPLES = 8               # inputs satisfying a path's facts each large obligation is run on
SMALL = 400               # nodes: a term z3 decides directly under a path's facts


def is_small(t, limit: int = SMALL) -> bool:
    """``t`` has at most ``limit`` distinct nodes and no table lookup (an S-box)."""
    seen, stack = set(), [t]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        if n.op == "lookup" or len(seen) >= limit:
            return False
        seen.add(n)
        stack.extend(n.args)
    return True


def shared_facts(fact_sets: list) -> dict:
    """The facts every one of ``fact_sets`` states (an obligation met on several paths
    is proved under what they have in common)."""
    first = fact_sets[0]
    return {c: v for c, v in first.items() if all(f.get(c) == v for f in fact_sets[1:])}


class LazyHypotheses:
    """The facts of a ``Hypotheses`` (tracked: its proofs name the facts they used),
    built on the first query: a run whose claims all hold by reuse builds none."""

    def __init__(self, facts: list):
        self.facts = list(facts)
        self._hyps = None

    def __getattr__(self, name):
        if self._hyps is None:
            self._hyps = Hypotheses(self.facts, track=True)
        return getattr(self._hyps, name)


BY_Z3 = "z3 (under the loop hypotheses)"


def decided_under(name: str, hyps, impl, spec) -> ObligationResult:
    """``impl == spec`` under ``hyps``: structural when one term; proved again when z3
    proved it earlier in this process from facts all among ``hyps.facts``
    (``reuse.holds_under``); else asked of z3, the facts of its proof remembered."""
    if impl is spec:
        return ObligationResult(name, "proved", "structural", 0.0)
    if reuse.holds_under(impl, spec, hyps.facts):
        return ObligationResult(name, "proved", f"{BY_Z3} ({reuse.REUSED} proved earlier in "
                                                f"this process, under facts stated here)", 0.0)
    result = by_hypotheses(name, hyps, lambda low: low(impl) == low(spec))
    if result.status == "proved":
        reuse.remember_under(impl, spec, hyps.last_core)
    return result


class PathInduction(Induction):
    """``Induction`` with path splits in every run and an output window per pass."""

    def __init__(self, proof, image, stmt: FoldStatement, timeout: float):
        super().__init__(proof, image, stmt, timeout)
        if stmt.zero_iterations:
            raise LoopShapeError("a path-split induction does not take zero_iterations yet")
        self.where: dict = {}               # branch condition -> its address
        self.facts: dict = {}
        self.splits: list = []              # (run, number of paths) for the trusted base
        self.sums_rewritten = 0
        self.output = getattr(stmt, "output_region", None)
        if self.output:
            self.out_anchor = next(r.anchor for r in self.setup.regions if r.name == self.output)
            self.common.append(_no_wrap(self.out_anchor, NUM, stmt.block_bytes, stmt.tail_bytes))
        self._common = list(self.common)
        proof._path_induction = self

    def _under(self, facts: dict) -> None:
        """Later runs and hypotheses state ``facts`` (a path's branch conditions)."""
        self.facts = facts
        self.common = self._common + fact_terms(facts)

    # -- memory: the output region only through windows -----------------------------------
    def _memory(self, hyps: Hypotheses, window, source):
        if window is None:                  # the probe: the output region as the entry had it
            return super()._memory(hyps, window, source)
        drop = (self.stmt.input_region, self.output)
        mem = copy_memory(source, drop=drop, into=HypothesisMemory(hyps))
        mem.add(window)
        if self.output:
            mem.add(self._output_window(window))
        return mem

    def _output_window(self, window: Region) -> Region:
        after = window.name.endswith("@num")
        name = f"{self.output}@{'num' if after else 'k'}"
        at = mul(const(self.stmt.block_bytes, 64), NUM if after else K)
        size = self.stmt.tail_bytes if after else self.stmt.block_bytes
        changing = tuple(self.proof.may_change)
        if name not in changing:            # its bytes are obligations, not frame
            self.proof.may_change = changing + (name,)
        return Region(name, add(self.out_anchor, at), 0, size,
                      init=lambda off: var(f"{name}[{off}]", 8))

    def _head_state(self, shape, hyps, window):
        st, fold, block = super()._head_state(shape, hyps, window)
        self._pass_state = (st, fold, block)  # the pass's state, for its output window
        return st, fold, block

    # -- the entry run and the probe ------------------------------------------------------
    def shape(self) -> LoopShape:
        heads = []

        def entry(facts):
            self._under(facts)
            st = _entry_state(self.proof, self.image, self.proof.setup(self.image),
                              Hypotheses(self.common))
            st.run(RETURN, self.proof.max_steps, stop_at=self.loop.head)
            if st.pc != self.loop.head:
                raise LoopShapeError(f"the entry does not reach the loop head {self.loop.head:#x}")
            heads.append((facts, st))
        paths = explore(entry, self.where)
        self.base_paths = [(f, st) for f, st in heads if f in paths]
        self.base_covered = covers(paths)
        self.splits.append(("entry run", len(paths)))
        shapes = []

        def probe(facts):
            self._under(base_facts | facts)
            try:
                shapes.append(super(PathInduction, self).shape())
            except LoopShapeError as e:      # the probe stopped at a branch: split it
                if isinstance(e.__context__, SymbolicBranch):
                    raise e.__context__ from None
                raise
        try:
            for base_facts, self.entry in reversed(self.base_paths):   # the first one last
                explore(probe, self.where)
        finally:
            self._under({})
        self.initial = dict(self.entry.initial)
        return self._without_output(merge_shapes(shapes[::-1]))

    def _without_output(self, shape: LoopShape) -> LoopShape:
        """The probe's writes to the output region are no cells: each phase has its
        window there instead."""
        if not self.output:
            return shape
        for loc in [loc for loc, cell in shape.cells.items() if cell[0] == self.output]:
            del shape.cells[loc], shape.base[loc]
            shape.affine.pop(loc, None)
            for group in (shape.running, shape.invariant, shape.scratch):
                if loc in group:
                    group.remove(loc)
        return shape

    # -- base: every path of the entry run gives the invariant at k = 0 --------------------
    def base(self, shape: LoopShape) -> list:
        at0 = shape.state(const(0, 64), self.stmt.seed, shape.inputs, "k")
        results = []
        for facts, st in self.base_paths:
            label = path_label(facts, self.where) if facts else "one path"
            if self.output and st.mem.region(self.output).bytes:
                raise LoopShapeError(f"the entry writes the output region {self.output!r} "
                                     f"before the loop head")
            now = {loc: shape.load(st, loc) for loc in shape.base}
            carried = shape.running + list(shape.affine)
            obs = [Obligation(f"base [{label}]: {loc} at k = 0", now[loc], at0[loc])
                   for loc in carried]
            pairs = [(f"base [{label}]: invariant {loc} at k = 0", now[loc], shape.base[loc])
                     for loc in shape.invariant]
            pairs += [(f"base [{label}]: memory {name}[{off:#x}] at k = 0", got, want)
                      for name, off, got, want in head_memory(shape, st)]
            ladder, small = self._rewritten(obs, facts)
            results += prove_all(ladder, timeout=self.timeout) + small
            results += self._decided(pairs, self._common + fact_terms(facts))
        results.append(self._coverage("base", self.base_covered, len(self.base_paths)))
        return results

    @staticmethod
    def _decided(pairs: list, facts: list) -> list:
        """Each (name, impl, spec) decided by z3 under ``facts`` (1-bit terms)."""
        hyps = LazyHypotheses(facts)
        return [decided_under(n, hyps, a, e) for n, a, e in pairs]

    def _coverage(self, phase: str, covered: bool, n: int) -> ObligationResult:
        name = f"{phase}: the {n} path(s) of its branches on data cover every input"
        return ObligationResult(name, "proved" if covered else "stuck", "z3 (path split)", 0.0,
                                detail="" if covered else "z3 did not show the paths' "
                                                          "conditions cover every input")

    # -- step and exit, each path under its facts -------------------------------------------
    def step(self, shape: LoopShape) -> tuple:
        return self._split("step", lambda: super(PathInduction, self).step(shape))

    def exit(self, shape: LoopShape) -> tuple:
        obs, decided = self._split("exit", lambda: super(PathInduction, self).exit(shape))
        if self.output and self.stmt.cut_at_exit:
            decided.append(self._tail_named(shape))
        return obs, decided

    def _tail_named(self, shape: LoopShape) -> ObligationResult:
        """The window after the loop is outside the frame: the statement's outputs must
        name each of its bytes, or a write there would go unchecked."""
        name, tail = f"{self.output}@num", self.stmt.tail_bytes
        fold = shape.fold_vars("num")
        rest = [var(f"{name}[{i}]", 8) for i in range(tail)]
        final = fold if self.stmt.finish is None else list(self.stmt.finish(fold, rest))
        named = {o.where[2] + i for o in self.stmt.outputs(final)
                 if o.where[:2] == ("mem", name) for i in range(o.where[3])}
        missing = sorted(set(range(tail)) - named)
        return ObligationResult(f"exit: the outputs name every byte of {name}",
                                "stuck" if missing else "proved", "statement", 0.0,
                                detail=f"{name}[{missing[0]}] is named by no output"
                                if missing else "")

    def _split(self, phase: str, run_phase) -> tuple:
        done = []

        def run(facts):
            self._under(facts)
            self._pass_state = None
            obs, decided = run_phase()
            done.append((facts, obs + self._emitted(phase), decided))
        try:
            paths = explore(run, self.where)
        finally:
            self._under({})
        self.splits.append((phase, len(paths)))
        met: dict = {}                       # (impl, spec) -> [name, facts of each path]
        decided = []
        for facts, obs, dec in done:
            label = path_label(facts, self.where) if facts else "one path"
            for ob in obs:
                met.setdefault((ob.impl, ob.spec), [f"[{label}] {ob.name}", []])[1].append(facts)
            decided += [ObligationResult(f"[{label}] {r.name}", r.status, r.method, r.seconds,
                                         r.counterexample, r.residual, r.detail,
                                         r.solver_seconds) for r in dec]
        by_facts: dict = {}                  # obligations grouped by the facts they hold under
        for (impl, spec), (name, sets) in met.items():
            facts = shared_facts(sets)
            by_facts.setdefault(tuple(facts.items()), []).append(Obligation(name, impl, spec))
        obs = []
        for key, group in by_facts.items():
            ladder, small = self._rewritten(group, dict(key))
            obs += ladder
            decided += small
        decided.append(self._coverage(phase, covers(paths), len(paths)))
        return obs, decided

    def _emitted(self, phase: str) -> list:
        """The pass's output window: every byte is ``emit(Fold(k), block k)``."""
        if not self.output or self._pass_state is None:
            return []
        st, fold, block = self._pass_state
        spec = list(self.stmt.emit(fold, block))
        window = st.mem.region(f"{self.output}@k")
        return [Obligation(f"{phase}: output {self.output}@k[{i}]", window.byte(i), spec[i])
                for i in range(self.stmt.block_bytes)]

    def _rewritten(self, obs: list, facts: dict) -> tuple:
        """(ladder obligations, results): a small obligation (a counter, a pointer) is
        decided by z3 under the hypotheses and ``facts``; a large one becomes byte
        obligations whose spec sums are the code's terms, z3-proven under ``facts``, and
        is refuted at once if it differs on a sampled input satisfying ``facts``."""
        small = [is_small(o.impl) and is_small(o.spec) for o in obs]
        decided = self._decided([(o.name, o.impl, o.spec) for o, s in zip(obs, small) if s],
                                self._common + fact_terms(facts))
        obs = [o for o, s in zip(obs, small) if not s]
        if not obs:
            return [], decided
        leaves = SumLeaves(facts, [o.impl for o in obs])
        parts = []
        for ob in obs:          # the sources of a location's own term: its lanes, its sums
            pieces = byte_obligations(ob)
            specs = leaves.rewrite([p.spec for p in pieces], [p.impl for p in pieces])
            parts += [Obligation(p.name, p.impl, s) for p, s in zip(pieces, specs)]
        self.sums_rewritten += leaves.proven
        # the first samples, and every input z3 gave while refining the sums' choice
        envs = leaves.envs[:SAMPLES] + leaves.envs[ENVS:]
        lanes = LaneSimulation(len(envs), lambda v: [env(v.params[0]) for env in envs])
        out = []
        for p in parts:
            if reuse.proved(p.impl, p.spec):     # equal for every input: on these too
                out.append(p)
                continue
            lanes.run_roots(p.impl, p.spec)
            if lanes.signature(p.impl) == lanes.signature(p.spec):
                out.append(p)
            else:
                decided.append(ObligationResult(
                    p.name, "refuted", "simulation (inputs satisfying the path's facts)", 0.0,
                    detail="differs on a sampled input that satisfies the path's branch "
                           "conditions"))
        return out, decided

    def trusted(self) -> list:
        """Trusted-base lines of the path splits and the output windows."""
        import z3
        runs = "; ".join(f"{run}: {n}" for run, n in self.splits)
        lines = [f"path split inside the induction (paths per run: {runs}): each path proved "
                 f"under its branch conditions, z3 {z3.get_version_string()} shows each run's "
                 f"paths cover every input; {self.sums_rewritten} spec sum(s) shown equal to "
                 f"the code's terms under a path's conditions before the ladder"]
        if self.output:
            lines.append(f"output per pass: pass k writes only {self.output} + "
                         f"{self.stmt.block_bytes}·k (each byte checked), the code after the "
                         f"loop only {self.output} + {self.stmt.block_bytes}·num (its "
                         f"{self.stmt.tail_bytes} bytes checked); precondition: the "
                         f"{self.output} region of num blocks and the tail does not wrap")
        return lines


class PathAllLengths:
    """Mixin before ``AllLengths``: the induction is a ``PathInduction``."""

    induction_class = PathInduction

    def trusted_base(self, results, setup=None) -> list:
        base = super().trusted_base(results, setup)
        ind = getattr(self, "_path_induction", None)
        if self.all_lengths and ind is not None:
            base += ind.trusted()
        return base


__all__ = ["OutputFold", "PathAllLengths", "PathInduction", "byte_obligations",
           "merge_shapes", "shared_facts"]
