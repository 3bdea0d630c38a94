"""ChaCha20_ctr32's scalar path for every length (proofs/chacha20_all.py): proved under
counter + ⌈len/64⌉ ≤ 2^32 and OPENSSL_armcap_P = 0; refuted without the counter
precondition; loop and block mutants refuted at the smallest length that shows them
(a bounded proof) and replayed concretely and under QEMU; an equivalent mutant proved."""
from __future__ import annotations

import pytest
from patching import write_patched_member
from test_chacha20_no_wrap import _run  # the proof on the (patched) member

from lnsym.cli.main import main
from lnsym.terms.bv import const, ult
from proofs import registry
from proofs.chacha20_all import LEN, ChaCha20Ctr32AllLengths, phase_list

pytestmark = pytest.mark.openssl
NAME = "ChaCha20_ctr32/all"


def test_proved_for_every_length(openssl_lib):
    proof = registry.make(NAME)
    report = _run(proof, openssl_lib)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert "scalar path only: OPENSSL_armcap_P = 0" in report.name
    phases = {r.name.split(":")[0] for r in report.results}
    assert {"base (len < 192)", "base (len ≥ 192)", "step", "exit", "tail entry",
            "cases"} <= phases
    assert {f"tail r = {r}" for r in range(1, 64)} <= phases      # every partial last block
    # x28's increment stays carry-free only under the precondition: decided by z3
    x28 = next(r for r in report.results if r.name == "step: x28 at k + 1")
    assert x28.method.startswith("z3")
    methods = {r.method for r in report.results}
    assert not {"smt", "sweep"} & methods                        # ARX closes by sums
    assert "sums" in methods
    assert any("OPENSSL_armcap_P = 0" in t for t in report.trusted_base)
    assert any("preconditions on input values" in t and "ctr" in t for t in report.trusted_base)
    assert any(t.startswith("induction over the passes k") for t in report.trusted_base)


def test_default_row_is_every_length():
    assert NAME in registry.names()
    assert "ChaCha20_ctr32/40" not in registry.names()
    assert isinstance(registry.make("ChaCha20_ctr32/all"), ChaCha20Ctr32AllLengths)


def test_refuted_at_the_wrap_without_the_precondition(openssl_lib):
    """Without counter + ⌈len/64⌉ ≤ 2^32 the step's x28 + 1 may carry into nonce word
    n0: z3 refutes it, and the 65-byte bounded proof gives a counter of 2^32 − 1."""
    proof = ChaCha20Ctr32AllLengths(all_lengths=True, no_wrap=False)
    report = _run(proof, openssl_lib)
    assert report.status == "refuted"
    x28 = next(r for r in report.results if r.name == "step: x28 at k + 1")
    assert x28.status == "refuted"
    assert report.counterexample_length == 65
    cex = [r.counterexample for r in report.results
           if r.name.startswith("bounded len = 65") and r.counterexample]
    assert cex and cex[0]["ctr"] == 0xFFFFFFFF
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert "confirmed under QEMU: the outputs differ" in report.replay, report.replay


# (what, (offset, old word, new word), smallest length refuting it); offsets from ChaCha20_ctr32
MUTANTS = [
    ("rotation: ror w17, w17, #16 -> #17", (0x184, 0x13914231, 0x13914631), 1),
    ("quarter-round argument: add w5, w5, w9 -> w10", (0x100, 0x0B0900A5, 0x0B0A00A5), 1),
    ("block counter: add x28, x28, #1 -> #2", (0x2C0, 0x9100079C, 0x91000B9C), 65),
    ("tail: byte loop eor w10, w10, w11 -> orr", (0x354, 0x4A0B014A, 0x2A0B014A), 1),
    ("loop counter: subs x2, x2, #64 -> #65", (0x98, 0xF1010042, 0xF1010442), 2),
    ("input pointer: add x1, x1, #64 -> #56", (0x298, 0x91010021, 0x9100E021), 65),
    ("loop exit: b.hi -> b.eq", (0x2D4, 0x54FFEC08, 0x54FFEC00), 65),
]


@pytest.mark.parametrize("what,patch,length", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_refuted_at_the_smallest_length(what, patch, length, openssl_lib):
    proof = registry.make(NAME)
    report = _run(proof, openssl_lib, patch)
    assert [off for off, *_ in report.listing_diffs] == [patch[0]]
    assert_refuted_at(proof, report, length)


def assert_refuted_at(proof, report, length: int) -> None:
    """A phase of the every-length proof is not proved, and the bounded proof at
    ``length`` refutes it with a counterexample replayed concretely and under QEMU."""
    assert report.status == "refuted", report.replay
    induction = [r for r in report.results if not r.name.startswith("bounded")]
    assert any(r.status != "proved" for r in induction)
    assert report.counterexample_length == length
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert "confirmed under QEMU: the outputs differ" in report.replay, report.replay
    assert proof.confirmed is True


def test_equivalent_loop_exit_is_proved(openssl_lib):
    """b.hi -> b.ne after subs x2, x2, #64: the b.lo before it has left with a borrow,
    so 'not zero' is 'higher'.  Still PROVED: the induction does not reject a change
    that keeps the behaviour."""
    report = _run(registry.make(NAME), openssl_lib, (0x2D4, 0x54FFEC08, 0x54FFEC01))
    assert report.listing_diffs and report.status == "proved"


def test_failed_phases_in_words_and_lengths_to_try():
    tails = [f"tail r = {r}" for r in range(1, 20)]
    assert phase_list(["step", *tails]) == "step, tail r = 1, 2, 3, 4, 5, 6, 7, 8, ... (19 of 63)"
    lengths = ChaCha20Ctr32AllLengths.candidate_lengths
    assert lengths(["tail r = 7"]) == [7]
    assert lengths(["step"]) == [65, 128]
    assert lengths(["exit", "tail entry"]) == [1, 2, 64]


def test_cli_refutes_a_counter_mutant_proved_at_one_block(openssl_lib, tmp_path, capsys):
    """The block-counter mutant is PROVED at 64 bytes (one block, no increment used);
    the default row, every length, refutes it at 65 bytes with exit status 1."""
    obj = write_patched_member(openssl_lib, "libcrypto-lib-chacha-armv8.o", "ChaCha20_ctr32",
                               {0x2C0: 0x91000B9C}, tmp_path / "chacha-ctr2.o")
    assert main(["prove", "ChaCha20_ctr32/64", "--object", str(obj), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["prove", "ChaCha20_ctr32", "--object", str(obj), "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "scalar path only: OPENSSL_armcap_P = 0" in out and "REFUTED" in out
    assert "counterexample at len = 65 bytes" in out
    assert "confirmed: the outputs differ" in out


class Contradictory(ChaCha20Ctr32AllLengths):
    """A statement whose facts exclude every input (len ≥ 1 and len < 1)."""

    def facts(self) -> list:
        return [*super().facts(), ult(LEN, const(1, 64))]


def test_contradictory_facts_prove_nothing(openssl_lib):
    """z3 under contradictory hypotheses would prove every side condition: the proof
    refuses to run them (adversarial review of the all-lengths inductions)."""
    report = Contradictory(all_lengths=True).check(f"{openssl_lib}:{Contradictory.member}",
                                                   replay=False)
    assert report.status != "proved"
    assert any("not satisfiable" in r.detail for r in report.failed)
