"""The lemma cache cannot be forged: an entry is never believed, its lemma is
checked again on load (its recorded rung re-run, or sampled with a bound on the
error), so a hand-written entry for a false lemma -- whatever rung, status, key
or signature it claims -- is rejected and the lemma refuted; proofs name the
cache, and how each lemma was re-checked, when they used it."""
from __future__ import annotations

import hashlib
import hmac
import json
import os

import pytest

from lnsym.proof import lemma_cache
from lnsym.proof.lemma import Lemma, LemmaRefuted
from lnsym.terms.bv import and_, clmul, concat, const, eq, extract, ite, var

x = var("x", 8)
y = var("y", 8)
x64 = var("x", 64)
MAGIC = 0x123456789ABCDEF0


def false_lemma():
    return Lemma("x is zero", x, const(0, 8))


def never_magic():
    """False at one input in 2^64: random inputs never show it."""
    return Lemma("x is never 0x123456789abcdef0", eq(x64, const(MAGIC, 64)), const(0, 1))


def forge(lem, methods, **extra):
    """An entry written by hand, as complete as lnsym's own, and signed: an HMAC
    under a key kept in the cache directory, as the cache once did."""
    lem.cache_path().parent.mkdir(parents=True, exist_ok=True)
    rec = {"key": lem.key(), "status": "proved", "name": lem.name,
           "statement": lem.statement_hash(), "equations": len(lem.lhs), "methods": methods,
           "variables": [v.params[0] for v in lem.variables], "depends": list(lem.depends),
           **extra}
    key = os.urandom(32)
    (lemma_cache.cache_dir() / ".key").write_bytes(key)
    body = json.dumps([rec["key"], rec["status"], rec["statement"], rec["methods"]],
                      sort_keys=True).encode()
    rec["mac"] = hmac.new(key, body, hashlib.sha256).hexdigest()
    lem.cache_path().write_text(json.dumps(rec))
    return rec


def test_bare_entry_for_a_false_lemma_is_rejected(lemma_dir):
    lem = false_lemma()
    lem.cache_path().parent.mkdir(parents=True, exist_ok=True)
    lem.cache_path().write_text(json.dumps({"key": lem.key(), "status": "proved"}))
    with pytest.raises(LemmaRefuted):
        lem.prove(5)
    assert not lem.proved


@pytest.mark.parametrize("rung", lemma_cache.RUNGS)
def test_signed_entry_for_x_never_magic_is_rejected_whatever_rung_it_claims(lemma_dir, rung):
    """The adversary's case: a complete entry, signed with the cache's own key."""
    lem = never_magic()
    forge(lem, [rung])
    methods, problem = lemma_cache.read_entry(lem, lem.cache_path())
    assert methods == [rung] and problem == ""               # well-formed, and yet:
    route, problem = lemma_cache.recheck(lem, methods, 5)
    assert route == "" and f"recorded rung ({rung})" in problem
    with pytest.raises(LemmaRefuted) as refuted:
        lem.prove(5)
    assert refuted.value.counterexample == {"x": MAGIC}
    assert not lem.proved


def test_forged_rung_for_a_true_looking_gf2_lemma_is_rejected_by_sampling(lemma_dir):
    """clmul distributes over XOR -- except, here, one product bit when a0 = b0 = 1:
    a degree-2 lemma false on a quarter of the inputs.  The entry claims the GF(2)
    normal form proved it; sampling (fresh inputs) rejects it."""
    a, b, c = var("a", 32), var("b", 32), var("c", 32)
    flip = concat(const(0, 63), and_(extract(a, 0, 0), extract(b, 0, 0)))
    lem = Lemma("clmul distributes (wrongly)", clmul(a ^ b, c), clmul(a, c) ^ clmul(b, c) ^ flip)
    forge(lem, ["gf2-anf"])
    route, problem = lemma_cache.recheck(lem, ["gf2-anf"], 5)
    assert route == "" and "false on a random input" in problem
    with pytest.raises(LemmaRefuted):
        lem.prove(5)


def test_entry_claiming_structural_for_a_false_lemma_is_rejected(lemma_dir):
    lem = Lemma("ite folds", ite(eq(x, const(3, 8)), y, x), x)
    forge(lem, ["structural"])
    with pytest.raises(LemmaRefuted):
        lem.prove(5)


def test_entry_naming_no_rung_is_unusable(lemma_dir):
    lem = false_lemma()
    forge(lem, ["trust me"])
    methods, problem = lemma_cache.read_entry(lem, lem.cache_path())
    assert methods is None and "rungs" in problem
    with pytest.raises(LemmaRefuted):
        lem.prove(5)


def test_copying_a_genuine_entry_to_another_key_is_rejected(lemma_dir):
    good = Lemma("xor commutes", x ^ y, y ^ x).prove(5)
    rec = json.loads(good.cache_path().read_text())
    lem = false_lemma()
    rec["key"] = lem.key()                   # the statement hash is still the other lemma's
    lem.cache_path().write_text(json.dumps(rec))
    assert "not an entry for this statement" in lemma_cache.read_entry(lem, lem.cache_path())[1]
    with pytest.raises(LemmaRefuted):
        lem.prove(5)


def _cached_again(make):
    make().prove(10)
    with lemma_cache.lemmas_used() as used:
        again = make().prove(10)
    assert again.proved and again.how.startswith("cached")
    return again, lemma_cache.cache_trust(used)


def test_structural_entry_is_re_checked_structurally_and_named(lemma_dir):
    again, trust = _cached_again(lambda: Lemma("xor commutes", x ^ y, y ^ x))
    assert "re-checked by re-running the recorded rung (structural)" in again.how
    (line,) = trust
    assert str(lemma_dir) in line and "not trusted" in line
    assert "xor commutes re-checked on load by re-running the recorded rung (structural)" in line


def test_gf2_entry_is_re_checked_by_sampling(lemma_dir):
    a, b, c = var("a", 32), var("b", 32), var("c", 32)
    again, trust = _cached_again(lambda: Lemma("clmul distributes", clmul(a ^ b, c),
                                               clmul(a, c) ^ clmul(b, c)))
    assert "re-checked by sampling" in again.how
    (line,) = trust
    assert "clmul distributes re-checked on load by sampling (241 random inputs, GF(2) " \
           "degree ≤ 2 verified: a false equation passes with probability < 2^-100)" in line


def test_smt_entry_is_re_checked_by_its_rung(lemma_dir):
    again, trust = _cached_again(lambda: Lemma("ite of x = 0", ite(eq(x, const(0, 8)),
                                                                   const(0, 8), x), x))
    assert again.how.endswith("re-checked by re-running the recorded rung (smt)")
    assert "ite of x = 0 re-checked on load by re-running the recorded rung (smt)" in trust[0]


def test_cache_disabled_proves_afresh(lemma_dir, monkeypatch):
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


USER_PROOF = '''
from lnsym.proof.lemma import Lemma
from lnsym.proof.routine import Corollary
from lnsym.terms.bv import clmul, var
from proofs.sha512_block_armv8 import Sha512BlockArmv8


class Sha512ThenALemma(Sha512BlockArmv8):
    variants = ({"blocks": 1},)

    def corollaries(self, st, setup):
        a, b, c = var("a", 32), var("b", 32), var("c", 32)

        def derive():
            lem = Lemma("clmul distributes", clmul(a ^ b, c), clmul(a, c) ^ clmul(b, c)).prove()
            return True, "lemma", lem.how
        return [Corollary("clmul distributes", (), derive)]
'''


@pytest.mark.openssl
def test_prove_names_the_cache_and_no_cache_proves_afresh(openssl_lib, lemma_dir, tmp_path):
    """A proof file whose corollary rests on a lemma: proved on the first run, taken
    from the cache (and re-checked, and named) on the second, afresh with --no-cache."""
    import subprocess
    import sys
    proof_file = tmp_path / "with_lemma.py"
    proof_file.write_text(USER_PROOF)

    def trusted(*extra):
        r = subprocess.run([sys.executable, "-m", "lnsym", "prove", str(proof_file), "--json",
                            *extra], check=False, capture_output=True, text=True,
                           timeout=300, env=dict(os.environ, LNSYM_LEMMA_DIR=str(lemma_dir)))
        assert r.returncode == 0, r.stderr
        (rep,) = json.loads(r.stdout)
        assert rep["status"] == "proved"
        return [t for t in rep["trusted_base"] if t.startswith("lemma cache")]
    assert trusted() == []                        # empty cache: the lemma is proved
    (line,) = trusted()                           # then taken from the cache, and named
    assert str(lemma_dir) in line
    assert "clmul distributes re-checked on load by sampling (241 random inputs" in line
    assert trusted("--no-cache") == []
