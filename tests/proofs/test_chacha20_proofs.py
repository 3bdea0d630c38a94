"""ChaCha20_neon proofs: they pass with the ARX sums closed by the 'sums' rung and
the NEON lanes by slicing; mutants of the real code (a rotation amount, a
quarter-round argument, the lane counters, the rotate-by-8 table, a lane order,
the partial-block tail) are refuted with a counterexample confirmed by concrete
replay; equivalent mutants are still proved."""
from __future__ import annotations

import pytest
from patching import instruction_patch, table_word_patch

from lnsym.elf.image import load_image
from proofs import registry

pytestmark = pytest.mark.openssl

_IMAGES: dict = {}


def proof_and_image(name, openssl_lib):
    proof = registry.make(name)
    if proof.member not in _IMAGES:
        _IMAGES[proof.member] = load_image(f"{openssl_lib}:{proof.member}")
    return proof, _IMAGES[proof.member]


@pytest.mark.parametrize("name", ["ChaCha20_neon/64", "ChaCha20_neon/100", "ChaCha20_neon/192"])
def test_proved(name, openssl_lib):
    proof, _ = proof_and_image(name, openssl_lib)
    report = proof.check(f"{openssl_lib}:{proof.member}", timeout=60)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    methods = {r.method for r in report.results}
    assert "sums" in methods                 # the scalar block's packed 64-bit words
    assert not {"smt", "sweep"} & methods    # no solver
    if proof.length > 64:
        assert "normalised" in methods       # NEON lanes: ushr/sli, rev32 and tbl rotations


def ins(off, old, new):
    return lambda p, im: instruction_patch(p, im, off, old, new)


def table(index, xor):
    return lambda p, im: table_word_patch(p, im, index, xor)


# (proof, what, patch builder); offsets from ChaCha20_neon.  Table words are counted
# from .Lsigma (the first adr): 0-3 sigma, 4-7 .Lone = {1, 2, 3, 4}, 8-11 .Lrot24.
REFUTED = [
    ("ChaCha20_neon/64", "scalar rotation: ror w17, w17, #16 -> #17", ins(0x128, 0x13914231, 0x13914631)),
    ("ChaCha20_neon/64", "scalar quarter-round argument: add w5, w5, w9 -> w10",
     ins(0xE8, 0x0B0900A5, 0x0B0A00A5)),
    ("ChaCha20_neon/192", "NEON rotation: ushr v17.4s, v4.4s, #20 -> #19",
     ins(0x184, 0x6F2C0491, 0x6F2D0491)),
    ("ChaCha20_neon/192", "NEON quarter-round argument: add v16.4s, v16.4s, v17.4s -> v18",
     ins(0xE4, 0x4EB18610, 0x4EB28610)),
    ("ChaCha20_neon/192", "counter increment: .Lone lane 0 = 1 -> 2", table(4, 0x3)),
    ("ChaCha20_neon/192", "rotate-by-8 table: .Lrot24 byte 0 index 3 -> 2", table(8, 0x1)),
    ("ChaCha20_neon/192", "lane order: zip1 v16.2d, v4.2d, v5.2d -> zip2",
     ins(0x43C, 0x4EC53890, 0x4EC57890)),
    ("ChaCha20_neon/100", "tail: byte loop eor w10, w10, w11 -> orr", ins(0x78C, 0x4A0B014A, 0x2A0B014A)),
]

EQUIVALENT = [
    # the scalar words never overlap, so packing them with orr is the same as add
    ("ChaCha20_neon/64", "packing: add x5, x5, x6, lsl #32 -> orr", ins(0x640, 0x8B0680A5, 0xAA0680A5)),
]


def _check(name, build, openssl_lib):
    proof, image = proof_and_image(name, openssl_lib)
    patches = build(proof, image)
    report = proof.check(f"{openssl_lib}:{proof.member}", patches=patches, timeout=60)
    base = image.symbol(proof.symbol).addr
    assert {off for off, *_ in report.listing_diffs} == {a - base for a in patches}
    return proof, report


@pytest.mark.parametrize("name,what,build", REFUTED, ids=[f"{n}: {w}" for n, w, _ in REFUTED])
def test_mutant_refuted(name, what, build, openssl_lib):
    proof, report = _check(name, build, openssl_lib)
    assert report.status == "refuted", [(r.name, r.status, r.method) for r in report.failed]
    assert any(r.counterexample is not None for r in report.results if r.status == "refuted")
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert "WARNING" not in report.replay, report.replay
    assert proof.confirmed is True


@pytest.mark.parametrize("name,what,build", EQUIVALENT, ids=[f"{n}: {w}" for n, w, _ in EQUIVALENT])
def test_equivalent_mutant_proved(name, what, build, openssl_lib):
    _proof, report = _check(name, build, openssl_lib)
    assert report.listing_diffs
    assert report.status == "proved", [(r.name, r.status, r.method) for r in report.failed]


@pytest.mark.parametrize("name", ["ChaCha20_ctr32/40", "ChaCha20_ctr32/64"])
def test_scalar_path_one_block_proved(name, openssl_lib):
    proof, _ = proof_and_image(name, openssl_lib)
    report = proof.check(f"{openssl_lib}:{proof.member}", timeout=60)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]

