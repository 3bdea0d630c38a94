"""gcm_ghash_v8 (and gcm_init+ghash_v8) for every length 16·n: the case split over n
(bounded n <= 3, one induction over the 4x loop per n mod 4) is proved on the real
code; loop and tail mutants are refuted at a concrete block count, replayed; a split
that misses a length is refuted by its coverage check."""
from __future__ import annotations

import pytest
from patching import instruction_patch, write_patched_member
from splits import assert_split_coverage

from lnsym.cli.main import main
from lnsym.elf.image import load_image
from lnsym.proof.cases import coverage
from lnsym.terms.bv import const
from proofs import registry
from proofs.gcm_ghash_v8_all import GhashGroupLoop, covers_residue

# (what, offset in gcm_ghash_v8's listing, listed word, mutant word, residue r of the
#  induction that meets it, smallest block count that differs)
MUTANTS = [
    ("4x loop counter: subs x3, x3, #0x40 -> #0x80", 0x2B0, 0xF1010063, 0xF1020063, 0, 12),
    ("4x loop pointer: ld1 {v4-v7}, [x2], #64 -> [x2] (no write-back)",
     0x1F4, 0x4CDF2C44, 0x4C402C44, 0, 12),
    ("4x loop exit: b.hs -> b.hi (one pass short when 64 bytes are left)",
     0x2B4, 0x54FFF9E2, 0x54FFF9E8, 0, 12),
    ("1-block tail: pmull v0, v20, v3 -> pmull2", 0x454, 0x0EE3E280, 0x4EE3E280, 1, 5),
    ("2-block tail: pmull v29, v20, v23 -> pmull2", 0x3D4, 0x0EF7E29D, 0x4EF7E29D, 2, 6),
    ("3-block tail: pmull v29, v20, v24 -> pmull2", 0x328, 0x0EF8E29D, 0x4EF8E29D, 3, 7),
    ("branch to the 4x path: b.hs to gcm_ghash_v8_4x + 4 (Xi not loaded)",
     0x04, 0x54000AE2, 0x54000B02, 0, 4),
    # before the finish's cut (lnsym.proof.finish_cut): the last group, and its reduction
    ("last group after the loop: pmull v0, v28, v3 -> pmull2", 0x2C0, 0x0EE3E380, 0x4EE3E380,
     1, 5),
    ("2-block path's reduction of the last group: pmull v0, v0, v19 -> pmull2",
     0x3C4, 0x0EF3E000, 0x4EF3E000, 2, 6),
]


@pytest.mark.openssl
@pytest.mark.parametrize("name", ["gcm_ghash_v8", "gcm_init+ghash_v8"])
def test_all_lengths_proved(openssl_lib, name):
    [selected] = registry.select([name])
    assert selected == f"{name}/all"
    report = registry.make(selected).check()
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert report.name == f"{name} (all lengths 16·n, 1 ≤ n < 2^58)"
    names = [r.name for r in report.results]
    assert names[0] == "cases: every 1 ≤ n < 2^58 is covered by a case"
    for r in range(4):
        label = f"[n = 4·(num + 1) + {r}, 0 ≤ num < 2^56]"
        assert f"{label} step: k + 1 < num takes the back edge" in names
        assert any(n.startswith(f"{label} exit: after the loop: Xi <- aggregated") for n in names)
        assert f"{label} zero: running v0[127:0]" in names      # num = 0 skips the loop
    assert any(n.startswith("[n = 3] ") for n in names)
    groups = [r for r in report.results if r.name.startswith("group identity")]
    assert len(groups) == 4 and all(r.status == "proved" for r in groups)
    every = [r for r in report.results if "for every 1 ≤ n < 2^58" in r.name]
    assert [r.status for r in every] == ["proved"]
    assert any(t.startswith("case split over the block count n") for t in report.trusted_base)
    assert any("induction over the groups" in t for t in report.trusted_base)
    if name == "gcm_init+ghash_v8":
        assert any(n.startswith("[gcm_init_v8] Htable[5]") for n in names)
        assert any(t.startswith("composition of the two proved calls") for t in
                   report.trusted_base)


@pytest.mark.openssl
@pytest.mark.parametrize("what,off,old,new,residue,blocks", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_refuted_by_the_induction(openssl_lib, what, off, old, new, residue, blocks):
    """Each mutant leaves the induction for its residue unproved, and the bounded
    search finds the smallest block count of that residue that shows it, replayed."""
    proof = GhashGroupLoop(all_lengths=True, tail_blocks=residue)
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    outcome = (report.status, report.counterexample_blocks, proof.confirmed)
    assert outcome == ("refuted", blocks, True), report.replay
    assert {r.name.split(":")[0] for r in report.failed} & {"base", "step", "exit"}
    num = (blocks - residue) // 4 - 1
    assert f"counterexample at num = {num} ({blocks} blocks)" in report.replay
    assert "confirmed: the outputs differ" in report.replay


@pytest.mark.openssl
def test_cli_refutes_a_tail_mutant_at_its_smallest_length(openssl_lib, tmp_path, capsys):
    """The default statement: the whole case split, refuted in the r = 1 induction, whose
    bounded search finds the smallest length, 5 blocks (num = 0: the loop is skipped)."""
    obj = write_patched_member(openssl_lib, "libcrypto-lib-ghashv8-armx.o", "gcm_ghash_v8",
                               {0x454: 0x4EE3E280}, tmp_path / "ghash-tail.o")
    assert main(["prove", "gcm_ghash_v8", "--object", str(obj), "--blocks", "4"]) == 0
    capsys.readouterr()
    assert main(["prove", "gcm_ghash_v8", "--object", str(obj)]) == 1
    out = capsys.readouterr().out
    assert "gcm_ghash_v8 (all lengths 16·n, 1 ≤ n < 2^58)" in out and "REFUTED" in out
    assert "case n = 4·(num + 1) + 1, 0 ≤ num < 2^56:" in out
    assert "counterexample at num = 0 (5 blocks)" in out
    assert "confirmed: the outputs differ" in out


def test_case_split_coverage_checked():
    """The split is checked by z3: dropping a case leaves a length uncovered, named."""
    cases = assert_split_coverage(3, 4, covers_residue, dropped=2)
    beyond = coverage(cases, 59)             # the inductions stop below 2^58 + 4
    assert beyond.status == "refuted"


def test_bounded_instances_stay_available():
    assert registry.select(["gcm_ghash_v8/3"]) == ["gcm_ghash_v8/3"]
    assert registry.make("gcm_ghash_v8/1", blocks=6).title() == "gcm_ghash_v8 (6 blocks)"
    assert "gcm_ghash_v8/all" in registry.names()
    assert "gcm_ghash_v8/1" not in registry.names()
    assert "gcm_init+ghash_v8/all" in registry.names()
    case = GhashGroupLoop(all_lengths=True, tail_blocks=3)
    assert case.bounded_params(2) == {"all_lengths": False, "tail_blocks": 3, "blocks": 15}


@pytest.mark.openssl
def test_exit_cut_needs_a_tail(openssl_lib):
    """``cut_at_exit`` starts the code after the loop from the invariant at num, whose
    block num is the tail's first block: without a tail it is refused (stuck), never
    proved on bytes outside the input."""
    from proofs.sha256_block_armv8 import Sha256BlockArmv8

    class CutSha256(Sha256BlockArmv8):
        def fold_statement(self, image):
            stmt = super().fold_statement(image)
            stmt.cut_at_exit = True
            return stmt
    report = CutSha256(all_lengths=True).check(replay=False)
    assert report.status == "stuck"
    assert any("needs a tail of at least one block" in r.detail for r in report.failed)
    assert not any(r.name.startswith("step") for r in report.failed)


@pytest.mark.openssl
@pytest.mark.parametrize("residue", range(4))
def test_fold_is_ghash_aggregated(openssl_lib, residue):
    """The trusted-base line 'ghash_aggregated over 4q + r blocks is q - 1 group steps,
    then ghash_aggregated over the last 4 + r': the induction's fold, run for num = 0,
    1 and 2, builds the very terms ghash_aggregated builds over the same blocks."""
    import random

    from lnsym.terms.bv import concat
    from proofs.specs.ghash_htable import ghash_aggregated
    proof = GhashGroupLoop(all_lengths=True, tail_blocks=residue)
    stmt = proof.fold_statement(load_image(proof.object_spec()))
    rng = random.Random(residue)
    for num in (0, 1, 2):
        data = [const(rng.getrandbits(8), 8) for _ in range(64 * num + stmt.tail_bytes)]
        fold = stmt.seed
        for k in range(num):
            fold = stmt.step(fold, data[64 * k:64 * k + 64])
        final = stmt.finish(fold, data[64 * num:])
        blocks = [concat(*data[i:i + 16]) for i in range(0, len(data), 16)]
        assert len(blocks) == 4 * (num + 1) + residue
        assert final[0] is ghash_aggregated([proof.H, *proof.P], blocks, proof.Xi)
