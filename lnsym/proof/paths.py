"""Proofs split on branches over symbolic data (spec sums seen as the code's:
``lnsym.proof.sum_leaves``).

**Path splitting.**  A routine may branch on its data: libgcrypt's CTR mode takes
a fast path when the counter's low byte does not overflow within the next four
increments (``adds; b.cs``).  The executor stops at such a branch
(``SymbolicBranch``, whose next PC is ``ite(c, A, B)``).  ``PathSplit`` then
proves the routine once per path: each path is a run with its branch conditions
stated as facts (``SymState.assumptions``, which decide those branches and
nothing else), and every obligation of a path is proved *under its facts*.
Paths are explored depth first, a side kept only when z3 finds its facts
satisfiable; the leaves' conditions then cover every input by construction
(each split is c = 1 or c = 0), and that is checked again: z3 shows the
disjunction of the paths' conditions valid.  A REFUTED path reports only a
counterexample satisfying its facts.
"""
from __future__ import annotations

from lnsym.backends.hypotheses import Hypotheses
from lnsym.backends.symbolic import SymbolicBranch
from lnsym.terms.bv import BV


def branch_condition(next_pc: BV) -> BV | None:
    """``c`` of a next PC ``ite(c, A, B)`` with constant targets, else None."""
    if next_pc.op == "ite" and all(a.op == "const" for a in next_pc.args[1:]):
        return next_pc.args[0]
    return None


def fact_terms(facts: dict) -> list:
    """The facts {condition: value} as 1-bit terms that must be 1."""
    return [c if v else ~c for c, v in facts.items()]


def satisfiable(facts: dict) -> bool:
    import z3
    return Hypotheses(fact_terms(facts)).solver.check() == z3.sat


def covers(paths: list) -> bool:
    """z3: every input satisfies the facts of some path (the disjunction is valid)."""
    import z3

    from lnsym.terms.smt import Lowering, solver_for
    low = Lowering()
    alts = [z3.And(*[low(t) == 1 for t in fact_terms(f)]) if f else z3.BoolVal(True)
            for f in paths]
    s = solver_for(low, 30.0)
    s.add(z3.Not(z3.Or(*alts)))
    return s.check() == z3.unsat


class BranchSite(int):
    """The address of a branch on data, with where it goes when its condition is 1 and
    when it is 0 (``ite(c, if_one, if_zero)``)."""

    def __new__(cls, pc: int, if_one: int, if_zero: int):
        site = super().__new__(cls, pc)
        site.if_one, site.if_zero = if_one, if_zero
        return site

    def describe(self, value: int) -> str:
        """'0x.. taken (-> 0x..)' or 'not taken': where the branch goes at c = value."""
        dest = self.if_one if value else self.if_zero
        return f"{int(self):#x} {'not taken' if dest == self + 4 else 'taken'} (-> {dest:#x})"


def explore(run, where: dict | None = None) -> list:
    """The paths (dicts {condition: 0/1}) of a routine: ``run(facts)`` runs it under the
    facts and raises ``SymbolicBranch`` at a branch they do not decide.  ``where``, if
    given, gets condition -> ``BranchSite`` (the branch's address and targets)."""
    done, pending = [], [{}]
    while pending:
        facts = pending.pop()
        try:
            run(facts)
        except SymbolicBranch as e:
            nxt = getattr(e, "next_pc", None)
            c = None if nxt is None else branch_condition(nxt)
            if c is None or c in facts:
                raise
            if where is not None:
                where[c] = BranchSite(e.pc, *(a.params[0] for a in nxt.args[1:]))
            for v in (0, 1):
                if satisfiable({**facts, c: v}):
                    pending.append({**facts, c: v})
            continue
        done.append(facts)
    return done


__all__ = ["BranchSite", "branch_condition", "covers", "explore", "fact_terms", "satisfiable"]
