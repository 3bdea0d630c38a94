"""The sums rung (lnsym.prover.sums): value-preserving on random arithmetic and
bitwise terms; canonical for the word-in-a-wider-register and packed-pair forms
of ARX code; and not fooled into equating different sums."""
from __future__ import annotations

import random

from lnsym.machine.asl import ROL
from lnsym.prover.engine import Obligation, prove_all
from lnsym.prover.normalise import Normaliser
from lnsym.prover.sums import SumNormaliser
from lnsym.terms.bv import add, concat, const, extract, mul, neg, var, xor, zero_extend
from lnsym.terms.evaluate import evaluate

A, B, C = (var(n, 32) for n in "abc")


def _sums():
    return SumNormaliser(Normaliser())


def random_term(rng, depth, width=32):
    if depth == 0 or rng.random() < 0.2:
        return rng.choice([A, B, C, const(rng.getrandbits(width), width)]) if width == 32 \
            else zero_extend(rng.choice([A, B, C]), width)
    x, y = random_term(rng, depth - 1, width), random_term(rng, depth - 1, width)
    k = rng.randrange(7)
    if k == 0:
        return add(x, y)
    if k == 1:
        return xor(x, y)
    if k == 2:
        return ROL(x, rng.randrange(1, width))
    if k == 3:
        return neg(x)
    if k == 4:
        return mul(const(rng.getrandbits(4), width), x)
    if k == 5:
        lo = rng.randrange(width // 2)
        hi = rng.randrange(lo, width)
        return zero_extend(extract(add(x, y), hi, lo), width)
    return concat(extract(x, width - 1, width // 2), extract(add(x, y), width // 2 - 1, 0))


def test_value_preserving_on_random_terms():
    rng = random.Random(8439)
    sums = _sums()
    for width in (32, 64):
        for _ in range(60):
            t = random_term(rng, 5, width)
            u = sums(t)
            for _ in range(4):
                env = {"a": rng.getrandbits(32), "b": rng.getrandbits(32), "c": rng.getrandbits(32)}
                assert evaluate(u, env) == evaluate(t, env), t


def test_word_sum_in_a_64_bit_register_meets_the_32_bit_sum():
    """``add x6, x6, x22, lsr #32`` on zero-extended words, then the low word."""
    wide = extract(add(zero_extend(A, 64), zero_extend(B, 64)), 31, 0)
    sums = _sums()
    assert sums(wide) is sums(add(A, B))
    assert sums(extract(wide, 15, 8)) is sums(extract(add(A, B), 15, 8))


def test_packed_pair_is_a_concatenation():
    """``add x5, x5, x6, lsl #32``: the low word plus the high word shifted."""
    packed = add(zero_extend(add(A, C), 64), concat(B, const(0, 32)))
    sums = _sums()
    assert sums(packed) is sums(concat(B, add(A, C)))
    assert sums(extract(packed, 39, 32)) is sums(extract(B, 7, 0))


def test_overlapping_summands_are_not_carry_free():
    t = add(zero_extend(A, 64), concat(const(0, 31), B, const(0, 1)))
    assert _sums()(t).op == "add"


def test_the_ladder_refutes_a_wrong_packing():
    """A carry between the words is not lost: (a:0 + 0:b) + 1<<31 differs from a:b + 1<<31
    only by the order of the addition, but a:b + 2^32 - 1 is not a:(b-1)."""
    packed = add(concat(A, const(0, 32)), zero_extend(B, 64))
    good = Obligation("good", add(packed, const(1 << 31, 64)), add(concat(A, B), const(1 << 31, 64)))
    bad = Obligation("bad", add(packed, const(0xFFFFFFFF, 64)),
                     concat(A, add(B, const(0xFFFFFFFF, 32))))
    r_good, r_bad = prove_all([good, bad])
    assert r_good.status == "proved"
    assert r_bad.status == "refuted"
