"""The batch code generator agrees with the single-input evaluator on every operator.

Each operator is built over variables at widths around the 64-bit limb edges
(1, 7, 32, 63, 64, 65, 100, 128, 192) and evaluated on 48 lanes of random and
edge values: once with every variable varying per lane (numpy arrays), once
with some variables the same in all lanes (Python ints mixed into the arrays),
and once with all of them uniform (pure int path).  Every lane is compared
with ``lnsym.terms.evaluate``.
"""
from __future__ import annotations

import random

import pytest

from lnsym.backends.batch.terms import evaluate_lanes
from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate

WIDTHS = [1, 7, 32, 63, 64, 65, 100, 128, 192]
LANES = 48


def lane_values(rng, w):
    edges = [0, 1, (1 << w) - 1, 1 << (w - 1), (1 << (w - 1)) - 1, w, w - 1, w + 1]
    vals = [e & ((1 << w) - 1) for e in edges]
    vals += [rng.getrandbits(w) for _ in range(LANES - len(vals) - 8)]
    vals += [rng.randrange(min(2 * w + 2, 1 << w)) for _ in range(8)]   # small shift amounts
    rng.shuffle(vals)
    return vals


def terms_for(w):
    x, y, z = bv.var("x", w), bv.var("y", w), bv.var("z", w)
    c = bv.var("c", 1)
    out = [bv.add(x, y), bv.add(x, y, z), bv.sub(x, y), bv.neg(x), bv.mul(x, y),
           bv.and_(x, y), bv.or_(x, y, z), bv.xor(x, y), bv.not_(x),
           bv.ite(c, x, y), bv.eq(x, y), bv.ult(x, y), bv.ule(x, y), bv.slt(x, y), bv.sle(x, y),
           bv.shl_var(x, y), bv.lshr_var(x, y), bv.ashr_var(x, y),
           bv.udiv(x, y), bv.urem(x, y), bv.sdiv(x, y), bv.srem(x, y), bv.clz(x),
           bv.concat(x, y), bv.concat(bv.extract(x, w - 1, w // 2), y, bv.extract(z, w // 3, 0)),
           bv.sign_extend(x, w + 37), bv.zero_extend(x, w + 64)]
    # sums and products of zero-extended values: the generator leaves masks out there
    wide = [bv.zero_extend(v, w + 3) for v in (x, y, z)]
    out += [bv.add(*wide), bv.extract(bv.add(*wide), w + 2, 1), bv.add(wide[0], wide[0]),
            bv.mul(bv.zero_extend(x, 2 * w), bv.zero_extend(y, 2 * w)),
            bv.extract(bv.concat(bv.const(0, 5), bv.and_(x, y)), w - 1, 0)]
    if w > 5:
        out.append(bv.rotr(bv.xor(x, y), 5))
    if w in (64, 128):
        out += lanewise_terms(x, y, z, w)
    for hi, lo in {(w - 1, 0), (w - 1, w // 2), (w // 2, w // 3), (min(w - 1, 70), min(w - 1, 3))}:
        out.append(bv.extract(x, hi, lo))
    if w <= 64:
        out.append(bv.clmul(x, y))
    if w <= 8:
        table = tuple(random.Random(w).getrandbits(64) for _ in range(1 << w))
        out.append(bv.lookup(table, x, 64))
    return out


def lanewise_terms(x, y, z, w):
    """Vector-instruction shapes: the same tree on every 8/16/32-bit element."""
    return [t for e in (8, 16, 32) for t in element_terms(x, y, z, w, e)]


def element_terms(x, y, z, w, e):
    def el(v, i, hi=e - 1, lo=0):
        return bv.extract(v, e * i + hi, e * i + lo)
    k = e // 2 - 1
    shapes = [
        lambda i: bv.add(el(x, i), el(y, i)),                                  # ADD
        lambda i: bv.add(el(x, i), el(y, i), el(z, i)),
        lambda i: bv.concat(el(x, i, k - 1, 0), el(x, i, e - 1, k)),          # rotate
        lambda i: bv.xor(bv.not_(el(x, i)), bv.and_(el(y, i), el(z, i))),
        lambda i: bv.sign_extend(el(x, i, e - 3, 2), e),                      # SSHR-like
        lambda i: bv.add(el(x, i), bv.zero_extend(bv.extract(z, 6, 0), e)),   # shared value
        lambda i: bv.add(el(x, i), bv.const(i * 37 + 1, e)),                 # per-part constant
        lambda i: bv.concat(bv.add(el(x, i, e - 2, 0), el(y, i, e - 2, 0)), bv.const(1, 1)),
    ]
    return [bv.concat(*[shape(i) for i in reversed(range(w // e))]) for shape in shapes]


@pytest.mark.parametrize("w", WIDTHS)
@pytest.mark.parametrize("mode", ["arrays", "mixed", "uniform"])
def test_operators_agree_with_evaluate(w, mode):
    rng = random.Random(w * 7 + len(mode))
    roots = terms_for(w)
    values = {name: lane_values(rng, w) for name in "xyz"}
    values["c"] = [rng.getrandbits(1) for _ in range(LANES)]
    if mode == "mixed":
        values["y"] = rng.getrandbits(w)
        values["c"] = 1
    elif mode == "uniform":
        values = {k: rng.getrandbits(1 if k == "c" else w) for k in values}
    got = evaluate_lanes(roots, values, LANES)
    for i in range(LANES):
        env = {k: (v if isinstance(v, int) else v[i]) for k, v in values.items()}
        for t, col in zip(roots, got):
            assert col[i] == evaluate(t, env), (t.op, w, mode, i, env)


def test_missing_variable_is_an_error():
    with pytest.raises(KeyError):
        evaluate_lanes([bv.add(bv.var("x", 8), bv.var("y", 8))], {"x": 1}, 4)
