"""libgcrypt's _gcry_ghash_armv8_ce_pmull for every block count: the case split over n
(bounded n <= 5, one induction over the 6-way loop per n mod 6) is proved on the code
as Debian ships it; loop, exit and single-block mutants are refuted at a concrete
block count and replayed; the split's coverage and the fold's grouping are checked."""
from __future__ import annotations

import random

import pytest
from patching import instruction_patch
from splits import assert_split_coverage

from lnsym.elf.image import load_image
from lnsym.terms.bv import concat, const
from proofs import registry
from proofs.contracts import ghash_every
from proofs.contracts.ghash import STANDARD, aggregated
from proofs.libgcrypt.ghash import GcryGhashUpdate
from proofs.libgcrypt.ghash_all import GcryGhashGroupLoop

GROUPING = GcryGhashUpdate.group


def covers_residue(r):
    return ghash_every.covers_residue(6, r)


def single_blocks_are_algorithm2(n):
    return ghash_every.single_blocks_are_algorithm2(GcryGhashUpdate(), n)

NAME = "_gcry_ghash_armv8_ce_pmull"
# (what, offset in the listing, listed word, mutant word, residue r, smallest n that differs)
MUTANTS = [
    ("6-way loop counter: sub x3, x3, #6 -> #7 (the block after the loop is dropped)",
     0xBC, 0xD1001863, 0xD1001C63, 1, 13),
    ("6-way loop pointer: ld1 {v3-v5}, [x2], #48 -> [x2] (no write-back)",
     0xF0, 0x4CDF6043, 0x4C406043, 0, 12),
    ("6-way loop exit: b.hs -> b.hi (6 blocks left go one at a time)",
     0x1D4, 0x54FFF502, 0x54FFF508, 0, 18),
    ("single-block tail: pmull v1, v19, v0 -> pmull2", 0x3EC, 0x0EE0E261, 0x4EE0E261, 1, 7),
    ("last group's reduction, before the finish's cut: pmull v25, v2, v18 -> pmull2",
     0x338, 0x0EF2E059, 0x4EF2E059, 1, 7),
]


def test_every_block_count_proved(libgcrypt_lib):
    [selected] = registry.select([NAME])
    assert selected == f"{NAME}/all" and selected in registry.names()
    report = registry.make(selected).check()
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert report.name == f"{NAME} (every block count, 1 ≤ n < 2^58)"
    by_case = {}
    for r in report.results:                # "[case label] obligation" -> {label: [names]}
        label, _, rest = r.name.partition("] ")
        by_case.setdefault(label.lstrip("[") if rest else "", []).append(rest or r.name)
    assert by_case[""][0] == "cases: every 1 ≤ n < 2^58 is covered by a case"
    assert {f"n = {n}" for n in range(1, 6)} < by_case.keys()
    for r in range(6):                      # each residue: step, exit after the loop, num = 0
        rows = by_case[f"n = 6·(num + 1) + {r}, 0 ≤ num < 2^56"]
        assert "step: k + 1 < num takes the back edge" in rows
        assert {row.split(":")[0] for row in rows} >= {"base", "step", "exit", "zero"}
        assert any(row.startswith("exit: after the loop: Xi <- aggregated") for row in rows)
    derived = {row.split(":")[0] for row in by_case[""][1:]}
    assert derived == {"group identity", *(f"{n} block(s)" for n in range(1, 6)),
                       f"{STANDARD} for every 1 ≤ n < 2^58, when P_m = H^m (m = 2..6)"}
    assert report.status == "proved"        # every derived row too
    groups = [row for row in by_case[""] if row.startswith("group identity")]
    assert len(groups) == 1 and "over 6 blocks" in groups[0]    # then single blocks
    assert any(t.startswith("case split over the block count n") for t in report.trusted_base)
    assert any("P2..P6 at H^2..H^6" in t for t in report.trusted_base)
    assert any(t.startswith("cut after the loop at +0x378") for t in report.trusted_base)


@pytest.mark.parametrize("what,off,old,new,residue,blocks", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_refuted_by_the_induction(libgcrypt_lib, what, off, old, new, residue, blocks):
    """Each mutant leaves its residue's induction unproved; the bounded search finds
    the smallest block count of that residue that shows it, replayed concretely."""
    proof = GcryGhashGroupLoop(all_lengths=True, tail_blocks=residue)
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    assert (report.status, report.counterexample_blocks) == ("refuted", blocks), report.replay
    assert proof.confirmed is True
    assert {r.name.split(":")[0] for r in report.failed} & {"base", "step", "exit", "zero"}
    assert f"counterexample at num = {(blocks - residue) // 6 - 1} ({blocks} blocks)" \
        in report.replay
    assert "confirmed: the outputs differ" in report.replay


def test_case_split_coverage_checked():
    """z3 checks the split: dropping a case leaves a length uncovered, named."""
    assert_split_coverage(5, 6, covers_residue, dropped=4)


@pytest.mark.parametrize("residue", [0, 5])
def test_fold_is_the_code_grouping(libgcrypt_lib, residue):
    """The trusted-base line 'the grouping over 6q + r blocks is q - 1 six-block steps,
    then the grouping over the last 6 + r': the induction's fold, run for num = 0..2,
    builds the very terms ``aggregated(·, (6, 1))`` builds over the same blocks."""
    proof = GcryGhashGroupLoop(all_lengths=True, tail_blocks=residue)
    stmt = proof.fold_statement(load_image(proof.object_spec()))
    rng = random.Random(residue)
    for num in range(3):
        data = [const(rng.getrandbits(8), 8) for _ in range(96 * num + stmt.tail_bytes)]
        fold = stmt.seed
        for k in range(num):
            fold = stmt.step(fold, data[96 * k:96 * k + 96])
        blocks = [concat(*data[i:i + 16]) for i in range(0, len(data), 16)]
        assert len(blocks) == 6 * (num + 1) + residue
        assert stmt.finish(fold, data[96 * num:])[0] is aggregated(proof.powers(), blocks,
                                                                   proof.X0, GROUPING)


def test_single_blocks_row_checks_the_terms():
    """Below 6 blocks the grouping is Algorithm 2's own term; at 6 it is not (a chunk)."""
    assert single_blocks_are_algorithm2(5).status == "proved"
    assert single_blocks_are_algorithm2(6).status == "stuck"


def test_bounded_instances_stay_available():
    assert registry.select([f"{NAME}/6"]) == [f"{NAME}/6"]
    assert f"{NAME}/6" not in registry.names()
    case = GcryGhashGroupLoop(all_lengths=True, tail_blocks=3)
    assert case.bounded_params(2) == {"all_lengths": False, "tail_blocks": 3, "blocks": 21}
    assert case.blocks == 6 and GcryGhashGroupLoop(blocks=8).blocks == 8


def test_a_wrong_form_at_the_finish_cut_is_not_proved(libgcrypt_lib):
    """The cut's form of the running value is checked, never assumed: without the
    ``rbit`` of its bytes, the cut obligation fails and the induction is not proved."""
    class WrongForm(GcryGhashGroupLoop):
        def fold_statement(self, image):
            stmt = super().fold_statement(image)
            stmt.finish_cut.form = lambda fold: {"v0": fold[0]}
            return stmt
    report = WrongForm(all_lengths=True, tail_blocks=1).check(replay=False)
    assert report.status != "proved"
    assert any("cut at" in r.name and "v0 = its form" in r.name for r in report.failed), \
        [(r.name, r.status) for r in report.failed]
