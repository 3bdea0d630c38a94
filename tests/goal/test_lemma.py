"""Lemmas: proven once and cached, refuted ones never cached, rewriting and instances."""
from __future__ import annotations

import json

import pytest

from lnsym.machine.asl import ROL, ROR
from lnsym.proof.goal import Goal
from lnsym.proof.lemma import Lemma, LemmaRefuted, LemmaUnknown, cache_dir, term_hash
from lnsym.terms.bv import add, concat, const, extract, udiv, var

a, b = var("a", 32), var("b", 32)
p, q = var("p", 32), var("q", 32)


def test_true_lemma_is_cached_and_reused(lemma_dir):
    lem = Lemma("rol-ror", ROL(a, 8) ^ b, ROR(a, 24) ^ b)
    assert not lemma_dir.exists() or not any(lemma_dir.iterdir())
    lem.prove(5)
    assert lem.proved and lem.how.startswith("proved")
    files = [f for f in lemma_dir.iterdir() if f.name != ".key"]     # .key: the HMAC key
    assert [f.name for f in files] == [lem.cache_path().name] and cache_dir() == lemma_dir
    rec = json.loads(files[0].read_text())
    assert rec["status"] == "proved" and rec["variables"] == ["a", "b"]
    again = Lemma("rol-ror, restated", ROL(a, 8) ^ b, ROR(a, 24) ^ b).prove(5)
    assert again.how.startswith("cached")


def test_false_lemma_is_refuted_and_not_cached(lemma_dir):
    lem = Lemma("add-is-xor", add(a, b), a ^ b)
    with pytest.raises(LemmaRefuted) as e:
        lem.prove(5)
    cex = e.value.counterexample
    assert (cex["a"] + cex["b"]) & 0xFFFFFFFF != cex["a"] ^ cex["b"]
    assert not lem.proved
    assert not lemma_dir.exists() or not any(f.suffix == ".json" for f in lemma_dir.iterdir())
    with pytest.raises(LemmaUnknown):
        lem.instance({"a": 1, "b": 2})        # an unproven lemma cannot be used


def test_key_depends_on_statement_and_sources(monkeypatch):
    k1 = Lemma("l", ROL(a, 8) ^ b, ROR(a, 24) ^ b).key()
    assert Lemma("l", ROL(a, 9) ^ b, ROR(a, 23) ^ b).key() != k1
    from lnsym.proof import lemma as mod
    monkeypatch.setitem(mod._source_hashes, ("lnsym", "isa_specs"), "other semantics")
    assert Lemma("l", ROL(a, 8) ^ b, ROR(a, 24) ^ b).key() != k1


def test_term_hash_ignores_creation_order():
    x1 = var("fresh_u", 8) ^ var("fresh_v", 8)
    assert term_hash(x1) == term_hash(var("fresh_v", 8) ^ var("fresh_u", 8))
    assert term_hash(x1) != term_hash(var("fresh_u", 8) & var("fresh_v", 8))


def test_rewrite_by_matching_and_by_instance():
    # pattern variables p, q; the instance has other argument order (AC matching)
    u = udiv(p, q)
    lem = Lemma("double", add(u, u, p), concat(extract(u, 30, 0), const(0, 1)) + p).prove(5)
    x, y, z = var("x", 32), var("y", 32), var("z", 32)
    v = udiv(x ^ y, z)
    t = add(v, v, x ^ y) ^ z
    new, n = lem.rewrite(t)
    assert n == 1 and new is add(concat(extract(v, 30, 0), const(0, 1)), x ^ y) ^ z
    h = Goal("h", t, z).rewrite(lem)
    assert h.lhs is new and "rewrite(double)" in h.history[-1]
    with pytest.raises(ValueError):
        Goal("none", x, y).rewrite(lem)
    g = Goal("g", t, t).use(lem, p=x ^ y, q=z)
    assert g.lhs is new and g.rhs is new
    L, R = lem.instance({"p": x, "q": 7})
    assert L[0] is add(udiv(x, const(7, 32)), udiv(x, const(7, 32)), x)
