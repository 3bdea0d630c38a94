"""A PAC folded into a digest: variants of sha256_block_armv8 and aes_v8_encrypt
(AES-256) that sign a zero X17 with ``pacia1716`` (modifier X16) and XOR the
result into the first output bytes before the final store.

With pointer authentication on (the default: keys unknown) the output depends
on the PAC, which the spec does not contain: the proof must be REFUTED, with a
counterexample the concrete run (whose stand-in key gives some PAC) confirms.
With ``pauth = "off"`` (a CPU without FEAT_PAuth, where PACIA1716 is a NOP)
the same variant still proves, and each trusted base names the mode it used.
"""
from __future__ import annotations

import pytest

from lnsym.elf.image import load_image
from lnsym.machine.decoder import decode
from proofs import registry

pytestmark = pytest.mark.openssl

WORDS = {
    "mov x17, #0x0": 0xD2800011,
    "pacia1716": 0xD503211F,
    "fmov d3, x17": 0x9E670223,
    "eor v0.16b, v0.16b, v3.16b": 0x6E231C00,
    "eor v2.16b, v2.16b, v3.16b": 0x6E231C42,
    "st1 {v0.4s, v1.4s}, [x0]": 0x4C00A800,
    "st1 {v2.16b}, [x1]": 0x4C007022,
    "ldr x29, [sp], #0x10": 0xF84107FD,
    "ret": 0xD65F03C0,
}
SIGN = ["mov x17, #0x0", "pacia1716", "fmov d3, x17"]
# proof, offset of the final store, offset of the tail written after the ret, the tail
ROUTINES = {
    "sha256": ("sha256_block_armv8/1", 0x1E0, 0x1EC,
               SIGN + ["eor v0.16b, v0.16b, v3.16b", "st1 {v0.4s, v1.4s}, [x0]",
                       "ldr x29, [sp], #0x10", "ret"]),
    "aes256": ("aes_v8_encrypt/256", 0x48, 0x50,
               SIGN + ["eor v2.16b, v2.16b, v3.16b", "st1 {v2.16b}, [x1]", "ret"]),
}


def variant(routine: str, pauth: str):
    name, store_off, tail_off, tail = ROUTINES[routine]
    proof = registry.make(name)
    proof.pauth = pauth
    image = load_image(proof.object_spec())
    base = image.symbol(proof.symbol).addr
    patches = {base + store_off: 0x14000000 | ((tail_off - store_off) >> 2)}
    for i, text in enumerate(tail):
        word = WORDS[text]
        assert decode(word).disasm() == text
        patches[base + tail_off + 4 * i] = word
    return proof, patches


@pytest.mark.parametrize("routine", sorted(ROUTINES))
def test_pac_in_the_output_is_refuted(openssl_lib, routine):
    proof, patches = variant(routine, "on")
    report = proof.check(patches=patches)
    assert report.status == "refuted", [(r.name, r.status, r.method) for r in report.results]
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert "WARNING" not in report.replay, report.replay
    assert any("FEAT_PAuth enabled" in line for line in report.trusted_base)


@pytest.mark.parametrize("routine", sorted(ROUTINES))
def test_without_pauth_the_variant_proves_and_says_so(openssl_lib, routine):
    proof, patches = variant(routine, "off")
    report = proof.check(patches=patches)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert any("pointer authentication: absent" in line for line in report.trusted_base)


def test_return_through_a_wrongly_keyed_autiasp_stops(openssl_lib):
    """aes_v8_set_decrypt_key signs x30 with PACIASP; authenticating it with key B
    (AUTIBSP) instead leaves a return address the proof cannot follow: the run stops
    with an error naming the branch, never PROVED.  Concretely the authentication
    fails and the return goes to the error pointer (key B: bit 54 set)."""
    from lnsym.backends.concrete import ExecutionError
    from lnsym.backends.runner import run_routine
    proof = registry.make("aes_v8_set_decrypt_key/128")
    image = load_image(proof.object_spec())
    base = image.symbol(proof.symbol).addr
    assert int.from_bytes(image.read(base + 0x68, 4), "little") == 0xD50323BF   # autiasp
    patches = {base + 0x68: 0xD50323FF}                                          # autibsp
    assert decode(0xD50323FF).disasm() == "autibsp"
    report = proof.check(patches=patches)
    assert report.status == "error", report.status
    assert "0x" in report.error and "symbolic" in report.error, report.error
    from lnsym.proof.routine import patched
    with pytest.raises(ExecutionError, match=r"unmapped address 0x40dead00000000"):
        run_routine(patched(image, patches), proof.symbol, {"x0": 0x2000_0000, "x1": 128,
                                                             "x2": 0x3000_0000},
                    writes=[(0x2000_0000, bytes(16)), (0x3000_0000, bytes(256))])
