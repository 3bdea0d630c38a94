"""AES decryption proofs (aes_v8_set_decrypt_key, aes_v8_decrypt and the two in
sequence against FIPS 197's InvCipher): they pass, and mutants of the real code
are refuted with a counterexample confirmed by concrete replay."""
from __future__ import annotations

import pytest

from lnsym.elf.image import load_image
from proofs import registry

pytestmark = pytest.mark.openssl

_IMAGES: dict = {}


def _proof(name, openssl_lib):
    proof = registry.make(name)
    if proof.member not in _IMAGES:
        _IMAGES[proof.member] = load_image(f"{openssl_lib}:{proof.member}")
    return proof, _IMAGES[proof.member]


@pytest.mark.parametrize("name", ["aes_v8_set_decrypt_key/128", "aes_v8_set_decrypt_key/256",
                                  "aes_v8_decrypt/192", "aes_v8_decrypt_e2e/128"])
def test_proved(name, openssl_lib):
    proof, _ = _proof(name, openssl_lib)
    report = proof.check(f"{openssl_lib}:{proof.member}", timeout=60)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert not report.listing_diffs
    if "set_decrypt_key" in name or "e2e" in name:     # the schedule loop compares pointers
        assert any("regions do not wrap" in t and t.startswith("z3") for t in report.trusted_base)


# (proof, routine, offset, old word, new word, what)
REFUTED = [
    ("aes_v8_decrypt/128", "aes_v8_decrypt", 0x14, 0x4E285802, 0x4E284802, "aesd -> aese"),
    ("aes_v8_decrypt/128", "aes_v8_decrypt", 0x18, 0x4E287842, 0x4E286842, "aesimc -> aesmc"),
    ("aes_v8_decrypt/256", "aes_v8_decrypt", 0x44, 0x6E201C42, 0x6E211C42, "last eor with v1"),
    ("aes_v8_decrypt/192", "aes_v8_decrypt", 0x0C, 0x51000863, 0x51001063, "two rounds fewer"),
    ("aes_v8_decrypt/128", "aes_v8_decrypt", 0x34, 0x4E285802, 0x4E285822, "aesd with v1"),
    ("aes_v8_set_decrypt_key/128", "aes_v8_set_decrypt_key", 0x3C, 0x4E287800, 0x4E286800,
     "loop: aesimc v0 -> aesmc"),
    ("aes_v8_set_decrypt_key/192", "aes_v8_set_decrypt_key", 0x40, 0x4E287821, 0x4E286821,
     "loop: aesimc v1 -> aesmc"),
    ("aes_v8_set_decrypt_key/256", "aes_v8_set_decrypt_key", 0x58, 0x4E287800, 0x4E286800,
     "middle key: aesimc -> aesmc"),
    ("aes_v8_set_decrypt_key/128", "aes_v8_set_decrypt_key", 0x50, 0x54FFFF28, 0x54FFFF22,
     "loop bound b.hi -> b.hs"),
    ("aes_v8_set_decrypt_key/128", "aes_v8_set_decrypt_key", 0x2C, 0x4C847800, 0x4C9F7800,
     "order: st1 post-index -16 -> +16"),
    ("aes_v8_decrypt_e2e/128", "aes_v8_decrypt", 0x14, 0x4E285802, 0x4E284802,
     "decrypt: aesd -> aese"),
    ("aes_v8_decrypt_e2e/256", "aes_v8_set_decrypt_key", 0x3C, 0x4E287800, 0x4E286800,
     "schedule: aesimc -> aesmc"),
]


@pytest.mark.parametrize("name,routine,off,old,new,what", REFUTED,
                         ids=[f"{r[0]}: {r[5]}" for r in REFUTED])
def test_mutant_refuted(name, routine, off, old, new, what, openssl_lib):
    proof, image = _proof(name, openssl_lib)
    addr = image.symbol(routine).addr + off
    assert int.from_bytes(image.read(addr, 4), "little") == old
    report = proof.check(f"{openssl_lib}:{proof.member}", patches={addr: new}, timeout=30)
    assert report.status == "refuted", what
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert len(report.listing_diffs) == 1


def test_encryption_schedule_code_is_listed_for_set_decrypt_key(openssl_lib):
    """set_decrypt_key runs set_encrypt_key's schedule code: a change there is listed."""
    proof, image = _proof("aes_v8_set_decrypt_key/128", openssl_lib)
    enc = registry.make("aes_v8_set_encrypt_key/128")
    off, word, _ = enc.listing[0x38 // 4]
    addr = image.symbol("aes_v8_set_encrypt_key").addr + off
    report = proof.check(f"{openssl_lib}:{proof.member}", patches={addr: word ^ 0x20},
                         replay=False)
    (diff,) = report.listing_diffs
    assert diff[3].startswith("aes_v8_set_encrypt_key: ")
