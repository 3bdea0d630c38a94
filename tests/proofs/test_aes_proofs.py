"""The AES proofs (aes_v8_set_encrypt_key, aes_v8_encrypt, set_encrypt_key then
encrypt) hold on the real OpenSSL object for 128-, 192- and 256-bit keys, and
mutants of that object are refuted with a counterexample whose concrete replay
confirms the difference (or, when the mutation changes nothing, proved)."""
from __future__ import annotations

import pytest
from patching import instruction_patch, swap_patch, table_word_patch

from lnsym.elf.image import load_image
from proofs import registry

pytestmark = pytest.mark.openssl

# proof name -> instructions executed symbolically
STEPS = {
    "aes_v8_set_encrypt_key/128": 166, "aes_v8_set_encrypt_key/192": 194,
    "aes_v8_set_encrypt_key/256": 197,
    "aes_v8_encrypt/128": 44, "aes_v8_encrypt/192": 52, "aes_v8_encrypt/256": 60,
    "aes_v8_e2e/128": 210, "aes_v8_e2e/192": 246, "aes_v8_e2e/256": 257,
}


@pytest.mark.parametrize("name", list(STEPS))
def test_aes_proof_holds(openssl_lib, name):
    proof = registry.make(name)
    report = proof.check()
    assert report.status == "proved", [(r.name, r.status, r.method, r.detail)
                                       for r in report.failed]
    assert report.steps == STEPS[name]
    assert all(r.status == "proved" for r in report.results)
    assert not report.listing_diffs
    assert report.seconds["total"] < 30
    assert any("FIPS 197" in line for line in report.trusted_base)
    names = {r.name for r in report.results}
    if name.startswith("aes_v8_set_encrypt_key"):
        rounds = {128: 10, 192: 12, 256: 14}[proof.bits]
        assert names >= {f"rd_key[{i}]" for i in range(4 * (rounds + 1))} | {"rounds"}
        assert "x0 (return value)" in names
    else:
        assert names >= {f"out[{i}]" for i in range(16)}
    if "encrypt/" not in name:      # set_encrypt_key's null checks need the assumptions
        assert any("eq(userKey, 0x0:64) = 0" in line for line in report.trusted_base)


def test_registry_runs_the_aes_proofs():
    assert registry.select(["aes_v8_encrypt"]) == [f"aes_v8_encrypt/{b}" for b in (128, 192, 256)]
    assert {f"aes_v8_e2e/{b}" for b in (128, 192, 256)} <= set(registry.names())


def ins(off, old, new):
    return lambda p, im: instruction_patch(p, im, off, old, new)


def swap(off1, off2):
    return lambda p, im: swap_patch(p, im, off1, off2)


def table(index, xor):
    return lambda p, im: table_word_patch(p, im, index, xor)


def encrypt_in_e2e(off, old, new):
    """A patch of aes_v8_encrypt, for the end-to-end proof."""
    def build(p, im):
        enc = registry.make("aes_v8_encrypt/128")
        return instruction_patch(enc, im, off, old, new)
    return build


# (proof, mutation, patch builder); offsets are from the routine's symbol.
REFUTED = [
    # aes_v8_set_encrypt_key
    ("aes_v8_set_encrypt_key/128", "opcode: aese v6, v0 -> aesd v6, v0",
     ins(0x6c, 0x4e284806, 0x4e285806)),
    ("aes_v8_set_encrypt_key/128", "rcon table: rcon lane 0 {01} -> {00}", table(0, 0x01)),
    ("aes_v8_set_encrypt_key/128", "rcon table: {1b} lane 3 (rounds 9 and 10 only)",
     table(11, 0x02)),
    ("aes_v8_set_encrypt_key/128", "round count: mov w12, #10 -> #11",
     ins(0x100, 0x5280014c, 0x5280016c)),
    ("aes_v8_set_encrypt_key/128", "loop count: mov w1, #8 -> #7",
     ins(0x48, 0x52800101, 0x528000e1)),
    ("aes_v8_set_encrypt_key/128", "register: eor v3, v3, v5 -> eor v3, v3, v6",
     ins(0x74, 0x6e251c63, 0x6e261c63)),
    ("aes_v8_set_encrypt_key/128", "return value: mov x3, #0 -> #1",
     ins(0x1f8, 0xd2800003, 0xd2800023)),
    ("aes_v8_set_encrypt_key/192", "lane index: dup v5.4s, v3.s[3] -> v3.s[2]",
     ins(0x148, 0x4e1c0465, 0x4e140465)),
    ("aes_v8_set_encrypt_key/256", "lane index: dup v6.4s, v3.s[3] -> v3.s[1]",
     ins(0x1cc, 0x4e1c0466, 0x4e0c0466)),
    # aes_v8_encrypt
    ("aes_v8_encrypt/128", "opcode: aese v2, v0 -> aesd v2, v0", ins(0x14, 0x4e284802, 0x4e285802)),
    ("aes_v8_encrypt/192", "opcode: aesmc v2, v2 -> aesimc v2, v2",
     ins(0x18, 0x4e286842, 0x4e287842)),
    ("aes_v8_encrypt/256", "round count: sub w3, w3, #2 -> #4", ins(0xc, 0x51000863, 0x51001063)),
    ("aes_v8_encrypt/128", "register: final eor v2, v2, v0 -> v1", ins(0x44, 0x6e201c42, 0x6e211c42)),
    ("aes_v8_encrypt/128", "register: last aese v2, v1 -> v2, v0", ins(0x40, 0x4e284822, 0x4e284802)),
    # the sequence (replayed by running both routines concretely)
    ("aes_v8_e2e/128", "set_encrypt_key: aese v6, v0 -> aesd v6, v0",
     ins(0x6c, 0x4e284806, 0x4e285806)),
    ("aes_v8_e2e/256", "encrypt: aesmc v2, v2 -> aesimc v2, v2",
     encrypt_in_e2e(0x18, 0x4e286842, 0x4e287842)),
]

EQUIVALENT = [
    ("aes_v8_set_encrypt_key/128", "swap independent ext v5 / st1 {v3.4s}", swap(0x64, 0x68)),
    ("aes_v8_set_encrypt_key/256", "element size: ld1 {v3.16b} -> {v3.4s} (same bytes)",
     ins(0x44, 0x4cdf7003, 0x4cdf7803)),
    ("aes_v8_encrypt/192", "element size: ld1 {v0.4s} -> {v0.16b} (same bytes)",
     ins(0x4, 0x4cdf7840, 0x4cdf7040)),
]


def _run(name, build):
    proof = registry.make(name)
    image = load_image(proof.object_spec())
    patches = build(proof, image)
    report = proof.check(patches=patches)
    # every patched word shows in the listing diffs: instructions, and the words of
    # the constant table (rcon) the proof reads
    assert len(report.listing_diffs) == len(patches)
    return proof, report


@pytest.mark.parametrize("name,what,build", [pytest.param(*e, id=f"{e[0]}: {e[1]}")
                                             for e in REFUTED])
def test_aes_mutant_refuted(openssl_lib, name, what, build):
    proof, report = _run(name, build)
    assert report.status == "refuted", [(r.name, r.status, r.method) for r in report.results]
    assert any(r.counterexample is not None for r in report.results if r.status == "refuted")
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert "WARNING" not in report.replay, report.replay
    assert proof.confirmed is True


@pytest.mark.parametrize("name,what,build", [pytest.param(*e, id=f"{e[0]}: {e[1]}")
                                             for e in EQUIVALENT])
def test_aes_equivalent_mutant_proved(openssl_lib, name, what, build):
    proof, report = _run(name, build)
    assert report.status == "proved", [(r.name, r.status, r.method, r.detail)
                                       for r in report.failed]
    assert not getattr(proof, "confirmed", False)
