"""Asking z3 whether two terms are equal for all inputs; SMT-LIB export."""
from __future__ import annotations

import time
from dataclasses import dataclass

import z3

from lnsym.terms.bv import BV, variables
from lnsym.terms.smt import Lowering, solver_for


@dataclass
class SolverAnswer:
    status: str            # "unsat" (equal), "sat" (differ), "unknown"
    model: dict | None     # variable name -> int, when sat
    seconds: float
    reason: str = ""


def check_equal(lhs: BV, rhs: BV, timeout_s: float = 30.0, cuts: dict | None = None,
                hypotheses: list | None = None) -> SolverAnswer:
    """unsat means lhs == rhs for every value of the variables (and of the cut terms)
    that makes each 1-bit term in ``hypotheses`` 1; a model satisfies them."""
    low = Lowering()
    if cuts:
        for t, name in cuts.items():
            low.cache[t] = low.var(name, t.width)
    goal = low(lhs) != low(rhs)
    s = solver_for(low, timeout_s)
    s.add(goal)
    for h in hypotheses or ():
        s.add(low(h) == 1)
    t0 = time.perf_counter()
    r = s.check()
    dt = time.perf_counter() - t0
    if r == z3.unsat:
        return SolverAnswer("unsat", None, dt)
    if r == z3.sat:
        m = s.model()
        model = {}
        for name, v in low.vars.items():
            val = m.eval(v, model_completion=True)
            model[name] = val.as_long()
        return SolverAnswer("sat", model, dt)
    return SolverAnswer("unknown", None, dt, s.reason_unknown())


def smtlib(lhs: BV, rhs: BV, cuts: dict | None = None) -> str:
    """The query ``lhs != rhs`` as SMT-LIB 2 text (unsat means proved)."""
    low = Lowering()
    if cuts:
        for t, name in cuts.items():
            low.cache[t] = low.var(name, t.width)
    goal = low(lhs) != low(rhs)
    s = solver_for(low)
    s.add(goal)
    return "; lnsym residual goal: unsat means the two sides are equal\n" + s.to_smt2()


def input_names(*terms: BV) -> list:
    return sorted(v.params[0] for v in variables(*terms))
