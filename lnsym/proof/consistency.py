"""A proof's stated facts must be satisfiable together, or it would prove nothing.

A ``Setup`` states assumptions ({1-bit term: value}, which decide branches) and
preconditions on input values (1-bit terms that must be 1).  Each is listed in
the trusted base, but a set that no input satisfies would make every
obligation hold vacuously: PROVED about no execution at all.  So before a run
z3 is asked for one input satisfying all of them together with the layout
precondition (no declared region wraps around the address space).  Unsat is
bad input (``ProofSetupError``); an unknown answer (timeout) is let through and
the obligations decide as before, since then no contradiction was shown.
"""
from __future__ import annotations

from lnsym.backends.symbolic import no_wrap
from lnsym.errors import UserError


class ContradictoryFacts(UserError):
    """The stated assumptions and preconditions hold for no input."""


def facts_of(setup) -> list:
    """(description, 1-bit term, required value) for every stated fact of ``setup``."""
    from lnsym.terms.pretty import pretty
    words = setup.wording
    facts = [(words.get(t, f"{pretty(t)} = {v}"), t, int(v)) for t, v in setup.assumptions.items()]
    facts += [(words.get(t, f"{pretty(t)} = 1"), t, 1) for t in setup.preconditions]
    return facts


def check_satisfiable(name: str, setup, timeout_s: float = 10.0, more: tuple = ()) -> None:
    """Raise ``ContradictoryFacts`` if no input satisfies ``setup``'s assumptions and
    preconditions, and the 1-bit terms ``more`` ((term, words) pairs, e.g. an
    all-lengths statement's range of num), with its regions not wrapping; nothing to
    check without facts."""
    from lnsym.terms.pretty import pretty
    facts = facts_of(setup) + [(words or f"{pretty(t)} = 1", t, 1) for t, words in more]
    if not facts:
        return
    import z3

    from lnsym.terms.smt import Lowering, solver_for
    low = Lowering()
    lowered = [(text, low(t), v) for text, t, v in facts]
    s = solver_for(low, timeout_s)
    for _, term, v in lowered:
        s.add(term == v)
    for r in setup.regions:
        if r.anchor.op == "var":
            s.add(*no_wrap(low, r))
    if s.check() == z3.unsat:
        stated = "; ".join(text for text, _, _ in facts)
        raise ContradictoryFacts(
            f"proof {name!r} states assumptions and preconditions that no input satisfies "
            f"(with its regions not wrapping), so it would prove nothing: {stated}")


__all__ = ["ContradictoryFacts", "check_satisfiable", "facts_of"]
