"""The GF(2) rung over opaque leaves (lnsym.prover.opaque): a carry-less identity
about S-box lookups and sums is proved by treating them as variables, the same
variable for the same subterm on both sides; a false identity is never proved."""
from __future__ import annotations

from lnsym.prover import gf2
from lnsym.prover.gf2linear import LinearNormaliser
from lnsym.prover.opaque import Generaliser, has_clmul, prove_over_opaque_leaves
from lnsym.terms.bv import add, clmul, concat, extract, lookup, var, xor

SBOX = tuple((7 * x + 3) % 256 for x in range(256))
A, B, K = var("a", 8), var("b", 8), var("k", 64)


def _leafy(x, y):
    """A 64-bit block of S-box lookups and a sum: nothing the GF(2) form covers."""
    return concat(lookup(SBOX, x, 8), lookup(SBOX, y, 8), add(x, y), *(lookup(SBOX, x ^ y, 8),) * 5)


def _prove(impl, spec):
    return prove_over_opaque_leaves(impl, spec, LinearNormaliser(), Generaliser(), gf2.GF2())


def test_linearity_of_clmul_over_opaque_blocks():
    c1, c2 = _leafy(A, B), _leafy(B, A)
    impl = clmul(c1 ^ c2, K)                       # (C1 + C2) * K
    spec = xor(clmul(c1, K), clmul(c2, K))         # C1 * K + C2 * K
    assert not gf2.applicable(impl, spec)          # lookups and sums: the plain rung does not apply
    assert _prove(impl, spec)


def test_a_different_leaf_is_not_proved():
    c1, c2 = _leafy(A, B), _leafy(B, A)
    assert not _prove(clmul(c1, K), clmul(c2, K))
    assert not _prove(clmul(c1, K), clmul(c1, K ^ concat(var("z", 8), extract(K, 55, 0))))


def test_needs_a_carry_less_product():
    c1 = _leafy(A, B)
    assert not has_clmul(c1 ^ c1, c1)
    assert not _prove(c1 ^ _leafy(B, A), _leafy(B, A) ^ c1 ^ c1 ^ c1)   # structural cases go elsewhere


def test_generaliser_maps_equal_subterms_to_one_variable():
    g = Generaliser()
    t = lookup(SBOX, A, 8)
    u = g(xor(concat(t, t), concat(B, B)))
    assert g(t) is g(t) and g(t).op == "var"
    assert g(lookup(SBOX, B, 8)) is not g(t)
    assert u.op != "lookup" and gf2.applicable(clmul(u, concat(A, A)))
