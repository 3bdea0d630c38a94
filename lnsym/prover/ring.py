"""Normal forms in a commutative ring of characteristic 2 (field-level reasoning).

Bit-level normal forms stop where the algebra grows: GHASH over n blocks is of
degree n+1 in the bits of H, Xi and the blocks.  One level up, GF(2^128) is a
commutative ring of characteristic 2, and an identity between expressions
built from variables with ``^`` (addition) and ``*`` (multiplication), with
no constants, that holds in the *free* such ring holds in every such ring.

``RingExpr`` records how an expression was built (a DAG: variables, sums,
products) and computes its normal form: a polynomial over GF(2) without
constant term, as a frozenset of monomials, a monomial being a sorted tuple of
(variable name, exponent).  ``a + a = 0`` is the characteristic; nothing else
is assumed (no Frobenius, no reduction polynomial).

Using it: write a spec function once against a ``field`` object with ``add``
(n-ary), ``mul`` and ``zero``; run it with ``FREE`` to get ``RingExpr`` values
and with the concrete field to get terms.  ``same_polynomial`` compares two
results; ``interpret`` maps an expression into any field, so a caller can
check that the terms it proves things about *are* the interpretations.
The laws the concrete field must satisfy for the conclusion to transfer are
listed in ``LAWS``; proofs prove them (proofs/gf128_field.py for GF(2^128)).
"""
from __future__ import annotations

__all__ = ["RingExpr", "ring_var", "FREE", "same_polynomial", "normal_form", "interpret",
           "LAWS"]

LAWS = ("addition is a commutative group in which x + x = 0 (bitwise XOR)",
        "multiplication is commutative",
        "multiplication is associative",
        "multiplication distributes over addition")


class RingExpr:
    """An expression node: ('var', name) / ('add', terms) / ('mul', (a, b))."""
    __slots__ = ("op", "args", "_poly")

    def __init__(self, op: str, args: tuple):
        self.op, self.args, self._poly = op, args, None

    def __xor__(self, other: "RingExpr") -> "RingExpr":
        return add(self, other)

    def __mul__(self, other: "RingExpr") -> "RingExpr":
        return mul(self, other)

    def __repr__(self):
        return f"RingExpr({show(self)})"

    @property
    def poly(self) -> frozenset:
        if self._poly is None:
            for node in _postorder(self):
                if node._poly is None:
                    node._poly = _node_poly(node)
        return self._poly


def ring_var(name: str) -> RingExpr:
    return RingExpr("var", (name,))


def add(*terms: RingExpr) -> RingExpr:
    for t in terms:
        if not isinstance(t, RingExpr):
            raise TypeError(f"ring addition of a non-ring value {t!r}")
    return RingExpr("add", terms)


def mul(a: RingExpr, b: RingExpr) -> RingExpr:
    if not isinstance(a, RingExpr) or not isinstance(b, RingExpr):
        raise TypeError("ring multiplication of a non-ring value")
    return RingExpr("mul", (a, b))


ZERO = RingExpr("add", ())


class _FreeRing:
    """The free commutative ring of characteristic 2, as a ``field`` argument."""
    zero = ZERO

    @staticmethod
    def add(*terms):
        return add(*terms)

    @staticmethod
    def mul(a, b):
        return mul(a, b)


FREE = _FreeRing()


def _postorder(root: RingExpr) -> list:
    out, seen, stack = [], set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            out.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        if node.op != "var":
            stack.extend((a, False) for a in node.args)
    return out


def _mono_mul(m1: tuple, m2: tuple) -> tuple:
    exps = dict(m1)
    for name, e in m2:
        exps[name] = exps.get(name, 0) + e
    return tuple(sorted(exps.items()))


def _node_poly(node: RingExpr) -> frozenset:
    if node.op == "var":
        return frozenset({((node.args[0], 1),)})
    if node.op == "add":
        acc: set = set()
        for a in node.args:
            acc ^= a._poly
        return frozenset(acc)
    p, q = (a._poly for a in node.args)
    acc = set()
    for m1 in p:
        for m2 in q:
            acc ^= {_mono_mul(m1, m2)}
    return frozenset(acc)


def normal_form(e: RingExpr) -> frozenset:
    return e.poly


def same_polynomial(a: RingExpr, b: RingExpr) -> bool:
    return a.poly == b.poly


def show_poly(p: frozenset, limit: int = 12) -> str:
    def mono(m):
        return "*".join(n if e == 1 else f"{n}^{e}" for n, e in m)
    terms = sorted(mono(m) for m in p)
    more = f" + ... ({len(terms) - limit} more)" if len(terms) > limit else ""
    return " + ".join(terms[:limit]) + more if terms else "0"


def show(e: RingExpr) -> str:
    return show_poly(e.poly)


def interpret(e: RingExpr, env: dict, field):
    """The value of ``e`` in ``field`` with variables from ``env`` (name -> value),
    built node by node with the field's own operations, shared nodes once."""
    memo: dict = {}
    for node in _postorder(e):
        if node.op == "var":
            name = node.args[0]
            if name not in env:
                raise KeyError(f"ring variable {name!r} has no value")
            memo[id(node)] = env[name]
        elif node.op == "add":
            memo[id(node)] = field.add(*[memo[id(a)] for a in node.args]) if node.args \
                else field.zero
        else:
            memo[id(node)] = field.mul(*[memo[id(a)] for a in node.args])
    return memo[id(e)]
