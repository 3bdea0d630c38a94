"""Proof sessions: a ``RoutineProof`` taken step by step (interactively or by a script).

    s = Session(proof)                  # loads the object, states the preconditions
    st = s.run()                        # symbolic execution to the return ...
    st = s.run(to=0x10)                 # ... or to a cut point (offset from the symbol,
                                        #     or an absolute address), and on from there
    st.reg("v0"); st.lane("v3", 64, 0); st.words("ctx", 4)   # inspect the state
    gs = s.goals()                      # the postcondition and frame as Goals
    seg = s.segment(at=0x10, regs={...})  # a fresh state at a cut point: every location
                                        #  not given is a fresh variable (for induction
                                        #  over loop iterations)

A ``Session`` never weakens the proof: goals are the ``RoutineProof``'s own
outputs; ``segment`` states are universally quantified over their fresh
variables, so a fact proven on one holds for every state reaching the cut
with the given concrete locations.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region, SymbolicError, SymMemory, SymState
from lnsym.elf.image import load_image
from lnsym.machine.lift import LOCATION_WIDTHS
from lnsym.proof.goal import Goal
from lnsym.proof.routine import (
    RETURN,
    STACK_BYTES,
    Output,
    ProofSetupError,
    image_regions,
    patched,
    read_le,
)
from lnsym.terms.bv import BV, concat, const, extract, var
from lnsym.terms.pretty import pretty, short


class StateView:
    """A read-only look at a symbolic state."""

    def __init__(self, session, st: SymState, label: str):
        self.session, self.st, self.label = session, st, label

    @property
    def pc(self):
        return self.st.pc

    @property
    def steps(self) -> int:
        return self.st.steps

    @property
    def done(self) -> bool:
        return self.st.pc is None

    def reg(self, loc: str) -> BV:
        return self.st.regs[loc]

    def lane(self, loc: str, bits: int = 64, index: int = 0) -> BV:
        return extract(self.st.regs[loc], bits * index + bits - 1, bits * index)

    def region(self, name: str) -> Region:
        return self.st.mem.region(name)

    def bytes(self, name: str, off: int = 0, size: int | None = None) -> list:
        r = self.region(name)
        size = r.hi - off if size is None else size
        return [r.byte(off + i) for i in range(size)]

    def words(self, name: str, size: int = 4, off: int = 0, count: int | None = None,
              big_endian: bool = False) -> list:
        """A region's bytes as ``size``-byte words (little-endian unless ``big_endian``)."""
        r = self.region(name)
        count = (r.hi - off) // size if count is None else count
        out = []
        for k in range(count):
            b = [r.byte(off + size * k + i) for i in range(size)]
            out.append(concat(*(b if big_endian else list(reversed(b)))))
        return out

    def show(self, locs=None, depth: int = 3) -> str:
        pc = "returned" if self.st.pc is None else f"pc={self.st.pc:#x}"
        lines = [f"state {self.label}: {pc}, {self.st.steps} steps"]
        for loc in locs or sorted(self.st.regs, key=_loc_key):
            t = self.st.regs[loc]
            if locs is None and t is self.st.initial.get(loc):
                continue
            lines.append(f"  {loc:5} = {short(t, depth)}")
        for r in self.st.mem.regions:
            if r.bytes and not r.name.startswith("image:"):
                lines.append(f"  mem {r.name}: {len(r.bytes)} byte(s) written")
        return "\n".join(lines)

    def pretty(self, loc: str) -> str:
        return pretty(self.st.regs[loc])

    def __repr__(self):
        return self.show()


def _loc_key(loc: str):
    return (loc[0], int(loc[1:]) if loc[1:].isdigit() else -1, loc)


class Session:
    """The goals of one routine proof, produced on request."""

    def __init__(self, proof, object_spec: str | None = None, patches: dict | None = None):
        self.proof = proof
        self.image = patched(load_image(object_spec or proof.object_spec()), patches or {})
        self.base = self.image.symbol(proof.symbol).addr
        self.state, self.setup = self._initial()
        self.cuts: list = []                 # (pc, steps) where run() stopped

    # -- states ------------------------------------------------------------------------------
    def _memory(self, setup_regions) -> SymMemory:
        mem = SymMemory()
        mem.add(Region("stack", var("sp_0", 64), -STACK_BYTES, 0))
        for r in [*setup_regions, *image_regions(self.image)]:
            try:
                mem.add(r)
            except (SymbolicError, ValueError) as e:
                raise ProofSetupError(f"proof {self.proof.name!r}: regions contradict the "
                                      f"precondition that they are disjoint: {e}") from None
        return mem

    def _fetch(self, pc):
        return int.from_bytes(self.image.read(pc, 4), "little")

    def _initial(self):
        setup = self.proof.setup(self.image)
        regs = {"sp": var("sp_0", 64), "x30": RETURN}
        regs.update(setup.regs)
        assumptions = getattr(setup, "assumptions", None)
        args = (assumptions,) if assumptions else ()
        st = SymState(self._fetch, self._memory(setup.regions), self.base, regs, *args)
        return st, setup

    def initial_copy(self) -> SymState:
        """A fresh initial state (the preconditions), e.g. to realise counterexamples."""
        return self._initial()[0]

    def explain(self, env: dict, qemu: bool = True):
        """A readable counterexample (``lnsym.cex.explain``) for inputs ``env``."""
        from lnsym.proof.cex import explain
        return explain(self, env, qemu)

    def address(self, where: int) -> int:
        """An offset from the routine's symbol (< its address) or an absolute address."""
        return where if where >= self.base else self.base + where

    def run(self, to: int | None = None, max_steps: int | None = None) -> StateView:
        """Run on to the cut point ``to`` (offset or address) or to the return."""
        st = self.state
        if st.pc is None:
            raise SymbolicError("the routine has already returned")
        stop = None if to is None else self.address(to)
        limit = st.steps + (max_steps or self.proof.max_steps)
        if stop is not None and st.pc == stop:      # already here: take at least one step
            nxt = st.step()
            if nxt is RETURN:
                st.pc = None
                return StateView(self, st, "final")
            st.pc = nxt.params[0]
        st.run(RETURN, limit, stop_at=stop)
        if st.pc is not None:
            self.cuts.append((st.pc, st.steps))
        return StateView(self, st, "final" if st.pc is None else f"cut {st.pc - self.base:#x}")

    def segment(self, at: int, regs: dict | None = None, tag: str = "s",
                memory=None) -> StateView:
        """A fresh symbolic state at the cut point ``at``: ``regs`` gives some locations;
        every other one is a fresh variable ``{loc}@{tag}``.  Memory is a copy of the
        preconditions' regions (or ``memory``, a list of Region)."""
        fresh = {n: var(f"{n}@{tag}", w) for n, w in LOCATION_WIDTHS.items() if n != "pc"}
        fresh["sp"] = var("sp_0", 64)
        fresh["x30"] = RETURN
        fresh.update(regs or {})
        regions = memory if memory is not None else self.proof.setup(self.image).regions
        st = SymState(self._fetch, self._memory(regions), self.address(at), fresh)
        seg = Session.__new__(Session)
        seg.proof, seg.image, seg.base, seg.setup = self.proof, self.image, self.base, self.setup
        seg.state, seg.cuts = st, []
        self.last_segment = seg
        return StateView(seg, st, f"segment {tag}@{self.address(at) - self.base:#x}")

    # -- goals ---------------------------------------------------------------------------------
    def outputs(self) -> list:
        if self.state.pc is not None:
            self.run()
        return self.proof.postcondition(self.state, self.setup) + \
            self.proof.frame_outputs(self.state, self.setup)

    def goals(self, frame: bool = True) -> list:
        """Every output of the postcondition (and the frame) as a Goal."""
        outs = self.outputs() if frame else self.proof.postcondition(self._finished(), self.setup)
        return [Goal(o.name, self.proof.output_term(self.state, o.where), o.spec) for o in outs]

    def goal(self, name: str | None = None) -> Goal:
        """One goal by output name (default: the first postcondition output)."""
        gs = self.goals()
        if name is None:
            return gs[0]
        for g in gs:
            if g.name == name:
                return g
        raise KeyError(f"no output named {name!r} (have: {', '.join(g.name for g in gs[:12])} …)")

    def _finished(self):
        if self.state.pc is not None:
            self.run()
        return self.state


def as_goal(name: str, impl: BV, spec: BV) -> Goal:
    return Goal(name, impl, spec)


__all__ = ["Session", "StateView", "Output", "as_goal", "read_le", "const"]


class ScriptedProof:
    """Mixin for a ``RoutineProof`` closed by a proof script: ``script(session, say)``
    returns the list of ``lnsym.goal.Result`` (one per obligation) and ``check`` turns
    them into the usual ``ProofReport``.  ``say(text)`` narrates the steps."""

    def script(self, session: "Session", say) -> list:      # pragma: no cover - abstract
        raise NotImplementedError

    def check(self, object_spec: str | None = None, patches: dict | None = None,
              timeout: float = 60.0, replay: bool = True, say=None):
        import time

        from lnsym.proof.routine import ProofReport
        from lnsym.prover import ObligationResult
        t0 = time.perf_counter()
        s = Session(self, object_spec, patches)
        diffs = self.listing_diffs(s.image)
        self.timeout = timeout
        t1 = time.perf_counter()
        results = self.script(s, say or (lambda text: None))
        dt = time.perf_counter() - t1
        obs = [ObligationResult(r.goal.name, "stuck" if r.status == "unknown" else r.status,
                                r.method, r.seconds, r.counterexample, (r.goal.lhs, r.goal.rhs),
                                r.detail) for r in results]
        status = "proved"
        if any(o.status == "refuted" for o in obs):
            status = "refuted"
        elif any(o.status != "proved" for o in obs) or not obs:
            status = "stuck"
        steps = getattr(self, "script_steps", s.state.steps)
        report = ProofReport(self.title(), status, steps, {"load": t1 - t0, "script": dt},
                             obs, self.trusted_base(obs) + [getattr(
                                 self, "script_trust", f"the proof script {type(self).__module__}"
                                 " (its cut points and lemmas)")], diffs)
        if status == "refuted" and replay and hasattr(self, "explain"):
            report.replay = self.explain(s, results)
        report.seconds["total"] = time.perf_counter() - t0
        return report
