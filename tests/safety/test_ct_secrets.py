"""Secret policies, taint and the three ways independence is decided."""
from __future__ import annotations

from lnsym.safety.secrets import SecretPolicy, Taint, independence
from lnsym.terms.bv import add, const, eq, extract, mul, not_, var, xor, zero_extend
from lnsym.terms.evaluate import evaluate


def test_default_policy_makes_everything_but_pointers_secret():
    p = SecretPolicy(public={"n_0"}, public_prefixes=("iv[",), secret={"iv[3]"})
    p.add_anchors({"ctx"})
    assert p.is_secret("key[0]") and p.is_secret("x5_0") and p.is_secret("load@0x10#1")
    assert not p.is_secret("ctx") and not p.is_secret("sp_0") and not p.is_secret("ret_addr")
    assert not p.is_secret("n_0") and not p.is_secret("iv[0]")
    assert p.is_secret("iv[3]")                       # an explicit secret wins


def test_taint_is_syntactic_over_the_normalised_term():
    taint = Taint(SecretPolicy(public={"n"}))
    k, n = var("k", 8), var("n", 8)
    assert taint(k + n) and not taint(n + 1)
    assert not taint(xor(k, k))                       # folds to 0
    assert taint.secrets_in(k + n) == ["k"]


def test_independence_syntactic():
    r = independence(var("n", 64) + 16, Taint(SecretPolicy(public={"n"})))
    assert r.independent is True and r.how == "syntactic"


def test_dependence_found_by_random_simulation_is_a_checked_witness():
    k, n = var("k", 8), var("n", 64)
    t = add(n, mul(zero_extend(k, 64), const(4, 64)))     # a table index
    r = independence(t, Taint(SecretPolicy(public={"n"})))
    assert r.independent is False and r.how == "random simulation"
    a, b = r.pair
    assert a["n"] == b["n"] and a["k"] != b["k"]      # same public input, other secret
    assert (evaluate(t, a), evaluate(t, b)) == r.values and r.values[0] != r.values[1]


def test_independence_the_normaliser_misses_is_shown_by_z3_self_composition():
    s = var("s", 8)
    for t in (extract(mul(s, const(2, 8)), 0, 0), add(s, not_(s)), extract(mul(s, s), 1, 1)):
        assert t.op != "const"
        r = independence(t, Taint(SecretPolicy()))
        assert r.independent is True and r.how == "z3 self-composition", t


def test_dependence_random_simulation_misses_is_found_by_z3():
    s = var("s", 64)
    t = eq(s, const(0x1234_5678_9ABC_DEF1, 64))       # differs for one value of s only
    r = independence(t, Taint(SecretPolicy()), tries=4)
    assert r.independent is False and r.how == "z3 self-composition"
    assert sorted(r.values) == [0, 1]


def test_short_circuit_taint_agrees_with_the_variables_on_every_subterm():
    import random
    rng = random.Random(7)
    leaves = [var(f"p{i}", 8) for i in range(4)] + [var(f"s{i}", 8) for i in range(4)] + \
        [const(3, 8)]
    terms = list(leaves)
    for _ in range(300):
        a, b = rng.choice(terms), rng.choice(terms)
        terms.append(rng.choice([add, xor, mul])(a, b))
    policy = SecretPolicy(public={f"p{i}" for i in range(4)})
    taint = Taint(policy)
    for t in reversed(terms):                 # big terms first: sub-terms left unvisited
        assert taint(t) == bool(taint.secrets_in(t)), t
