"""The AES-GCM kernels for every length in bytes (bit_length = 8·len), a partial last
block included: the tail alone (len < 64) and one induction case, each symbolic in the
partial block's byte count pb and proved for each of its 15 values, Xi once over the
masked block cut; the split over len is checked by z3; mutants of the partial path (the
mask, the byte count's half, the store of the merged block) are refuted at the smallest
length that shows them and replayed concretely."""
from __future__ import annotations

import pytest
from patching import instruction_patch

from lnsym.elf.image import load_image
from lnsym.proof.cases import coverage
from lnsym.prover import Obligation
from lnsym.terms.bv import add, const, var
from proofs.aes_gcm_kernel_partial import (
    PB,
    TRUST,
    AesGcmKernelEveryLength,
    PartialGroupLoop,
    PartialTail,
    split_by_pb,
)

# the partial path's mutants: (what, listed word, mutant word, the smallest len in bytes
# that shows it); the store merges out's old bytes by orr (decryption) or bif (encryption)
MASK = ("partial-block mask: and x1, x1, #0x7f -> #0x3f", 0x92401821, 0x92401421, 8)
HALF = ("byte count's half: cmp x1, #0x40 -> #0x38 (9 bytes masked as 8)", 0xF101003F,
        0xF100E03F, 9)
DEC_STORE = ("store: orr x7, x7, x5 -> x4 (the old bytes' other half merged)", 0xAA0500E7,
             0xAA0400E7, 1)
ENC_STORE = ("store: bif v5, v18, v0 -> bit (the old bytes kept where the mask is set)",
             0x6EE01E45, 0x6EA01E45, 1)
# their offsets in each kernel: (direction, bits) -> (mask, half, store)
OFFSETS = {("dec", 128): (0x8E8, 0x900, 0x974), ("dec", 192): (0x9B0, 0x9C8, 0xA38),
           ("dec", 256): (0xA74, 0xA94, 0xAC0), ("enc", 128): (0x8F0, 0x90C, 0x97C),
           ("enc", 192): (0x9C0, 0x9DC, 0xA28), ("enc", 256): (0xA80, 0xAA0, 0xAC0)}
MUTANTS = [(d, bits, off, *kind) for (d, bits), offs in OFFSETS.items()
           for off, kind in zip(offs, (MASK, HALF, DEC_STORE if d == "dec" else ENC_STORE))]


def test_split_by_pb_substitutes_each_value():
    """An obligation over pb becomes 15, pb replaced by 1..15; others are kept."""
    x = var("x", 4)
    obs = split_by_pb([Obligation("a", add(x, PB), x), Obligation("b", x, x)])
    assert [o.name for o in obs[:2]] == ["[pb = 1] a", "[pb = 2] a"]
    assert len(obs) == 16 and obs[-1].name == "b"
    assert obs[14].impl is add(x, const(15, 4))


def test_case_split_covers_every_length():
    """Whole-block and partial cases cover 1 ≤ len < 2^60; without the partial t = 4
    induction a length with len mod 64 in (48, 64) is not covered."""
    cases = AesGcmKernelEveryLength(decrypt=True).cases()
    assert [c.label for c in cases[:3]] == ["len = 0 + pb, 1 ≤ pb ≤ 15", "len = 16·n, n = 1",
                                            "len = 16 + pb, 1 ≤ pb ≤ 15"]
    assert coverage(cases, 60).status == "proved"
    partial_t4 = [c for c in cases if c.label.startswith("len = 16·(4·(num + 1) + 3) + pb")]
    assert len(partial_t4) == 1
    gap = coverage([c for c in cases if c is not partial_t4[0]], 60)
    assert gap.status == "refuted"
    assert 48 < int(gap.detail.split()[-1]) % 64 < 64
    assert coverage(cases, 61).status == "refuted"


@pytest.mark.openssl
def test_tail_alone_for_every_pb(openssl_lib):
    """len = 16 + pb: one run symbolic in pb; each pb's output bytes, the bytes past the
    length unchanged, Xi over the zero-padded block, the counter and x0."""
    proof = PartialTail(decrypt=True, whole=1)
    report = proof.check(replay=False)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    names = {r.name for r in report.results}
    assert "[pb = 15] out[30]" in names and "[pb = 15] out[31] unchanged (past the length)" \
        in names
    assert "[pb = 1] out[17] unchanged (past the length)" in names
    # Xi once, over the masked block cut at +0x918; its bytes stated for each pb
    assert sum(n.endswith("Xi <- aggregated GHASH over the ciphertext") for n in names) == 1
    assert "[pb = 15] cut at +0x918: v5 byte 15 = the statement's" in names
    assert "[pb = 9] return value: length in bytes" in names
    assert TRUST in report.trusted_base
    assert not report.unstated


@pytest.mark.openssl
def test_partial_induction_proved(openssl_lib):
    """len = 16·(4·(num + 1)) + pb: the whole-block induction for t = 1 with the
    statement's last block masked; the code after the loop proved per pb."""
    proof = PartialGroupLoop(decrypt=True, all_lengths=True, tail_blocks=1)
    report = proof.check(replay=False)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    names = {r.name for r in report.results}
    assert "exit: after the loop: writes exactly out@num[32:80]" in names
    assert "[pb = 3] exit: after the loop: out@num[66] (output byte 66 from the phase's start)" \
        in names
    assert "[pb = 3] exit: after the loop: out@num[67] (output byte 67 from the phase's start)" \
        in names
    assert "exit: after the loop: Xi <- aggregated GHASH over the ciphertext" in names
    assert "[pb = 15] exit: after the loop: cut at +0x918: v5 byte 0 = the statement's" in names
    assert any(t.startswith("precondition (stated): 1 ≤ pb ≤ 15") for t in report.trusted_base)
    assert TRUST in report.trusted_base


@pytest.mark.openssl
@pytest.mark.parametrize("direction,bits,off,what,old,new,length", MUTANTS,
                         ids=[f"{m[0]}_{m[1]} {m[3]}" for m in MUTANTS])
def test_partial_path_mutant_refuted(openssl_lib, direction, bits, off, what, old, new,
                                     length):
    """The every-length split stops at its first refuted case, the tail's, at the
    smallest length the mutant shows at; that length's bounded proof replays it."""
    proof = AesGcmKernelEveryLength(bits=bits, decrypt=direction == "dec")
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    assert report.status == "refuted", report.replay
    assert report.replay.startswith("case len = 0 + pb, 1 ≤ pb ≤ 15:"), report.replay
    assert f"counterexample at len = {length} bytes (pb = {length})" in report.replay
    assert "confirmed: the outputs differ" in report.replay
    whole = [r for r in report.results if r.name.startswith("[len = 16·n")]
    assert whole == []                       # the whole-block cases come after len < 16


@pytest.mark.openssl
def test_partial_mutant_refuted_by_the_induction(openssl_lib):
    """The store mutant in the induction case t = 1: the code after the loop fails for
    pb = 1; the bounded proof of 4 blocks and 1 byte (num = 0) refutes and replays it."""
    what, old, new, _ = DEC_STORE
    off = OFFSETS["dec", 128][2]
    proof = PartialGroupLoop(decrypt=True, all_lengths=True, tail_blocks=1)
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    assert (report.status, report.counterexample_blocks, proof.confirmed) == \
        ("refuted", 5, True), report.replay
    assert any(r.name.startswith("[pb = 1] exit: after the loop") for r in report.failed)
    assert "counterexample at num = 0 (5 blocks)" in report.replay
    assert "confirmed: the outputs differ" in report.replay


@pytest.mark.openssl
def test_encryption_tail_hashes_the_masked_block_once(openssl_lib):
    """Encrypting, the tail is cut at the masked block: Xi is one obligation over the cut's
    fresh value for every pb, the masked block's bytes one bridge per pb and byte; the
    whole-block tail (``full``) has the same Xi obligation, reused in a split."""
    from lnsym.prover import gf2, reuse
    algebra = gf2.GF2()
    with reuse.sharing(), gf2.sharing(algebra):
        partial = PartialTail(decrypt=False, whole=1).check(replay=False)
        whole = PartialTail(decrypt=False, whole=1, full=True).check(replay=False)
    for report in (partial, whole):
        assert report.status == "proved", [(r.name, r.detail) for r in report.failed]
        assert any(t.startswith("value cut at +0x924 (checked above): v5 replaced by a "
                                "fresh v5@masked") for t in report.trusted_base)
    xi = [r for r in partial.results if r.name.endswith("aggregated GHASH over the ciphertext")]
    assert [r.name for r in xi] == ["Xi <- aggregated GHASH over the ciphertext"]
    bridges = [r for r in partial.results if " cut at +0x924: v5 byte " in r.name]
    assert len(bridges) == 15 * 16 and bridges[0].name.startswith("[pb = 1] ")
    again = [r for r in whole.results if r.name == xi[0].name]
    assert len(again) == 1 and "same terms as proved earlier" in again[0].method
    assert whole.name == "aes_gcm_enc_128_kernel (2 blocks)"


@pytest.mark.openssl
def test_mutant_after_the_cut_refuted(openssl_lib):
    """A power of H in the last block's product (after the cut: ``pmull v21.1q, v4.1d,
    v12.1d`` -> v13) fails Xi over the cut's value; the bounded proof of 1 byte refutes
    and replays it."""
    proof = AesGcmKernelEveryLength(bits=128, decrypt=False)
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, 0x930, 0x0EECE095,
                                                   0x0EEDE095))
    assert report.status == "refuted", report.replay
    assert report.replay.startswith("case len = 0 + pb, 1 ≤ pb ≤ 15:"), report.replay
    assert "counterexample at len = 1 bytes (pb = 1)" in report.replay
    assert "confirmed: the outputs differ" in report.replay


def test_registry_rows():
    """Every kernel, encryption and decryption, has the every-length statement as its
    default row, the whole-block one as NAME/whole."""
    from proofs import registry
    assert len(registry.GCM_KERNEL_EVERY_LENGTH) == 6
    for d, b in registry.GCM_KERNEL_EVERY_LENGTH:
        name = f"aes_gcm_{d}_{b}_kernel"
        assert registry.select([name]) == [f"{name}/all"]
        assert registry.make(f"{name}/all").title() == \
            f"{name} (every length, bit_length = 8·len, 1 ≤ len < 2^60)"
        assert f"{name}/whole" in registry.PROOFS and f"{name}/whole" not in registry.names()
        assert f"{name}/every" not in registry.PROOFS
