"""All-lengths proofs by induction over loop iterations, invariants derived.

A ``FoldStatement`` is the all-lengths statement of a routine that folds a
step over ``num`` blocks of an input region (SHA-1/256/512, GHASH, ...):

    Fold(0) = seed,  Fold(k+1) = step(Fold(k), block k),  result = Fold(num)

with ``1 ≤ num < 2^bound_bits``.  The invariant at the loop head (the outermost
back edge of the control-flow graph) is derived by ``lnsym.proof.loops``: after
``k`` iterations every running location holds its entry-time term with the seed
replaced by ``Fold(k)`` and block 0's bytes by block k's.  Three obligations make
the induction, each closed on the prover ladder or by z3 under the hypotheses:

* **base**: the entry reaches the head; the head state is the invariant at k = 0;
* **step** (``k + 1 < num``): from the invariant at ``k``, on a state where every
  location the invariant does not fix is a fresh variable, one iteration takes
  the back edge and gives the invariant at ``k + 1`` (running values, counter,
  pointers, the invariant part, memory unchanged); blocks k, k + 1 lie inside
  the input;
* **exit** (``k + 1 = num``): from the invariant at ``k`` the last iteration
  leaves the loop and the routine returns with the postcondition for
  ``Fold(num) = step(Fold(k), block k)`` and the frame.

Memory holds one read-only window at ``inp + block_bytes·k`` (blocks k and k + 1
in the step, block k in the exit).  A failed induction is stuck; it is refuted
only by a bounded instance whose counterexample replays concretely.

Options of the statement: a tail read after the loop (``tail_bytes``, ``finish``),
the loop named by its head (``loop_head``, e.g. a loop outside the symbol's own
extent), an exit cut at the loop exit and a loop run zero times (``cut_at_exit``,
``zero_iterations``: ``lnsym.proof.loop_exit``).  A statement split by length into
several such proofs is ``lnsym.proof.cases``.

The induction principle over ``k`` and the bound on ``num`` are listed in the
trusted base of every such proof.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from lnsym.backends.cfg import loops
from lnsym.backends.hypotheses import Hypotheses, HypothesisMemory
from lnsym.backends.symbolic import Region, SymMemory, SymState
from lnsym.errors import UserError
from lnsym.proof.consistency import check_satisfiable
from lnsym.proof.loop_exit import LoopExit
from lnsym.proof.loops import (
    NUM,
    K,
    LoopShape,
    LoopShapeError,
    block_window,
    copy_memory,
    derive_shape,
    loop_at,
    run_to,
    table_pointer,
)
from lnsym.proof.routine import (
    RETURN,
    STACK_BYTES,
    image_regions,
)
from lnsym.prover import Obligation, prove_all
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import (
    BV,
    add,
    const,
    eq,
    extract,
    mul,
    substitute,
    uge,
    ule,
    ult,
    var,
    zero_extend,
)
from lnsym.terms.dag import variables
from lnsym.terms.pretty import pretty
from lnsym.terms.smt_int import implies_by_integers


@dataclass
class FoldStatement:
    """What an all-lengths proof states, beyond the bounded proof's setup."""
    seed: list                  # the spec's initial running values (variables)
    step: object                # (fold values, block bytes) -> next fold values
    input_region: str           # the region of num * block_bytes input bytes
    block_bytes: int
    outputs: object             # final fold values -> list of Output (postcondition)
    bound_bits: int = 58        # 1 <= num < 2^bound_bits: no region of num blocks wraps
    # optional, for a loop the derivation does not fit: (k, fold, block) -> {location: term},
    # the head state after k iterations for the locations it names (fold = Fold(k),
    # block = the bytes of block k); checked by base and step like a derived one
    invariant: object = None
    # optional: fold over a ConstantTable (lnsym.proof.loops) in the image, not over
    # blocks of ``input_region`` (then only the window's name): num = its entry count
    table: object = None
    # optional, for a routine that reads more after the loop (a last group of blocks, a
    # tail of single blocks): the input is num blocks then ``tail_bytes`` bytes, and the
    # result is ``finish(Fold(num), tail bytes)``; the exit runs it on a window of block
    # k and the tail.  A length case split (n = 4·(num + 1) + r) states one per case.
    tail_bytes: int = 0
    finish: object = None
    # optional: the offset from the routine's symbol of the loop head to induct over, for
    # a routine with several loops or a loop outside its symbol's extent (a local path it
    # branches to); default: the outermost back edge of the symbol's own code
    loop_head: int | None = None
    # optional: cut the exit at the loop exit (the last pass is checked like a step, then
    # the code after the loop runs from the invariant at num with Fold(num) fresh); for a
    # loop whose last pass loads block num as the tail's first block (tail_bytes >=
    # block_bytes), it keeps the exit's terms as small as one pass's
    cut_at_exit: bool = False
    # optional, with cut_at_exit: num may be 0, the entry skipping the loop to its exit (a
    # short input, e.g. one group and a tail); checked like a base case at the exit
    zero_iterations: bool = False
    # optional, with cut_at_exit and finish: a cut point in the code after the loop, after
    # it has folded the tail's first block (``lnsym.proof.finish_cut.FinishCut``)
    finish_cut: object = None
    # optional: {variable: stride}, input values the loop advances by ``stride`` per
    # iteration (a block counter such as GCM's ctr, which the code keeps in several
    # forms): locations depending on one are running, the variable read as var + stride·k
    counters: dict | None = None
    # optional: further hypotheses on the inputs, (1-bit term, what it says), e.g. that
    # an input lies below 2^63 where the code compares pointers as signed numbers; added
    # to every phase and listed in the trusted base
    facts: tuple = ()


def _no_wrap(anchor: BV, count: BV, size: int, extra: int = 0) -> BV:
    """anchor + size·count + extra <= 2^64: a region of ``count`` blocks (and ``extra``
    bytes after them) does not wrap."""
    total = add(zero_extend(anchor, 72), mul(zero_extend(count, 72), const(size, 72)),
                const(extra, 72))
    return ule(total, const(1 << 64, 72))


def _entry_state(proof, image, setup, hypotheses: Hypotheses) -> SymState:
    mem = HypothesisMemory(hypotheses)
    mem.add(Region("stack", var("sp_0", 64), -STACK_BYTES, 0))
    for r in [*setup.regions, *image_regions(image, setup.data)]:
        mem.add(r)
    regs = {"sp": var("sp_0", 64), "x30": RETURN, **setup.regs}

    def fetch(pc):
        return int.from_bytes(image.read(pc, 4), "little")
    return SymState(fetch, mem, image.symbol(proof.symbol).addr, regs, setup.assumptions)


def _chunks(term: BV, width: int):
    if term.width % width:
        return [(term.width - 1, 0)]
    return [(lo + width - 1, lo) for lo in range(0, term.width, width)]


def _ule(a: BV, b: BV):
    import z3
    return lambda low: z3.ULE(low(a), low(b))


def by_hypotheses(name: str, hyps: Hypotheses, claim) -> ObligationResult:
    """An obligation ``hypotheses => claim`` decided by z3; a model is its counterexample."""
    t0 = time.perf_counter()
    goal = claim(hyps.low)
    if not hyps.track and implies_by_integers(hyps.solver.assertions(), goal):
        dt = time.perf_counter() - t0
        return ObligationResult(name, "proved", "z3 (under the loop hypotheses, read over "
                                "the integers: lnsym/terms/smt_int.py)", dt, solver_seconds=dt)
    holds, model = hyps.implies(goal)
    dt = time.perf_counter() - t0
    method = "z3 (under the loop hypotheses)"
    if holds:
        return ObligationResult(name, "proved", method, dt, solver_seconds=dt)
    if model is None:
        return ObligationResult(name, "stuck", method, dt, detail="z3 gave no answer",
                                solver_seconds=dt)
    import z3                          # the inputs' values (a fact's mark is no input)
    env = {d.name(): model[d].as_long() for d in model.decls()
           if d.arity() == 0 and z3.is_bv_sort(d.range())}
    detail = f"fails at num = {env['num']}, k = {env.get('k')}" if "num" in env else ""
    return ObligationResult(name, "refuted", method, dt, counterexample=env, detail=detail,
                            solver_seconds=dt)


def by_gap(name: str, facts: list, lhs: BV, rhs: BV, gap: int) -> ObligationResult:
    """``by_hypotheses`` for ``lhs = rhs`` after the change of variables num = k + gap + d
    (d fresh; for each k a bijection of num and d, so the claim is the same one).  With
    sums of monomials z3 sees 6·(k + 2 + d) − 6·(k + 1) as 6 + 6·d, where the bit-blasted
    6·num − 6·k against the hypothesis k + 1 < num took over 10 s (a 6-block loop)."""
    import z3
    to_d = {NUM: add(K, const(gap, 64), var("d@gap", 64))}
    hyps = Hypotheses([])
    hyps.facts = [substitute(f, to_d) for f in facts]
    for f in hyps.facts:
        hyps.solver.add(z3.simplify(hyps.low(f) == 1, som=True))
    a, b = substitute(lhs, to_d), substitute(rhs, to_d)
    r = by_hypotheses(name, hyps, lambda low: z3.simplify(low(a) == low(b), som=True))
    r.method += f" over num = k + {gap} + d"
    if r.counterexample:
        env = r.counterexample
        env["num"] = (env.get("k", 0) + gap + env.get("d@gap", 0)) % (1 << 64)
        r.detail = f"fails at num = {env['num']}, k = {env.get('k')}"
    return r


def _check_reserved_names(setup, stmt: FoldStatement) -> None:
    """The induction names its own variables ``k`` (the iteration index) and
    ``NAME@TAG`` (values at the head); a proof variable with such a name would be
    confused with them, so it is refused (the block count ``num`` is the proof's)."""
    terms = list(setup.regs.values()) + list(stmt.seed)
    for r in setup.regions:
        if r.hi - r.lo <= 4096 and r.hi > r.lo:
            terms += [r.initial(off) for off in range(r.lo, r.hi)]
        terms.append(r.anchor)
    bad = sorted(v.params[0] for v in variables(*terms)
                 if v.params[0] == K.params[0] or "@" in v.params[0])
    if bad:
        raise UserError(f"the proof uses the variable name {bad[0]!r}; 'k' and names with "
                        f"'@' are reserved for the all-lengths induction's own variables")


class Induction(LoopExit):
    """The base, step and exit obligations of one all-lengths proof (an exit cut at the
    loop exit and num = 0: ``lnsym.proof.loop_exit``)."""

    def __init__(self, proof, image, stmt: FoldStatement, timeout: float):
        self.proof, self.image, self.stmt, self.timeout = proof, image, stmt, timeout
        self.setup = proof.setup(image)
        _check_reserved_names(self.setup, stmt)
        if stmt.table is not None:          # the iteration count is the table's, concrete
            self.anchor = None if stmt.table.address is None else const(stmt.table.address, 64)
            self.common = [eq(NUM, const(stmt.table.count, 64))]
        else:
            self.anchor = next(r.anchor for r in self.setup.regions
                               if r.name == stmt.input_region)
            self.common = [uge(NUM, const(1, 64)), ult(NUM, const(1 << stmt.bound_bits, 64)),
                           _no_wrap(self.anchor, NUM, stmt.block_bytes, stmt.tail_bytes)]
        self.common += [fact for fact, _ in stmt.facts]
        check_satisfiable(proof.name, self.setup, more=[(f, "") for f in self.common])
        self.entry = _entry_state(proof, image, self.setup, Hypotheses(self.common))
        self.initial = dict(self.entry.initial)
        self.steps = self.base_steps = 0
        if stmt.loop_head is not None:      # the statement names the loop
            self.loop = loop_at(image, proof.symbol, stmt.loop_head)
            return
        found = loops(image, proof.symbol)
        if not found:
            raise LoopShapeError(f"{proof.symbol} has no loop (no back edge)")
        # induction over the outermost loop; inner loops (e.g. over the rounds) must be
        # decided by the executor on concrete values, else the step is stuck
        self.loop = max(found, key=lambda lp: (lp.back_edge - lp.head, -lp.head))

    def _memory(self, hyps: Hypotheses, window, source: SymMemory) -> HypothesisMemory:
        mem = copy_memory(source, drop=(self.stmt.input_region,), into=HypothesisMemory(hyps))
        if window is not None:
            mem.add(window)
        return mem

    def window(self, blocks: int, extra: int = 0) -> Region:
        return block_window(self.stmt.input_region, self.anchor, blocks, self.stmt.block_bytes,
                            extra)

    def shape(self) -> LoopShape:
        stmt = self.stmt

        def probe_memory(mem):       # blocks 0 and 1 at the input, num >= 2
            out = self._memory(Hypotheses(self.common + [uge(NUM, const(2, 64))]), None, mem)
            if stmt.table is None:          # a table's entries 0 and 1 are in the image
                out.add(Region(stmt.input_region, self.anchor, 0, 2 * stmt.block_bytes,
                               writable=False))
            return out
        placeholders = None if stmt.table is None else \
            [var(f"{stmt.input_region}[{i}]", 8) for i in range(stmt.block_bytes)]
        shape = derive_shape(self.entry, self.loop, stmt.seed, stmt.input_region, probe_memory,
                             RETURN, self.proof.max_steps, placeholders, stmt.counters)
        if stmt.table is not None and self.anchor is None:
            self.anchor = const(table_pointer(shape, stmt.block_bytes), 64)
        shape.apply_given(stmt.invariant)
        self.base_steps = self.entry.steps
        return shape

    # -- base ---------------------------------------------------------------------------
    def base(self, shape: LoopShape) -> list:
        """The head state of the entry run is the invariant at k = 0: each location's
        k-form at k = 0, with Fold(0) = seed and block 0, is its value there."""
        at0 = shape.state(const(0, 64), self.stmt.seed, shape.inputs, "k")
        obs = [Obligation(f"base: {loc} at k = 0", at0[loc], shape.base[loc])
               for loc in shape.running + list(shape.affine)]
        results = prove_all(obs, timeout=self.timeout)
        for r in results[:1]:
            r.detail = f"entry reaches the head {shape.head:#x} in {self.base_steps} instructions"
        return results

    def _head_state(self, shape: LoopShape, hyps: Hypotheses, window: Region):
        fold = shape.fold_vars("k")
        block = [window.initial(i) for i in range(self.stmt.block_bytes)]
        mem = self._memory(hyps, window, shape.memory)
        regs = shape.place(shape.state(K, fold, block, "k"), mem)     # memory cells too
        st = SymState(self.entry.fetch, mem, shape.head, regs)
        return st, fold, block

    # -- step: k + 1 < num ----------------------------------------------------------------
    def step(self, shape: LoopShape) -> tuple:
        """One iteration from the invariant at k takes the back edge and gives the
        invariant at k + 1.  Returns (prover obligations, results decided by z3)."""
        k1 = add(K, const(1, 64))
        # k < num too: k + 1 < num over bit-vectors alone admits k = 2^64 - 1 (k + 1 wraps)
        hyps = Hypotheses(self.common + [ult(K, NUM), ult(k1, NUM)])
        nxt, obs, decided = self._pass("step", "an iteration with k + 1 < num", shape, hyps,
                                       self.window(2))
        head = const(shape.head, 64)
        back = by_gap("step: k + 1 < num takes the back edge", hyps.facts, nxt, head, 2)
        if back.status == "stuck":      # no answer over d: the claim as stated
            back = by_hypotheses(back.name, hyps, lambda low: low(nxt) == low(head))
        decided.append(back)
        decided.append(by_hypotheses("step: blocks k and k + 1 lie inside the input", hyps,
                                     _ule(add(K, const(2, 64)), NUM)))
        return obs, decided

    def _pass(self, phase: str, what: str, shape: LoopShape, hyps: Hypotheses,
              window: Region) -> tuple:
        """One iteration from the invariant at k to the back edge, block k + 1 being the
        window's bytes after block k: (its next-PC term, prover obligations, results
        decided by z3) that it gives the invariant at k + 1."""
        k1 = add(K, const(1, 64))
        st, fold, block = self._head_state(shape, hyps, window)
        nxt = run_to(st, shape.back_edge, RETURN, self.proof.max_steps)
        self.steps += st.steps
        if nxt is None:
            raise LoopShapeError(f"{what} returns without reaching the back edge "
                                 f"{shape.back_edge:#x}")
        after = [window.initial(self.stmt.block_bytes + i) for i in range(self.stmt.block_bytes)]
        expect = shape.state(k1, list(self.stmt.step(fold, block)), after, "k")
        at_k = shape.state(K, fold, block, "k")
        obs = []
        now = {loc: shape.load(st, loc) for loc in shape.base}     # registers and cells
        for loc in shape.running:
            for hi, lo in _chunks(now[loc], self.stmt.seed[0].width):
                obs.append(Obligation(f"{phase}: running {loc}[{hi}:{lo}]",
                                      extract(now[loc], hi, lo), extract(expect[loc], hi, lo)))
        pairs = [(f"{phase}: invariant {loc}", now[loc], expect[loc])
                 for loc in shape.invariant]
        pairs += [(f"{phase}: affine {loc} = {pretty(expect[loc])}", now[loc],
                   add(at_k[loc], const(c % (1 << 64), 64))) for loc, c in shape.affine.items()]
        before = {r.name: r for r in shape.memory.regions}
        celled = {(region, off + i) for region, off, size in shape.cells.values()
                  for i in range(size)}
        for r in st.mem.regions:
            for off in sorted(r.bytes) if r.name in before else ():
                if (r.name, off) in celled:         # checked as its cell above
                    continue
                pairs.append((f"{phase}: memory {r.name}[{off:#x}] unchanged", r.byte(off),
                              before[r.name].byte(off)))
        decided = []
        for name, impl, spec in pairs:
            if impl is spec:
                decided.append(ObligationResult(name, "proved", "structural", 0.0))
            else:
                decided.append(by_hypotheses(name, hyps,
                                             lambda low, a=impl, b=spec: low(a) == low(b)))
        return nxt, obs, decided

    # -- exit: k + 1 = num ----------------------------------------------------------------
    def exit(self, shape: LoopShape) -> tuple:
        """The last iteration from the invariant at k = num - 1 leaves the loop, and the
        routine returns with the postcondition for Fold(num) = step(Fold(k), block k)
        and the frame."""
        k1 = add(K, const(1, 64))
        hyps = Hypotheses(self.common + [eq(k1, NUM)])
        if self.stmt.cut_at_exit:
            return self._exit_after_loop(shape, hyps)
        window = self.window(1, self.stmt.tail_bytes)
        st, fold, block = self._head_state(shape, hyps, window)
        st.run(RETURN, st.steps + self.proof.max_steps)
        self.steps += st.steps
        st.initial = dict(self.initial)
        final = list(self.stmt.step(fold, block))
        if self.stmt.finish is not None:        # the part after the loop reads the tail
            bb = self.stmt.block_bytes
            final = list(self.stmt.finish(final, [window.initial(bb + i)
                                                  for i in range(self.stmt.tail_bytes)]))
        outputs = self.stmt.outputs(final)
        outputs += self.proof.frame_outputs(st, self.setup)
        obs = [Obligation(f"exit: {o.name}", self.proof.output_term(st, o.where), o.spec)
               for o in outputs]
        decided = [by_hypotheses("exit: block k = num - 1 lies inside the input", hyps,
                                 _ule(k1, NUM))]
        return obs, decided


__all__ = ["FoldStatement", "Induction", "by_gap", "by_hypotheses", "pretty"]
