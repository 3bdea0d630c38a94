"""Sampling low-degree GF(2) terms: the bit-sliced evaluation is the terms' own
semantics lane by lane, the degree bounds are bounds, and a false equation --
even one false on a single quarter or sixteenth of the inputs -- is caught."""
from __future__ import annotations

import random

import pytest

from lnsym.prover.lowdegree import ERROR_BITS, degrees, sample_check, samples_for, sliced_values
from lnsym.prover.sweep import topo
from lnsym.terms import bv
from lnsym.terms.bv import clmul, concat, const, extract, var
from lnsym.terms.evaluate import evaluate

a, b, c = var("a", 16), var("b", 16), var("c", 16)
p, q, r, s, e = (var(n, 1) for n in "pqrse")


def _fragment_terms():
    """Terms using every operator of the fragment."""
    return [bv.xor(a, b, const(0x1234, 16)), bv.and_(a, bv.not_(b)), bv.or_(a, b, c),
            bv.ite(extract(c, 3, 3), a, b), concat(extract(a, 7, 0), extract(b, 15, 8)),
            bv.sign_extend(extract(a, 4, 0), 16), bv.rotr(a ^ b, 5), clmul(a, b), clmul(a ^ c, b)]


@pytest.mark.parametrize("term", _fragment_terms(), ids=lambda t: t.op)
def test_sliced_values_are_the_terms_semantics_in_every_lane(term):
    lanes = 40
    order = topo(term)
    vals = sliced_values(lanes, order)
    inputs = {v: vals[v] for v in order if v.op == "var"}
    for lane in range(lanes):
        env = {v.params[0]: sum(((bits >> lane) & 1) << i for i, bits in enumerate(vals[v]))
               for v in inputs}
        got = sum(((bits >> lane) & 1) << i for i, bits in enumerate(vals[term]))
        assert got == evaluate(term, env), (term.op, lane)


def test_degree_bounds():
    deg = degrees(topo(clmul(a, b), bv.and_(a, b, c), bv.xor(a, b), bv.ite(p, a, b), bv.not_(a)))
    assert max(deg[clmul(a, b)]) == 2 and deg[clmul(a, b)][-1] == 0    # top bit: always 0
    assert set(deg[bv.and_(a, b, c)]) == {3}
    assert set(deg[bv.xor(a, b)]) == {1}
    assert set(deg[bv.ite(p, a, b)]) == {2}
    assert set(deg[bv.not_(a)]) == {1}


@pytest.mark.parametrize("degree", [1, 2, 3, 4])
def test_samples_bound_the_error(degree):
    t = samples_for(degree)
    assert (1 - 2.0 ** -degree) ** t <= 2.0 ** -ERROR_BITS
    assert (1 - 2.0 ** -degree) ** (t - 1) > 2.0 ** -ERROR_BITS     # the least such t


def test_true_equations_hold():
    verdict = sample_check([clmul(a ^ b, c)], [clmul(a, c) ^ clmul(b, c)])
    assert verdict.holds and verdict.degree == 2 and verdict.samples == samples_for(2)


def test_false_on_a_quarter_of_inputs_is_caught():
    """clmul distributes, but not with one product bit flipped when a0 = b0 = 1."""
    flip = concat(const(0, 31), bv.and_(extract(a, 0, 0), extract(b, 0, 0)))
    wrong = clmul(a, c) ^ clmul(b, c) ^ flip
    for _ in range(20):                       # fresh inputs every time: never passes
        verdict = sample_check([clmul(a ^ b, c)], [wrong])
        assert verdict is not None and not verdict.holds and verdict.failing == 0


def test_false_on_a_sixteenth_of_inputs_is_caught():
    lhs = [p ^ q, bv.and_(p, q, r, s) ^ e]       # equation 1 fails only when p = q = r = s = 1
    rhs = [q ^ p, e]
    for _ in range(20):
        verdict = sample_check(lhs, rhs)
        assert verdict.degree == 4 and not verdict.holds and verdict.failing == 1


def test_outside_the_fragment_or_above_the_degree_is_left_to_a_proof():
    assert sample_check([bv.add(a, b)], [bv.add(b, a)]) is None
    assert sample_check([bv.eq(a, const(7, 16))], [const(0, 1)]) is None
    x = var("x", 8)
    high = bv.and_(*[extract(x, i, i) for i in range(8)])          # degree 8
    assert sample_check([high], [const(0, 1)]) is None
    assert sample_check([high], [const(0, 1)], max_degree=8) is not None


def test_inputs_are_fresh_each_time():
    vals = [sliced_values(64, topo(a))[a] for _ in range(3)]
    assert vals[0] != vals[1] != vals[2]
    random.seed(0)                            # the global generator plays no part
    first = sliced_values(64, topo(a))[a]
    random.seed(0)
    assert sliced_values(64, topo(a))[a] != first
