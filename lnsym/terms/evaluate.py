"""Concrete evaluation of terms, and the per-operator Python semantics.

``OPS[op](term, *arg_values)`` gives the value of one node from the values of
its arguments; ``evaluate`` walks a DAG once with memoisation.  The code
generator (``lnsym.codegen``) emits the same formulas as source text; a test
checks the two agree.
"""
from __future__ import annotations

from lnsym.terms.bv import BV, _sdiv, _srem, _udiv, _urem, clmul_int, mask
from lnsym.terms.pauth import add_pac_int, auth_int, strip_int


def _sx(v, w):
    s = 1 << (w - 1)
    return (v ^ s) - s


def _shlv(t, a, b):
    return (a << b) & mask(t.width) if b < t.width else 0


OPS = {
    "add": lambda t, *xs: sum(xs) & mask(t.width),
    "neg": lambda t, a: -a & mask(t.width),
    "mul": lambda t, a, b: a * b & mask(t.width),
    "udiv": lambda t, a, b: _udiv(a, b, t.width),
    "urem": lambda t, a, b: _urem(a, b, t.width),
    "sdiv": lambda t, a, b: _sdiv(a, b, t.width) & mask(t.width),
    "srem": lambda t, a, b: _srem(a, b, t.width) & mask(t.width),
    "and": lambda t, *xs: _fold(xs, int.__and__),
    "or": lambda t, *xs: _fold(xs, int.__or__),
    "xor": lambda t, *xs: _fold(xs, int.__xor__),
    "not": lambda t, a: a ^ mask(t.width),
    "extract": lambda t, a: (a >> t.params[1]) & mask(t.width),
    "concat": lambda t, *xs: _concat(t, xs),
    "sext": lambda t, a: _sx(a, t.args[0].width) & mask(t.width),
    "shlv": _shlv,
    "lshrv": lambda t, a, b: a >> b,
    "ashrv": lambda t, a, b: (_sx(a, t.width) >> b) & mask(t.width),
    "ite": lambda t, c, a, b: a if c else b,
    "eq": lambda t, a, b: int(a == b),
    "ult": lambda t, a, b: int(a < b),
    "ule": lambda t, a, b: int(a <= b),
    "slt": lambda t, a, b: int(_sx(a, t.args[0].width) < _sx(b, t.args[0].width)),
    "sle": lambda t, a, b: int(_sx(a, t.args[0].width) <= _sx(b, t.args[0].width)),
    "lookup": lambda t, a: t.params[0][a],
    "clmul": lambda t, a, b: clmul_int(a, b),
    "clz": lambda t, a: t.width - a.bit_length(),
    "pac_add": lambda t, x, m: add_pac_int(x, m, t.params[0]),
    "pac_auth": lambda t, p, m: auth_int(p, m, *t.params),
    "pac_strip": lambda t, p: strip_int(p),
}


def _fold(xs, f):
    r = xs[0]
    for x in xs[1:]:
        r = f(r, x)
    return r


def _concat(t, xs):
    r = 0
    for a, v in zip(t.args, xs):
        r = (r << a.width) | v
    return r


class UnboundVariable(KeyError):
    pass


def evaluate(term: BV, env, memo=None) -> int:
    """Value of ``term`` with variables bound by ``env`` (name -> int, or a callable)."""
    if memo is None:
        memo = {}
    lookup_var = env if callable(env) else env.__getitem__
    stack = [term]
    while stack:
        t = stack[-1]
        if t in memo:
            stack.pop()
            continue
        if t.op == "const":
            memo[t] = t.params[0]
            stack.pop()
            continue
        if t.op == "var":
            try:
                memo[t] = lookup_var(t.params[0]) & mask(t.width)
            except KeyError:
                raise UnboundVariable(f"no value for variable {t.params[0]!r}") from None
            stack.pop()
            continue
        pending = [a for a in t.args if a not in memo]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        memo[t] = OPS[t.op](t, *[memo[a] for a in t.args])
    return memo[term]
