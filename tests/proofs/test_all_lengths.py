"""All-lengths proofs (induction over the loop, invariants derived): they pass on
the real code, and loop mutants -- a wrong counter, pointer increment, exit
condition or back-edge target -- are refuted at a concrete block count whose
bounded proof is refuted and replayed by a concrete run.

Every mutant here keeps the routine's bounded 1-block behaviour except where
noted, so a fixed-block-count proof could miss it."""
from __future__ import annotations

import pytest
from patching import (
    instruction_patch,
    refuted_loop_mutant,
    swap_patch,
    write_patched_member,
)

from lnsym.cli.main import main
from lnsym.elf.image import load_image
from lnsym.proof.loops import NUM
from lnsym.terms.bv import add, concat, const, mul, neg, var
from proofs import registry
from proofs.sha256_block_armv8 import Sha256BlockArmv8

pytestmark = pytest.mark.openssl


def tbnz(rt: int, bit: int, frm: int, to: int) -> int:
    """``tbnz w<rt>, #bit, to`` placed at offset ``frm``."""
    imm = ((to - frm) // 4) & 0x3FFF
    return 0x37000000 | ((bit >> 5) << 31) | ((bit & 31) << 19) | (imm << 5) | rt


# (routine, what, offset, listed word, mutant word, smallest block count that differs)
LOOP_MUTANTS = [
    ("sha256", "exit: cbnz x2 -> tbnz w2, #0 (right for 1 and 2 blocks)",
     0x1DC, 0xB5FFF1A2, tbnz(2, 0, 0x1DC, 0x10), 3),
    ("sha256", "pointer: ld1 {v4-v7}, [x1], #64 -> [x1], x2",
     0x10, 0x4CDF2024, 0x4CC22024, 2),
    ("sha256", "pointer: ld1 {v4-v7}, [x1], #64 -> [x1] (no write-back)",
     0x10, 0x4CDF2024, 0x4C402024, 2),
    ("sha256", "counter: sub x2, x2, #1 -> #2", 0x14, 0xD1000442, 0xD1000842, 2),
    ("sha256", "K pointer: sub x3, x3, #0xf0 -> #0xe0 (drifts per block)",
     0x1B4, 0xD103C063, 0xD1038063, 2),
    ("sha256", "back edge: cbnz x2 to the head + 4 (the block is not reloaded)",
     0x1DC, 0xB5FFF1A2, 0xB5FFF1C2, 2),
    # SHA-512 loads block k + 1 while compressing block k (the last one reloads itself)
    ("sha512", "exit: cbnz x2 -> tbnz w2, #0", 0x7D0, 0xB5FFC382, tbnz(2, 0, 0x7D0, 0x40), 3),
    ("sha512", "counter: subs x2, x2, #1 -> #2", 0x44, 0xF1000442, 0xF1000842, 2),
    ("sha512", "pointer: csel x1, x1, x4, ne -> eq (the current block again)",
     0x5C, 0x9A841021, 0x9A840021, 2),
    ("sha512", "pointer: ld1 {v16.16b}, [x1], #16 -> [x1] (no write-back)",
     0x668, 0x4CDF7030, 0x4C407030, 2),
    ("sha512", "K pointer: sub x3, x3, #0x280 -> #0x270", 0x794, 0xD10A0063, 0xD109C063, 2),
    ("sha512", "back edge: cbnz x2 to the head + 4 (K[0] not reloaded)",
     0x7D0, 0xB5FFC382, 0xB5FFC3A2, 2),
    # SHA-1
    ("sha1", "exit: cbnz x2 -> tbnz w2, #0", 0x1B4, 0xB5FFF362, tbnz(2, 0, 0x1B4, 0x20), 3),
    ("sha1", "pointer: ld1 {v4-v7}, [x1], #64 -> [x1], x2", 0x20, 0x4CDF2024, 0x4CC22024, 2),
    ("sha1", "pointer: ld1 {v4-v7}, [x1], #64 -> [x1] (no write-back)",
     0x20, 0x4CDF2024, 0x4C402024, 2),
    ("sha1", "counter: sub x2, x2, #1 -> #2", 0x24, 0xD1000442, 0xD1000842, 2),
    ("sha1", "back edge: cbnz x2 to the head + 4 (the block is not reloaded)",
     0x1B4, 0xB5FFF362, 0xB5FFF382, 2),
]


def _proof(routine: str):
    return registry.make(f"{routine}_block_armv8/all")


@pytest.mark.parametrize("routine", ["sha256", "sha512", "sha1"])
def test_all_lengths_proved(openssl_lib, routine):
    proof = _proof(routine)
    report = proof.check()
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert "all num, 1 ≤ num < 2^58" in report.name
    phases = {r.name.split(":")[0] for r in report.results}
    assert phases == {"base", "step", "exit"}
    names = [r.name for r in report.results]
    assert "step: k + 1 < num takes the back edge" in names
    assert any(n.startswith("step: running") for n in names)
    assert any(n.startswith("exit: frame:") for n in names)
    assert any(line.startswith("induction over the loop iterations") for line in
               report.trusted_base)
    assert any("1 ≤ num < 2^58" in line for line in report.trusted_base)


def _mutant_param(entry):
    routine, what, *_ = entry
    return pytest.param(*entry, id=f"{routine}: {what}")


@pytest.mark.parametrize("routine,what,off,old,new,blocks",
                         [_mutant_param(m) for m in LOOP_MUTANTS])
def test_loop_mutant_refuted_and_replayed(openssl_lib, routine, what, off, old, new, blocks):
    report = refuted_loop_mutant(_proof(routine), off, old, new, blocks)
    assert "WARNING" not in report.replay


def test_tbnz_counterexample_confirmed_under_qemu(openssl_lib, qemu):
    """Issue 11: the all-lengths refutation's counterexample (3 blocks) is run under
    QEMU too, and QEMU shows the same difference from the spec as lnsym's run."""
    proof = _proof("sha256")
    image = load_image(proof.object_spec())
    routine, what, off, old, new, blocks = LOOP_MUTANTS[0]
    assert (routine, blocks) == ("sha256", 3) and what.startswith("exit: cbnz x2 -> tbnz")
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    assert report.status == "refuted" and report.counterexample_blocks == 3, report.replay
    assert "QEMU replay (" in report.replay and "confirmed under QEMU: the outputs differ" \
        in report.replay, report.replay
    assert "WARNING" not in report.replay
    assert proof.qemu_confirmed is True


def test_equivalent_loop_mutant_still_proved(openssl_lib):
    proof = _proof("sha256")
    image = load_image(proof.object_spec())
    report = proof.check(patches=swap_patch(proof, image, 0x1C, 0x20))   # rev32 v4 / v5
    assert report.listing_diffs
    assert report.status == "proved", [(r.name, r.detail) for r in report.failed]


def test_cli_refutes_the_tbnz_object(openssl_lib, tmp_path, capsys):
    """The issue's new-user run: the tbnz object, reported PROVED at 1 and 2 blocks,
    is refuted by the default (all-lengths) statement."""
    obj = write_patched_member(openssl_lib, "libcrypto-lib-sha256-armv8.o",
                               "sha256_block_armv8", {0x1DC: tbnz(2, 0, 0x1DC, 0x10)},
                               tmp_path / "sha256-tbnz.o")
    assert main(["prove", "sha256_block_armv8", "--object", str(obj), "--blocks", "2"]) == 0
    capsys.readouterr()
    assert main(["prove", "sha256_block_armv8", "--object", str(obj)]) == 1
    out = capsys.readouterr().out
    assert "sha256_block_armv8 (all num, 1 ≤ num < 2^58)" in out and "REFUTED" in out
    assert "counterexample at num = 3 block(s)" in out
    assert "confirmed: the outputs differ" in out


class HandInvariantSha256(Sha256BlockArmv8):
    """The documented way to supply an invariant: ``FoldStatement.invariant`` gives
    the head state after k iterations for the locations it names."""
    stride = 64

    def fold_statement(self, image):
        stmt = super().fold_statement(image)

        def invariant(k, H, block):
            return {"v0": concat(H[3], H[2], H[1], H[0]), "v1": concat(H[7], H[6], H[5], H[4]),
                    "x1": add(var("inp", 64), mul(const(self.stride, 64), k)),
                    "x2": add(NUM, neg(k))}
        stmt.invariant = invariant
        return stmt


def test_supplied_invariant_checked(openssl_lib):
    report = HandInvariantSha256(all_lengths=True).check()
    assert report.status == "proved", [(r.name, r.detail) for r in report.failed]
    assert any(r.name == "step: running x1[31:0]" for r in report.results)


def test_wrong_supplied_invariant_is_stuck_not_proved(openssl_lib):
    class Wrong(HandInvariantSha256):
        stride = 32             # x1 advances by 64, not 32
    report = Wrong(all_lengths=True).check()
    assert report.status == "stuck"
    bad = {r.name.split(":")[0] for r in report.results if r.status != "proved"}
    assert "step" in bad and "base" not in bad
    assert "step not proved" in report.replay.splitlines()[0]
    assert "generalised state at the loop head" in report.replay
    assert "x1    = (inp + (0x20:64 * k))" in report.replay
