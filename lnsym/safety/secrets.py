"""Secret inputs and the independence of a term from them.

A ``SecretPolicy`` says which input variables are secret.  By default every
variable is secret except the public ones: region anchors (pointers), the
initial SP and return address, and the names or name prefixes a proof or
contract declares public (lengths, counts, public buffers).  Fresh variables a
proof introduces (cut points, values of unresolved loads) are therefore secret
unless declared otherwise -- the safe side.

``independence`` decides soundly whether a term's value is the same for every
choice of the secrets, the public inputs being fixed:

1. syntactically: no secret variable occurs in the (normalised) term;
2. else random simulation looks for two secret assignments giving different
   values (a witness needs no trust: it is evaluated);
3. else a self-composition query to z3: the term and a copy over renamed
   secrets, same public inputs, ``t != t'`` unsatisfiable.  A z3 ``unknown``
   is *not* independence.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from lnsym.terms.bv import BV, substitute, var, variables
from lnsym.terms.evaluate import evaluate

PUBLIC_ALWAYS = frozenset({"sp_0", "ret_addr"})
COPY_SUFFIX = "'"


class SecretPolicy:
    def __init__(self, public=(), public_prefixes=(), secret=(), secret_prefixes=()):
        """Public names/prefixes; ``secret``/``secret_prefixes`` override them (a
        contract may make a whole region public but one field secret)."""
        self.public = set(public) | PUBLIC_ALWAYS
        self.public_prefixes = tuple(public_prefixes)
        self.secret = set(secret)
        self.secret_prefixes = tuple(secret_prefixes)
        self.anchors: set = set()
        self.labels: dict = {}          # public name -> how describe() words it

    def add_anchors(self, names) -> None:
        """Pointer variables (region anchors): public."""
        self.anchors.update(names)
        self.public.update(names)

    def is_secret(self, name: str) -> bool:
        if name in self.secret or name.startswith(self.secret_prefixes or ("\0",)):
            return True
        return not (name in self.public or name.startswith(self.public_prefixes or ("\0",)))

    def describe(self) -> str:
        pub = [self.labels.get(n, n) for n in sorted(self.public - PUBLIC_ALWAYS - self.anchors)]
        pub += [f"the contents of {p.rstrip('[')}" for p in self.public_prefixes]
        return ("secret: every input except pointers (region anchors), sp, the return "
                "address" + (", " + ", ".join(pub) if pub else ""))


class Taint:
    """Memoised 'contains a secret variable' over hash-consed terms."""

    def __init__(self, policy: SecretPolicy):
        self.policy = policy
        self.memo: dict = {}

    def __call__(self, term: BV) -> bool:
        """Depth first, stopping at the first secret argument: a tainted node's other
        arguments need not be visited (SHA states are tainted almost everywhere)."""
        memo = self.memo
        known = memo.get(term)
        if known is not None:
            return known
        stack = [[term, 0]]
        while stack:
            frame = stack[-1]
            t, i = frame
            if t.op == "var":
                memo[t] = self.policy.is_secret(t.params[0])
                stack.pop()
                continue
            args = t.args
            tainted = False
            while i < len(args):
                seen = memo.get(args[i])
                if seen is None:
                    break
                if seen:
                    tainted = True
                    break
                i += 1
            if not tainted and i < len(args):
                frame[1] = i
                stack.append([args[i], 0])
                continue
            memo[t] = tainted
            stack.pop()
        return memo[term]

    def secrets_in(self, term: BV) -> list:
        return sorted(v.params[0] for v in variables(term) if self.policy.is_secret(v.params[0]))


@dataclass
class Independence:
    independent: bool | None     # None: undecided (solver unknown) -- not independent
    how: str                     # syntactic / random simulation / z3 self-composition
    pair: tuple | None = None    # (env_a, env_b): same public inputs, different values
    values: tuple | None = None  # the term's value under env_a and env_b


def independence(term: BV, taint: Taint, tries: int = 24, timeout_s: float = 10.0,
                 seed: int = 15) -> Independence:
    if not taint(term):
        return Independence(True, "syntactic")
    vs = variables(term)
    secret = [v for v in vs if taint.policy.is_secret(v.params[0])]
    public = [v for v in vs if not taint.policy.is_secret(v.params[0])]
    rng = random.Random(seed)
    for i in range(tries):
        shared = {v.params[0]: _sample(rng, v.width, i) for v in public}
        a = dict(shared, **{v.params[0]: _sample(rng, v.width, i) for v in secret})
        b = dict(shared, **{v.params[0]: _sample(rng, v.width, i + 1) for v in secret})
        va, vb = evaluate(term, a), evaluate(term, b)
        if va != vb:
            return Independence(False, "random simulation", (a, b), (va, vb))
    return _self_composition(term, secret, public, timeout_s)


def _sample(rng, width: int, i: int) -> int:
    if i == 0:
        return 0
    return rng.getrandbits(width)


def _self_composition(term, secret, public, timeout_s) -> Independence:
    import z3

    from lnsym.terms.smt import Lowering, solver_for
    copy = substitute(term, {v: var(v.params[0] + COPY_SUFFIX, v.width) for v in secret})
    low = Lowering()
    goal = low(term) != low(copy)
    s = solver_for(low, timeout_s)
    s.add(goal)
    r = s.check()
    if r == z3.unsat:
        return Independence(True, "z3 self-composition")
    if r != z3.sat:
        return Independence(None, "z3 self-composition: unknown (timeout)")
    m = s.model()

    def val(name, width):
        return m.eval(z3.BitVec(name, width), model_completion=True).as_long()
    shared = {v.params[0]: val(v.params[0], v.width) for v in public}
    a = dict(shared, **{v.params[0]: val(v.params[0], v.width) for v in secret})
    b = dict(shared, **{v.params[0]: val(v.params[0] + COPY_SUFFIX, v.width) for v in secret})
    return Independence(False, "z3 self-composition", (a, b), (evaluate(term, a), evaluate(term, b)))


def z3_version() -> str:
    import z3
    return z3.get_version_string()
