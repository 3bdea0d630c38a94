"""Locating where two terms differ: the smallest differing subterms."""
from __future__ import annotations

from lnsym.terms.bv import BV


def differing_subterms(a: BV, b: BV, limit: int = 5) -> list:
    """Pairs (a', b') at which a and b stop matching structurally.

    Descends while both nodes have the same operator, width, parameters and
    arity; every child pair that still differs is followed.  The returned
    pairs are the innermost mismatches (at most ``limit``).
    """
    out = []
    seen = set()
    stack = [(a, b)]
    while stack and len(out) < limit:
        x, y = stack.pop()
        if x is y or (x, y) in seen:
            continue
        seen.add((x, y))
        if (x.op, x.width, x.params, len(x.args)) == (y.op, y.width, y.params, len(y.args)) and x.args:
            diff = [(p, q) for p, q in zip(x.args, y.args) if p is not q]
            stack.extend(reversed(diff))
            continue
        out.append((x, y))
    return out
