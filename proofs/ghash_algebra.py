"""From OpenSSL's aggregated GHASH to SP 800-38D Algorithm 2, by algebra.

The GHASH routine proofs close, at the bit level, with the *aggregated* form
the code computes: (Y ⊕ X1)•P2 ⊕ X2•P1 and so on, P_m the values in the table
(``ghash_htable.ghash_aggregated``).  This module derives the standard's
statement from that one:

1. **instantiation**: the routine proof holds for every P2, P3, P4 (they are
   free variables), so in particular for P_m = H^m as ``ghash_htable.powers``
   defines them -- the values gcm_init_v8 stores (proof gcm_init_v8);
2. **algebra**: ``ghash_aggregated([H, H^2, H^3, H^4], X, Y)`` and
   ``ghash.ghash(H, X, Y)`` are run in the free commutative ring of
   characteristic 2 (``lnsym.prover.ring``: the spec functions take the field
   as an argument) and have the same normal form, so they are equal in every
   such ring;
3. **the ring is GF(2^128)**: XOR and ``gf128_mul`` satisfy the ring laws
   (proofs/gf128_field.py, proven lemmas);
4. **the terms are the interpretations**: the 128-bit terms the routine proof
   used, and Algorithm 2's term, are checked to be *the same terms* as the ring
   expressions interpreted with XOR and ``gf128_mul``.

``aggregated_is_ghash`` is OpenSSL's case (P2..P4, ``ghash_htable``'s grouping or
the kernels'); ``table_aggregate_is_ghash`` takes any table P2..Pm and any grouping
(libgcrypt's 6-way update: P2..P6, chunks of 6 then single blocks).
"""
from __future__ import annotations

import time

from lnsym.prover import ring
from proofs.gf128_field import LINEAR_ALGEBRA_STEP, prove_field_laws
from proofs.specs import ghash
from proofs.specs.ghash_htable import ghash_aggregated, powers

__all__ = ["TRUSTED", "aggregated_is_ghash", "products_are_powers", "ring_power",
           "table_aggregate_is_ghash"]

TRUSTED = ("ring normal form (lnsym/prover/ring.py): polynomials equal in the free "
           "commutative ring of characteristic 2 are equal in every such ring",
           "ring laws of XOR and gf128_mul: proven lemmas (proofs/gf128_field.py, GF(2) "
           "normal form); " + LINEAR_ALGEBRA_STEP)


def _ring_inputs(n: int):
    H, Y = ring.ring_var("H"), ring.ring_var("Y")
    return H, Y, [ring.ring_var(f"X{k}") for k in range(1, n + 1)]


def aggregated_is_ghash(proven, H, Y, blocks: list, table_powers=None,
                        aggregate=ghash_aggregated) -> tuple:
    """(holds, method, detail): ``proven`` -- the term a routine proof closed with,
    ``ghash_aggregated(P, blocks, Y)`` with P = [H, *table_powers] (free 128-bit
    variables) -- equals ``ghash.ghash(H, blocks, Y)`` at P_m = H^m.

    ``table_powers`` None means the aggregated form was stated directly with
    ``powers(H)`` (no instantiation step).  ``aggregate`` is the grouping of the
    code (``ghash_aggregated``'s signature; the AES-GCM kernels group differently)."""
    if table_powers is None:
        return table_aggregate_is_ghash(proven, H, Y, blocks, list(powers(H)), aggregate,
                                        ring_powers=lambda Hr: list(powers(Hr, ring.FREE)))
    return table_aggregate_is_ghash(proven, H, Y, blocks, list(table_powers), aggregate)


def ring_power(Hr, m: int):
    """H^m in the free ring (m >= 1; the association does not matter to the normal form)."""
    acc = Hr
    for _ in range(m - 1):
        acc = ring.mul(acc, Hr)
    return acc


def products_are_powers(products, H, first: int = 2) -> tuple:
    """(holds, method, detail): the values ``products(H, field)`` returns (a key
    schedule's table, computed as the code associates it) are H^first, H^(first+1), ..:
    the terms are the interpretations of the free-ring run, each with the normal
    form of H^m, and the field laws hold."""
    Hr = ring.ring_var("H")
    code = products(Hr, ring.FREE)
    if any(ring.interpret(e, {"H": H}, ghash.GF128) is not t for e, t in zip(code, products(H))):
        return False, "ring", "the stored terms are not the ring expressions' interpretations"
    wrong = [m for m, e in enumerate(code, first)
             if not ring.same_polynomial(e, ring_power(Hr, m))]
    if wrong:
        return False, "ring", f"not H^m for m = {wrong}"
    laws = "; ".join(f"{lemma.name} {lemma.how}" for lemma in prove_field_laws())
    return True, "ring+field-laws", f"H^{first}..H^{first + len(code) - 1}; {laws}"


def table_aggregate_is_ghash(proven, H, Y, blocks: list, table_powers: list, aggregate,
                             ring_powers=None) -> tuple:
    """The general step: any table P2..Pm and any grouping.

    ``proven`` is the term a routine proof closed with, ``aggregate([H, *table_powers],
    blocks, Y)`` (``aggregate(powers, blocks, Y, field)``, powers[0] = P1 = H).  With
    ``ring_powers`` None the P_k are free variables of the proof, instantiated at
    P_k = H^k; otherwise ``ring_powers(H)`` gives the ring expressions the terms
    ``table_powers`` are (e.g. H^2 built as H•H).  Returns (holds, method, detail):
    whether ``proven`` equals ``ghash.ghash(H, blocks, Y)``, SP 800-38D Algorithm 2."""
    t0 = time.perf_counter()
    Hr, Yr, Xr = _ring_inputs(len(blocks))
    env = {"H": H, "Y": Y, **{f"X{k}": b for k, b in enumerate(blocks, 1)}}
    names = [f"P{m}" for m in range(2, len(table_powers) + 2)]
    if ring_powers is None:                           # step 4 for the proven term
        env.update(zip(names, table_powers))
        stated_powers = [ring.ring_var(n) for n in names]
        instance = [ring_power(Hr, m) for m in range(2, len(table_powers) + 2)]
    else:
        stated_powers = instance = list(ring_powers(Hr))
    stated = aggregate([Hr, *stated_powers], Xr, Yr, ring.FREE)
    want = aggregate([H, *table_powers], blocks, Y)
    if want is not proven or ring.interpret(stated, env, ghash.GF128) is not want:
        return False, "ring", "the proven term is not the interpretation of the ring expression"
    standard = ghash.ghash(Hr, Xr, Yr, ring.FREE)
    if ring.interpret(standard, env, ghash.GF128) is not ghash.ghash(H, blocks, Y):
        return False, "ring", "Algorithm 2's term is not the interpretation of the ring expression"
    aggregated = aggregate([Hr, *instance], Xr, Yr, ring.FREE)                    # step 1
    if not ring.same_polynomial(aggregated, standard):                               # step 2
        diff = ring.show_poly(aggregated.poly ^ standard.poly)
        return False, "ring", f"normal forms differ by {diff}"
    laws = prove_field_laws()                                                        # step 3
    how = "; ".join(f"{lemma.name} {lemma.how}" for lemma in laws)
    return True, "ring+field-laws", (f"{len(standard.poly)} monomials, {time.perf_counter() - t0:.1f}s; "
                                     f"{how}")
