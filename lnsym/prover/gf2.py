"""GF(2) algebraic normal form of carry-less-multiply terms (GHASH-style code).

Every bit of a term built from XOR/AND/OR/NOT/ITE, constant shifts (extract,
concat), sign extension and ``clmul`` over input bits is a polynomial over
GF(2) in the input bits: a XOR of monomials.  Its algebraic normal form (ANF)
is unique, so two terms are equal for all inputs iff their bits have the same
ANF.  Here a polynomial is a ``frozenset`` of monomials; a monomial is an int:
``CONST`` for 1, ``v*BIG + v`` for the variable v, ``lo*BIG + hi`` (lo < hi)
for the product of two variables (x*x = x, so degree-1 monomials are the
diagonal).  Polynomials are computed bottom-up over the term DAG, memoised.

Degree is capped at 2.  A product whose operand is non-linear is *cut*: the
operand is written as an XOR of cut variables plus a linear remainder, using
a reduced echelon basis of every non-linear polynomial cut so far (shared by
both sides of every obligation).  Each cut variable d stands for one basis
polynomial b(x); an identity F(x, d) == G(x, d) of polynomials in the inputs
and the cut variables implies F(x, b(x)) == G(x, b(x)), so a proof with cuts
is a proof.  Without cuts, differing ANFs mean differing terms; with cuts a
difference is inconclusive, and ``prove_gf2`` then answers None.

Notes: squaring is GF(2)-linear (x_i x_j + x_j x_i cancel), so H^2 and H^4
computed by clmul stay linear and H^3 quadratic without any cut; the cuts are
what makes a running hash multiplied again (GHASH over 8 blocks) bilinear.

Comparing in the cut coordinates.  A product is cut where it is made, but an
XOR is not: when a term's non-linear part reaches an output through XORs only,
its raw monomials stay there.  Algorithm 1 squaring a product Q does exactly
that: its diagonal terms q_i & q_i fold to q_i (idempotence), and the XOR of a
column flattens q_i's own monomials into the output, while clmul of Q with Q
is linear in Q's cut variables (Frobenius).  Same function, other coordinates.
So when the ANFs differ and cuts exist, each differing output bit is reduced
modulo the cut basis (``reduced``): every basis entry (b, E) satisfies
value(b) = value(XOR of the cut variables in E), so replacing b by E keeps the
value, and with a fully reduced basis the remainder is canonical.  Equal
reductions are a proof; unequal ones stay inconclusive (None).
"""
from __future__ import annotations

import contextlib
import contextvars

from lnsym.terms.bv import BV, variables

BIG = 1 << 24
CONST = -1
ZERO = frozenset()
ONE = frozenset((CONST,))

SUPPORTED = {"const", "var", "xor", "and", "or", "not", "ite", "extract", "concat", "sext",
             "clmul"}


class Unsupported(Exception):
    pass


def applicable(*terms: BV) -> bool:
    """Every operator supported and at least one clmul (else the other passes do better)."""
    seen_clmul, seen, stack = False, set(), list(terms)
    while stack:                       # stops at the first unsupported operator
        t = stack.pop()
        if t in seen:
            continue
        seen.add(t)
        if t.op not in SUPPORTED:
            return False
        seen_clmul |= t.op == "clmul"
        stack.extend(t.args)
    return seen_clmul


def is_linear(p) -> bool:
    for m in p:
        if m != CONST and m // BIG != m % BIG:
            return False
    return True


def _times_into(acc: set, p, q) -> None:
    """acc ^= p·q for polynomials of degree <= 1 (monomials CONST or v*BIG + v).

    Row by row: a·q for a variable a is a·b over q's other variables b (distinct
    monomials), plus a itself once for each of CONST and a in q (they cancel in
    pairs, x·x = x); CONST·q is q."""
    qv = [(b, b % BIG) for b in q if b != CONST]
    one_in_q = CONST in q
    for a in p:
        if a == CONST:
            acc ^= q
            continue
        va = a % BIG
        row = {va * BIG + vb if va < vb else vb * BIG + va for b, vb in qv if b != a}
        if one_in_q != (a in q):
            row.add(a)
        acc ^= row


class GF2:
    def __init__(self):
        # ("in", variable node, bit) or ("cut", k) -> variable number: keyed by the
        # hash-consed node, so two variables that differ in name or width never meet,
        # and no input bit can be mistaken for a cut variable
        self.var_ids: dict = {}
        self.names: list = []
        self.memo: dict = {}         # term -> tuple of polynomials, bit 0 first
        self.basis: dict = {}        # pivot monomial -> [polynomial (set), expression (set)]
        self.cuts = 0
        self.linear: dict = {}       # polynomial -> its linearisation (see linearise)
        self.linear_by_id: dict = {}  # id(polynomial) -> (it, its linearisation): no hashing

    # -- variables and cuts ----------------------------------------------------------------
    def _var(self, key) -> int:
        v = self.var_ids.get(key)
        if v is None:
            v = self.var_ids[key] = len(self.names)
            if v >= BIG:
                raise Unsupported("too many variables")
            self.names.append(key)
        return v

    def linearise(self, p):
        """p as a degree-<=1 polynomial over the inputs and cut variables.

        The answer for a given p never changes, so it is memoised: a cut variable
        always stands for the polynomial it was made for, and those polynomials'
        non-linear parts are independent (a cut is made only outside their span),
        so p has one expression in them."""
        seen = self.linear_by_id.get(id(p))
        if seen is not None and seen[0] is p:
            return seen[1]
        if is_linear(p):
            got = p
        else:
            got = self.linear.get(p)
            if got is None:
                got = self.linear[p] = self._linearise(p)
        self.linear_by_id[id(p)] = (p, got)     # keeps p alive, so its id stays its own
        return got

    def _linearise(self, p):
        q = set(p)
        expr = set()
        for piv, (bp, be) in self.basis.items():
            if piv in q:
                q ^= bp
                expr ^= be
        nonlin = [m for m in q if m != CONST and m // BIG != m % BIG]
        if nonlin:                           # a new basis polynomial: a fresh cut variable
            d = self._var(("cut", self.cuts))
            self.cuts += 1
            dm = d * BIG + d
            piv = max(nonlin)
            newp = frozenset(q)
            for entry in self.basis.values():   # keep the basis fully reduced
                if piv in entry[0]:
                    entry[0] ^= newp
                    entry[1] ^= {dm}
            self.basis[piv] = [set(newp), {dm}]
            expr ^= {dm}
            q = set()
        lin = {m for m in q if m == CONST or m // BIG == m % BIG}
        return frozenset(expr ^ lin)

    def reduced(self, p):
        """p with the span of the cut basis replaced by the cut variables: same value.

        Each entry's polynomial is XORed out where its pivot occurs and its cut
        variables XORed in; the entries are fully reduced (a pivot occurs in its own
        entry only), so the result does not depend on the order.  No cut is made."""
        q, expr = set(p), set()
        for piv, (bp, be) in self.basis.items():
            if piv in q:
                q ^= bp
                expr ^= be
        return frozenset(q ^ expr)

    def mul(self, p, q):
        if not p or not q:
            return ZERO
        if p == ONE:
            return q
        if q == ONE:
            return p
        acc: set = set()
        _times_into(acc, self.linearise(p), self.linearise(q))
        return frozenset(acc)

    # -- terms -----------------------------------------------------------------------------
    def bits(self, term: BV) -> tuple:
        memo = self.memo
        if term in memo:
            return memo[term]
        stack = [(term, False)]           # post-order over the nodes not computed yet
        push = stack.append
        while stack:
            t, ready = stack.pop()
            if ready:
                if t not in memo:
                    memo[t] = self._node(t)
            elif t not in memo:
                push((t, True))
                for a in t.args:
                    if a not in memo:
                        push((a, False))
        return memo[term]

    def _node(self, t: BV) -> tuple:
        op, w = t.op, t.width
        if op == "const":
            v = t.params[0]
            return tuple(ONE if v >> i & 1 else ZERO for i in range(w))
        if op == "var":
            out = []
            for i in range(w):
                v = self._var(("in", t, i))
                out.append(frozenset((v * BIG + v,)))
            return tuple(out)
        args = [self.memo[a] for a in t.args]
        if op == "xor":
            out = []
            for i in range(w):
                acc = set()
                for a in args:
                    acc ^= a[i]
                out.append(frozenset(acc))
            return tuple(out)
        if op == "not":
            return tuple(p ^ ONE for p in args[0])
        if op == "and":
            if w == 1 and len(args) == 2:     # a bit product (Algorithm 1 has 16k)
                return (self.mul(args[0][0], args[1][0]),)
            out = list(args[0])
            for a in args[1:]:
                out = [self.mul(x, y) for x, y in zip(out, a)]
            return tuple(out)
        if op == "or":
            out = list(args[0])
            for a in args[1:]:
                out = [x ^ y ^ self.mul(x, y) for x, y in zip(out, a)]
            return tuple(out)
        if op == "ite":
            c = args[0][0]
            return tuple(b ^ self.mul(c, a ^ b) for a, b in zip(args[1], args[2]))
        if op == "extract":
            hi, lo = t.params
            return args[0][lo:hi + 1]
        if op == "concat":
            out = []
            for a in reversed(args):           # args are most significant first
                out.extend(a)
            return tuple(out)
        if op == "sext":
            a = args[0]
            return tuple(a) + (a[-1],) * (w - len(a))
        if op == "clmul":
            return self._clmul(*args)
        raise Unsupported(op)

    def _clmul(self, a, b) -> tuple:
        n = len(a)
        if all(p == ZERO or p == ONE for p in a):
            a, b = b, a
        out = []
        if all(p == ZERO or p == ONE for p in b):     # multiplication by a constant: linear
            ones = [j for j in range(n) if b[j] == ONE]
            for k in range(2 * n):
                acc = set()
                for j in ones:
                    if 0 <= k - j < n:
                        acc ^= a[k - j]
                out.append(frozenset(acc))
            return tuple(out)
        la = [self.linearise(p) for p in a]
        lb = [self.linearise(p) for p in b]
        for k in range(2 * n):
            acc: set = set()
            for i in range(max(0, k - n + 1), min(k, n - 1) + 1):
                p, q = la[i], lb[k - i]
                if p and q:
                    _times_into(acc, p, q)
            out.append(frozenset(acc))
        return tuple(out)

    # -- evaluation (for tests) --------------------------------------------------------------
    def _input(self, v: int) -> tuple:
        """(variable name, bit) of input variable number ``v``."""
        kind, node, bit = self.names[v]
        if kind != "in":
            raise ValueError("a cut variable is not an input")
        return node.params[0], bit

    def eval_poly(self, p, value) -> int:
        """p at an assignment ``value(name, bit) -> 0/1`` of the input bits (no cuts)."""
        r = 0
        for m in p:
            if m == CONST:
                r ^= 1
                continue
            i, j = m // BIG, m % BIG
            r ^= value(*self._input(i)) & value(*self._input(j))
        return r


_shared_engine = contextvars.ContextVar("lnsym_gf2_engine", default=None)


@contextlib.contextmanager
def sharing(shared: GF2 | None = None):
    """Within the block, ``engine()`` is ``shared`` (default: a new engine): the normal
    forms (and cuts) of the terms one obligation met are there for the next, e.g. the
    spec's products every case of a length split asks for again.  Sound for any
    history: each polynomial equals its term's value once every cut variable is its
    basis polynomial, whichever obligations made the cuts."""
    token = _shared_engine.set(shared if shared is not None else GF2())
    try:
        yield
    finally:
        _shared_engine.reset(token)


def engine() -> GF2:
    """The engine of the innermost ``sharing()`` block, else a fresh one."""
    shared = _shared_engine.get()
    return shared if shared is not None else GF2()


def prove_gf2(impl: BV, spec: BV, engine: GF2):
    """True: equal (proved); False: differ (exact ANFs, no cut involved); None: unknown."""
    try:
        a = engine.bits(impl)
        b = engine.bits(spec)
    except Unsupported:
        return None
    if a == b:
        return True
    if engine.cuts == 0:
        return False
    if all(p == q or engine.reduced(p) == engine.reduced(q) for p, q in zip(a, b)):
        return True
    return None


def witness(impl: BV, spec: BV, engine: GF2) -> dict:
    """Input values (variable name -> int) on which two terms with differing exact
    normal forms (no cut) differ: take a monomial of least degree in the XOR of
    the two polynomials of a differing bit and set just its variables to 1; every
    other monomial of that XOR then has a variable at 0, so the XOR is 1."""
    if engine.cuts:
        raise ValueError("witness: the normal forms involve cut points")
    a, b = engine.bits(impl), engine.bits(spec)
    diff = next((p ^ q for p, q in zip(a, b) if p != q), None)
    if diff is None:
        raise ValueError("witness: the terms have the same normal form")
    m = min(diff, key=lambda m: (0 if m == CONST else 1 if m // BIG == m % BIG else 2, m))
    values: dict = {v.params[0]: 0 for v in variables(impl, spec)}
    if m != CONST:
        for v in {m // BIG, m % BIG}:
            name, bit = engine._input(v)
            values[name] |= 1 << bit
    return values
