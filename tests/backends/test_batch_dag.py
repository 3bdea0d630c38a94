"""Random simulation on numpy lanes gives the prover's signatures and counterexamples.

``simulate_lanes`` must return exactly what ``sweep.simulate`` returns (one value per
environment for every node), including when earlier signatures are passed in; the
engine's shared ``Simulation`` must find a difference that only some lanes show and
name inputs that really are a counterexample.
"""
from __future__ import annotations

import random

import pytest

from lnsym.backends.batch.dag import LaneSimulation, simulate_lanes
from lnsym.prover.engine import Simulation, _simulated_counterexample
from lnsym.prover.sweep import random_envs, simulate, topo
from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate


def dag(w: int, seed: int):
    """A random DAG over three variables using every operator family."""
    rng = random.Random(seed)
    nodes = [bv.var("p", w), bv.var("q", w), bv.var("r", w), bv.const(rng.getrandbits(w), w)]
    unary = [bv.not_, bv.neg, bv.clz, lambda x: bv.rotr(x, rng.randrange(1, w)) if w > 1 else x,
             lambda x: bv.extract(bv.concat(x, x), w + w // 2 - 1, w // 2),
             lambda x: bv.extract(bv.sign_extend(x, w + 9), w + 4, 5)]
    binary = [bv.add, bv.sub, bv.mul, bv.and_, bv.or_, bv.xor, bv.shl_var, bv.lshr_var,
              bv.ashr_var, bv.udiv, bv.srem,
              lambda a, b: bv.ite(bv.ult(a, b), a, b), lambda a, b: bv.ite(bv.slt(a, b), b, a),
              lambda a, b: bv.zero_extend(bv.eq(a, b), w)]
    if w <= 64:
        binary.append(lambda a, b: bv.extract(bv.clmul(a, b), w - 1, 0))
    for _ in range(60):
        if rng.random() < 0.3:
            nodes.append(rng.choice(unary)(rng.choice(nodes)))
        else:
            nodes.append(rng.choice(binary)(rng.choice(nodes), rng.choice(nodes)))
    return nodes[-8:]


@pytest.mark.parametrize("w", [8, 32, 64, 65, 128])
def test_simulate_lanes_equals_simulate(w):
    roots = dag(w, w)
    envs = random_envs(40, seed=w)
    order = topo(*roots)
    assert simulate_lanes(order, envs) == simulate(order, envs)
    half = order[: len(order) // 2]                    # earlier signatures passed in
    known = simulate(half, envs)
    assert simulate_lanes(order, envs, known) == simulate(order, envs)


def test_lane_signatures_match_evaluate():
    roots = dag(128, 5)
    envs = random_envs(30, seed=3)
    sim = LaneSimulation(30, lambda t: [env(t) for env in envs])
    sim.run_roots(*roots)
    variables = bv.variables(*roots)
    for r in roots:
        sig = sim.signature(r)
        for i, env in enumerate(envs):
            assert sig[i] == evaluate(r, {v.params[0]: env(v) for v in variables})


def test_shared_simulation_finds_a_rare_difference():
    """impl and spec differ only when x + y wraps to zero in the top byte check below;
    the shared (lane) simulation must report inputs on which they really differ."""
    x, y = bv.var("x", 64), bv.var("y", 64)
    spec = bv.add(x, y)
    impl = bv.ite(bv.eq(bv.extract(bv.xor(x, y), 63, 56), bv.const(0, 8)),
                  bv.add(spec, bv.const(1, 64)), spec)
    shared = Simulation()
    cex = _simulated_counterexample(impl, spec, shared=shared)
    assert cex is not None
    assert evaluate(impl, cex) != evaluate(spec, cex)
    assert _simulated_counterexample(spec, bv.add(y, x), shared=shared) is None
