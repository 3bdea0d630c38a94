"""AES-GCM composed from OpenSSL's calls (proofs/aes_gcm_e2e.py): the composed kernel
statement and the derived GCM-AE are proved; the derivation's composition and the real
call sequence agree with ``cryptography``'s AESGCM on concrete keys; mutants of each
routine in the sequence (a key-schedule round constant, H's block or round key,
gcm_init_v8's reduction constant, the kernel's counter increment, gcm_gmult_v8's
reduction constant) are refuted and replayed; a wrong length block stops the tag's
derivation."""
from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lnsym.elf.image import load_image
from lnsym.terms.bv import const
from proofs import registry
from proofs.aes_gcm_e2e import AesGcmE2E
from proofs.gcm_ae_e2e import AesGcmAeE2E, derived_gcm_ae
from proofs.specs import aes, gcm
from proofs.specs.bytes import be_words, const_bytes, to_bytes
from proofs.specs.ghash import block_from_bytes, block_to_bytes

pytestmark = pytest.mark.openssl


def _schedule(key: bytes) -> list:
    return aes.key_expansion(be_words(const_bytes(key), 4), len(key) // 4)


@pytest.mark.parametrize("key_bytes,length,aad", [(16, 16, 0), (16, 64, 1), (24, 32, 1),
                                                  (32, 48, 0), (16, 20, 1)])
def test_derived_composition_is_aesgcm(key_bytes, length, aad):
    """derived_gcm_ae at H = E_K(0^128), EK0 = E_K(J0) is cryptography's AES-GCM."""
    rng = random.Random(key_bytes * 100 + length)
    key, iv = rng.randbytes(key_bytes), rng.randbytes(12)
    pt, ad = rng.randbytes(length), rng.randbytes(16 * aad)
    w = _schedule(key)
    J0 = gcm.pre_counter_block(const_bytes(iv))
    EK0 = block_from_bytes(aes.cipher(block_to_bytes(J0), w))
    C, T = derived_gcm_ae(w, gcm.hash_subkey(w), EK0, const_bytes(iv), const_bytes(pt),
                          const_bytes(ad))
    assert to_bytes(C) + to_bytes(block_to_bytes(T)) == AESGCM(key).encrypt(iv, pt, ad)


def _inputs(key, iv, pt, ad) -> dict:
    env = {f"userKey[{i}]": b for i, b in enumerate(key)}
    env.update({f"in[{i}]": b for i, b in enumerate(pt)})
    env.update({f"aad[{i}]": b for i, b in enumerate(ad)})
    env["IV"] = int.from_bytes(iv, "big")
    return env


@pytest.mark.parametrize("length,aad", [(16, 0), (64, 1), (20, 0)])
def test_real_call_sequence_is_aesgcm(length, aad):
    """The proof's sequence (calls and the caller's glue) run concretely gives
    cryptography's ciphertext and tag (a partial last block included)."""
    proof = AesGcmAeE2E(bytes=length, aad=aad)
    image = load_image(proof.object_spec())
    rng = random.Random(length)
    for _ in range(3):
        key, iv = rng.randbytes(16), rng.randbytes(12)
        pt, ad = rng.randbytes(length), rng.randbytes(16 * aad)
        after = proof.run_concretely(image, _inputs(key, iv, pt, ad))
        assert after["out"][:length] + after["ctx"][:16] == AESGCM(key).encrypt(iv, pt, ad)


def _report(proof, patches=None):
    return proof.check(patches=patches, timeout=60)


def test_composed_kernel_proved_with_algorithm_2():
    report = _report(registry.make("aes_gcm_e2e_128/1"))
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    names = [r.name for r in report.results]
    assert any(n.startswith("cut w:") for n in names) and any(n.startswith("cut H:") for n in names)
    derived = [r for r in report.results if "Algorithm 2" in r.name]
    assert [(r.status, r.method) for r in derived] == [("proved", "ring+field-laws")]
    assert not report.unstated
    assert any("BSWAP8" in t for t in report.trusted_base)
    assert any("cut points" in t for t in report.trusted_base)


def test_gcm_ae_proved_and_derived():
    report = _report(registry.make("aes_gcm_ae_e2e_128/1"))
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    [derived] = [r for r in report.results if "GCM-AE" in r.name]
    assert (derived.status, derived.method) == ("proved", "ring+field-laws")
    assert any("derived_gcm_ae" in t for t in report.trusted_base)


def test_wrong_length_block_is_not_derived():
    """The tag's derivation checks the hashed length block against §7.1's: with
    [len(C)]_64 wrong it is not derived (before any algebra)."""
    proof = AesGcmAeE2E(blocks=1)
    st, _setup = proof.start(load_image(proof.object_spec()))
    proof.sequence(st)
    proof.L = gcm.length_block(0, 32)
    holds, _method, detail = proof.derive_gcm_ae(st)
    assert not holds and "GHASH_H(A || C" in detail


def _without_corollaries(proof):
    proof.corollaries = lambda st, setup: []
    return proof


class NonZeroH(AesGcmE2E):
    """The caller encrypts the block 01..01 for H instead of the zero block."""
    def ctx_region(self, Xi0):
        region = super().ctx_region(Xi0)
        init = region.init
        region.init = lambda off: const(1, 8) if 16 <= off < 32 else init(off)
        return region


# (what, params, {symbol+offset: (old word, new word)}, the obligation refuted)
MUTANTS = [
    ("key schedule: rcon doubling shl #1 -> #2", {"blocks": 1},
     {"aes_v8_set_encrypt_key+0x8c": (0x4F095421, 0x4F0A5421)}, "cut w"),
    ("H: last round key eor v0 -> v1 in aes_v8_encrypt", {"blocks": 1},
     {"aes_v8_encrypt+0x44": (0x6E201C42, 0x6E211C42)}, "cut H"),
    ("gcm_init_v8: reduction constant movi #0xe1 -> #0xe3", {"blocks": 1},
     {"gcm_init_v8+0x4": (0x4F07E433, 0x4F07E473)}, "cut Htable"),
    ("kernel: counter increment add w12, w12, #1 -> #2", {"blocks": 2},
     {"aes_gcm_enc_128_kernel+0x64": (0x1100058C, 0x1100098C)}, "out"),
]


def _patches(image, table: dict) -> dict:
    out = {}
    for where, (old, new) in table.items():
        symbol, off = where.split("+")
        addr = image.symbol(symbol).addr + int(off, 16)
        assert int.from_bytes(image.read(addr, 4), "little") == old, where
        out[where] = new
    return out


def _assert_refuted(report, proof, obligation: str):
    assert report.status == "refuted", [(r.name, r.status, r.method) for r in report.failed]
    assert any(r.status == "refuted" and r.name.startswith(obligation) for r in report.results)
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert "WARNING" not in report.replay, report.replay
    assert proof.confirmed is True


@pytest.mark.parametrize("what,params,table,obligation", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_refuted(what, params, table, obligation):
    proof = _without_corollaries(AesGcmE2E(**params))
    patches = _patches(load_image(proof.object_spec()), table)
    report = _report(proof, patches)
    assert len(report.listing_diffs) == 1
    _assert_refuted(report, proof, obligation)


def test_h_of_a_nonzero_block_refuted():
    proof = _without_corollaries(NonZeroH(blocks=1))
    _assert_refuted(_report(proof), proof, "cut H")


def test_gcm_ae_mutant_in_gmult_refuted():
    """gcm_gmult_v8 (the length block's multiplication) with a wrong reduction constant:
    the tag is refuted."""
    proof = _without_corollaries(AesGcmAeE2E(blocks=1))
    image = load_image(proof.object_spec())
    patches = _patches(image, {"gcm_gmult_v8+0x4": (0x4F07E433, 0x4F07E473)})
    report = _report(proof, patches)
    _assert_refuted(report, proof, "tag")


def test_registry_rows():
    for name in ("aes_gcm_e2e_128/1", "aes_gcm_e2e_128/4", "aes_gcm_e2e_128/20bytes",
                 "aes_gcm_e2e_192/1", "aes_gcm_e2e_256/1", "aes_gcm_ae_e2e_128/1",
                 "aes_gcm_ae_e2e_128/4", "aes_gcm_ae_e2e_128/1+aad", "aes_gcm_ae_e2e_128/20bytes",
                 "aes_gcm_ae_e2e_256/1"):
        assert name in registry.PROOFS
    assert registry.make("aes_gcm_e2e_128/20bytes").length == 20
    assert registry.make("aes_gcm_ae_e2e_128/1+aad").aad == 1
    assert registry.make("aes_gcm_ae_e2e_128/20bytes").length == 20
