"""Adversarial checks of the integer reading (lnsym/terms/smt_int.py): it never
shows an implication that z3's bit-vector solver refutes -- not with one name at
two widths, nor at the edges of widths 1 and 64+ (signed extremes, full-width
extracts, shifts past the width, all-ones and zero masks)."""
import random

import pytest

z3 = pytest.importorskip("z3")

from lnsym.terms.smt_int import IntegerReading, implies_by_integers


def _bv_refutes(hyps, claim) -> bool:
    s = z3.Solver()
    s.add(*hyps, z3.Not(claim))
    return s.check() == z3.sat


def test_one_name_at_two_widths_is_two_variables_not_one_integer():
    a8, a16 = z3.BitVec("a", 8), z3.BitVec("a", 16)
    hyps, claim = [a8 == 200], a16 == 200          # two z3 variables: not implied
    assert _bv_refutes(hyps, claim)
    assert not implies_by_integers(hyps, claim)
    reading = IntegerReading()
    reading(z3.And(a8 == 1, a16 == 1))
    assert len({v for v, _ in reading.ranges.values()}) == 2     # two integers
    assert not implies_by_integers([a8 == 1], a16 == 1)          # across cached roots too


def _edge(rng, w):
    picks = [0, 1, (1 << w) - 1, 1 << (w - 1), (1 << (w - 1)) - 1]
    return rng.choice(picks) if rng.random() < 0.6 else rng.randrange(1 << w)


def _term(rng, xs, w, depth):
    if depth == 0 or rng.random() < 0.25:
        return xs[w] if rng.random() < 0.7 else z3.BitVecVal(_edge(rng, w), w)
    a, b = _term(rng, xs, w, depth - 1), _term(rng, xs, w, depth - 1)
    j = rng.randrange(w + 1)
    low = (1 << j) - 1
    other = 1 if w == 65 else 65
    return rng.choice([
        lambda: a + b + a, lambda: a - b, lambda: -a, lambda: ~a,
        lambda: a * z3.BitVecVal(_edge(rng, w), w),
        lambda: a << z3.BitVecVal(rng.randrange(w + 2) % (1 << w), w),
        lambda: z3.LShR(a, z3.BitVecVal(rng.randrange(w + 2) % (1 << w), w)),
        lambda: a & z3.BitVecVal(rng.choice([low, ((1 << w) - 1) ^ low]), w),
        lambda: z3.UDiv(a, z3.BitVecVal(max(1, _edge(rng, w)), w)),
        lambda: z3.URem(a, z3.BitVecVal(max(1, _edge(rng, w)), w)),
        lambda: z3.Extract(w - 1, 0, a),
        lambda: z3.Extract(w - 1, 0, z3.SignExt(w - other, xs[other]))
        if other < w else z3.SignExt(w - 1, z3.Extract(0, 0, a)),
        lambda: z3.If(a < b, a, b),
    ])()


def _claim(rng, xs, depth):
    w = rng.choice(sorted(xs))
    a, b = _term(rng, xs, w, depth), _term(rng, xs, w, depth)
    return rng.choice([z3.ULT, z3.ULE, lambda x, y: x < y, lambda x, y: x <= y,
                       lambda x, y: x == y, lambda x, y: x >= y])(a, b)


@pytest.mark.parametrize("seed", [1, 2])
def test_no_implication_at_edge_widths_that_bit_vectors_refute(seed):
    rng = random.Random(seed)
    xs = {w: z3.BitVec(f"x{w}", w) for w in (1, 64, 65)}
    shown = 0
    for _ in range(120):
        hyp, claim = _claim(rng, xs, 2), _claim(rng, xs, 2)
        if implies_by_integers([hyp], claim, 500):
            shown += 1
            assert not _bv_refutes([hyp], claim), (hyp, claim)
    assert shown > 10                       # the check has implications to look at
