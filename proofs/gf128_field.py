"""The ring laws of SP 800-38D's block multiplication, proven.

GHASH's aggregated forms (OpenSSL multiplies four blocks by H^4..H at once)
equal Algorithm 2 because blocks under XOR and • (``ghash.gf128_mul``, §6.3
Algorithm 1) form a commutative ring.  The standard calls • multiplication in
GF(2^128); here the laws the algebra step needs (``lnsym.prover.ring.LAWS``)
are proven about the very function the specs use:

* **addition**: XOR of 128-bit terms -- a commutative group with x ⊕ x = 0 by
  the semantics of XOR (lnsym's term evaluation).
* **commutative**: A•B = B•A.
* **distributive**: (A ⊕ B)•C = A•C ⊕ B•C (and C•(A ⊕ B) = C•A ⊕ C•B by
  commutativity).
* **associative**: (A•B)•C = A•(B•C).  Proven as (e_i•B)•C = e_i•(B•C) for the
  128 blocks e_i with one bit set, B and C symbolic.  For fixed B and C, both
  A ↦ (A•B)•C and A ↦ A•(B•C) are GF(2)-linear maps (by distributivity, the left
  one a composition of two), and two linear maps that agree on a basis are
  equal: associativity for every A.  That last step is linear algebra, stated
  here and in each proof's trusted base.

Each equation is closed by the GF(2) algebraic normal form
(``lnsym/prover/gf2.py``): every side is of degree at most 2 in the input bits,
so no cut point is made and equal normal forms are equality (differing ones
give a counterexample).  The lemmas are proven once and cached
(``lnsym.lemma``); a first run takes a couple of minutes.
"""
from __future__ import annotations

from lnsym.proof.lemma import Lemma
from lnsym.terms.bv import const, var
from proofs.specs.ghash import gf128_mul

__all__ = ["field_lemmas", "prove_field_laws", "LINEAR_ALGEBRA_STEP"]

LINEAR_ALGEBRA_STEP = ("associativity of • from its 128 basis instances: A -> (A•B)•C and "
                       "A -> A•(B•C) are GF(2)-linear by distributivity, and linear maps "
                       "agreeing on a basis are equal")


def field_lemmas() -> list:
    """The three lemmas (unproven objects; ``prove_field_laws`` proves them)."""
    A, B, C = var("A", 128), var("B", 128), var("C", 128)
    commutative = Lemma("gf128: A•B = B•A", gf128_mul(A, B), gf128_mul(B, A),
                        depends=("lnsym",), method="gf2")
    distributive = Lemma("gf128: (A⊕B)•C = A•C ⊕ B•C", gf128_mul(A ^ B, C),
                         gf128_mul(A, C) ^ gf128_mul(B, C), depends=("lnsym",), method="gf2")
    BC = gf128_mul(B, C)
    basis = [const(1 << i, 128) for i in range(128)]
    associative = Lemma("gf128: (e_i•B)•C = e_i•(B•C), i = 0..127",
                        [gf128_mul(gf128_mul(e, B), C) for e in basis],
                        [gf128_mul(e, BC) for e in basis], depends=("lnsym",), method="gf2")
    return [commutative, distributive, associative]


_proven: list = []


def prove_field_laws() -> list:
    """The lemmas, proven (or found in the lemma cache); raises if one is false."""
    if not _proven:
        lemmas = field_lemmas()
        for lemma in lemmas:
            lemma.prove()
        _proven.extend(lemmas)
    return list(_proven)
