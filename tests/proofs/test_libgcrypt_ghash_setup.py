"""libgcrypt's _gcry_ghash_setup_armv8_ce_pmull alone: key and all 80 table bytes
proved on the code as Debian ships it, the table derived to be H^2..H^6; the
adversarial review's mutant (the last store puts H^4, H^5 where H^5, H^6 belong)
and three more are refuted with a counterexample a concrete run confirms.  Then
the setup composed with the update for every block count, and the review's
mutant refuting that composed row."""
from __future__ import annotations

import pytest
from patching import instruction_patch

from lnsym.elf.image import load_image
from lnsym.prover import ring
from lnsym.terms.bv import var
from proofs import registry
from proofs.libgcrypt.ghash_setup import (
    TABLE_IS_POWERS,
    code_powers,
    entry_name,
    setup_table_is_update_table,
)
from proofs.specs import ghash

NAME = "_gcry_ghash_setup_armv8_ce_pmull"
KEY = "key <- rbit(H)"
# (what, offset in the listing, listed word, mutant word, outputs that must be refuted)
MUTANTS = [
    ("last store: st1 {v23, v24} -> st1 {v22, v23} (H^4, H^5 where H^5, H^6 belong)",
     0x174, 0x4C00A037, 0x4C00A036, {entry_name(3), entry_name(4)}),
    ("H^6: pmull v1, v21.1d, v21.1d -> v21.1d, v20.1d (low halves of H^3 and H^2)",
     0x130, 0x0EF5E2A1, 0x0EF4E2A1, {entry_name(4)}),
    ("H^6's last reduction by v19 (H) instead of the constant v18",
     0x168, 0x0EF2E059, 0x0EF3E059, {entry_name(4)}),
    ("rbit of H -> orr (the key kept in the standard's bit order)",
     0x10, 0x6E605A73, 0x4EB31E73, {KEY, *map(entry_name, range(5))}),
]


def test_setup_proved_and_table_derived(libgcrypt_lib):
    assert NAME in registry.select([NAME]) and NAME in registry.names()
    report = registry.make(NAME).check()
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert report.listing_diffs == [] and report.unstated == []
    by_name = {r.name: r for r in report.results}
    assert by_name[KEY].status == "proved"
    for k in range(5):                                  # all 80 table bytes stated
        assert by_name[entry_name(k)].method == "gf2-anf"
    assert by_name[TABLE_IS_POWERS].method == "ring+field-laws"


def test_code_association_is_powers_and_a_wrong_one_is_not():
    """The ring step behind the derived row: the code's products are H^2..H^6 in the free
    ring; H^2•H^2 in the last entry would not be H^6."""
    Hr = ring.ring_var("H")
    code = code_powers(Hr, ring.FREE)
    assert all(ring.same_polynomial(e, ring.mul(Hr, Hr) if m == 2 else
                                    ring.mul(code[m - 3], Hr)) for m, e in enumerate(code, 2))
    assert not ring.same_polynomial(code[4], ring.mul(code[0], code[0]))
    H = var("H", 128)
    assert code_powers(H)[4] is ghash.gf128_mul(code_powers(H)[1], code_powers(H)[1])


@pytest.mark.parametrize("what,off,old,new,refuted", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_setup_mutant_refuted_and_replayed(libgcrypt_lib, what, off, old, new, refuted):
    proof = registry.make(NAME)
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    assert [d[0] for d in report.listing_diffs] == [off]
    assert report.status == "refuted", [(r.name, r.status, r.method) for r in report.results]
    outputs = {r.name: r.status for r in report.results if r.name == KEY or
               r.name.startswith("table[")}
    assert {n for n, s in outputs.items() if s == "refuted"} == refuted
    assert all(s == "proved" for n, s in outputs.items() if n not in refuted)
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert "WARNING" not in report.replay, report.replay


def test_the_tie_compares_terms():
    """The composition's tie is a real comparison: the update's table at the powers in
    another order is not what the setup stores."""
    assert setup_table_is_update_table().status == "proved"
    swapped = lambda H: [code_powers(H)[k] for k in (0, 1, 2, 4, 3)]
    assert setup_table_is_update_table(swapped).status == "stuck"


COMPOSED = "_gcry_ghash_setup+update_armv8_ce_pmull"


def test_setup_then_update_every_block_count(libgcrypt_lib):
    [selected] = registry.select([COMPOSED])
    assert selected == f"{COMPOSED}/all" and selected in registry.names()
    report = registry.make(selected).check(replay=False)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert report.listing_diffs == []
    names = [r.name for r in report.results]
    assert f"[{NAME}] {TABLE_IS_POWERS}" in names
    assert any(n.startswith("composition: ") for n in names)
    assert names[-1].endswith(f"H the key {NAME} was given")


def test_adversarial_store_mutant_refutes_the_composition(libgcrypt_lib):
    """The review's mutant left every GHASH row PROVED; the composed every-n row is
    REFUTED by it (through the setup's proof), with a confirmed replay."""
    proof = registry.make(f"{COMPOSED}/all")
    image = load_image(proof.object_spec())
    _what, off, old, new, _ = MUTANTS[0]
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    assert report.status == "refuted"
    assert f"case {NAME}:" in report.replay and "confirmed: the outputs differ" in report.replay
