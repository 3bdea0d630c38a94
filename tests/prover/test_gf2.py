"""The GF(2) normal form's comparison in cut coordinates (lnsym.prover.gf2.reduced):
products of products (the Algorithm-1 side keeps a cut product's raw monomials
where only XORs carry it), squares of products (Frobenius), and no false claim."""
from __future__ import annotations

import random

from lnsym.prover.gf2 import GF2, prove_gf2
from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate
from proofs.specs import ghash

H, G = bv.var("H", 128), bv.var("G", 128)
ONE = bv.const(1, 128)


def test_square_of_a_product_clmul_equals_algorithm_1():
    """Q•Q with Q = H•G: Algorithm 1 folds q_i & q_i to q_i (raw monomials of Q), clmul
    is linear in Q's cuts; the same function, proved only in cut coordinates."""
    Q = ghash.gf128_mul(H, G)
    eng = GF2()
    a, b = ghash.gf128_mul_clmul(Q, Q), ghash.gf128_mul(Q, Q)
    raw_a, raw_b = eng.bits(a), eng.bits(b)
    assert eng.cuts > 0 and raw_a != raw_b            # the raw normal forms differ
    assert prove_gf2(a, b, eng) is True


def test_h6_as_h3_squared():
    """H^6 = H^3•H^3 with H^3 = (H•H)•H, as the libgcrypt setup associates it."""
    H3 = ghash.gf128_mul(ghash.gf128_mul(H, H), H)
    assert prove_gf2(ghash.gf128_mul_clmul(H3, H3), ghash.gf128_mul(H3, H3), GF2()) is True


def test_false_variants_are_not_proved():
    Q = ghash.gf128_mul(H, G)
    eng = GF2()
    square = ghash.gf128_mul_clmul(Q, Q)
    assert prove_gf2(square, ghash.gf128_mul(Q, Q ^ ONE), eng) is not True
    assert prove_gf2(square, ghash.gf128_mul(Q, G), eng) is not True
    assert prove_gf2(square, ghash.gf128_mul(Q, Q) ^ bv.const(1 << 77, 128), eng) is not True
    H3 = ghash.gf128_mul(ghash.gf128_mul(H, H), H)
    assert prove_gf2(ghash.gf128_mul_clmul(H3, H3),
                     ghash.gf128_mul(H3, ghash.gf128_mul(H, H)), eng) is not True


def _spread(q: bv.BV) -> bv.BV:
    """The bits of q at the even positions of a term twice as wide: q squared, carry-less."""
    bits = []
    for i in reversed(range(q.width)):
        bits += [bv.const(0, 1), bv.extract(q, i, i)]
    return bv.concat(*bits)


def _product(rng, xs) -> bv.BV:
    a, b, c = (rng.choice(xs) for _ in range(3))
    return (a & b) ^ bv.rotr(c, rng.randrange(1, 8)) ^ bv.extract(bv.clmul(b, c), 11, 4)


def test_frobenius_on_random_products_and_a_shifted_false_twin():
    """clmul(Q, Q) = Q spread out, for random non-linear Q: proved through the
    reduction; a twin with one bit moved never is."""
    rng = random.Random(5)
    xs = [bv.var(f"s{i}", 8) for i in range(3)]
    for _ in range(12):
        Q = _product(rng, xs)
        square = bv.clmul(Q, Q)
        eng = GF2()
        assert prove_gf2(square, _spread(Q), eng) is True
        wrong = _spread(bv.rotr(Q, 1))
        assert prove_gf2(square, wrong, eng) is not True
        env = {x.params[0]: rng.getrandbits(8) for x in xs}.__getitem__
        assert evaluate(square, env) == evaluate(_spread(Q), env)


def test_every_proved_random_pair_agrees_on_random_inputs():
    """Soundness by sampling: pairs of random terms with cut products (shared engine, so
    the basis is shared); whenever one is proved, the two evaluate equal everywhere
    sampled.  Half the pairs are equal by construction (the proved count checks that
    the test exercises proofs through cuts)."""
    rng = random.Random(17)
    xs = [bv.var(f"t{i}", 8) for i in range(3)]
    proved_with_cuts = 0
    for _ in range(40):
        eng = GF2()
        P, Q = _product(rng, xs), _product(rng, xs)
        lhs = bv.extract(bv.clmul(P ^ Q, Q), 7, 0)
        if rng.random() < 0.5:
            rhs = bv.extract(bv.clmul(P, Q), 7, 0) ^ bv.extract(_spread(Q), 7, 0)
        else:
            rhs = bv.extract(bv.clmul(P, Q ^ rng.choice(xs)), 7, 0)
        if prove_gf2(lhs, rhs, eng) is True:
            proved_with_cuts += eng.cuts > 0
            for _ in range(16):
                env = {x.params[0]: rng.getrandbits(8) for x in xs}.__getitem__
                assert evaluate(lhs, env) == evaluate(rhs, env)
    assert proved_with_cuts >= 10


def test_products_of_degree_one_polynomials_match_a_naive_expansion():
    """GF2.mul on polynomials of degree <= 1 (constants, shared variables: x·x = x,
    x·1 = x) against monomial-by-monomial toggling."""
    from lnsym.prover.gf2 import BIG, CONST
    rng = random.Random(3)
    eng = GF2()

    def naive(p, q):
        acc = set()
        for a in p:
            for b in q:
                if a == CONST or b == CONST:
                    m = b if a == CONST else a
                else:
                    va, vb = a % BIG, b % BIG
                    m = a if va == vb else min(va, vb) * BIG + max(va, vb)
                acc ^= {m}
        return frozenset(acc)
    pool = [CONST] + [v * BIG + v for v in range(6)]
    for _ in range(300):
        p = frozenset(rng.sample(pool, rng.randrange(1, 5)))
        q = frozenset(rng.sample(pool, rng.randrange(1, 5)))
        assert eng.mul(p, q) == naive(p, q)
