"""GCM-AD composed from OpenSSL's calls (proofs/gcm_ad_e2e.py): proved and derived;
the derivation's composition and the real call sequence agree with ``cryptography``'s
AESGCM decryption; mutants of the decryption kernel's reduction constant and of
CRYPTO_memcmp's comparison are refuted and replayed."""
from __future__ import annotations

import random

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from test_aes_gcm_e2e import _assert_refuted, _inputs, _patches, _schedule, _without_corollaries

from lnsym.elf.image import load_image
from proofs import registry
from proofs.gcm_ad_e2e import GCM_AD, AesGcmAdE2E, derived_gcm_ad
from proofs.specs import aes, gcm
from proofs.specs.bytes import const_bytes, to_bytes
from proofs.specs.ghash import block_from_bytes, block_to_bytes

pytestmark = pytest.mark.openssl


@pytest.mark.parametrize("key_bytes,length,aad", [(16, 16, 0), (16, 64, 1), (32, 48, 1)])
def test_derived_composition_is_aesgcm_decryption(key_bytes, length, aad):
    """derived_gcm_ad at H = E_K(0^128), EK0 = E_K(J0): cryptography decrypts C to P
    with the tag T', and refuses any other tag."""
    rng = random.Random(key_bytes * 10 + length)
    key, iv = rng.randbytes(key_bytes), rng.randbytes(12)
    ct, ad = rng.randbytes(length), rng.randbytes(16 * aad)
    w = _schedule(key)
    EK0 = block_from_bytes(aes.cipher(block_to_bytes(gcm.pre_counter_block(const_bytes(iv))), w))
    P, T = derived_gcm_ad(w, gcm.hash_subkey(w), EK0, const_bytes(iv), const_bytes(ct),
                          const_bytes(ad))
    tag = to_bytes(block_to_bytes(T))
    assert AESGCM(key).decrypt(iv, ct + tag, ad) == to_bytes(P)
    with pytest.raises(InvalidTag):
        AESGCM(key).decrypt(iv, ct + bytes([tag[0] ^ 1]) + tag[1:], ad)


@pytest.mark.parametrize("length,aad", [(16, 0), (64, 1)])
def test_real_call_sequence_is_aesgcm_decryption(length, aad):
    """The proof's sequence run concretely on cryptography's ciphertext: out is the
    plaintext and Xi the tag it computed."""
    proof = AesGcmAdE2E(blocks=length // 16, aad=aad)
    image = load_image(proof.object_spec())
    rng = random.Random(length)
    for _ in range(2):
        key, iv = rng.randbytes(16), rng.randbytes(12)
        pt, ad = rng.randbytes(length), rng.randbytes(16 * aad)
        sealed = AESGCM(key).encrypt(iv, pt, ad)
        env = _inputs(key, iv, sealed[:length], ad)
        env["T"] = int.from_bytes(sealed[length:], "big")
        after = proof.run_concretely(image, env)
        assert after["out"][:length] == pt and after["ctx"][:16] == sealed[length:]


def test_gcm_ad_proved_and_derived():
    report = registry.make("aes_gcm_ad_e2e_128/1").check(timeout=60)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    [derived] = [r for r in report.results if r.name == GCM_AD]
    assert (derived.status, derived.method) == ("proved", "ring+field-laws")
    assert any(r.name.startswith("cut Tc") and r.status == "proved" for r in report.results)
    assert any("CRYPTO_memcmp" in t for t in report.trusted_base)
    assert not report.unstated


# (what, {symbol+offset: (old word, new word)}, the obligation refuted)
MUTANTS = [
    ("dec kernel: reduction constant movi #0xc2 -> #0xc3",
     {"aes_gcm_dec_128_kernel+0x950": (0x0F06E448, 0x0F06E468)}, "cut X"),
    ("CRYPTO_memcmp: csel x0, xzr, x0, eq -> ne",
     {"CRYPTO_memcmp+0x2c": (0x9A8003E0, 0x9A8013E0)}, "CRYPTO_memcmp"),
]


@pytest.mark.parametrize("what,table,obligation", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_refuted(what, table, obligation):
    proof = _without_corollaries(AesGcmAdE2E(blocks=1))
    patches = _patches(load_image(proof.object_spec()), table)
    report = proof.check(patches=patches, timeout=60)
    assert len(report.listing_diffs) == 1
    _assert_refuted(report, proof, obligation)


def test_registry_rows():
    for name in ("aes_gcm_ad_e2e_128/1", "aes_gcm_ad_e2e_128/4", "aes_gcm_ad_e2e_128/1+aad",
                 "aes_gcm_ad_e2e_256/1"):
        assert name in registry.PROOFS
    assert registry.make("aes_gcm_ad_e2e_128/1+aad").aad == 1
