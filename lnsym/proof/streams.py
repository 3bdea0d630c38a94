"""An output written as a stream by a loop: the bytes each pass stores, checked pass by pass.

A routine that encrypts (CTR, GCM) writes its output as it goes: the entry writes
the first ``first`` bytes, each pass of the loop the ``block_bytes`` bytes after
those of the pass before, the code after the loop the rest.  With the length a
variable no single region holds that output at constant offsets, so the induction
(``lnsym.proof.induction``) gets one more window per phase, at ``out +
block_bytes·k`` (a pass) or ``out + block_bytes·num`` (after the loop), and each
phase must write *exactly* its range, each byte equal to ``expected``:

* base and num = 0 (the entry): bytes [0, first) of the output region;
* step and the last pass (window at k): [first, first + block_bytes);
* after the loop (window at num): [first, tail_bytes) (the tail's length: the
  output is as long as the input).

The ranges are consecutive and disjoint and cover [0, block_bytes·num +
tail_bytes): every output byte is written by exactly one phase with its expected
value and never again.  That argument is listed in the trusted base
(``StreamInduction.trusted``); a phase writing any other byte of its window is a
failed obligation, and one writing outside the window an error.
"""
from __future__ import annotations

from dataclasses import dataclass

from lnsym.backends.symbolic import Region
from lnsym.proof.induction import Induction
from lnsym.proof.loops import NUM, K, LoopShape
from lnsym.prover import Obligation, prove_all
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import BV, add, const, mul, substitute
from lnsym.terms.dag import fold_dag


def settle(term: BV, hyps, memo: dict) -> BV:
    """``term`` with every largest subterm over the count ``num`` alone that the
    hypotheses fix replaced by its value (z3: a value, then no other).  After the loop
    the length is ``num``-dependent: a whole-block input makes the tail's mask of the
    partial block (bit_length mod 128) all ones, which only the hypotheses say.  Sound
    for the phase's claim, which is made under those hypotheses."""
    only: dict = {}                 # node -> over num alone (and constants)

    def over_num(t, args):
        if t.op == "var":
            return t is NUM
        return t.op != "const" and bool(args) and all(
            a or c.op == "const" for a, c in zip(args, t.args))
    fold_dag(term, only, over_num)
    fixed, stack, seen = {}, [term], set()
    while stack:
        t = stack.pop()
        if t in seen or t.op in ("const", "var"):
            continue
        seen.add(t)
        if only[t] and t.width <= 64:
            if t not in memo:
                memo[t] = hyps.value(t)
            if memo[t] is not None:
                fixed[t] = memo[t]
                continue
        stack.extend(t.args)
    return substitute(term, fixed) if fixed else term


@dataclass(frozen=True)
class OutputStream:
    region: str          # the setup's output region (its anchor is the stream's start)
    first: int           # bytes the entry writes before the loop head
    # (k, fold, input bytes from inp + block_bytes·k) -> the expected output bytes from
    # out + block_bytes·k, one per input byte (k: K, NUM or 0; fold: Fold(k), e.g. a
    # counter carried in the fold)
    expected: object


class StreamInduction(Induction):
    """``Induction`` for a ``FoldStatement`` with a ``stream`` attribute (an
    ``OutputStream``): the output windows and their obligations."""

    LONG_TIMEOUT = 120.0

    def __init__(self, proof, image, stmt, timeout: float):
        super().__init__(proof, image, stmt, timeout)
        self.stream = stmt.stream
        self.out_anchor = next(r.anchor for r in self.setup.regions
                               if r.name == self.stream.region)
        self.windows: dict = {}

    @staticmethod
    def trusted(stream: OutputStream, block_bytes: int) -> str:
        return (f"the output {stream.region} as a stream: the entry writes bytes [0, "
                f"{stream.first}), pass k bytes [{stream.first}, {stream.first + block_bytes}) "
                f"after {stream.region} + {block_bytes}·k, the code after the loop the rest "
                f"(each phase exactly its range, checked above): consecutive disjoint ranges, "
                f"so every output byte is written once, with the value checked in its phase")

    def shape(self) -> LoopShape:
        """The derived shape without the output region: it is a window per phase."""
        shape = super().shape()
        name = self.stream.region
        for loc in [loc for loc, cell in shape.cells.items() if cell[0] == name]:
            del shape.cells[loc], shape.base[loc]
            shape.affine.pop(loc, None)
            for group in (shape.running, shape.invariant, shape.scratch):
                if loc in group:
                    group.remove(loc)
        shape.memory.regions = [r for r in shape.memory.regions if r.name != name]
        self.shape = shape
        return shape

    def _memory(self, hyps, window, source):
        mem = super()._memory(hyps, window, source)
        if window is not None:          # a pass (window at k) or after the loop (at num)
            tag = window.name.rsplit("@", 1)[1]
            at = K if tag == "k" else NUM
            bb = self.stmt.block_bytes
            size = 2 * bb if tag == "k" else self.stmt.tail_bytes
            start = add(self.out_anchor, mul(const(bb, 64), at))
            out = Region(f"{self.stream.region}@{tag}", start, 0, size)
            mem.add(out)
            self.windows[tag] = (out, window, at, hyps)
        return mem

    def _written(self, phase: str, out: Region, inputs: list, at, fold: list, lo: int,
                 hi: int) -> tuple:
        """Obligations that ``out`` holds the expected bytes [lo, hi) and a result that
        nothing else of it was written."""
        expected = list(self.stream.expected(at, fold, inputs))
        obs = [Obligation(f"{phase}: {out.name}[{j}] (output byte {j} from the phase's start)",
                          out.byte(j), expected[j]) for j in range(lo, hi)]
        stray = sorted(set(out.bytes) - set(range(lo, hi)))
        missing = sorted(set(range(lo, hi)) - set(out.bytes))
        ok = not stray and not missing
        detail = "" if ok else (f"writes {out.name}[{stray[0]}], outside [{lo}, {hi})" if stray
                                else f"does not write {out.name}[{missing[0]}]")
        result = ObligationResult(f"{phase}: writes exactly {out.name}[{lo}:{hi}]",
                                  "proved" if ok else "stuck", "concrete", 0.0, detail=detail)
        return obs, result

    def _entry_stream(self, phase: str, region) -> tuple:
        """The entry's bytes [0, first) of the output region itself (``region``: name ->
        the entry run's region)."""
        out, inp = region(self.stream.region), region(self.stmt.input_region)
        inputs = [inp.byte(i) for i in range(inp.lo, inp.hi)]
        return self._written(phase, out, inputs, const(0, 64), list(self.stmt.seed), 0,
                             self.stream.first)

    def base(self, shape: LoopShape) -> list:
        results = super().base(shape)
        obs, written = self._entry_stream("base", self.entry.mem.region)
        return results + prove_all(obs, timeout=self.timeout) + [written]

    def _pass_stream(self, phase: str) -> tuple:
        out, window, at, _ = self.windows["k"]
        inputs = [window.initial(i) for i in range(window.lo, window.hi)]
        first = self.stream.first
        return self._written(phase, out, inputs, at, self.shape.fold_vars("k"), first,
                             first + self.stmt.block_bytes)

    def _pass(self, phase, what, shape, hyps, window) -> tuple:
        nxt, obs, decided = super()._pass(phase, what, shape, hyps, window)
        self.next_pc = (nxt, hyps, const(shape.head, 64))
        return nxt, obs, decided

    def step(self, shape: LoopShape) -> tuple:
        obs, decided = super().step(shape)
        more, written = self._pass_stream("step")
        return obs + more, [self._again(r) for r in decided] + [written]

    def _again(self, result: ObligationResult) -> ObligationResult:
        """The back edge once more with ``LONG_TIMEOUT`` when z3 gave no answer in its
        10 s (the kernel's signed test of two pointers under a loaded machine)."""
        if result.status != "stuck" or not result.name.endswith("takes the back edge"):
            return result
        from lnsym.backends.hypotheses import Hypotheses
        from lnsym.proof.induction import by_hypotheses
        nxt, hyps, head = self.next_pc
        again = by_hypotheses(result.name, Hypotheses(hyps.facts, self.LONG_TIMEOUT),
                              lambda low: low(nxt) == low(head))
        again.seconds += result.seconds
        return again

    def exit(self, shape: LoopShape) -> tuple:
        obs, decided = super().exit(shape)
        more, written = self._pass_stream("exit")
        obs, decided = obs + more, decided + [written]
        if self.stmt.cut_at_exit:       # the code after the loop: the window at num
            out, window, at, hyps = self.windows["num"]
            inputs = [window.initial(i) for i in range(window.lo, window.hi)]
            more, written = self._written("exit: after the loop", out, inputs, at,
                                          shape.fold_vars("num"), self.stream.first,
                                          self.stmt.tail_bytes)
            obs, decided = obs + more, decided + [written]
            cut = getattr(self.stmt, "value_cut", None)      # lnsym.proof.value_cut
            if cut is not None:         # the window's bytes with the cut's term put back
                obs = cut.restore(obs, lambda name: name.startswith("exit: after the loop"))
            memo: dict = {}
            obs = [Obligation(o.name, settle(o.impl, hyps, memo), o.spec)
                   if o.name.startswith("exit: after the loop") else o for o in obs]
        return obs, decided

    def zero(self, shape: LoopShape) -> tuple:
        """num = 0: the entry run (on a setup of its own) writes [0, first) too."""
        made, setup = [], self.proof.setup
        self.proof.setup = lambda image: made.append(setup(image)) or made[-1]
        try:
            obs, decided = super().zero(shape)
        finally:
            del self.proof.setup            # the class's method again
        regions = {r.name: r for r in made[-1].regions}
        more, written = self._entry_stream("zero", regions.__getitem__)
        # the phase's hypothesis is num = 0: a counter advanced by stride·num is itself
        zero = {NUM: const(0, 64)}
        obs = [Obligation(o.name, o.impl, substitute(o.spec, zero)) for o in obs]
        return obs + more, decided + [written]


__all__ = ["OutputStream", "StreamInduction"]
