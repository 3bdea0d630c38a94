"""Lowering terms to z3 (only here: nothing else in lnsym or isa_specs imports z3)."""
from __future__ import annotations

import z3

from lnsym.terms.bv import BV


def _bool(x):
    return x == z3.BitVecVal(1, 1)


def _b2bv(b):
    return z3.If(b, z3.BitVecVal(1, 1), z3.BitVecVal(0, 1))


def _lookup(t, a):
    # A balanced tree of If over the index bits keeps the formula linear in the table size.
    table = t.params[0]

    def build(lo, hi, bit):
        if hi - lo == 1:
            return z3.BitVecVal(table[lo], t.width)
        mid = (lo + hi) // 2
        return z3.If(z3.Extract(bit, bit, a) == 1, build(mid, hi, bit - 1), build(lo, mid, bit - 1))
    return build(0, len(table), a.size() - 1)


def _clmul(t, a, b):
    w = a.size()
    wa = z3.ZeroExt(w, a)
    r = z3.BitVecVal(0, 2 * w)
    for i in range(w):
        r = r ^ z3.If(z3.Extract(i, i, b) == 1, wa << i, z3.BitVecVal(0, 2 * w))
    return r


def _clz(t, a):
    w = t.width
    r = z3.BitVecVal(w, w)
    for i in range(w):              # the highest set bit wins: build from the lowest up
        r = z3.If(z3.Extract(i, i, a) == 1, z3.BitVecVal(w - 1 - i, w), r)
    return r


def _pac_function(low, key):
    """ComputePAC under an unknown key: one uninterpreted function per key name."""
    f = low.functions.get(key)
    if f is None:
        b64 = z3.BitVecSort(64)
        f = low.functions[key] = z3.Function(f"ComputePAC_{key}", b64, b64, b64)
    return f


def _strip(p):
    return z3.If(z3.Extract(55, 55, p) == 1,
                 z3.Concat(z3.BitVecVal(0xFFFF, 16), z3.Extract(47, 0, p)),
                 z3.Concat(z3.Extract(63, 56, p), z3.BitVecVal(0, 8), z3.Extract(47, 0, p)))


def _pac_add(low, t, x, m):
    upper = z3.Extract(55, 55, x) == 1
    pac = _pac_function(low, t.params[0])(_strip(x), m)
    flip = z3.If(upper, z3.Extract(63, 48, x) != 0xFFFF, z3.Extract(55, 48, x) != 0)
    pac = z3.If(flip, pac ^ z3.If(upper, z3.BitVecVal(1 << 62, 64), z3.BitVecVal(1 << 54, 64)),
                pac)
    lower = z3.Concat(z3.Extract(63, 56, x), z3.BitVecVal(0, 1), z3.Extract(54, 48, pac),
                      z3.Extract(47, 0, x))
    high = z3.Concat(z3.Extract(63, 56, pac), z3.BitVecVal(1, 1), z3.Extract(54, 48, pac),
                     z3.Extract(47, 0, x))
    return z3.If(upper, high, lower)


def _pac_auth(low, t, p, m):
    key, code = t.params
    upper = z3.Extract(55, 55, p) == 1
    original = _strip(p)
    diff = _pac_function(low, key)(original, m) ^ p
    ok = z3.And(z3.Extract(54, 48, diff) == 0,
                z3.Or(z3.Not(upper), z3.Extract(63, 56, diff) == 0))
    c = z3.BitVecVal(code, 2)
    err = z3.If(upper, z3.Concat(z3.Extract(63, 63, original), c, z3.Extract(60, 0, original)),
                z3.Concat(z3.Extract(63, 55, original), c, z3.Extract(52, 0, original)))
    return z3.If(ok, original, err)


# operators whose lowering needs the Lowering (for its uninterpreted functions)
LOWER_WITH_STATE = {"pac_add": _pac_add, "pac_auth": _pac_auth}


def _nary(f):
    def go(t, *xs):
        r = xs[0]
        for x in xs[1:]:
            r = f(r, x)
        return r
    return go


LOWER = {
    "add": _nary(lambda a, b: a + b),
    "mul": lambda t, a, b: a * b,
    "and": _nary(lambda a, b: a & b),
    "or": _nary(lambda a, b: a | b),
    "xor": _nary(lambda a, b: a ^ b),
    "not": lambda t, a: ~a,
    "neg": lambda t, a: -a,
    "udiv": lambda t, a, b: z3.UDiv(a, b),
    "urem": lambda t, a, b: z3.URem(a, b),
    "sdiv": lambda t, a, b: a / b,
    "srem": lambda t, a, b: z3.SRem(a, b),
    "extract": lambda t, a: z3.Extract(t.params[0], t.params[1], a),
    "concat": lambda t, *xs: z3.Concat(*xs),
    "sext": lambda t, a: z3.SignExt(t.width - t.args[0].width, a),
    "shlv": lambda t, a, b: a << b,
    "lshrv": lambda t, a, b: z3.LShR(a, b),
    "ashrv": lambda t, a, b: a >> b,
    "ite": lambda t, c, a, b: z3.If(_bool(c), a, b),
    "eq": lambda t, a, b: _b2bv(a == b),
    "ult": lambda t, a, b: _b2bv(z3.ULT(a, b)),
    "ule": lambda t, a, b: _b2bv(z3.ULE(a, b)),
    "slt": lambda t, a, b: _b2bv(a < b),
    "sle": lambda t, a, b: _b2bv(a <= b),
    "lookup": _lookup,
    "clmul": _clmul,
    "clz": _clz,
    "pac_strip": lambda t, p: _strip(p),
}


class Lowering:
    """Translates terms to z3 expressions, sharing one cache across calls."""

    def __init__(self, ctx: z3.Context | None = None):
        self.cache: dict = {}
        self.vars: dict = {}           # name -> the first z3 variable of that name
        self.other_widths: dict = {}   # (name, width) -> a later one of another width
        self.functions: dict = {}      # key name -> uninterpreted ComputePAC

    def var(self, name: str, width: int):
        v = self.vars.get(name)
        if v is None:
            v = self.vars[name] = z3.BitVec(name, width)
        elif v.size() != width:     # another variable of this name: z3 keeps the two
            v = self.other_widths.get((name, width))     # apart by sort (one z3 variable
            if v is None:                                # would equate their low bits)
                v = self.other_widths[name, width] = z3.BitVec(name, width)
        return v

    def __call__(self, term: BV):
        cache = self.cache
        stack = [term]
        while stack:
            t = stack[-1]
            if t in cache:
                stack.pop()
                continue
            if t.op == "const":
                cache[t] = z3.BitVecVal(t.params[0], t.width)
            elif t.op == "var":
                cache[t] = self.var(t.params[0], t.width)
            else:
                pending = [a for a in t.args if a not in cache]
                if pending:
                    stack.extend(pending)
                    continue
                lower = LOWER.get(t.op)
                if lower is None:
                    cache[t] = LOWER_WITH_STATE[t.op](self, t, *[cache[a] for a in t.args])
                else:
                    cache[t] = lower(t, *[cache[a] for a in t.args])
            stack.pop()
        return cache[term]


def to_z3(term: BV):
    return Lowering()(term)


def solver_for(low: "Lowering", timeout_s: float | None = None):
    """A z3 solver for the formulas ``low`` has lowered: QF_BV, or QF_UFBV once an
    uninterpreted function (ComputePAC) occurs -- a solver set up for plain
    bit-vectors is not to be trusted with uninterpreted functions."""
    import z3
    s = z3.SolverFor("QF_UFBV" if low.functions else "QF_BV")
    if timeout_s is not None:
        s.set("timeout", int(timeout_s * 1000))
    return s


def unique_value(s, value) -> int | None:
    """The one value the z3 term ``value`` can take under ``s``'s assertions (two
    queries: a value, then no other value), or None when there is none or more."""
    import z3
    if s.check() != z3.sat:
        return None
    v = s.model().eval(value, model_completion=True)
    s.add(value != v)
    if s.check() != z3.unsat:
        return None
    return v.as_long()
