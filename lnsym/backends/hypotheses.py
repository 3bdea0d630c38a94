"""Symbolic memory and branches decided under stated hypotheses (z3).

An induction step runs a loop body on a state over symbolic ``k`` and ``num``
with hypotheses such as ``k + 1 < num``.  Some of the body's values are then
fixed by them although no term says so syntactically: a ``csel`` picking the
next block's pointer, a ``cbnz`` on the counter.  ``HypothesisMemory``:

* resolves an address that is not ``anchor + constant`` syntactically by asking
  z3 for the one offset it has from a region's anchor under the hypotheses;
* decides a next-PC term the same way (``decide_by_layout``).

Each decision is two queries: a value under the hypotheses, then no other
value.  Nothing is decided that the hypotheses leave open.
"""
from __future__ import annotations

from lnsym.backends.symbolic import SymMemory, UnresolvedAddress
from lnsym.terms.bv import BV, const, sub, substitute
from lnsym.terms.dag import variables


def ite_conditions(t: BV) -> list:
    """The non-constant conditions of the ``ite`` nodes in ``t``."""
    seen, out, stack = set(), [], [t]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        if n.op == "ite" and n.args[0].op != "const":
            out.append(n.args[0])
        stack.extend(n.args)
    return out


class Hypotheses:
    """1-bit terms assumed to be 1, and z3 queries under them."""

    def __init__(self, facts: list, timeout_s: float = 10.0, track: bool = False):
        import z3

        from lnsym.terms.smt import Lowering
        self.facts = list(facts)
        self.low = Lowering()
        # track: ``implies`` names the facts a proof used (``last_core``), for reuse
        self.track, self.last_core = track, None
        self._tracked = None
        self._timeout_ms = int(timeout_s * 1000)
        # QF_UFBV, not QF_BV: terms may hold uninterpreted functions (ComputePAC); a
        # QF_BV solver given one answered sat with models that broke its own assertions
        self.solver = z3.SolverFor("QF_UFBV")
        self.solver.set("timeout", int(timeout_s * 1000))
        for f in self.facts:
            self.solver.add(self.low(f) == 1)
        self.decisions = 0
        self._conds: dict = {}

    def simplify(self, t: BV) -> BV:
        """``t`` with each ``ite`` condition the hypotheses decide replaced by its value
        (cheap 1-bit queries, cached), so that the term normaliser can finish."""
        conds = {}
        for n in ite_conditions(t):
            if n not in self._conds:
                self._conds[n] = self.value(n)
            if self._conds[n] is not None:
                conds[n] = self._conds[n]
        return substitute(t, conds) if conds else t

    def value(self, t: BV) -> BV | None:
        """``t`` as a constant if the hypotheses fix it (and are satisfiable)."""
        from lnsym.terms.smt import unique_value
        if t.op == "const":
            return t
        s = self.solver
        s.push()
        try:
            v = unique_value(s, self.low(t))
        finally:
            s.pop()
        if v is None:
            return None
        self.decisions += 1
        return const(v, t.width)

    def implies(self, claim) -> tuple:
        """(True, None) if the hypotheses imply ``claim`` (a z3 boolean built from
        ``self.low``), else (False, model or None).  With ``track``, a proof also sets
        ``last_core``: the facts z3's unsat core says suffice for it."""
        import z3
        self.last_core = self._core(claim) if self.track else None
        if self.last_core is not None:
            return True, None
        s = self.solver             # (again, when tracked: a model without the marks)
        s.push()
        try:
            s.add(z3.Not(claim))
            r = s.check()
            if r == z3.unsat:
                return True, None
            model = s.model() if r == z3.sat else None
            if model is not None and not all(
                    z3.is_true(model.eval(self.low(f) == 1, model_completion=True))
                    for f in self.facts):
                model = None          # never report a "counterexample" the hypotheses exclude
            return False, model
        finally:
            s.pop()

    def _core(self, claim):
        """The facts that z3 shows imply ``claim`` (an unsat core: a solver holding each
        fact as ``mark -> fact``, checked with every mark assumed), or None."""
        import z3
        if self._tracked is None:
            s = z3.SolverFor("QF_UFBV")
            s.set("timeout", self._timeout_ms)
            marks = [z3.FreshBool("fact") for _ in self.facts]
            for m, f in zip(marks, self.facts):
                s.add(z3.Implies(m, self.low(f) == 1))
            self._tracked = (s, marks)
        s, marks = self._tracked
        s.push()
        try:
            s.add(z3.Not(claim))
            if s.check(*marks) != z3.unsat:
                return None
            used = {m.get_id() for m in s.unsat_core()}
            return frozenset(f for f, m in zip(self.facts, marks) if m.get_id() in used)
        finally:
            s.pop()


class HypothesisMemory(SymMemory):
    """``SymMemory`` whose unresolved addresses and symbolic next PCs are decided
    under ``hypotheses`` when those fix them."""

    def __init__(self, hypotheses: Hypotheses):
        super().__init__()
        self.hypotheses = hypotheses
        self._offsets: dict = {}

    def resolve(self, addr: BV, size: int, pc: int, write: bool):
        try:
            return super().resolve(addr, size, pc, write)
        except UnresolvedAddress:
            simpler = self.hypotheses.simplify(addr)
            if simpler is not addr:
                try:
                    return super().resolve(simpler, size, pc, write)
                except UnresolvedAddress:
                    pass
            found = self._by_hypotheses(addr, size)
            if found is None:
                raise
        r, o = found
        if write and not r.writable:
            from lnsym.backends.symbolic import SymbolicError
            raise SymbolicError(f"instruction at {pc:#x} writes to read-only region "
                                f"{r.name!r} (offset {o:#x})")
        return r, o

    def _by_hypotheses(self, addr: BV, size: int):
        key = (addr, size)
        if key not in self._offsets:
            self._offsets[key] = None
            for r in self.regions:
                if r.anchor.op == "const" or not variables(addr) & variables(r.anchor):
                    continue
                off = self.hypotheses.value(sub(addr, r.anchor))
                if off is None:
                    continue
                o = off.params[0] - (1 << 64) if off.params[0] >> 63 else off.params[0]
                if r.lo <= o and o + size <= r.hi:
                    self._offsets[key] = (r, o)
                    break
        return self._offsets[key]

    def decide_by_layout(self, t: BV, timeout_s: float = 5.0) -> BV:
        decided = super().decide_by_layout(t, timeout_s)
        if decided.op == "const":
            return decided
        t = self.hypotheses.simplify(t)
        v = self.hypotheses.value(t)
        return t if v is None else v
