"""All-lengths proofs by induction over loop iterations, invariants derived.

A ``FoldStatement`` is the all-lengths statement of a routine that folds a
step over ``num`` blocks of an input region (SHA-1/256/512, GHASH, ...):

    Fold(0) = seed,  Fold(k+1) = step(Fold(k), block k),  result = Fold(num)

with ``1 ≤ num < 2^bound_bits``.  The invariant at the loop head (found from the
control-flow graph's back edge) is derived by ``lnsym.proof.loops``: after ``k``
iterations every running location holds its entry-time shape with the seed
replaced by ``Fold(k)``.  Three obligations make the induction, each closed on
the prover ladder or by z3 over bit-vectors:

* **base**: the entry reaches the head; the head state is the invariant at
  ``k = 0`` (by construction: it is where the invariant was read from);
* **step**: from the invariant at ``k`` with ``k + 1 ≤ num``, on a state where
  every location the invariant does not fix is a fresh variable, one iteration
  gives the invariant at ``k + 1`` (running values, counter, pointers, the
  invariant part and memory); the back edge is taken iff ``k + 1 < num`` and
  otherwise falls through to the exit; the block read lies inside the input;
* **exit**: from the invariant at ``k = num`` at the loop exit, the rest of the
  routine gives the postcondition and the frame.

The induction principle over ``k`` and the bound on ``num`` are listed in the
trusted base of every such proof.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from lnsym.backends.cfg import loops
from lnsym.backends.symbolic import Region, SymbolicError, SymMemory, SymState
from lnsym.elf.image import load_image
from lnsym.proof.loops import (
    NUM,
    K,
    LoopShape,
    LoopShapeError,
    copy_memory,
    derive_shape,
    run_to,
    window_region,
)
from lnsym.proof.routine import (
    RETURN,
    STACK_BYTES,
    ProofReport,
    image_regions,
    patched,
)
from lnsym.prover import Obligation, prove_all
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import BV, add, const, extract, ite, ult, var
from lnsym.terms.pretty import pretty


@dataclass
class FoldStatement:
    """What an all-lengths proof states, beyond the bounded proof's setup."""
    seed: list                  # the spec's initial running values (variables)
    step: object                # (fold values, block bytes) -> next fold values
    input_region: str           # the region of num * block_bytes input bytes
    block_bytes: int
    outputs: object             # final fold values -> list of Output (postcondition)
    bound_bits: int = 58        # 1 <= num < 2^bound_bits: no region of num blocks wraps


def _entry_state(proof, image, setup) -> SymState:
    mem = SymMemory()
    mem.add(Region("stack", var("sp_0", 64), -STACK_BYTES, 0))
    for r in [*setup.regions, *image_regions(image)]:
        mem.add(r)
    regs = {"sp": var("sp_0", 64), "x30": RETURN, **setup.regs}

    def fetch(pc):
        return int.from_bytes(image.read(pc, 4), "little")
    return SymState(fetch, mem, image.symbol(proof.symbol).addr, regs, setup.assumptions)


def _hypotheses(low, stmt: FoldStatement, anchor: BV):
    """k < num, 1 <= num < 2^bound and the input region does not wrap (z3 terms)."""
    import z3
    k, num = low(K), low(NUM)
    total = z3.ZeroExt(8, num) * stmt.block_bytes
    return [z3.ULT(k, num), z3.UGE(num, 1), z3.ULT(num, 1 << stmt.bound_bits),
            z3.ULE(z3.ZeroExt(8, low(anchor)) + total, 1 << 64)]


def side_condition(name: str, stmt: FoldStatement, anchor: BV, claim, timeout: float):
    """An obligation ``hypotheses => claim`` decided by z3 (``claim`` a function of the
    lowering); a model is the counterexample, with the smallest ``num`` found."""
    import z3

    from lnsym.terms.smt import Lowering
    t0 = time.perf_counter()
    low = Lowering()
    s = z3.SolverFor("QF_BV")
    s.set("timeout", int(timeout * 1000))
    s.add(*_hypotheses(low, stmt, anchor))
    s.add(z3.Not(claim(low)))
    r = s.check()
    dt = time.perf_counter() - t0
    if r == z3.unsat:
        return ObligationResult(name, "proved", "z3 (side condition)", dt, solver_seconds=dt)
    if r != z3.sat:
        return ObligationResult(name, "stuck", "z3 (side condition)", dt,
                                detail=f"z3 answered {r}", solver_seconds=dt)
    for cap in (1, 2, 3, 4, 8, 16):           # the smallest block count showing it
        s.push()
        s.add(z3.ULE(low(NUM), cap))
        if s.check() == z3.sat:
            break
        s.pop()
    m = s.model()
    env = {d.name(): m[d].as_long() for d in m.decls()}
    return ObligationResult(name, "refuted", "z3 (side condition)", dt, counterexample=env,
                            detail=f"fails at num = {env.get('num')}, k = {env.get('k')}",
                            solver_seconds=dt)


def _chunks(term: BV, width: int):
    if term.width % width:
        return [(term.width - 1, 0)]
    return [(lo + width - 1, lo) for lo in range(0, term.width, width)]


class Induction:
    """The base, step and exit obligations of one all-lengths proof."""

    def __init__(self, proof, image, stmt: FoldStatement, timeout: float):
        self.proof, self.image, self.stmt, self.timeout = proof, image, stmt, timeout
        self.setup = proof.setup(image)
        self.entry = _entry_state(proof, image, self.setup)
        self.initial = dict(self.entry.initial)
        self.input_anchor = self.entry.mem.region(stmt.input_region).anchor
        found = loops(image, proof.symbol)
        if len(found) != 1:
            raise LoopShapeError(f"{proof.symbol} has {len(found)} loops; the derivation "
                                 f"handles one")
        self.loop = found[0]
        self.steps = 0

    def shape(self) -> LoopShape:
        t0 = time.perf_counter()
        shape = derive_shape(self.entry, self.loop, self.stmt.seed, self.stmt.input_region,
                             RETURN, self.proof.max_steps)
        self.base_steps = self.entry.steps
        if shape.pointer is None:
            raise LoopShapeError(
                f"no location advances through the input region {self.stmt.input_region!r} "
                f"by a constant stride:\n{shape.describe()}")
        self.base_seconds = time.perf_counter() - t0
        return shape

    # -- base ---------------------------------------------------------------------------
    def base(self, shape: LoopShape) -> list:
        """The head state read from the entry run is the invariant at k = 0: each
        location's k-form at k = 0 with Fold(0) = seed is its value there."""
        at0 = shape.state(const(0, 64), self.stmt.seed, "k")
        obs = [Obligation(f"base: {loc} at k = 0", at0[loc], shape.base[loc])
               for loc in shape.running + list(shape.affine)]
        results = prove_all(obs, timeout=self.timeout)
        for r in results[:1]:
            r.detail = (f"entry reaches the head +{shape.head:#x} in {self.base_steps} "
                        f"instruction(s)")
        return results

    # -- step ---------------------------------------------------------------------------
    def step(self, shape: LoopShape) -> list:
        import z3
        stmt = self.stmt
        fold = shape.fold_vars("k")
        regs = shape.state(K, fold, "k")
        mem = copy_memory(shape.memory)
        window = window_region(shape, stmt.input_region, K, stmt.block_bytes, "k")
        mem.add(window)
        st = SymState(self.entry.fetch, mem, shape.head, regs)
        nxt = run_to(st, shape.back_edge, RETURN, self.proof.max_steps)
        self.steps += st.steps
        if nxt is None:
            raise LoopShapeError("one iteration from the head returns without reaching "
                                 f"the back edge +{shape.back_edge:#x}")
        block = [window.initial(i) for i in range(stmt.block_bytes)]
        folded = list(stmt.step(fold, block))
        k1 = add(K, const(1, 64))
        expect = shape.state(k1, folded, "k")
        width = stmt.seed[0].width
        obs = []
        for loc in shape.running:
            for hi, lo in _chunks(st.regs[loc], width):
                obs.append(Obligation(f"step: running {loc}[{hi}:{lo}]",
                                      extract(st.regs[loc], hi, lo), extract(expect[loc], hi, lo)))
        at_k = shape.state(K, fold, "k")
        for loc in shape.invariant:
            obs.append(Obligation(f"step: invariant {loc}", st.regs[loc], expect[loc]))
        for loc, c in shape.affine.items():     # B + c(k+1), written B + ck + c
            obs.append(Obligation(f"step: affine {loc} = {pretty(expect[loc])}", st.regs[loc],
                                  add(at_k[loc], const(c % (1 << 64), 64))))
        before = {r.name: r for r in copy_memory(shape.memory).regions}
        for r in st.mem.regions:
            if r.name not in before:
                continue
            for off in sorted(r.bytes):
                obs.append(Obligation(f"step: memory {r.name}[{off:#x}] unchanged",
                                      r.byte(off), before[r.name].byte(off)))
        results = prove_all(obs, timeout=self.timeout)
        head, exit_ = const(shape.head, 64), const(shape.exit, 64)
        target = ite(ult(k1, NUM), head, exit_)
        results.append(side_condition(
            "step: back edge taken iff k + 1 < num, else the exit", stmt, self.input_anchor,
            lambda low: low(nxt) == low(target), self.timeout))
        size = stmt.block_bytes
        results.append(side_condition(
            f"step: block k ({size} bytes at the pointer) inside the input", stmt,
            self.input_anchor,
            lambda low: z3.ULE(z3.ZeroExt(8, low(K)) * size + size,
                               z3.ZeroExt(8, low(NUM)) * size), self.timeout))
        return results

    # -- exit ---------------------------------------------------------------------------
    def exit(self, shape: LoopShape) -> tuple:
        fold = shape.fold_vars("num")
        regs = shape.state(NUM, fold, "exit")
        st = SymState(self.entry.fetch, copy_memory(shape.memory), shape.exit, regs)
        st.run(RETURN, self.proof.max_steps)
        self.steps += st.steps
        st.initial = dict(self.initial)
        outputs = self.stmt.outputs(fold) + self.proof.frame_outputs(st, self.setup)
        obs = [Obligation(f"exit: {o.name}", self.proof.output_term(st, o.where), o.spec)
               for o in outputs]
        return prove_all(obs, timeout=self.timeout), st


def trusted_lines(stmt: FoldStatement) -> list:
    import z3
    return [f"induction over the loop iterations k (base, step, exit checked above): "
            f"Fold(0) = seed, Fold(k+1) = step(Fold(k), block k), result = Fold(num)",
            f"precondition: 1 ≤ num < 2^{stmt.bound_bits}; the input region of "
            f"{stmt.block_bytes}·num bytes does not wrap",
            f"z3 {z3.get_version_string()} (QF_BV), deciding the counter and pointer side "
            f"conditions under that bound"]


class AllLengths:
    """Mixin for a ``RoutineProof`` whose ``fold_statement(image)`` states it for every
    block count; ``params['all_lengths']`` selects it, otherwise the bounded proof runs."""

    bounded_search = (1, 2, 3, 4)      # block counts tried for a concrete counterexample

    @property
    def all_lengths(self) -> bool:
        return bool(self.params.get("all_lengths"))

    def fold_statement(self, image) -> FoldStatement:       # pragma: no cover - abstract
        raise NotImplementedError

    def check(self, object_spec=None, patches=None, timeout=60.0, replay=True):
        if not self.all_lengths:
            return super().check(object_spec, patches, timeout, replay)
        t0 = time.perf_counter()
        image = patched(load_image(object_spec or self.object_spec()), patches or {})
        diffs = self.listing_diffs(image)
        stmt = self.fold_statement(image)
        times = {"load": time.perf_counter() - t0}
        results, shape, detail, steps = self._induction(image, stmt, timeout, times)
        status = "proved"
        if any(r.status != "proved" for r in results):
            status = "stuck"
        trusted = self.trusted_base(results, None) + trusted_lines(stmt)
        report = ProofReport(self.title(), status, steps, times, results, trusted, diffs)
        if status != "proved":
            report.replay = detail
            if replay:
                self._bounded_counterexample(report, object_spec, patches, timeout, results)
        times["solver"] = sum(r.solver_seconds for r in results)
        times["total"] = time.perf_counter() - t0
        return report

    def _induction(self, image, stmt, timeout, times):
        t1 = time.perf_counter()
        try:
            ind = Induction(self, image, stmt, timeout)
            shape = ind.shape()
        except (LoopShapeError, SymbolicError) as e:
            r = ObligationResult("base: derive the loop invariant", "stuck", "induction", 0.0,
                                 detail=str(e).splitlines()[0])
            return [r], None, f"induction stuck before the step (base): {e}", 0
        results = ind.base(shape)
        for phase in ("step", "exit"):
            try:
                out = getattr(ind, phase)(shape)
                results += out[0] if phase == "exit" else out
            except (LoopShapeError, SymbolicError) as e:
                results.append(ObligationResult(f"{phase}: symbolic execution", "stuck",
                                                "induction", 0.0, detail=str(e).splitlines()[0]))
        times["induction"] = time.perf_counter() - t1
        failed = sorted({r.name.split(":")[0] for r in results if r.status != "proved"})
        detail = ""
        if failed:
            detail = (f"induction: {'/'.join(failed)} not proved\n" + shape.describe())
        return results, shape, detail, ind.base_steps + ind.steps

    def _bounded_counterexample(self, report, object_spec, patches, timeout, results):
        """A failed induction is refuted only by a concrete block count whose bounded
        proof is refuted and replayed; the side conditions' models say where to look."""
        hinted = [r.counterexample.get("num") for r in results
                  if r.status == "refuted" and r.counterexample and "num" in r.counterexample]
        counts = list(dict.fromkeys([n for n in hinted if n and n <= 16] +
                                    list(self.bounded_search)))
        for n in counts:
            params = {**self.params, "all_lengths": False, "blocks": n}
            bounded = type(self)(**params)
            rep = bounded.check(object_spec, patches, timeout, replay=True)
            if rep.status == "refuted":
                confirmed = getattr(bounded, "confirmed", False)
                report.status = "refuted" if confirmed else report.status
                report.results += [ObligationResult(f"bounded num = {n}: {r.name}", r.status,
                                                    r.method, r.seconds, r.counterexample,
                                                    r.residual, r.detail)
                                   for r in rep.failed[:3]]
                report.replay = (f"{report.replay}\ncounterexample at num = {n} block(s) "
                                 f"(bounded proof refuted):\n{rep.replay}")
                report.counterexample_blocks = n
                self.confirmed = confirmed
                return
        report.replay += (f"\nno counterexample among num = "
                          f"{', '.join(map(str, counts))} block(s): the induction is stuck, "
                          f"not refuted")


__all__ = ["AllLengths", "FoldStatement", "Induction", "side_condition", "pretty"]
