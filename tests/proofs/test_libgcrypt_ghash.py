"""libgcrypt's 6-way GHASH update: from the aggregated form over free P2..P6 to
SP 800-38D Algorithm 2 (``table_aggregate_is_ghash``), in the free ring and on the
routine proof itself.  The mutants of the routine are in test_libgcrypt_proofs.py."""
from __future__ import annotations

import pytest

from lnsym.prover import ring
from lnsym.terms.bv import var
from proofs import registry
from proofs.contracts.ghash import aggregated, chunk_sizes, grouped
from proofs.ghash_algebra import ring_power, table_aggregate_is_ghash
from proofs.specs import ghash

GROUP = (6, 1)                          # libgcrypt: chunks of 6 while 6 remain, then 1


def ring_inputs(n):
    H, Y = ring.ring_var("H"), ring.ring_var("Y")
    return H, Y, [ring.ring_var(f"X{k}") for k in range(1, n + 1)]


@pytest.mark.parametrize("n", [6, 7, 12, 13])
def test_six_way_grouping_is_algorithm2_in_the_free_ring(n):
    H, Y, X = ring_inputs(n)
    powers = [ring_power(H, m) for m in range(1, 7)]
    assert max(chunk_sizes(n, GROUP)) == 6
    agg = aggregated(powers, X, Y, GROUP, ring.FREE)
    assert ring.same_polynomial(agg, ghash.ghash(H, X, Y, ring.FREE))


def test_powers_out_of_order_differ_in_the_free_ring():
    """A table with H^5 and H^6 swapped (the order the code reads them) is caught."""
    H, Y, X = ring_inputs(6)
    P = [ring_power(H, m) for m in range(1, 7)]
    swapped = P[:4] + [P[5], P[4]]
    agg = aggregated(swapped, X, Y, GROUP, ring.FREE)
    assert not ring.same_polynomial(agg, ghash.ghash(H, X, Y, ring.FREE))


def free_table(n):
    H, Y = var("H", 128), var("X0", 128)
    P = [var(f"P{m}", 128) for m in range(2, 7)]
    X = [var(f"X{k}", 128) for k in range(1, n + 1)]
    return H, Y, P, X


def test_derivation_refuses_a_term_that_is_not_the_aggregated_form():
    """The step checks the very term the routine proof closed with: another grouping's
    term (chunks of 3) is not it, and nothing is derived."""
    H, Y, P, X = free_table(6)
    other = aggregated([H, *P], X, Y, 3)
    holds, method, detail = table_aggregate_is_ghash(other, H, Y, X, P, grouped(GROUP))
    assert (holds, method) == (False, "ring")
    assert "not the interpretation" in detail


def test_derivation_refuses_powers_used_out_of_order():
    """A code that multiplies by its table's 6th entry where the 5th belongs: its
    aggregated form is proved against the free table all the same, but at P_m = H^m
    the ring normal forms differ, so Algorithm 2 is not derived."""
    H, Y, P, X = free_table(6)

    def out_of_order(powers, blocks, Y, field=ghash.GF128):
        return aggregated([*powers[:4], powers[5], powers[4]], blocks, Y, GROUP, field)
    proven = out_of_order([H, *P], X, Y)
    holds, method, detail = table_aggregate_is_ghash(proven, H, Y, X, P, out_of_order)
    assert (holds, method) == (False, "ring")
    assert "normal forms differ" in detail


@pytest.mark.parametrize("name", ["_gcry_ghash_armv8_ce_pmull/6", "_gcry_ghash_armv8_ce_pmull/7"])
def test_six_way_update_alone_derives_algorithm2(libgcrypt_lib, name):
    report = registry.make(name).check()
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    derived = [r for r in report.results if "Algorithm 2" in r.name]
    assert len(derived) == 1 and derived[0].status == "proved"
    assert derived[0].method == "ring+field-laws"
    assert "P_m = H^m (m = 2..6)" in derived[0].name
    assert any("P2..P6 at H^2..H^6" in t for t in report.trusted_base)


def test_below_six_blocks_no_derivation_is_needed(libgcrypt_lib):
    """One block at a time is Algorithm 2 itself: no corollary row."""
    report = registry.make("_gcry_ghash_armv8_ce_pmull/2").check()
    assert report.status == "proved"
    assert not any("Algorithm 2" in r.name for r in report.results)
