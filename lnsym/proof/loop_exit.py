"""The end of an all-lengths induction cut at the loop exit, and a loop run zero times.

``FoldStatement.cut_at_exit``: the exit obligation is split at the loop's exit.  The
last pass (k + 1 = num) is checked like a step: it leaves the loop in the invariant
at num.  Then the code after the loop runs from that invariant with Fold(num) a fresh
variable and the tail (``tail_bytes``, its first block the one the last pass
loaded) at ``inp + block_bytes·num``, and must return with the postcondition for
``finish(Fold(num), tail)`` and the frame.  The code after the loop is proved for
every value of Fold(num), so the obligations stay the size of one pass and the tail.

``FoldStatement.zero_iterations``: num may be 0.  The entry then skips the loop; it
must reach the loop exit in the invariant at 0 (Fold(0) = seed, block 0 the input's
first block), and the code after the loop, checked from the invariant at every num
≥ 0, gives the postcondition.  E.g. gcm_ghash_v8 with 4 to 7 blocks.
"""
from __future__ import annotations

from lnsym.backends.hypotheses import Hypotheses
from lnsym.backends.symbolic import Region, SymState
from lnsym.proof.finish_cut import run_to_cut
from lnsym.proof.loops import NUM, K, LoopShape, LoopShapeError
from lnsym.proof.routine import RETURN
from lnsym.prover import Obligation
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import add, const, eq, extract, mul, uge, ult, var


class LoopExit:
    """Mixin of ``lnsym.proof.induction.Induction``: the exit cut and num = 0."""

    def _exit_after_loop(self, shape: LoopShape, hyps: Hypotheses) -> tuple:
        """The exit cut at the loop exit: the last pass gives the invariant at num = k + 1
        (the step's obligations) and leaves the loop; from that state, with Fold(num)
        fresh and block num the tail's first block, the routine returns with the
        postcondition for finish(Fold(num), tail) and the frame."""
        from lnsym.proof.induction import _no_wrap, _ule, by_gap, by_hypotheses
        bb, tail = self.stmt.block_bytes, self.stmt.tail_bytes
        if tail < bb:
            raise LoopShapeError("an exit cut at the loop exit needs a tail of at least one "
                                 "block (the block the last pass loads)")
        k1 = add(K, const(1, 64))
        nxt, obs, decided = self._pass("exit", "the last iteration (k + 1 = num)", shape, hyps,
                                       self.window(1, tail))
        out = const(shape.exit, 64)
        leaves = by_gap("exit: k + 1 = num leaves the loop", hyps.facts, nxt, out, 1)
        if leaves.status == "stuck":    # no answer over num = k + 1 + d: the claim as stated
            leaves = by_hypotheses(leaves.name, hyps, lambda low: low(nxt) == low(out))
        decided.append(leaves)
        decided.append(by_hypotheses("exit: block k = num - 1 lies inside the input", hyps,
                                     _ule(k1, NUM)))
        # after the loop: the invariant at num (k + 1 after the last pass, 0 if the loop
        # was skipped), Fold(num) fresh, the tail at inp + block_bytes·num
        name = self.stmt.input_region
        after = Region(f"{name}@num", add(self.anchor, mul(const(bb, 64), NUM)), 0, tail,
                       init=lambda off: var(f"{name}@num[{off}]", 8), writable=False)
        low = 0 if self.stmt.zero_iterations else 1
        fold = shape.fold_vars("num")
        rest = [after.initial(i) for i in range(tail)]
        hyps_after = Hypotheses([uge(NUM, const(low, 64)),
                                 ult(NUM, const(1 << self.stmt.bound_bits, 64)),
                                 _no_wrap(self.anchor, NUM, bb, tail),
                                 *[fact for fact, _ in self.stmt.facts]])
        mem = self._memory(hyps_after, after, shape.memory)
        regs = shape.place(shape.state(NUM, fold, rest[:bb], "exit"), mem)   # memory cells too
        st = SymState(self.entry.fetch, mem, shape.exit, regs)
        cut, final = run_to_cut(self, shape, st, fold, rest)     # finish(fold, rest) if no cut
        obs += cut
        value_cut = getattr(self.stmt, "value_cut", None)   # lnsym.proof.value_cut
        if value_cut is not None:
            value_cut.run(st, self.image.symbol(self.proof.symbol).addr, self.proof.max_steps,
                          RETURN)
            obs += value_cut.bridges("exit: after the loop: ")
        st.run(RETURN, st.steps + self.proof.max_steps)
        self.steps += st.steps
        st.initial = dict(self.initial)
        outputs = self.stmt.outputs(final) + self.proof.frame_outputs(st, self.setup)
        after = [Obligation(f"exit: after the loop: {o.name}", self.proof.output_term(st, o.where),
                            o.spec) for o in outputs]
        obs += value_cut.restore(after) if value_cut is not None else after
        return obs, decided

    def zero(self, shape: LoopShape) -> tuple:
        """num = 0: the entry skips the loop and reaches its exit in the invariant at 0
        (Fold(0) = seed, block 0 the input's first block); the code after the loop,
        checked from the invariant at every num >= 0, then gives the postcondition."""
        from lnsym.proof.induction import _chunks, _entry_state, _no_wrap, by_hypotheses
        bb, tail = self.stmt.block_bytes, self.stmt.tail_bytes
        hyps = Hypotheses([eq(NUM, const(0, 64)), _no_wrap(self.anchor, NUM, bb, tail),
                           *[fact for fact, _ in self.stmt.facts]])
        # a fresh setup: its regions are not shared with the base run's state
        st = _entry_state(self.proof, self.image, self.proof.setup(self.image), hyps)
        st.run(RETURN, self.proof.max_steps, stop_at=shape.exit)
        self.steps += st.steps
        if st.pc != shape.exit:
            raise LoopShapeError(f"with num = 0 the entry does not reach the loop exit "
                                 f"{shape.exit:#x}")
        expect = shape.state(NUM, self.stmt.seed, shape.inputs, "zero")
        now = {loc: shape.load(st, loc) for loc in shape.base}
        obs = [Obligation(f"zero: running {loc}[{hi}:{lo}]", extract(now[loc], hi, lo),
                          extract(expect[loc], hi, lo))
               for loc in shape.running for hi, lo in _chunks(now[loc], self.stmt.seed[0].width)]
        pairs = [(f"zero: {loc} as at the head", now[loc], expect[loc])
                 for loc in [*shape.invariant, *shape.affine]]
        before = {r.name: r for r in shape.memory.regions}
        celled = {(region, off + i) for region, off, size in shape.cells.values()
                  for i in range(size)}
        for r in st.mem.regions:
            b = before.get(r.name)
            for off in sorted(set(r.bytes) | set(b.bytes)) if b is not None else ():
                if (r.name, off) not in celled:
                    pairs.append((f"zero: memory {r.name}[{off:#x}] as at the head", r.byte(off),
                                  b.byte(off)))
        decided = [ObligationResult(n, "proved", "structural", 0.0) if a is e else
                   by_hypotheses(n, hyps, lambda low, a=a, e=e: low(a) == low(e))
                   for n, a, e in pairs]
        return obs, decided
