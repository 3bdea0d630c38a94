"""The GF(2) rung over opaque leaves: GHASH of AES output (AES-GCM kernels).

An AES-GCM kernel multiplies ciphertext blocks, which are S-box lookups of
earlier rounds, by powers of H.  The GF(2) polynomial normal form (gf2.py)
covers xor, and, concatenation, slices and ``clmul``, not table lookups or
sums, so it does not apply to such a term as it stands.

Generalisation makes it apply: after the GF(2)-affine normal form
(gf2linear.py) has made the lookups of both sides the same objects, every
maximal subterm whose operator the GF(2) form does not cover is replaced by a
fresh variable, the same variable for the same subterm on both sides.  An
identity that holds for *every* value of those variables holds in particular
for the values the subterms take, so a proof of the generalised obligation is
a proof of the original one.  (The converse fails: a difference found after
generalisation is no refutation, and this rung only ever answers "proved".)
"""
from __future__ import annotations

from lnsym.prover import gf2
from lnsym.terms.bv import BV, rebuild, var, variables


class Generaliser:
    """Opaque subterms -> fresh variables, one mapping shared by every obligation of
    a proof (both sides of each)."""

    def __init__(self):
        self.leaves: dict = {}        # opaque subterm -> its variable
        self.memo: dict = {}
        self.seen_names: set = set()  # names of every variable of a generalised term

    def __call__(self, term: BV) -> BV | None:
        """``term`` with its opaque subterms replaced, or None when one of its own
        variables is a variable this generaliser made (they would be confused)."""
        own = variables(term)
        if own & set(self.leaves.values()):
            return None
        self.seen_names |= {v.params[0] for v in own}
        memo = self.memo
        stack = [term]
        while stack:
            t = stack[-1]
            if t in memo:
                stack.pop()
                continue
            if t.op not in gf2.SUPPORTED:
                stack.pop()
                v = self.leaves.get(t)
                if v is None:
                    v = self._fresh(t.width)
                    self.leaves[t] = v
                memo[t] = v
                continue
            pending = [a for a in t.args if a not in memo]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            args = [memo[a] for a in t.args]
            memo[t] = t if all(a is b for a, b in zip(args, t.args)) else rebuild(t, args)
        return memo[term]


    def _fresh(self, width: int) -> BV:
        n = len(self.leaves)
        while f"opaque#{n}" in self.seen_names:
            n += 1
        self.seen_names.add(f"opaque#{n}")
        return var(f"opaque#{n}", width)


def has_clmul(*terms: BV) -> bool:
    seen, stack = set(), list(terms)
    while stack:
        t = stack.pop()
        if t in seen:
            continue
        seen.add(t)
        if t.op == "clmul":
            return True
        stack.extend(t.args)
    return False


def prove_over_opaque_leaves(impl: BV, spec: BV, linear, generalise: Generaliser,
                             engine: gf2.GF2) -> bool:
    """True when the GF(2) normal forms agree after the affine normal form and
    generalisation of the opaque subterms (a proof); False means "not shown"."""
    if not has_clmul(impl, spec):
        return False
    a, b = generalise(linear(impl)), generalise(linear(spec))
    if a is None or b is None:
        return False
    return bool(gf2.applicable(a, b) and gf2.prove_gf2(a, b, engine))
