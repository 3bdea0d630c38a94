"""ChaCha20_ctr32's NEON path for every length 192 ≤ len < 512 (proofs/chacha20_neon_all.py):
proved with OPENSSL_armcap_P bit 0 set under counter + ⌈len/64⌉ ≤ 2^32; refuted without
that precondition; mutants of ChaCha20_neon refuted at the smallest length that shows
them (a bounded ChaCha20_neon proof) and replayed concretely and under QEMU."""
from __future__ import annotations

import pytest
from test_chacha20_all import assert_refuted_at

from lnsym.elf.image import load_image
from proofs import registry
from proofs.chacha20_neon_all import ChaCha20NeonLengths

pytestmark = pytest.mark.openssl
NAME = "ChaCha20_neon/192-511"


def _run(proof, openssl_lib, patch=None, symbol="ChaCha20_neon"):
    """The proof on the member, with ``patch`` = (offset from ``symbol``, old, new)."""
    spec = f"{openssl_lib}:{proof.member}"
    patches = None
    if patch is not None:
        image = load_image(spec)
        at = image.symbol(symbol).addr + patch[0]
        assert int.from_bytes(image.read(at, 4), "little") == patch[1]
        patches = {at: patch[2]}
    return proof.check(spec, patches=patches, timeout=60)


def test_proved_for_every_length_below_512(openssl_lib):
    report = _run(registry.make(NAME), openssl_lib)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert "NEON path: OPENSSL_armcap_P bit 0 set" in report.name
    phases = {r.name.split(":")[0] for r in report.results}
    cases = {p for p in phases if p.startswith("pass ")}
    assert len(cases) == 11                       # every case of the length split
    assert {f"{kind} tail r = {r}" for kind in ("lane", "scalar") for r in range(1, 64)} <= phases
    x28 = next(r for r in report.results if r.name == "pass 1, len > 320: x28 for pass 2")
    assert x28.method.startswith("z3")            # n0 : (counter + 5): the precondition
    assert not {"smt", "sweep"} & {r.method for r in report.results}
    assert any("preconditions on input values" in t and "ctr" in t for t in report.trusted_base)
    assert any(t.startswith("a case split over 192 ≤ len < 512") for t in report.trusted_base)


def test_refuted_without_the_precondition(openssl_lib):
    """Pass 2's scalar block uses x28 + 5 on the register holding n0: at a counter
    within 5 of 2^32 it carries into n0 (the first length: 321 bytes)."""
    proof = ChaCha20NeonLengths(all_lengths=True, no_wrap=False)
    report = _run(proof, openssl_lib)
    assert report.status == "refuted"
    x28 = next(r for r in report.results if r.name == "pass 1, len > 320: x28 for pass 2")
    assert x28.status == "refuted"
    assert report.counterexample_length == 321
    assert "confirmed under QEMU: the outputs differ" in report.replay, report.replay


# (what, (offset from ChaCha20_neon, old word, new word), smallest length refuting it)
MUTANTS = [
    ("NEON rotation: sli v17.4s, v4.4s, #12 -> #13", (0x1A4, 0x6F2C5491, 0x6F2D5491), 192),
    ("NEON quarter-round argument: add v16.4s, v16.4s, v17.4s -> v18",
     (0xE4, 0x4EB18610, 0x4EB28610), 192),
    ("next pass, block counter: add x28, x28, #5 -> #6", (0x588, 0x9100179C, 0x91001B9C), 321),
    ("next pass, lane counters: movi v4.4s, #5 -> #6", (0x560, 0x4F0004A4, 0x4F0004C4), 385),
    ("tail: byte loop eor w10, w10, w11 -> orr", (0x78C, 0x4A0B014A, 0x2A0B014A), 193),
    ("output pointer: add x0, x0, #64 -> #48", (0x598, 0x91010000, 0x9100C000), 320),
    ("loop exit: b.hi -> b.eq", (0x604, 0x54FFD288, 0x54FFD280), 321),
]


def refuted_mutant(name: str, openssl_lib, patch, length: int, symbol="ChaCha20_neon"):
    """The proof ``name`` on the object patched at ``symbol`` + offset: one word differs
    and the bounded proof at ``length`` refutes it, replayed (``assert_refuted_at``)."""
    proof = registry.make(name)
    report = _run(proof, openssl_lib, patch, symbol)
    assert len(report.listing_diffs) == 1
    assert_refuted_at(proof, report, length)


@pytest.mark.parametrize("what,patch,length", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_refuted_at_the_smallest_length(what, patch, length, openssl_lib):
    refuted_mutant(NAME, openssl_lib, patch, length)


def test_smallest_lengths_of_the_failed_cases():
    lengths = ChaCha20NeonLengths.candidate_lengths
    assert lengths(["pass 1, len = 256", "pass 1, 192 < len < 256"]) == [193, 256]
    assert lengths(["pass 1, len > 320", "pass 2, 448 < len < 512"]) == [321, 385, 449]
    assert lengths(["lane tail r = 5", "scalar tail r = 1", "base"]) == [192, 197, 321]
