"""Store-exclusives the shipped proofs must not accept: variants of the real
OpenSSL objects whose last 8 output bytes are written by a store-exclusive.

Each variant replaces the routine's final vector store by a branch to a tail
written over the padding (and the next routine) after its ``ret``: the tail
stores all but the last 8 bytes normally, moves those 8 bytes to X5, computes
their address in X4 and stores them with ``stxr w2, x5, [x4]``, then returns.
Under QEMU (and on hardware) the store-exclusive fails when no load-exclusive
marked that address (``unpaired``) or CLREX cleared it (``clrex``), so the last
8 bytes keep their old values: the proof must be REFUTED, with a counterexample
whose concrete replay confirms the difference.  With ``ldxr x6, [x4]`` just
before (``paired``) the store succeeds and the proof still holds, which shows
the refutations come from the monitor and not from the rewriting.
"""
from __future__ import annotations

import pytest

from lnsym.elf.image import load_image
from lnsym.machine.decoder import decode
from proofs import registry

pytestmark = pytest.mark.openssl

WORDS = {
    "st1 {v0.4s}, [x0]": 0x4C007800,
    "str d1, [x0, #0x10]": 0xFD000801,
    "mov x5, v1.d[1]": 0x4E183C25,
    "add x4, x0, #0x18": 0x91006004,
    "ldr x29, [sp], #0x10": 0xF84107FD,
    "str d2, [x1]": 0xFD000022,
    "mov x5, v2.d[1]": 0x4E183C45,
    "add x4, x1, #8": 0x91002024,
    "str d0, [x0]": 0xFD000000,
    "mov x5, v0.d[1]": 0x4E183C05,
    "add x4, x0, #8": 0x91002004,
    "ldxr x6, [x4]": 0xC85F7C86,
    "clrex": 0xD5033F5F,
    "stxr w2, x5, [x4]": 0xC8027C85,
    "ret": 0xD65F03C0,
}

# proof, offset of its final store (and the word there), offset of the tail, the tail
# up to the store-exclusive, and what follows it
ROUTINES = {
    "sha256": ("sha256_block_armv8/1", 0x1E0, 0x4C00A800, 0x1EC,
               ["st1 {v0.4s}, [x0]", "str d1, [x0, #0x10]", "mov x5, v1.d[1]",
                "add x4, x0, #0x18"], ["ldr x29, [sp], #0x10", "ret"]),
    "aes128": ("aes_v8_encrypt/128", 0x48, 0x4C007022, 0x50,
               ["str d2, [x1]", "mov x5, v2.d[1]", "add x4, x1, #8"], ["ret"]),
    "gmult": ("gcm_gmult_v8", 0x60, 0x4C007C00, 0x68,
              ["str d0, [x0]", "mov x5, v0.d[1]", "add x4, x0, #8"], ["ret"]),
}
MONITOR = {"unpaired": [], "clrex": ["ldxr x6, [x4]", "clrex"], "paired": ["ldxr x6, [x4]"]}


def branch(frm: int, to: int) -> int:
    return 0x14000000 | (((to - frm) >> 2) & 0x3FFFFFF)


def variant(routine: str, monitor: str):
    """(proof, patches) for one variant."""
    name, store_off, store_word, tail_off, head, rest = ROUTINES[routine]
    proof = registry.make(name)
    image = load_image(proof.object_spec())
    base = image.symbol(proof.symbol).addr
    assert int.from_bytes(image.read(base + store_off, 4), "little") == store_word
    tail = head + MONITOR[monitor] + ["stxr w2, x5, [x4]"] + rest
    patches = {base + store_off: branch(store_off, tail_off)}
    for i, text in enumerate(tail):
        word = WORDS[text]
        assert decode(word).disasm() == text, (hex(word), decode(word).disasm())
        patches[base + tail_off + 4 * i] = word
    return proof, patches


@pytest.mark.parametrize("routine", sorted(ROUTINES))
@pytest.mark.parametrize("monitor", ["unpaired", "clrex"])
def test_failing_store_exclusive_is_refuted(openssl_lib, routine, monitor):
    proof, patches = variant(routine, monitor)
    report = proof.check(patches=patches)
    assert report.status == "refuted", [(r.name, r.status, r.method) for r in report.results]
    assert any(r.counterexample is not None for r in report.results if r.status == "refuted")
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert "WARNING" not in report.replay, report.replay


@pytest.mark.parametrize("routine", sorted(ROUTINES))
def test_paired_store_exclusive_still_proves(openssl_lib, routine):
    proof, patches = variant(routine, "paired")
    report = proof.check(patches=patches)
    assert report.status == "proved", [(r.name, r.status, r.method, r.detail)
                                       for r in report.failed]
    assert any("exclusive" in line for line in report.trusted_base), report.trusted_base
