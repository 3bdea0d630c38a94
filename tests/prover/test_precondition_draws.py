"""Counterexamples under a narrow precondition (lnsym.prover.precondition): when random
inputs almost never satisfy it (a carry path's facts: the counter's low 64 bits
within a few of 2^64), the obligation is simulated on inputs that do, drawn from
spread z3 models of it, before the solver is asked.  Such a counterexample always
satisfies the precondition; a difference only outside it is never one."""
from __future__ import annotations

import random

from lnsym.prover.engine import Obligation, prove_all
from lnsym.prover.precondition import DRAWN, Precondition, model_draws
from lnsym.terms.bv import add, and_, const, extract, ite, mul, uge, ult, var, xor

CTR, KEY = var("ctr", 128), var("key", 128)
LOW = extract(CTR, 63, 0)
# the carry path: low half + 4 wraps (and it is not all ones, which random simulation tries)
NEAR_WRAP = and_(uge(LOW, const((1 << 64) - 4, 64)), ult(LOW, const((1 << 64) - 1, 64)))


def _rounds(x):
    """A few nonlinear rounds, so the solver has real work on the difference."""
    for r in range(3):
        x = xor(mul(x, add(x, KEY)), const(0x9E3779B97F4A7C15 << r, 128))
    return x


def _one(impl, spec, pre):
    return prove_all([Obligation("o", impl, spec)], timeout=20, preconditions=pre)[0]


def test_random_inputs_miss_a_narrow_precondition():
    """The premise: none of the random inputs satisfy it, so every lane is a model."""
    pre = Precondition([NEAR_WRAP])
    lanes, envs = pre.drawn_lanes()
    assert len(envs) == DRAWN
    assert all(pre.holds({"ctr": env(CTR)}) for env in envs)


def test_model_draws_are_spread_and_satisfy_it():
    draws = model_draws(NEAR_WRAP, {"ctr": CTR}, 8, random.Random(1))
    assert len(draws) == 8
    values = [d[CTR] for d in draws]
    assert all((1 << 64) - 4 <= (v & ((1 << 64) - 1)) < (1 << 64) - 1 for v in values)
    assert len({v >> 64 for v in values}) == 8          # the free high half varies


def test_refuted_on_drawn_inputs_before_the_solver():
    """Wrong on the carry path for every key: refuted by simulation on the drawn
    inputs, with a counterexample on that path."""
    carried = add(CTR, const(4, 128))
    wrong = add(CTR, const(4, 128)) ^ const(1 << 64, 128)        # the carry dropped
    impl = _rounds(ite(NEAR_WRAP, wrong, carried))
    r = _one(impl, _rounds(carried), [NEAR_WRAP])
    assert (r.status, r.method) == ("refuted", "simulation (precondition)"), r.detail
    assert (r.counterexample["ctr"] & ((1 << 64) - 1)) >= (1 << 64) - 4
    assert Precondition([NEAR_WRAP]).holds(r.counterexample)


def test_a_difference_outside_the_precondition_is_not_refuted():
    """Wrong only off the carry path: the drawn inputs all take it, so nothing is
    refuted and the obligation is proved under the precondition."""
    impl = ite(NEAR_WRAP, KEY, xor(KEY, CTR))
    r = _one(impl, KEY, [NEAR_WRAP])
    assert r.status == "proved", (r.status, r.method, r.counterexample)
    assert _one(impl, KEY, None).status == "refuted"


def test_an_unsatisfiable_slice_keeps_z3s_value():
    """Fixing a slice the precondition pins (ctr's low byte) is skipped, so the draws
    still satisfy it."""
    pinned = uge(extract(CTR, 7, 0), const(0xFE, 8))
    draws = model_draws(pinned, {"ctr": CTR}, 4, random.Random(2))
    assert draws and all(d[CTR] & 0xFF >= 0xFE for d in draws)


def test_a_wide_precondition_is_left_to_random_simulation():
    """Where most random inputs satisfy it, random simulation already had such inputs:
    no lanes are drawn and nothing is simulated again (proofs that pass pay nothing)."""
    wide = Precondition([uge(LOW, const(1 << 62, 64))])          # holds on 3/4 of inputs
    assert not wide.narrow and Precondition([NEAR_WRAP]).narrow
    assert wide.counterexample(KEY, xor(KEY, const(1, 128))) is None
    assert wide.drawn is None
