"""The lemma cache cannot be forged: an entry that lnsym did not write with this
cache's key, or whose statement is false on random inputs, is rejected and the
lemma proved again; proofs name the cache when they used it."""
from __future__ import annotations

import json

import pytest

from lnsym.proof import lemma_cache
from lnsym.proof.lemma import Lemma, LemmaRefuted
from lnsym.terms.bv import const, var

x = var("x", 8)


def false_lemma():
    return Lemma("x is zero", x, const(0, 8))


def write_entry(lem, **extra):
    lem.cache_path().parent.mkdir(parents=True, exist_ok=True)
    rec = {"key": lem.key(), "status": "proved", **extra}
    lem.cache_path().write_text(json.dumps(rec))
    return rec


def test_forged_entry_for_a_false_lemma_is_rejected(lemma_dir):
    lem = false_lemma()
    write_entry(lem)                          # {"key", "status": "proved"}, nothing behind it
    with pytest.raises(LemmaRefuted):
        lem.prove(5)
    assert not lem.proved


def test_forged_entry_with_statement_and_a_guessed_mac_is_rejected(lemma_dir):
    lem = false_lemma()
    write_entry(lem, statement=lem.statement_hash(), methods=["structural"], mac="0" * 64)
    with pytest.raises(LemmaRefuted):
        lem.prove(5)


def test_entry_with_a_valid_mac_but_a_false_statement_is_rejected(lemma_dir):
    """Even with the key (the HMAC checks), the random re-check catches x == 0."""
    lem = false_lemma()
    rec = {"key": lem.key(), "status": "proved", "statement": lem.statement_hash(),
           "methods": ["structural"]}
    rec["mac"] = lemma_cache.entry_mac(rec)
    lem.cache_path().write_text(json.dumps(rec))
    with pytest.raises(LemmaRefuted):
        lem.prove(5)


def test_genuine_entry_is_used_and_named_in_the_trusted_base(lemma_dir):
    y = var("y", 8)
    Lemma("xor commutes", x ^ y, y ^ x).prove(5)
    with lemma_cache.lemmas_used() as used:
        again = Lemma("xor commutes", x ^ y, y ^ x).prove(5)
    assert again.how.startswith("cached")
    trust = lemma_cache.cache_trust(used)
    assert len(trust) == 1 and "xor commutes" in trust[0] and str(lemma_dir) in trust[0]


def test_copying_a_genuine_entry_to_another_key_is_rejected(lemma_dir):
    y = var("y", 8)
    good = Lemma("xor commutes", x ^ y, y ^ x).prove(5)
    rec = json.loads(good.cache_path().read_text())
    lem = false_lemma()
    rec["key"] = lem.key()                   # the MAC covers the key: it no longer checks
    lem.cache_path().write_text(json.dumps(rec))
    with pytest.raises(LemmaRefuted):
        lem.prove(5)


def test_cache_disabled_proves_afresh(lemma_dir, monkeypatch):
    y = var("y", 8)
    Lemma("xor commutes", x ^ y, y ^ x).prove(5)
    lemma_cache.set_cache_enabled(False)
    try:
        with lemma_cache.lemmas_used() as used:
            again = Lemma("xor commutes", x ^ y, y ^ x).prove(5)
    finally:
        lemma_cache.set_cache_enabled(True)
    assert again.how.startswith("proved") and lemma_cache.cache_trust(used) == []
    monkeypatch.setenv("LNSYM_NO_LEMMA_CACHE", "1")
    assert Lemma("xor commutes", x ^ y, y ^ x).prove(5).how.startswith("proved")


@pytest.mark.openssl
def test_prove_names_the_cache_and_no_cache_proves_afresh(openssl_lib, lemma_dir):
    import os
    import subprocess
    import sys

    def trusted(*extra):
        r = subprocess.run([sys.executable, "-m", "lnsym", "prove", "KeccakF1600_ce", "--json",
                            *extra], capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, LNSYM_LEMMA_DIR=str(lemma_dir)))
        assert r.returncode == 0, r.stderr
        (rep,) = json.loads(r.stdout)
        assert rep["status"] == "proved"
        return [t for t in rep["trusted_base"] if t.startswith("lemma cache")]
    assert trusted() == []                        # empty cache: the round lemma is proved
    (line,) = trusted()                           # then taken from the cache, and named
    assert "keccak-round" in line and str(lemma_dir) in line
    assert trusted("--no-cache") == []
