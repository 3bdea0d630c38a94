"""The bitwise normal forms (lnsym.prover.normalise, lnsym.prover.slicing):
slicing below concatenation and ANF keep every value (random terms, concrete
evaluation), make the two orders of rotate-and-combine meet, and do not depend
on what was normalised before in the same Normaliser (its memos are shared
across a proof's outputs)."""
from __future__ import annotations

import random

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


def test_value_preserved_on_random_terms():
    rng = random.Random(2011)
    norm = Normaliser()
    for _ in range(150):
        t = random_term(rng, 4)
        n = norm(t)
        assert n.width == t.width
        _same_values(rng, t, n)


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
        norm = Normaliser()
        assert norm(before) is norm(after)
        assert norm(before) is not norm(rotr(xor(*picked), (r + 1) % 32))
        _same_values(rng, after, norm(before))


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
