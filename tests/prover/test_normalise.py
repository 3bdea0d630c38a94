"""The bitwise normal forms (lnsym.prover.normalise, lnsym.prover.slicing):
slicing below concatenation and ANF keep every value (random terms, concrete
evaluation), make the two orders of rotate-and-combine meet, and do not depend
on what was normalised before in the same Normaliser (its memos are shared
across a proof's outputs); past its slicing budget a Normaliser puts both
sides through the GF(2)-affine form first, with the same guarantees."""
from __future__ import annotations

import random

import pytest

from lnsym.prover.normalise import Normaliser
from lnsym.prover.slicing import slice_bitwise
from lnsym.terms.bv import (
    add,
    and_,
    concat,
    const,
    extract,
    not_,
    or_,
    rotr,
    var,
    variables,
    xor,
)
from lnsym.terms.evaluate import evaluate

VARS = [var(f"n{i}", 16) for i in range(5)]


def random_term(rng, depth):
    if depth == 0 or rng.random() < 0.15:
        r = rng.random()
        if r < 0.7:
            return rotr(rng.choice(VARS), rng.randrange(16))
        if r < 0.85:
            return const(rng.choice((0, 0xFFFF, rng.getrandbits(16))), 16)
        return add(rng.choice(VARS), rng.choice(VARS))                  # a leaf
    k = rng.randrange(7)
    a = random_term(rng, depth - 1)
    if k == 1:
        return not_(a)
    if k == 2:
        return rotr(a, rng.randrange(1, 16))
    if k == 3:
        lo = rng.randrange(1, 16)
        b = random_term(rng, depth - 1)
        return concat(extract(a, 15, lo), extract(b, lo - 1, 0))
    args = [a] + [random_term(rng, depth - 1) for _ in range(rng.randrange(1, 4))]
    return (xor, and_, or_, add)[k % 4 if k != 3 else 0](*args)


def _same_values(rng, t, n):
    for _ in range(6):
        env = {v.params[0]: rng.getrandbits(v.width) for v in variables(t)}
        assert evaluate(n, env) == evaluate(t, env), t


def _over_budget() -> Normaliser:
    norm = Normaliser()
    norm.SLICE_BUDGET = 0
    return norm


@pytest.mark.parametrize("make", [Normaliser, _over_budget], ids=["sliced", "affine-first"])
def test_value_preserved_on_random_terms(make):
    rng = random.Random(2011)
    norm = make()
    for _ in range(80):
        t, u = random_term(rng, 4), random_term(rng, 3)
        n, m = norm.pair(t, u)
        assert n.width == t.width
        _same_values(rng, t, n)
        _same_values(rng, u, m)


def test_wide_xors_of_rotations_slice_and_meet():
    """SHA-1's schedule: rotating each word then combining (SHA1SU0/SU1) and
    combining then rotating (FIPS 180-4) meet, with tens of arguments per
    operator (whose slices are paired by key, not by scanning)."""
    rng = random.Random(5)
    words = [var(f"w{i}", 32) for i in range(40)]
    for _ in range(20):
        picked = rng.sample(words, rng.randrange(2, 40))
        r = rng.randrange(1, 32)
        before = xor(*[rotr(w, r) for w in picked])
        after = rotr(xor(*picked), r)
        for norm in (Normaliser(), _over_budget()):
            a, b = norm.pair(before, after)
            assert a is b
            assert a is not norm.pair(before, rotr(xor(*picked), (r + 1) % 32))[1]
            _same_values(rng, after, a)


def test_budget_switches_both_sides_and_stays_switched():
    """A pair over the budget is normalised through the affine form on both
    sides (so Ch written two ways still meets), and so is every later pair."""
    words = [var(f"s{i}", 32) for i in range(12)]
    wide = xor(*[rotr(w, 3 * i + 1) for i, w in enumerate(words)])
    x, y, z = rotr(add(words[0], words[1]), 2), rotr(words[2], 7), words[3]
    ch_fips = xor(and_(x, y), and_(not_(x), z), wide)
    ch_arm = xor(and_(xor(y, z), x), z, wide)
    norm = Normaliser()
    norm.SLICE_BUDGET = 50
    assert not norm.affine_first
    a, b = norm.pair(ch_fips, ch_arm)
    assert norm.affine_first and a is b
    small = xor(words[2], rotr(words[3], 5))
    assert norm.pair(small, small)[0] is norm(small)
    _same_values(random.Random(1), ch_fips, a)


def test_slices_pair_with_the_right_neighbour():
    """Two lower slices of one base: only the adjacent one merges."""
    a, b = var("a", 16), var("b", 16)
    upper = xor(extract(a, 15, 8), extract(b, 15, 8))
    lower = xor(extract(b, 11, 4), extract(a, 7, 0))
    assert slice_bitwise(concat(upper, lower)) is concat(upper, lower)   # b's slices apart
    lower = xor(extract(a, 7, 0), extract(b, 7, 0))
    assert slice_bitwise(concat(upper, lower)) is xor(a, b)


def test_memos_do_not_change_the_answer():
    """A Normaliser reused across terms gives the objects fresh ones give."""
    rng = random.Random(99)
    terms = [random_term(rng, 4) for _ in range(60)]
    shared = Normaliser()
    outs = [shared(t) for t in terms]
    for t, n in zip(reversed(terms), reversed(outs)):
        assert Normaliser()(t) is n
