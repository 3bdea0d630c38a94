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
"""
from __future__ import annotations

import time

from lnsym.prover import ring
from proofs.gf128_field import LINEAR_ALGEBRA_STEP, prove_field_laws
from proofs.specs import ghash
from proofs.specs.ghash_htable import ghash_aggregated, powers

__all__ = ["aggregated_is_ghash", "TRUSTED"]

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
    t0 = time.perf_counter()
    n = len(blocks)
    Hr, Yr, Xr = _ring_inputs(n)
    env = {"H": H, "Y": Y, **{f"X{k}": b for k, b in enumerate(blocks, 1)}}
    Pr = [ring.ring_var(f"P{m}") for m in (2, 3, 4)]
    if table_powers is not None:                      # step 4 for the proven term
        env.update({f"P{m}": p for m, p in zip((2, 3, 4), table_powers)})
        stated = aggregate([Hr, *Pr], Xr, Yr, ring.FREE)
        want = aggregate([H, *table_powers], blocks, Y)
    else:
        stated = aggregate([Hr, *powers(Hr, ring.FREE)], Xr, Yr, ring.FREE)
        want = aggregate([H, *powers(H)], blocks, Y)
    if want is not proven or ring.interpret(stated, env, ghash.GF128) is not want:
        return False, "ring", "the proven term is not the interpretation of the ring expression"
    standard = ghash.ghash(Hr, Xr, Yr, ring.FREE)
    if ring.interpret(standard, env, ghash.GF128) is not ghash.ghash(H, blocks, Y):
        return False, "ring", "Algorithm 2's term is not the interpretation of the ring expression"
    aggregated = aggregate([Hr, *powers(Hr, ring.FREE)], Xr, Yr, ring.FREE)  # step 1
    if not ring.same_polynomial(aggregated, standard):                               # step 2
        diff = ring.show_poly(aggregated.poly ^ standard.poly)
        return False, "ring", f"normal forms differ by {diff}"
    laws = prove_field_laws()                                                        # step 3
    how = "; ".join(f"{lemma.name} {lemma.how}" for lemma in laws)
    return True, "ring+field-laws", (f"{len(standard.poly)} monomials, {time.perf_counter() - t0:.1f}s; "
                                     f"{how}")
