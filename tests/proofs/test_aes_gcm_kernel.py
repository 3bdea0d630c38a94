"""aes_gcm_enc_128_kernel proofs (bounded): they pass, the derived Algorithm 2
statement holds, and mutants of the real code -- the counter increment, a round
key, a GHASH Karatsuba term, the reduction constant, the partial-block mask, the
tail's counter write-back, a lane order, the final Xi byte order, the merge past
the length -- are refuted with a counterexample confirmed by concrete replay."""
from __future__ import annotations

import pytest
from patching import instruction_patch

from lnsym.elf.image import load_image
from proofs import registry
from proofs.aes_gcm_kernel import AesGcmKernel, kernel_aggregated
from proofs.specs import ghash
from proofs.specs.ghash_htable import ghash_aggregated

pytestmark = pytest.mark.openssl

_IMAGES: dict = {}


def _image(proof, openssl_lib):
    if proof.member not in _IMAGES:
        _IMAGES[proof.member] = load_image(f"{openssl_lib}:{proof.member}")
    return _IMAGES[proof.member]


def _without_corollary(proof):
    proof.corollaries = lambda st, setup: []       # the bit-level statement only
    return proof


def test_kernel_grouping_differs_from_gcm_ghash_v8_and_equals_algorithm_2_at_powers():
    """3 blocks: the kernel folds them as one group, gcm_ghash_v8 as 2 + 1; with the true
    powers of H both are Algorithm 2 (checked on constants)."""
    import random

    from lnsym.terms.bv import const
    rng = random.Random(3)
    H, Y = const(rng.getrandbits(128), 128), const(rng.getrandbits(128), 128)
    blocks = [const(rng.getrandbits(128), 128) for _ in range(7)]
    P = [const(rng.getrandbits(128), 128) for _ in range(3)]
    powers = [H, ghash.gf128_mul(H, H)]
    powers += [ghash.gf128_mul(powers[1], H), ghash.gf128_mul(powers[1], powers[1])]
    for n in range(1, 8):
        assert kernel_aggregated(powers, blocks[:n], Y) is ghash.ghash(H, blocks[:n], Y)
    assert kernel_aggregated([H, *P], blocks[:3], Y) is not ghash_aggregated([H, *P], blocks[:3], Y)


def test_proved_with_algorithm_2(openssl_lib):
    proof = registry.make("aes_gcm_enc_128_kernel/1")
    report = proof.check(f"{openssl_lib}:{proof.member}", timeout=60)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    methods = {r.method for r in report.results}
    assert {"gf2-linear", "gf2-anf/opaque"} <= methods and not {"smt", "sweep"} & methods
    derived = [r for r in report.results if "Algorithm 2" in r.name]
    assert [(r.status, r.method) for r in derived] == [("proved", "ring+field-laws")]


PROVED = [{"blocks": 3}, {"bytes": 20}, {"decrypt": True, "bytes": 20}, {"bits": 192, "blocks": 1},
          {"bits": 256, "decrypt": True, "blocks": 1}]


@pytest.mark.parametrize("params", PROVED, ids=[str(p) for p in PROVED])
def test_proved(params, openssl_lib):
    proof = _without_corollary(AesGcmKernel(**params))
    report = proof.check(f"{openssl_lib}:{proof.member}", timeout=60)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    if proof.length % 16:
        assert any("past the length" in r.name for r in report.results)


# (params, what, offset from aes_gcm_enc_128_kernel, old word, new word)
REFUTED = [
    ({"blocks": 2}, "counter increment: add w12, w12, #1 -> #2", 0x64, 0x1100058C, 0x1100098C),
    ({"blocks": 2}, "round key: aese v1, v18 -> v19 (block 2, round 1)", 0xB8, 0x4E284A41,
     0x4E284A61),
    ({"blocks": 1}, "Karatsuba term: eor v8.8b, v8.8b, v4.8b -> v5", 0x938, 0x2E241D08, 0x2E251D08),
    ({"blocks": 1}, "reduction constant: movi v8.8b, #0xc2 -> #0xc3", 0x954, 0x0F06E448, 0x0F06E468),
    ({"bytes": 20}, "partial-block mask: lsr x14, x14, x1 -> lsl", 0x908, 0x9AC125CE, 0x9AC121CE),
    ({"blocks": 1}, "tail: counter write-back sub w12, w12, #1 -> #2", 0x814, 0x5100058C, 0x5100098C),
    ({"blocks": 1}, "lane order: ext v8, v11, v11, #8 -> #4 (Xi halves)", 0x7C8, 0x6E0B4168,
     0x6E0B2168),
    ({"blocks": 1}, "final Xi store: rev64 v11 -> mov (byte order)", 0x994, 0x4E20096B, 0x4EAB1D6B),
    ({"bytes": 20}, "merge past the length: bif -> bit", 0x97C, 0x6EE01E45, 0x6EA01E45),
    ({"blocks": 1}, "frame: counter stored into Htable (str w9, [x16, #12] -> [x3, #32])", 0x988,
     0xB9000E09, 0xB9002069),
    # the other kernels
    ({"decrypt": True, "blocks": 1}, "dec: reduction constant #0xc2 -> #0xc3", 0x950, 0x0F06E448,
     0x0F06E468),
    ({"decrypt": True, "bytes": 20}, "dec: partial-block mask lsr -> lsl", 0x8FC, 0x9AC125CE,
     0x9AC121CE),
    ({"bits": 256, "blocks": 2}, "enc 256: counter increment #1 -> #2", 0x74, 0x1100058C,
     0x1100098C),
]


def refuted_mutant(params: dict, off: int, old: int, new: int, openssl_lib):
    """The kernel proof's report on the object with the word at +off replaced, after
    checking it is refuted and the counterexample confirmed by concrete replay."""
    proof = _without_corollary(AesGcmKernel(**params))
    image = _image(proof, openssl_lib)
    patches = instruction_patch(proof, image, off, old, new)
    report = proof.check(f"{openssl_lib}:{proof.member}", patches=patches, timeout=60)
    assert [d[0] for d in report.listing_diffs] == [off]
    assert report.status == "refuted", [(r.name, r.status, r.method) for r in report.failed]
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert "WARNING" not in report.replay, report.replay
    assert proof.confirmed is True
    return report


@pytest.mark.parametrize("params,what,off,old,new", REFUTED, ids=[r[1] for r in REFUTED])
def test_mutant_refuted(params, what, off, old, new, openssl_lib):
    refuted_mutant(params, off, old, new, openssl_lib)
