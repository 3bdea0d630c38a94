"""The algebra step of the GHASH proofs: the ring normal form, the proven field
laws of gf128_mul, and the derivation aggregated form -> SP 800-38D Algorithm 2."""
from __future__ import annotations

import random

import pytest

from lnsym.proof.lemma import Lemma, LemmaRefuted
from lnsym.prover import gf2, ring
from lnsym.terms.bv import const, var
from lnsym.terms.evaluate import evaluate
from proofs import gf128_field
from proofs.ghash_algebra import aggregated_is_ghash
from proofs.specs import ghash
from proofs.specs.ghash_htable import ghash_aggregated, powers


@pytest.fixture(autouse=True, scope="module")
def lemma_dir(tmp_path_factory):
    """A lemma cache of this module's own (the laws are proven once here)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LNSYM_LEMMA_DIR", str(tmp_path_factory.mktemp("lemmas")))
        gf128_field._proven.clear()
        yield
        gf128_field._proven.clear()


# -- the ring normal form -------------------------------------------------------------------
def test_ring_normal_form_laws():
    a, b, c = (ring.ring_var(n) for n in "abc")
    assert ring.same_polynomial((a ^ b) * c, a * c ^ b * c)           # distributive
    assert ring.same_polynomial((a * b) * c, a * (b * c))             # associative
    assert ring.same_polynomial(a * b, b * a)                         # commutative
    assert ring.same_polynomial(a ^ a, ring.ZERO)                     # characteristic 2
    assert not ring.same_polynomial(a * a, a)                          # no Frobenius-like law
    assert not ring.same_polynomial((a ^ b) * (a ^ b), a * a ^ b * b ^ a * b)
    assert ring.show((a ^ b) * (a ^ b)) == "a^2 + b^2"


def test_ring_interpret_is_the_fields_own_term():
    a, b = ring.ring_var("a"), ring.ring_var("b")
    A, B = var("A", 128), var("B", 128)
    e = (a ^ b) * a
    assert ring.interpret(e, {"a": A, "b": B}, ghash.GF128) is ghash.gf128_mul(A ^ B, A)
    with pytest.raises(KeyError, match="no value"):
        ring.interpret(e, {"a": A}, ghash.GF128)
    with pytest.raises(TypeError):
        a * 3


@pytest.mark.parametrize("n", range(1, 9))
def test_aggregated_equals_algorithm2_in_the_free_ring(n):
    H, Y = ring.ring_var("H"), ring.ring_var("Y")
    X = [ring.ring_var(f"X{k}") for k in range(n)]
    agg = ghash_aggregated([H, *powers(H, ring.FREE)], X, Y, ring.FREE)
    assert ring.same_polynomial(agg, ghash.ghash(H, X, Y, ring.FREE))


def test_wrong_grouping_differs_in_the_free_ring():
    """Swapping H^3 and H^2 in the table (a plausible bug) is caught by the normal form."""
    H, Y = ring.ring_var("H"), ring.ring_var("Y")
    X = [ring.ring_var(f"X{k}") for k in range(4)]
    H2, H3, H4 = powers(H, ring.FREE)
    wrong = ghash_aggregated([H, H3, H2, H4], X, Y, ring.FREE)
    assert not ring.same_polynomial(wrong, ghash.ghash(H, X, Y, ring.FREE))


# -- the field laws ---------------------------------------------------------------------------
def test_field_laws_are_proven_and_cached():
    laws = gf128_field.prove_field_laws()
    assert [lemma.proved for lemma in laws] == [True] * 5
    assert all(("gf2-anf" in lemma.how or "structural" in lemma.how)
               or lemma.how.startswith("cached") for lemma in laws)
    assert all(lemma.cache_path().is_file() for lemma in laws)
    chain = laws[4]                                      # x^(j+1) = x^j•x: the basis
    assert len(chain.lhs) == 127
    assert {int(t) for t in chain.lhs} | {int(gf128_field.power_of_x(0))} == \
        {1 << i for i in range(128)}
    again = gf128_field.field_lemmas()
    for lemma in again:
        lemma.prove()
        assert lemma.how.startswith("cached")


def test_a_false_law_is_refuted_with_a_true_witness():
    """A multiplication that is not associative: (e_i∘B)∘C = e_i∘(B∘C) fails for
    a∘b = a•(b xor (b >> 1)); the witness from the normal form is checked concretely."""
    B, C = var("B", 128), var("C", 128)

    def odd(a, b):
        return ghash.gf128_mul(a, b ^ (b >> 1))
    e = const(1 << 127, 128)
    lemma = Lemma("not associative", odd(odd(e, B), C), odd(e, odd(B, C)), method="gf2")
    with pytest.raises(LemmaRefuted) as info:
        lemma.prove()
    cex = info.value.counterexample
    env = lambda name: cex[name]                          # noqa: E731
    assert evaluate(lemma.lhs[0], env) != evaluate(lemma.rhs[0], env)
    assert not lemma.cache_path().exists()


def test_associativity_lemma_by_x_fails_for_a_non_associative_product():
    """The induction's one symbolic lemma, (x∘B)∘C = x∘(B∘C), is refuted for the
    non-associative a∘b = a•(b xor (b >> 1)), with a witness checked concretely."""
    B, C = var("B", 128), var("C", 128)

    def odd(a, b):
        return ghash.gf128_mul(a, b ^ (b >> 1))
    x = gf128_field.power_of_x(1)
    lemma = Lemma("not associative by x", odd(odd(x, B), C), odd(x, odd(B, C)), method="gf2")
    with pytest.raises(LemmaRefuted) as info:
        lemma.prove()
    env = lambda name: info.value.counterexample[name]    # noqa: E731
    assert evaluate(lemma.lhs[0], env) != evaluate(lemma.rhs[0], env)


def test_powers_of_x_are_the_one_bit_blocks():
    """x^j (only the standard's bit j set) is term bit 127 - j, and x•x^j = x^(j+1) on
    concrete values (``gf128_mul`` evaluated, not built from the lemma)."""
    x = gf128_field.power_of_x(1)
    assert int(gf128_field.power_of_x(0)) == 1 << 127
    for j in (0, 5, 126):
        assert ghash.gf128_mul(x, gf128_field.power_of_x(j)) is gf128_field.power_of_x(j + 1)
    # x^127 • x wraps: x^128 = x^7 + x^2 + x + 1 (the standard's R, bits 0, 1, 2, 7)
    assert ghash.gf128_mul(gf128_field.power_of_x(127), x) is ghash.R


def test_witness_needs_exact_normal_forms():
    A = var("A", 8)
    eng = gf2.GF2()
    assert gf2.prove_gf2(A & (A >> 1), A & (A >> 2), eng) is False
    cex = gf2.witness(A & (A >> 1), A & (A >> 2), eng)
    a = cex["A"]
    assert (a & (a >> 1)) != (a & (a >> 2))


def test_lemma_method_is_checked():
    A = var("A", 8)
    with pytest.raises(ValueError, match="unknown method"):
        Lemma("x", A, A, method="magic")


# -- the derivation the proofs use --------------------------------------------------------------
def test_derivation_holds_and_checks_the_terms():
    H, Y = var("H", 128), var("Y", 128)
    P = [var(f"P{m}", 128) for m in (2, 3, 4)]
    X = [var(f"X{k}", 128) for k in range(5)]
    proven = ghash_aggregated([H, *P], X, Y)
    holds, method, detail = aggregated_is_ghash(proven, H, Y, X, P)
    assert holds and method == "ring+field-laws", detail
    holds, method, _ = aggregated_is_ghash(ghash_aggregated([H, *powers(H)], X, Y), H, Y, X)
    assert holds and method == "ring+field-laws"
    # a term that is not the one the ring expression stands for is not accepted
    holds, _, detail = aggregated_is_ghash(proven ^ Y, H, Y, X, P)
    assert not holds and "not the interpretation" in detail


def test_derivation_values_agree_concretely():
    """The derived equality, on random concrete values: aggregated at the powers
    of H equals Algorithm 2 (a check of the whole chain, not part of the proof)."""
    rng = random.Random(11)
    for n in (3, 8):
        h = const(rng.getrandbits(128), 128)
        y = const(rng.getrandbits(128), 128)
        xs = [const(rng.getrandbits(128), 128) for _ in range(n)]
        assert ghash_aggregated([h, *powers(h)], xs, y) is ghash.ghash(h, xs, y)
