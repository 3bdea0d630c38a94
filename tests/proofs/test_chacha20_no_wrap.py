"""ChaCha20 beyond one counter increment: ChaCha20_neon's second pass of its 5-block
loop (384 and 500 bytes) and ChaCha20_ctr32's scalar path for 2-3 blocks (128, 150
bytes).  Both step the scalar block's counter as the low half of a 64-bit register
holding nonce word n0, so the statements state OpenSSL's no-wrap precondition,
counter + blocks <= 2^32.  Without it they are refuted at the wrap; with it they
are proved; mutants (a rotation, a quarter-round argument, the counter increment,
the tail) are refuted by a counterexample that satisfies the precondition, and the
concrete replay confirms it."""
from __future__ import annotations

import pytest
from patching import instruction_patch

from lnsym.elf.image import load_image
from proofs import registry
from proofs.chacha20_neon import ChaCha20Ctr32, ChaCha20Neon

pytestmark = pytest.mark.openssl


def _run(proof, openssl_lib, patch=None):
    spec = f"{openssl_lib}:{proof.member}"
    patches = None
    if patch is not None:
        patches = instruction_patch(proof, load_image(spec), *patch)
    return proof.check(spec, patches=patches, timeout=60)


def _no_wrap(proof, cex) -> bool:
    return cex.get("ctr", 0) + -(-proof.length // 64) <= 1 << 32


@pytest.mark.parametrize("name", ["ChaCha20_neon/384", "ChaCha20_neon/500",
                                  "ChaCha20_ctr32/128", "ChaCha20_ctr32/150"])
def test_proved_under_the_no_wrap_precondition(name, openssl_lib):
    proof = registry.make(name)
    report = _run(proof, openssl_lib)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    methods = {r.method for r in report.results}
    assert "sums under precondition" in methods      # the blocks after the increment
    assert not {"smt", "sweep"} & methods
    assert any("preconditions on input values" in t and "ctr" in t for t in report.trusted_base)


@pytest.mark.parametrize("cls,length,wraps_from", [(ChaCha20Neon, 384, 5), (ChaCha20Ctr32, 128, 1)])
def test_refuted_at_the_wrap_without_it(cls, length, wraps_from, openssl_lib):
    """The counter carries into n0: only the blocks after the 64-bit increment
    differ from RFC 8439, at a counter within a few blocks of 2^32."""
    proof = cls(length=length, no_wrap=False)
    report = _run(proof, openssl_lib)
    assert report.status == "refuted"
    bad = [r for r in report.results if r.status == "refuted"]
    assert {int(r.name[4:-1]) // 64 for r in bad} == set(range(wraps_from, length // 64))
    assert bad[0].counterexample["ctr"] + wraps_from >= 1 << 32
    assert "confirmed: the outputs differ" in report.replay, report.replay


# (proof, what, (offset, old word, new word)); offsets from the proof's symbol
MUTANTS = [
    ("ChaCha20_neon/384", "scalar rotation: ror w17, w17, #16 -> #17", (0x128, 0x13914231, 0x13914631)),
    ("ChaCha20_neon/384", "NEON quarter-round argument: add v16.4s, v16.4s, v17.4s -> v18",
     (0xE4, 0x4EB18610, 0x4EB28610)),
    ("ChaCha20_neon/384", "next pass, scalar counter: add x28, x28, #5 -> #6",
     (0x588, 0x9100179C, 0x91001B9C)),
    # (at 384 bytes the next pass uses only its scalar block: this mutant is proved there)
    ("ChaCha20_neon/500", "next pass, lane counters: movi v4.4s, #5 -> #6",
     (0x560, 0x4F0004A4, 0x4F0004C4)),
    ("ChaCha20_neon/500", "tail: byte loop eor w10, w10, w11 -> orr", (0x78C, 0x4A0B014A, 0x2A0B014A)),
    ("ChaCha20_ctr32/128", "rotation: ror w17, w17, #16 -> #17", (0x184, 0x13914231, 0x13914631)),
    ("ChaCha20_ctr32/128", "quarter-round argument: add w5, w5, w9 -> w10",
     (0x100, 0x0B0900A5, 0x0B0A00A5)),
    ("ChaCha20_ctr32/128", "counter: add x28, x28, #1 -> #2", (0x2C0, 0x9100079C, 0x91000B9C)),
    ("ChaCha20_ctr32/150", "tail: byte loop eor w10, w10, w11 -> orr", (0x354, 0x4A0B014A, 0x2A0B014A)),
]


@pytest.mark.parametrize("name,what,patch", MUTANTS, ids=[f"{n}: {w}" for n, w, _ in MUTANTS])
def test_mutant_refuted_within_the_precondition(name, what, patch, openssl_lib):
    proof = registry.make(name)
    report = _run(proof, openssl_lib, patch)
    assert [off for off, *_ in report.listing_diffs] == [patch[0]]
    assert report.status == "refuted", [(r.name, r.status, r.method) for r in report.failed]
    cexs = [r.counterexample for r in report.results if r.counterexample is not None]
    assert cexs and all(_no_wrap(proof, c) for c in cexs)
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert proof.confirmed is True
