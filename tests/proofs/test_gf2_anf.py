"""The GF(2) normal form (lnsym/prover/gf2.py) against concrete evaluation."""
from __future__ import annotations

import random

from lnsym.prover.gf2 import GF2, applicable, prove_gf2
from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate
from proofs.specs import ghash


def _random_term(rng, xs, depth):
    if depth == 0:
        return rng.choice(xs)
    a, b = _random_term(rng, xs, depth - 1), _random_term(rng, xs, depth - 1)
    k = rng.randrange(7)
    if k == 0:
        return a ^ b
    if k == 1:
        return a & b
    if k == 2:
        return a | ~b
    if k == 3:
        return bv.ite(a[3], a, b)
    if k == 4:
        return bv.extract(bv.clmul(a, b), 7, 0) ^ bv.extract(bv.clmul(a, b), 15, 8)
    if k == 5:
        return bv.concat(a[3:0], b[7:4]) ^ bv.ashr(a, 3)
    return bv.rotr(a, rng.randrange(1, 8)) ^ bv.const(rng.getrandbits(8), 8)


def test_anf_matches_evaluation():
    rng = random.Random(11)
    xs = [bv.var(f"g{i}", 8) for i in range(4)]
    for _ in range(60):
        t = bv.clmul(_random_term(rng, xs, 2), _random_term(rng, xs, 2))
        eng = GF2()
        bits = eng.bits(t)
        if eng.cuts:
            continue                      # evaluation of cut variables is not defined
        for _ in range(4):
            env = {x.params[0]: rng.getrandbits(8) for x in xs}
            want = evaluate(t, lambda n: env[n])
            got = sum(eng.eval_poly(p, lambda n, i: env[n] >> i & 1) << i for i, p in enumerate(bits))
            assert got == want


def test_clmul_multiply_equals_algorithm_1():
    """gf128_mul_clmul (clmul + reduction) and gf128_mul (Algorithm 1) by the normal form."""
    X, Y = bv.var("X", 128), bv.var("Y", 128)
    a, b = ghash.gf128_mul_clmul(X, Y), ghash.gf128_mul(X, Y)
    assert applicable(a, b)
    assert prove_gf2(a, b, GF2()) is True
    assert prove_gf2(a, ghash.gf128_mul(Y, X ^ bv.const(1, 128)), GF2()) is False


def test_cuts_make_chained_products_bilinear():
    """(X•H)•H with the inner product cut: proved against itself built differently,
    and not claimed equal to a different chain."""
    X, H, Z = bv.var("X", 128), bv.var("H", 128), bv.var("Z", 128)
    inner = ghash.gf128_mul_clmul(X, H)
    lhs = ghash.gf128_mul_clmul(inner ^ Z, H)
    rhs = ghash.gf128_mul_clmul(inner, H) ^ ghash.gf128_mul_clmul(Z, H)
    eng = GF2()
    assert prove_gf2(lhs, rhs, eng) is True
    assert eng.cuts > 0
    assert prove_gf2(lhs, ghash.gf128_mul_clmul(inner ^ Z, X), eng) is not True


def test_not_applicable_without_clmul_or_with_arithmetic():
    x = bv.var("x", 8)
    assert not applicable(x ^ x[7:0])
    assert not applicable(bv.clmul(x, x + 1))
