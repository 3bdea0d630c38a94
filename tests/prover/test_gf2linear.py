"""The GF(2)-affine normal form (lnsym.prover.gf2linear): value-preserving on
random terms, canonical for equal affine functions (AES MixColumns, Arm ARM vs
FIPS 197), and not fooled by non-linear operators."""
from __future__ import annotations

import random

from isa_specs.pseudocode import aes as arm
from lnsym.prover.gf2linear import LinearNormaliser
from lnsym.terms.bv import (
    add,
    and_,
    concat,
    const,
    extract,
    ite,
    lookup,
    not_,
    or_,
    sign_extend,
    var,
    xor,
)
from lnsym.terms.evaluate import evaluate
from proofs.specs import aes as fips

VARS = [var(f"g{i}", 16) for i in range(4)]


def random_term(rng, depth):
    if depth == 0 or rng.random() < 0.2:
        r = rng.random()
        if r < 0.6:
            return rng.choice(VARS)
        if r < 0.8:
            return const(rng.getrandbits(16), 16)
        return lookup(fips.SBOX, extract(rng.choice(VARS), 7, 0), 16)   # a leaf
    k = rng.randrange(9)
    a = random_term(rng, depth - 1)
    b = random_term(rng, depth - 1)
    if k == 0:
        return xor(a, b)
    if k == 1:
        return not_(a)
    if k == 2:
        lo = rng.randrange(16)
        return concat(extract(a, 15, lo), extract(b, 15, 16 - lo)) if lo else a
    if k == 3:
        return sign_extend(extract(a, 9, 2), 16)
    if k == 4:
        return and_(a, const(rng.getrandbits(16), 16))
    if k == 5:
        return or_(a, const(rng.getrandbits(16), 16))
    if k == 6:
        return ite(extract(a, 3, 3), const(rng.getrandbits(16), 16), const(rng.getrandbits(16), 16))
    if k == 7:
        return and_(a, b)                                                 # non-linear: a leaf
    return add(a, b)                                                      # non-linear: a leaf


def test_value_preserved_on_random_terms():
    rng = random.Random(2001)
    norm = LinearNormaliser()
    for _ in range(300):
        t = random_term(rng, 6)
        n = norm(t)
        assert n.width == t.width
        for _ in range(8):
            env = {v.params[0]: rng.getrandbits(16) for v in VARS}
            assert evaluate(n, env) == evaluate(t, env), t


def test_canonical_for_equal_affine_functions():
    a, b = var("a", 8), var("b", 8)
    norm = LinearNormaliser()
    # (a xor b) rotated, vs a rotated xor b rotated; not(a) vs a xor ff
    lhs = concat(extract(xor(a, b), 4, 0), extract(xor(a, b), 7, 5))
    rhs = xor(concat(extract(a, 4, 0), extract(a, 7, 5)), concat(extract(b, 4, 0), extract(b, 7, 5)))
    assert norm(lhs) is norm(rhs)
    assert norm(not_(a)) is norm(xor(a, const(0xFF, 8)))
    assert norm(xor(a, a, b)) is norm(b)
    assert norm(add(a, b)) is not norm(xor(a, b))


def test_xtime_forms_meet():
    b = var("b", 8)
    norm = LinearNormaliser()
    assert norm(arm.xtime(b)) is norm(fips.xtime(b))
    assert norm(arm.FFmul03(b)) is norm(fips._mul(b, 3))


def test_mixcolumns_arm_equals_fips():
    state = var("s", 128)
    cols = [[extract(state, 8 * (r + 4 * c) + 7, 8 * (r + 4 * c)) for c in range(4)]
            for r in range(4)]
    mixed = fips.MixColumns(cols)
    spec = concat(*[mixed[i % 4][i // 4] for i in reversed(range(16))])
    impl = arm.AESMixColumns(state)
    assert impl is not spec
    norm = LinearNormaliser()
    assert norm(impl) is norm(spec)
    # and a wrong coefficient does not meet
    wrong = arm._mix(state, (arm.FFmul03, arm.FFmul02, arm._ident, arm._ident))
    assert norm(wrong) is not norm(spec)


def test_leaves_are_normalised_inside():
    """S-box lookups over equal affine arguments become one term."""
    a, k = var("a", 8), var("k", 8)
    norm = LinearNormaliser()
    t1 = lookup(fips.SBOX, xor(arm.xtime(a), k), 8)
    t2 = lookup(fips.SBOX, xor(k, fips.xtime(a)), 8)
    assert norm(t1) is norm(t2)


def test_a_run_of_bits_stops_at_the_top_of_a_leaf():
    """Bits 0-6 are a's bits 1-7 and bit 7 is b's bit 0: a's bit 7 and b's bit 0 sit in
    neighbouring positions of the bitsets (a first seen just before b), yet they are two
    runs, not one slice past a's top."""
    a, b = var("run_a", 8), var("run_b", 8)
    norm = LinearNormaliser()
    norm(xor(a, b))                                  # a's positions, then b's
    t = concat(extract(b, 0, 0), extract(a, 7, 1))
    assert norm(t) is t
    shifted = xor(concat(extract(a, 6, 0), extract(b, 7, 7)), concat(extract(b, 6, 0), const(0, 1)))
    assert norm(shifted) is norm(xor(concat(extract(b, 6, 0), const(0, 1)),
                                     concat(extract(a, 6, 0), extract(b, 7, 7))))
    env = {"run_a": 0xB5, "run_b": 0x6C}
    assert evaluate(norm(shifted), env.__getitem__) == evaluate(shifted, env.__getitem__)
