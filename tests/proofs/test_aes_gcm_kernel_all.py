"""aes_gcm_{dec,enc}_128_kernel for every length 16·n: the case split (bounded n <= 4, one
induction over the main loop per tail t = 1..4) is proved on the real code with the
output as a stream and the counter advanced by 4 a pass; loop mutants (the counter
stride, the output pointer's increment, the exit condition, a lane order of a store)
and a tail mutant are refuted at a concrete block count and replayed; the split's
coverage is checked by z3.  (A mutant of the input pointer makes the bounded
instances' signed pointer tests undecided: an error there, not a refutation.)"""
from __future__ import annotations

import pytest
from patching import instruction_patch

from lnsym.elf.image import load_image
from lnsym.proof.cases import Case, N, coverage
from lnsym.terms.bv import const, eq
from proofs import registry
from proofs.aes_gcm_kernel_all import KernelGroupLoop, covers_tail

# (what, offset in the listing, listed word, mutant word, tail t of the induction that
#  meets it, smallest block count of that t that differs)
MUTANTS = [
    ("counter stride: the pass's last add w12, w12, #1 -> #2", 0x560, 0x1100058C, 0x1100098C,
     1, 9),
    ("output pointer: stp x6, x7, [x2], #16 -> [x2] (no write-back)", 0x568, 0xA8811C46,
     0xA9001C46, 1, 9),
    ("exit condition: b.lt -> b.gt (one pass when more are due)", 0x578, 0x54FFEA4B,
     0x54FFEA4C, 1, 13),
    ("lane order: stp x19, x20, [x2], #16 -> stp x20, x19", 0x570, 0xA8815053, 0xA8814C54,
     1, 9),
    ("tail path: cmp x5, #0x30 -> #0x40 (4 tail blocks taken as 3)", 0x7C4, 0xF100C0BF,
     0xF10100BF, 4, 8),
]

# encryption (aes_gcm_enc_128_kernel): the loop stores group k + 1 and hashes group k's
# ciphertext, GCTR from the counter the fold carries
ENC_MUTANTS = [
    ("counter stride: add w12, w12, #1 -> #2", 0x588, 0x1100058C, 0x1100098C, 1, 9),
    ("output pointer: st1 {v4.16b}, [x2], #16 -> [x2]", 0x578, 0x4C9F7044, 0x4C007044, 1, 9),
    ("exit condition: b.lt -> b.gt", 0x5B8, 0x54FFEA2B, 0x54FFEA2C, 1, 13),
    ("lane order of a hashed block: rev64 v5.16b -> rev32", 0x318, 0x4E2008A5, 0x6E2008A5,
     1, 9),
    ("tail path: cmp x5, #0x30 -> #0x40", 0x7C4, 0xF100C0BF, 0xF10100BF, 4, 8),
]


@pytest.mark.openssl
def test_one_induction_proved(openssl_lib):
    """n = 4·(num + 1) + 1: base, step, the last pass, the code after the loop and num = 0,
    each writing exactly its part of the output."""
    proof = KernelGroupLoop(decrypt=True, all_lengths=True, tail_blocks=1)
    report = proof.check(replay=False)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    names = {r.name for r in report.results}
    for phase, part in (("base", "out[0:32]"), ("step", "out@k[32:96]"),
                        ("exit", "out@k[32:96]"), ("exit: after the loop", "out@num[32:80]"),
                        ("zero", "out[0:32]")):
        assert f"{phase}: writes exactly {part}" in names
    assert "step: running x12[63:0]" in names          # the counter, advanced by 4
    assert any(n.startswith("exit: after the loop: Xi <- aggregated") for n in names)
    assert any("block counter ctr advances by 4" in t for t in report.trusted_base)
    assert any(t.startswith("precondition (stated): in + 16·n < 2^63") for t in
               report.trusted_base)
    assert any(t.startswith("the output out as a stream") for t in report.trusted_base)


@pytest.mark.openssl
def test_encryption_induction_proved(openssl_lib):
    """The encryption kernel: the fold carries the counter, Fold(k) = (Xi, ctr + 4k)."""
    proof = KernelGroupLoop(decrypt=False, all_lengths=True, tail_blocks=1)
    report = proof.check(replay=False)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    names = {r.name for r in report.results}
    for phase, part in (("base", "out[0:64]"), ("step", "out@k[64:128]"),
                        ("exit: after the loop", "out@num[64:80]"), ("zero", "out[0:64]")):
        assert f"{phase}: writes exactly {part}" in names
    assert "gf2-anf/opaque" in {r.method for r in report.results}
    assert any(t.startswith("the output out as a stream: the entry writes bytes [0, 64), pass "
                            "k bytes [64, 128) after out + 64·k") for t in report.trusted_base)


@pytest.mark.openssl
@pytest.mark.parametrize("decrypt,what,off,old,new,tail,blocks",
                         [(True, *m) for m in MUTANTS] + [(False, *m) for m in ENC_MUTANTS],
                         ids=[f"dec {m[0]}" for m in MUTANTS]
                         + [f"enc {m[0]}" for m in ENC_MUTANTS])
def test_mutant_refuted_by_the_induction(openssl_lib, decrypt, what, off, old, new, tail,
                                         blocks):
    proof = KernelGroupLoop(decrypt=decrypt, all_lengths=True, tail_blocks=tail)
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    outcome = (report.status, getattr(report, "counterexample_blocks", None),
               getattr(proof, "confirmed", None))
    assert outcome == ("refuted", blocks, True), report.replay
    assert {r.name.split(":")[0] for r in report.failed} & {"base", "step", "exit", "zero"}
    num = (blocks - tail) // 4 - 1
    assert f"counterexample at num = {num} ({blocks} blocks)" in report.replay
    assert "confirmed: the outputs differ" in report.replay


def test_case_split_coverage_checked():
    """n <= 4 bounded and n = 4·(num + 1) + t, t = 1..4, cover 1 <= n < 2^56; without
    the t = 4 induction n = 8 is not covered, and the inductions stop below 2^56 + 8."""
    short = [Case(f"n = {n}", eq(N, const(n, 64)), None) for n in range(1, 5)]
    loops = [Case(f"t = {t}", covers_tail(t), None) for t in range(1, 5)]
    assert coverage(short + loops, 56).status == "proved"
    no_t4 = coverage(short + loops[:3], 56)
    assert no_t4.status == "refuted" and int(no_t4.detail.split()[-1]) % 4 == 0
    assert coverage(short + loops, 57).status == "refuted"


def test_registry_rows():
    for name in [f"aes_gcm_{d}_{b}_kernel" for d in ("dec", "enc") for b in (128, 192, 256)]:
        assert registry.select([name]) == [f"{name}/all"]
        assert f"{name}/8" in registry.PROOFS
        every = tuple(name.split("_")[2:4]) in {(d, str(b)) for d, b in
                                                registry.GCM_KERNEL_EVERY_LENGTH}
        proof = registry.make(f"{name}/whole" if every else f"{name}/all")
        assert proof.title() == f"{name} (all lengths 16·n, 1 ≤ n < 2^56)"
    case = KernelGroupLoop(decrypt=True, all_lengths=True, tail_blocks=3)
    assert case.bounded_params(1)["blocks"] == 11
