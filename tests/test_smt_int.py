"""The integer reading of bit-vector formulas (lnsym/terms/smt_int.py): exact on
every operator it accepts (checked against z3's bit-vector evaluation on random
formulas and values), refusing the rest, and deciding implications only when
they hold."""
import random

import pytest

z3 = pytest.importorskip("z3")

from lnsym.terms.smt_int import (
    IntegerReading,
    Untranslatable,
    implies_by_integers,
)


def _random_bv(rng, xs, depth):
    """A random bit-vector expression of width 8 over ``xs`` (8-bit)."""
    if depth == 0 or rng.random() < 0.2:
        return rng.choice(xs) if rng.random() < 0.7 else z3.BitVecVal(rng.randrange(256), 8)
    a = _random_bv(rng, xs, depth - 1)
    b = _random_bv(rng, xs, depth - 1)
    c = z3.BitVecVal(rng.randrange(256), 8)
    pick = rng.randrange(17)
    return [
        lambda: a + b, lambda: a - b, lambda: -a, lambda: ~a, lambda: a * c,
        lambda: z3.Concat(z3.Extract(3, 0, a), z3.Extract(7, 4, b)),
        lambda: z3.ZeroExt(3, z3.Extract(4, 0, a)), lambda: z3.SignExt(3, z3.Extract(4, 0, a)),
        lambda: a << rng.randrange(9), lambda: z3.LShR(a, rng.randrange(9)),
        lambda: z3.UDiv(a, z3.BitVecVal(rng.randrange(1, 256), 8)),
        lambda: z3.URem(a, z3.BitVecVal(rng.randrange(1, 256), 8)),
        lambda: a & z3.BitVecVal((1 << rng.randrange(9)) - 1, 8),
        lambda: a & z3.BitVecVal(256 - (1 << rng.randrange(9)), 8),
        lambda: z3.If(z3.ULT(a, b), a, b), lambda: z3.If(a < b, b, c),
        lambda: z3.Extract(7, 0, z3.Concat(a, b) + z3.ZeroExt(8, c)),
    ][pick]()


def _random_bool(rng, xs):
    a, b = _random_bv(rng, xs, 3), _random_bv(rng, xs, 3)
    return rng.choice([z3.ULT(a, b), z3.ULE(a, b), z3.UGT(a, b), z3.UGE(a, b), a < b,
                       a <= b, a > b, a >= b, a == b, a != b])


def test_the_reading_agrees_with_bit_vectors_on_random_formulas():
    rng = random.Random(7)
    xs = [z3.BitVec("a", 8), z3.BitVec("b", 8)]
    checked = 0
    for _ in range(300):
        f = _random_bool(rng, xs) if rng.random() < 0.5 else _random_bv(rng, xs, 4)
        reading = IntegerReading()
        g = reading(f)
        for _ in range(6):
            va, vb = rng.randrange(256), rng.randrange(256)
            bv = z3.simplify(z3.substitute(f, (xs[0], z3.BitVecVal(va, 8)),
                                           (xs[1], z3.BitVecVal(vb, 8))))
            sub = [(reading.ranges[name, 8][0], z3.IntVal(val))
                   for name, val in (("a", va), ("b", vb)) if (name, 8) in reading.ranges]
            got = z3.simplify(z3.substitute(g, *sub) if sub else g)
            if z3.is_bool(f):
                assert z3.is_true(bv) == z3.is_true(got), (f, va, vb)
            else:
                assert bv.as_long() == got.as_long(), (f, va, vb)
            checked += 1
    assert checked == 1800


def test_operators_outside_the_reading_are_refused():
    a, b = z3.BitVec("a", 8), z3.BitVec("b", 8)
    for f in (a * b, a ^ b, a | b, a & z3.BitVecVal(0x5A, 8), a << b,
              z3.Function("f", z3.BitVecSort(8), z3.BitVecSort(8))(a)):
        with pytest.raises(Untranslatable):
            IntegerReading()(f == 0)
    assert not implies_by_integers([a == b], (a ^ b) == 0)     # refused: not decided here


def test_a_loop_back_edge_side_condition_is_decided():
    """The shape of an AES-GCM kernel's back edge over num = k + 2 + d: the end
    pointer in + ((16·(4·num + 5) − 1) & ~63) against in + 64k + 128, signed."""
    k, d, p = z3.BitVec("k", 64), z3.BitVec("d", 64), z3.BitVec("in", 64)
    num = k + 2 + d
    end = p + ((z3.ZeroExt(7, z3.Extract(56, 0, 4 * num + 5)) << 4) - 1
               & z3.BitVecVal(~63 % 2**64, 64))
    cur = p + 64 * k + 128
    facts = [z3.ULT(num, 2**54), z3.ULT(k, num), z3.ULT(k + 1, num),
             z3.ULT(p + 64 * num + 0x50, 2**63), z3.UGE(p + 64 * num + 0x50, p)]
    assert implies_by_integers(facts, cur < end)
    assert not implies_by_integers(facts, cur + 64 < end)      # false at k + 2 = num
    s = z3.Solver()
    s.add(*facts, z3.Not(cur + 64 < end))
    assert s.check() == z3.sat                                  # and really false


def test_false_implications_are_not_claimed():
    rng = random.Random(3)
    xs = [z3.BitVec("a", 8), z3.BitVec("b", 8)]
    for _ in range(150):
        hyp, claim = _random_bool(rng, xs), _random_bool(rng, xs)
        if implies_by_integers([hyp], claim):
            s = z3.Solver()
            s.add(hyp, z3.Not(claim))
            assert s.check() == z3.unsat, (hyp, claim)


def test_variables_of_one_name_and_two_widths_stay_apart():
    """z3 tells x:8 and x:16 apart; so must the reading (one integer each)."""
    x8, x16 = z3.BitVec("x", 8), z3.BitVec("x", 16)
    assert not implies_by_integers([x8 == 3], x16 == 3)
    assert implies_by_integers([x8 == 3], z3.ZeroExt(8, x8) == 3)


def test_a_cached_assertion_is_read_the_same_way_again():
    a, b = z3.BitVec("a", 8), z3.BitVec("b", 8)
    fact = z3.ULT(a, 10)
    assert implies_by_integers([fact], z3.ULT(a + 1, 11))
    assert not implies_by_integers([fact], z3.ULT(a + 1, 10))
    assert not implies_by_integers([fact, a * b == 1], z3.ULT(a, 5))     # refused, twice
    assert not implies_by_integers([fact, a * b == 1], z3.ULT(a, 5))

