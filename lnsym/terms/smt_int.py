"""The arithmetic side conditions of z3 bit-vector queries, read exactly over the
integers.

Loop and pointer side conditions (``k + 1 < num`` takes the back edge, an end
pointer ``in + ((16·n − 1) & ~63)``, a signed compare's N and V flags) are sums,
constant multiples, truncations and comparisons.  Bit-blasted, they are adder
circuits that a SAT solver compares slowly (3–10 s for an AES-GCM kernel's
back edge); read as integers they are linear, with a quotient per truncation,
and z3's arithmetic decides them in a fraction of a second.

The reading is exact, operator by operator, with every w-bit value an integer
in [0, 2^w): ``bvadd`` is (a + b) mod 2^w, ``extract(h, l)`` is
(x div 2^l) mod 2^(h−l+1), ``concat`` is a·2^|b| + b, ``bvnot`` is 2^w − 1 − a,
a signed compare compares a − 2^w·[a ≥ 2^(w−1)], and so on.  So a formula and
its reading are satisfied by the same assignments, and "no integer assignment"
is "no bit-vector assignment".  Operators outside the reading (a bitwise AND
with a mask that is not a run of low or high bits, a product of two variables,
an uninterpreted function) raise ``Untranslatable``; the caller then asks the
bit-vector solver, as it would anyway.  Only unsat answers are used: a model
over the integers is not turned into a counterexample here.
"""
from __future__ import annotations


class Untranslatable(ValueError):
    """A formula with an operator outside the exact integer reading."""


def _mask_kind(m: int, w: int):
    """('low', j) for m = 2^j − 1, ('high', j) for m = 2^w − 2^j, else None."""
    if m & (m + 1) == 0:
        return "low", m.bit_length()
    low = ((1 << w) - 1) ^ m
    if low & (low + 1) == 0:
        return "high", low.bit_length()
    return None


class IntegerReading:
    """z3 bit-vector formulas to exact integer formulas (memoised by z3 ast id)."""

    def __init__(self):
        if not _UNSIGNED:
            u, s = _ops()
            _UNSIGNED.update(u)
            _SIGNED.update(s)
        self._memo: dict = {}
        self.ranges: dict = {}           # (variable name, width) -> (Int, width)

    def __call__(self, e):
        import z3
        stack = [e]
        memo = self._memo
        while stack:
            t = stack[-1]
            key = t.get_id()
            if key in memo:
                stack.pop()
                continue
            pending = [c for c in t.children() if c.get_id() not in memo]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            memo[key] = self._node(t, [memo[c.get_id()] for c in t.children()], z3)
        return memo[e.get_id()]

    def _var(self, t, z3):
        name = t.decl().name()
        if z3.is_bv(t):          # one integer per (name, width): z3 tells those apart too
            key = (name, t.size())
            v = self.ranges.get(key)
            if v is None:
                v = self.ranges[key] = (z3.Int(f"{name}!{t.size()}"), t.size())
            return v[0]
        if z3.is_bool(t):
            return z3.Bool(f"{name}!bool")
        raise Untranslatable(f"variable {name} of sort {t.sort()}")

    def _node(self, t, ch, z3):
        if z3.is_bv_value(t):
            return z3.IntVal(t.as_long())
        if z3.is_true(t):
            return z3.BoolVal(True)
        if z3.is_false(t):
            return z3.BoolVal(False)
        if z3.is_const(t):
            return self._var(t, z3)
        k = t.decl().kind()
        if z3.is_bv(t):
            w = t.size()
            M = 1 << w
            if k == z3.Z3_OP_BADD:
                return _sum(ch) % M
            if k == z3.Z3_OP_BSUB:
                return (ch[0] - ch[1]) % M
            if k == z3.Z3_OP_BNEG:
                return (M - ch[0]) % M
            if k == z3.Z3_OP_BNOT:
                return (M - 1) - ch[0]
            if k == z3.Z3_OP_BMUL:
                consts = [c for c in t.children() if z3.is_bv_value(c)]
                if len(consts) < len(ch) - 1:
                    raise Untranslatable("a product of two variables")
                out = ch[0]
                for c in ch[1:]:
                    out = out * c
                return out % M
            if k == z3.Z3_OP_EXTRACT:
                hi, lo = t.params()
                x = ch[0] / (1 << lo) if lo else ch[0]
                return x if hi + 1 == t.arg(0).size() else x % (1 << (hi - lo + 1))
            if k == z3.Z3_OP_CONCAT:
                out = ch[0]
                for c, sub in zip(ch[1:], t.children()[1:]):
                    out = out * (1 << sub.size()) + c
                return out
            if k == z3.Z3_OP_ZERO_EXT:
                return ch[0]
            if k == z3.Z3_OP_SIGN_EXT:
                w0 = t.arg(0).size()
                return z3.If(ch[0] >= (1 << (w0 - 1)), ch[0] + (M - (1 << w0)), ch[0])
            if k in (z3.Z3_OP_BSHL, z3.Z3_OP_BLSHR):
                s = t.arg(1)
                if not z3.is_bv_value(s):
                    raise Untranslatable("a shift by a variable amount")
                n = s.as_long()
                if n >= w:
                    return z3.IntVal(0)
                return (ch[0] * (1 << n)) % M if k == z3.Z3_OP_BSHL else ch[0] / (1 << n)
            if k in (z3.Z3_OP_BUDIV, z3.Z3_OP_BUDIV_I, z3.Z3_OP_BUREM, z3.Z3_OP_BUREM_I):
                d = t.arg(1)
                if not z3.is_bv_value(d) or d.as_long() == 0:
                    raise Untranslatable("a division by a variable or by zero")
                udiv = k in (z3.Z3_OP_BUDIV, z3.Z3_OP_BUDIV_I)
                return ch[0] / d.as_long() if udiv else ch[0] % d.as_long()
            if k == z3.Z3_OP_BAND and len(ch) == 2:
                return self._masked(t, ch, w, z3)
            if k == z3.Z3_OP_ITE:
                return z3.If(*ch)
            raise Untranslatable(f"bit-vector operator {t.decl().name()}")
        if k == z3.Z3_OP_EQ:
            return ch[0] == ch[1]
        if k == z3.Z3_OP_DISTINCT:
            return z3.Distinct(*ch)
        if k == z3.Z3_OP_NOT:
            return z3.Not(ch[0])
        if k == z3.Z3_OP_AND:
            return z3.And(*ch)
        if k == z3.Z3_OP_OR:
            return z3.Or(*ch)
        if k == z3.Z3_OP_IMPLIES:
            return z3.Implies(*ch)
        if k == z3.Z3_OP_XOR:
            return z3.Xor(*ch)
        if k == z3.Z3_OP_ITE:
            return z3.If(*ch)
        if k in _UNSIGNED:
            return _UNSIGNED[k](*ch)
        if k in _SIGNED:
            w = t.arg(0).size()
            return _SIGNED[k](*(_signed(c, w, z3) for c in ch))
        raise Untranslatable(f"operator {t.decl().name()}")

    @staticmethod
    def _masked(t, ch, w, z3):
        """``x & m`` for a mask of low bits (x mod 2^j) or of high bits (x − x mod 2^j)."""
        for i, c in enumerate(t.children()):
            if z3.is_bv_value(c):
                kind = _mask_kind(c.as_long(), w)
                x = ch[1 - i]
                if kind == ("low", 0):
                    return z3.IntVal(0)
                if kind is not None:
                    j = 1 << kind[1]
                    return x % j if kind[0] == "low" else x - x % j
        raise Untranslatable("a bitwise AND that is not a mask of low or high bits")


def _sum(xs):
    out = xs[0]
    for x in xs[1:]:
        out = out + x
    return out


def _signed(x, w, z3):
    return z3.If(x >= (1 << (w - 1)), x - (1 << w), x)


def _ops():
    import z3
    unsigned = {z3.Z3_OP_ULEQ: lambda a, b: a <= b, z3.Z3_OP_ULT: lambda a, b: a < b,
                z3.Z3_OP_UGEQ: lambda a, b: a >= b, z3.Z3_OP_UGT: lambda a, b: a > b}
    signed = {z3.Z3_OP_SLEQ: lambda a, b: a <= b, z3.Z3_OP_SLT: lambda a, b: a < b,
              z3.Z3_OP_SGEQ: lambda a, b: a >= b, z3.Z3_OP_SGT: lambda a, b: a > b}
    return unsigned, signed


_UNSIGNED, _SIGNED = {}, {}


# Translated assertions, by z3 ast id (the entry holds the ast, so the id is not
# reused while cached): a proof asks many queries under the same facts.
_ROOTS: dict = {}
_ROOTS_LIMIT = 100_000


def _read_root(a) -> tuple:
    """(integer formula, {(name, width): (Int, width)}) of one assertion, cached
    (an assertion outside the reading raises ``Untranslatable`` each time)."""
    hit = _ROOTS.get(a.get_id())
    if hit is None:
        if len(_ROOTS) >= _ROOTS_LIMIT:
            _ROOTS.clear()
        reading = IntegerReading()
        try:
            hit = (a, reading(a), reading.ranges)
        except Untranslatable as e:
            hit = (a, e, None)
        _ROOTS[a.get_id()] = hit
    if hit[2] is None:
        raise hit[1]
    return hit[1], hit[2]


def implies_by_integers(assertions, claim, timeout_ms: int = 2000) -> bool:
    """True when the integer reading shows that ``assertions`` (z3 booleans over
    bit-vectors) imply ``claim``; False when it cannot (an operator outside the
    reading, a model over the integers, no answer in ``timeout_ms``)."""
    import z3
    formulas, ranges = [], {}
    try:
        for a in [*assertions, z3.Not(claim)]:
            f, r = _read_root(a)
            formulas.append(f)
            ranges.update(r)
    except Untranslatable:
        return False
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    for v, w in ranges.values():
        solver.add(v >= 0, v < (1 << w))
    solver.add(*formulas)
    return solver.check() == z3.unsat
