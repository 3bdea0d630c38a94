"""The term IR: normalisation is sound (random expressions vs a plain-int reference),
evaluation, code generation and z3 lowering agree, and hash-consing shares."""
import random

import pytest
import z3

from lnsym.terms import bv
from lnsym.terms.bv import (
    add,
    and_,
    ashr,
    concat,
    const,
    eq,
    extract,
    ite,
    lshr,
    mul,
    neg,
    not_,
    or_,
    rotr,
    shl,
    sign_extend,
    slt,
    sub,
    ult,
    var,
    xor,
    zero_extend,
)
from lnsym.terms.codegen import RUNTIME, Emitter
from lnsym.terms.evaluate import evaluate
from lnsym.terms.smt import Lowering

M = lambda w: (1 << w) - 1


def sx(v, w):
    return v - (1 << w) if v >> (w - 1) & 1 else v


class Gen:
    """Random expressions, built twice: as terms and as reference values."""

    def __init__(self, rng, env):
        self.rng = rng
        self.env = env

    def leaf(self, w):
        r = self.rng.random()
        if r < 0.5:
            name = f"v{w}_{self.rng.randrange(3)}"
            return var(name, w), self.env.setdefault(name, self.rng.getrandbits(w))
        v = self.rng.choice([0, 1, M(w), 1 << (w - 1), self.rng.getrandbits(w)])
        return const(v, w), v

    def expr(self, w, depth):
        if depth == 0:
            return self.leaf(w)
        rng = self.rng
        k = rng.randrange(16)
        a, va = self.expr(w, depth - 1)
        b, vb = self.expr(w, depth - 1)
        if k == 0:
            return add(a, b), (va + vb) & M(w)
        if k == 1:
            return sub(a, b), (va - vb) & M(w)
        if k == 2:
            return and_(a, b), va & vb
        if k == 3:
            return or_(a, b), va | vb
        if k == 4:
            return xor(a, not_(b)), va ^ vb ^ M(w)
        if k == 5:
            return neg(a), -va & M(w)
        if k == 6:
            n = rng.randrange(w)
            return rotr(a, n), ((va >> n) | (va << (w - n))) & M(w)
        if k == 7:
            n = rng.randrange(w + 1)
            return shl(a, n), (va << n) & M(w)
        if k == 8:
            n = rng.randrange(w + 1)
            return lshr(a, n), va >> n
        if k == 9:
            n = rng.randrange(w)
            return ashr(a, n), (sx(va, w) >> n) & M(w)
        if k == 10:
            c, vc = self.expr(w, depth - 1)
            cond = eq(c, a)
            return ite(cond, a, b), va if vc == va else vb
        if k == 11 and w >= 2:
            lo = rng.randrange(w - 1)
            hi = rng.randrange(lo, w - 1)
            e = extract(a, hi, lo)
            ve = (va >> lo) & M(hi - lo + 1)
            rest_w = w - (hi - lo + 1)
            r, vr = self.expr(rest_w, depth - 1)
            if rng.random() < 0.5:
                return concat(e, r), (ve << rest_w) | vr
            return concat(r, e), (vr << (hi - lo + 1)) | ve
        if k == 12:
            return mul(a, b), (va * vb) & M(w)
        if k == 13:
            return ite(ult(a, b), a, b), va if va < vb else vb
        if k == 14:
            return ite(slt(a, b), a, b), va if sx(va, w) < sx(vb, w) else vb
        if k == 15 and w >= 2:
            h = w // 2
            lo, vlo = self.expr(h, depth - 1)
            return sign_extend(lo, w), sx(vlo, h) & M(w)
        return xor(a, b), va ^ vb


@pytest.mark.parametrize("seed", range(40))
def test_normalisation_is_sound(seed):
    rng = random.Random(seed)
    env = {}
    g = Gen(rng, env)
    for w in (1, 4, 8, 32, 64):
        t, ref = g.expr(w, 4)
        assert evaluate(t, env) == ref, bv.pretty if False else t


@pytest.mark.parametrize("seed", range(10))
def test_codegen_and_z3_agree_with_evaluate(seed):
    rng = random.Random(100 + seed)
    env = {}
    g = Gen(rng, env)
    terms = [g.expr(w, 4)[0] for w in (8, 32, 64)]
    # code generation
    em = Emitter({})
    for name, value in env.items():
        width = int(name[1:].split("_")[0])
        em.bind(var(name, width), f"{value:#x}")
    exprs = [em.value(t) for t in terms]
    ns = dict(RUNTIME)
    ns.update(em.constants)
    exec("\n".join(em.lines), ns)
    for t, e in zip(terms, exprs):
        assert eval(e, ns) == evaluate(t, env)
    # z3
    low = Lowering()
    for t in terms:
        zt = low(t)
        subs = [(low.var(n, int(n[1:].split("_")[0])), z3.BitVecVal(v, int(n[1:].split("_")[0])))
                for n, v in env.items()]
        got = z3.simplify(z3.substitute(zt, *subs)) if subs else z3.simplify(zt)
        assert got.as_long() == evaluate(t, env)


def test_hash_consing_and_ac_normal_form():
    a, b, c = var("a", 32), var("b", 32), var("c", 32)
    assert add(a, add(b, c)) is add(add(c, a), b)
    assert xor(a, b, a) is b
    assert xor(not_(a), b) is not_(xor(a, b))
    assert and_(a, not_(a)) is const(0, 32)
    assert sub(add(a, b), b) is a
    assert extract(concat(a, b), 31, 0) is b
    assert concat(extract(a, 31, 16), extract(a, 15, 0)) is a
    assert rotr(rotr(a, 3), 29) is a
    assert zero_extend(a, 64) is concat(const(0, 32), a)
    assert eq(a + 4, a + 8) is const(0, 1)


def test_bool_of_symbolic_raises():
    with pytest.raises(bv.SymbolicBranchError):
        bool(var("a", 1))
    assert bool(const(1, 1)) and not bool(const(0, 1))


def test_width_errors():
    with pytest.raises(bv.WidthError):
        add(var("a", 32), var("b", 64))
    with pytest.raises(bv.WidthError):
        extract(var("a", 8), 8, 0)
    with pytest.raises(bv.WidthError):
        ite(var("c", 2), var("a", 8), var("b", 8))


def test_special_operators():
    x = var("x", 8)
    tbl = tuple((i * 7 + 3) & 0xFF for i in range(256))
    t = bv.lookup(tbl, x, 8)
    assert evaluate(t, {"x": 5}) == tbl[5]
    assert bv.lookup(tbl, const(9, 8), 8) is const(tbl[9], 8)
    p = bv.clmul(var("p", 64), var("q", 64))
    assert p.width == 128
    assert evaluate(p, {"p": 0b11, "q": 0b11}) == 0b101
    assert evaluate(bv.clz(var("y", 32)), {"y": 1}) == 31
    assert evaluate(bv.clz(var("y", 32)), {"y": 0}) == 32
