"""aes_gcm_enc_*_kernel from 5 blocks: the 4-block main loop's path (its software-
pipelined first pass, 0x23c-0x2f8 in enc_128, then the pass that hashes that group
while the AES rounds of the next run, 0x5bc-0x7b8; from 9 blocks the steady-state
body, 0x2fc-0x5b8) is proved at 5 and 8 blocks, and mutants there -- a counter
increment, a last-round-key half, a power of H, the running hash folded into the
group -- are refuted with a counterexample confirmed by concrete replay."""
from __future__ import annotations

import pytest
from test_aes_gcm_kernel import refuted_mutant

from proofs import registry
from proofs.aes_gcm_kernel import AesGcmKernel

pytestmark = pytest.mark.openssl


def test_registered_from_the_main_loop():
    for bits in (128, 192, 256):
        for blocks in (5, 8):
            name = f"aes_gcm_enc_{bits}_kernel/{blocks}"
            assert name in registry.PROOFS
            assert registry.make(name).blocks == blocks
    assert registry.make("aes_gcm_enc_128_kernel/12").blocks == 12


@pytest.mark.parametrize("params", [{"blocks": 8}, {"bits": 192, "blocks": 5}],
                         ids=["enc_128/8", "enc_192/5"])
def test_proved(params, openssl_lib):
    proof = AesGcmKernel(**params)
    report = proof.check(f"{openssl_lib}:{proof.member}", timeout=60)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    methods = {r.method for r in report.results}
    assert "gf2-anf/opaque" in methods and not {"smt", "sweep"} & methods
    derived = [r for r in report.results if "Algorithm 2" in r.name]
    assert [r.status for r in derived] == ["proved"]


# (params, what, offset from the kernel's symbol, old word, new word, an output refuted)
REFUTED = [
    ({"blocks": 8}, "first pass: the next group's counter add w12, w12, #1 -> #2", 0x294,
     0x1100058C, 0x1100098C, "out[80]"),
    ({"blocks": 5}, "first pass: block 3 xor last round key eor x21, x21, x13 -> x14", 0x254,
     0xCA0D02B5, 0xCA0E02B5, "out[32]"),
    ({"blocks": 8}, "group hash: pmull2 v28, v5, v14 -> v13 (H^3 for block 2)", 0x5EC,
     0x4EEEE0BC, 0x4EEDE0BC, "Xi"),
    ({"blocks": 5}, "group hash: eor v4, v4, v11 -> v12 (Xi not folded in)", 0x5E8,
     0x6E2B1C84, 0x6E2C1C84, "Xi"),
    ({"bits": 192, "blocks": 8}, "enc 192 first pass: eor x21, x21, x13 -> x14", 0x2BC,
     0xCA0D02B5, 0xCA0E02B5, "out[32]"),
    ({"bits": 256, "blocks": 5}, "enc 256 group hash: eor v4, v4, v11 -> v12", 0x708,
     0x6E2B1C84, 0x6E2C1C84, "Xi"),
    # 12 blocks: one pass of the steady-state loop body (0x2fc-0x5b8)
    ({"blocks": 12}, "loop body: counter add w12, w12, #1 -> #2", 0x384, 0x1100058C,
     0x1100098C, "out[160]"),
    ({"blocks": 12}, "loop body: pmull2 v28, v5, v14 -> v13", 0x35C, 0x4EEEE0BC, 0x4EEDE0BC,
     "Xi"),
]


@pytest.mark.parametrize("params,what,off,old,new,output", REFUTED, ids=[r[1] for r in REFUTED])
def test_mutant_refuted(params, what, off, old, new, output, openssl_lib):
    report = refuted_mutant(params, off, old, new, openssl_lib)
    assert any(r.name.startswith(output) for r in report.results if r.status == "refuted")
