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
* **associative**: (A•B)•C = A•(B•C).  Proven from three lemmas: 1•B = B (1 the
  block of the constant polynomial), (x•B)•C = x•(B•C) for the block x of the
  polynomial x, and x^(j+1) = x^j•x where x^j is the block with only the
  standard's bit j set (j = 0..126; constants, closed structurally).  By
  induction over j, (x^j•B)•C = x^j•(B•C) for all B, C: j = 0 is the first
  lemma; for j + 1, ((x^j•x)•B)•C = (x^j•(x•B))•C = x^j•((x•B)•C)
  = x^j•(x•(B•C)) = (x^j•x)•(B•C), using the hypothesis for all B, C three times
  and the lemma for x once.  The x^j are the 128 one-bit blocks, a basis; for
  fixed B and C, A ↦ (A•B)•C and A ↦ A•(B•C) are GF(2)-linear (by
  distributivity), and linear maps that agree on a basis are equal:
  associativity for every A.  That induction and the linear algebra are stated
  here and in each proof's trusted base.  (Before, the lemma was the 128
  instances (e_i•B)•C = e_i•(B•C): 128 full products to build, 15-20 s per
  process; the lemmas above take two.)

Each equation is closed by the GF(2) algebraic normal form (the powers of x,
constants, structurally) (``lnsym/prover/gf2.py``): every side is of degree at
most 2 in the input bits,
so no cut point is made and equal normal forms are equality (differing ones
give a counterexample).  The lemmas are proven once and cached
(``lnsym.lemma``); a first run takes a few seconds.
"""
from __future__ import annotations

from lnsym.proof.lemma import Lemma
from lnsym.terms.bv import const, var
from proofs.specs.ghash import gf128_mul

__all__ = ["field_lemmas", "prove_field_laws", "LINEAR_ALGEBRA_STEP"]

LINEAR_ALGEBRA_STEP = ("associativity of • from 1•B = B, (x•B)•C = x•(B•C) and x^(j+1) = "
                       "x^j•x (the one-bit blocks, j < 127): by induction over j, "
                       "(x^j•B)•C = x^j•(B•C) for all B, C; A -> (A•B)•C and A -> A•(B•C) "
                       "are GF(2)-linear by distributivity, and linear maps agreeing on a "
                       "basis (the x^j) are equal")


def power_of_x(j: int):
    """The block of the polynomial x^j (j < 128): only the standard's bit j set, which
    is term bit 127 - j (proofs/specs/ghash.py's bit order)."""
    return const(1 << (127 - j), 128)


def field_lemmas() -> list:
    """The lemmas (unproven objects; ``prove_field_laws`` proves them)."""
    A, B, C = var("A", 128), var("B", 128), var("C", 128)
    commutative = Lemma("gf128: A•B = B•A", gf128_mul(A, B), gf128_mul(B, A),
                        depends=("lnsym",), method="gf2")
    distributive = Lemma("gf128: (A⊕B)•C = A•C ⊕ B•C", gf128_mul(A ^ B, C),
                         gf128_mul(A, C) ^ gf128_mul(B, C), depends=("lnsym",), method="gf2")
    one, x = power_of_x(0), power_of_x(1)
    unit = Lemma("gf128: 1•B = B", gf128_mul(one, B), B, depends=("lnsym",), method="gf2")
    by_x = Lemma("gf128: (x•B)•C = x•(B•C)", gf128_mul(gf128_mul(x, B), C),
                 gf128_mul(x, gf128_mul(B, C)), depends=("lnsym",), method="gf2")
    chain = Lemma("gf128: x^(j+1) = x^j•x, j = 0..126",
                  [power_of_x(j + 1) for j in range(127)],
                  [gf128_mul(power_of_x(j), x) for j in range(127)], depends=("lnsym",))
    return [commutative, distributive, unit, by_x, chain]


_proven: list = []


def prove_field_laws() -> list:
    """The lemmas, proven (or found in the lemma cache); raises if one is false."""
    if not _proven:
        lemmas = field_lemmas()
        for lemma in lemmas:
            lemma.prove()
        _proven.extend(lemmas)
    return list(_proven)
