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

The frame is the whole routine's, whatever the cut points (``frame_goals``).
A segment does not start from fresh frame locations (callee-saved registers,
SP, x30): it starts from the *frame invariant* of its cut point, their values
when the routine's run from its entry first reaches it.  Every run (a
*link*: the run from the entry, or a segment) that ends at a cut point must
leave the frame as that cut's invariant, one that ends at the return must
leave it as at the entry, and no link may change memory outside the regions
the proof declares writable.  So the frame holds from the entry to the
return along any chain of links.  ``ScriptedProof.check`` adds these goals
itself, and needs some link to reach the return.
"""
from __future__ import annotations

from lnsym.backends.guards import STACK
from lnsym.backends.symbolic import Region, SymbolicError, SymMemory, SymState
from lnsym.elf.image import load_image
from lnsym.machine.lift import LOCATION_WIDTHS
from lnsym.proof.goal import Goal, Result
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
        self.root = self
        self.start = None                    # cut address a segment starts at (None: entry)
        self.invariants: dict = {}           # cut address -> {frame location: term}
        self.links: list = [self]            # every run: this one, entry runs, segments

    # -- states ------------------------------------------------------------------------------
    def _memory(self, setup_regions) -> SymMemory:
        mem = SymMemory()
        mem.add(Region(STACK, var("sp_0", 64), -STACK_BYTES, 0))
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
        the frame locations hold the cut's invariant (``frame_invariant``); every other
        one is a fresh variable ``{loc}@{tag}``.  Memory is a copy of the preconditions'
        regions, those the routine may change with fresh contents (or ``memory``, a
        list of Region)."""
        pc = self.address(at)
        invariant = self.frame_invariant(pc)
        given = set(regs or {}) & set(invariant)
        if given:
            raise ValueError(f"segment at +{pc - self.base:#x}: {', '.join(sorted(given))} "
                             f"belong to the frame; a segment starts from the frame invariant")
        fresh = {n: var(f"{n}@{tag}", w) for n, w in LOCATION_WIDTHS.items() if n != "pc"}
        fresh.update(invariant)
        fresh.update(regs or {})
        if memory is not None:
            regions = memory
        else:
            regions = [_fresh_contents(r, tag) if r.name in self.proof.may_change else r
                       for r in self.proof.setup(self.image).regions]
        st = SymState(self._fetch, self._memory(regions), pc, fresh)
        seg = Session.__new__(Session)
        seg.proof, seg.image, seg.base, seg.setup = self.proof, self.image, self.base, self.setup
        seg.state, seg.cuts, seg.start = st, [], pc
        root = self.root
        seg.root, seg.invariants, seg.links = root, root.invariants, root.links
        root.links.append(seg)
        self.last_segment = root.last_segment = seg
        return StateView(seg, st, f"segment {tag}@{pc - self.base:#x}")

    # -- the whole routine's frame ------------------------------------------------------------
    def frame_locations(self) -> list:
        return [*self.proof.preserved, "x30"]

    def frame_invariant(self, pc: int) -> dict:
        """{location: term} of the frame when the run from the entry first reaches ``pc``
        (that run is recorded as a link, so its memory writes are checked too)."""
        root = self.root
        if pc not in root.invariants:
            st = root.initial_copy()
            st.run(RETURN, st.steps + self.proof.max_steps, stop_at=pc)
            if st.pc != pc:
                raise SymbolicError(f"the routine returns without reaching the cut point "
                                    f"+{pc - self.base:#x}")
            run = Session.__new__(Session)
            run.__dict__.update(root.__dict__)
            run.state, run.cuts, run.start = st, [], None
            root.invariants[pc] = {loc: st.regs[loc] for loc in self.frame_locations()}
            root.links.append(run)
        return dict(root.invariants[pc])

    def frame_goals(self) -> list:
        """The whole routine's frame, link by link (see the module docstring)."""
        root = self.root
        entry = root.state.initial
        goals = []
        for link in root.links:
            st = link.state
            where = "entry" if link.start is None else f"+{link.start - self.base:#x}"
            if st.pc is None:
                until, want = "the return", entry
                locs = list(self.proof.preserved)
            elif st.pc in root.invariants:
                until, want = f"+{st.pc - self.base:#x}", root.invariants[st.pc]
                locs = self.frame_locations()
            else:
                continue                     # stopped between cut points: not a link
            name = f"frame: run from {where} to {until}"
            what = "their entry values" if st.pc is None else "the invariant there"
            lhs = [st.regs[loc] for loc in locs]
            rhs = [want[loc] for loc in locs]
            if st.pc is None:
                lhs += [extract(st.regs[f"v{i}"], 63, 0) for i in self.proof.preserved_v_low64]
                rhs += [extract(entry[f"v{i}"], 63, 0) for i in self.proof.preserved_v_low64]
                locs = locs + [f"d{i}" for i in self.proof.preserved_v_low64]
            goals.append(Goal(f"{name}: {', '.join(locs)} = {what}", concat(*lhs), concat(*rhs)))
            for r in st.mem.regions:
                if r.name in self.proof.may_change or r.name == STACK or not r.bytes:
                    continue
                offs = sorted(r.bytes)
                goals.append(Goal(f"{name}: {r.name} unchanged ({len(offs)} byte(s) written)",
                                  concat(*[r.bytes[o] for o in offs]),
                                  concat(*[r.initial(o) for o in offs])))
        return goals

    def frame_reaches_return(self) -> bool:
        """Whether some link ends at the return (else the frame there is unchecked)."""
        return any(link.state.pc is None for link in self.root.links)

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


def _fresh_contents(r: Region, tag: str) -> Region:
    """A copy of region ``r`` whose bytes at a cut point are fresh variables."""
    return Region(r.name, r.anchor, r.lo, r.hi,
                  init=lambda off, n=r.name: var(f"{n}@{tag}[{off}]", 8), writable=r.writable)


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

        from lnsym.errors import UserError
        from lnsym.proof.lemma import cache_trust, lemmas_used
        from lnsym.proof.routine import RUN_ERRORS, ProofReport, error_report
        from lnsym.prover import ObligationResult
        t0 = time.perf_counter()
        s = Session(self, object_spec, patches)
        diffs = self.listing_diffs(s.image)
        self.timeout = timeout
        t1 = time.perf_counter()
        try:
            with lemmas_used() as used:
                results = self.script(s, say or (lambda text: None))
                results += [g.prove(timeout) for g in s.frame_goals()]
                if not s.frame_reaches_return():
                    results.append(Result(Goal("frame: some run reaches the return",
                                               const(1, 1), const(1, 1)), "unknown", "frame",
                                          0.0, detail="no run reached the return: the frame "
                                          "there is unchecked"))
        except RUN_ERRORS as e:
            if isinstance(e, UserError):
                raise
            failed = s.last_segment.state if hasattr(s, "last_segment") else s.state
            return error_report(self.title(), e, max(s.state.steps, failed.steps), diffs,
                                {"load": t1 - t0, "total": time.perf_counter() - t0}, s.image)
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
                                 " (its cut points and lemmas)")] + cache_trust(used), diffs)
        if status == "refuted" and replay and hasattr(self, "explain"):
            report.replay = self.explain(s, results)
        report.seconds["total"] = time.perf_counter() - t0
        return report
