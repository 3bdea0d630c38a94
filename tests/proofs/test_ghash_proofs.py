"""GHASH proofs (gcm_init_v8, gcm_gmult_v8, gcm_ghash_v8): they pass, mutants of the
real code are refuted with a counterexample confirmed by concrete replay, and an
equivalent mutant (two independent instructions swapped) is still proved."""
from __future__ import annotations

import pytest
from patching import instruction_patch, swap_patch

from lnsym.elf.image import load_image
from proofs import registry

pytestmark = pytest.mark.openssl

_CACHE: dict = {}


def proof_and_image(name, openssl_lib):
    proof = registry.make(name)
    key = proof.member
    if key not in _CACHE:
        _CACHE[key] = load_image(f"{openssl_lib}:{proof.member}")
    return proof, _CACHE[key]


@pytest.mark.parametrize("name", ["gcm_gmult_v8", "gcm_ghash_v8/1", "gcm_ghash_v8/2",
                                  "gcm_ghash_v8/3", "gcm_ghash_v8/4", "gcm_init_v8",
                                  "gcm_init+gmult_v8", "gcm_init+ghash_v8/5"])
def test_proved(name, openssl_lib):
    proof, _ = proof_and_image(name, openssl_lib)
    report = proof.check(f"{openssl_lib}:{proof.member}", timeout=60)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert any(r.method == "gf2-anf" for r in report.results)
    if "ghash" in name:        # the standard's statement, derived by the algebra step
        derived = [r for r in report.results if "Algorithm 2" in r.name]
        assert [r.status for r in derived] == ["proved"]
        assert derived[0].method == "ring+field-laws"
        assert any("linear maps agreeing on a basis" in t for t in report.trusted_base)


MOVI_E1, MOVI_E3 = 0x4F07E433, 0x4F07E473        # movi v19.16b, #0xe1 -> #0xe3 (0xc2.. -> 0xc6..)

# (proof, what, offset, old word, new word)
REFUTED = [
    ("gcm_gmult_v8", "reduction constant movi #0xe1 -> #0xe3", 0x04, MOVI_E1, MOVI_E3),
    ("gcm_gmult_v8", "lane swap: ext v3, v17, v17, #8 -> #4", 0x14, 0x6E114223, 0x6E112223),
    ("gcm_gmult_v8", "pmull v0 -> pmull2 v0", 0x18, 0x0EE3E280, 0x4EE3E280),
    ("gcm_gmult_v8", "eor v17, v17, v3 -> v0", 0x1C, 0x6E231E31, 0x6E201E31),
    ("gcm_gmult_v8", "eor v18, v0, v2 -> v0, v1", 0x2C, 0x6E221C12, 0x6E211C12),
    ("gcm_gmult_v8", "rev64 v0 -> rev32 v0", 0x58, 0x4E200800, 0x6E200800),
    ("gcm_ghash_v8/1", "reduction constant movi #0xe1 -> #0xe3", 0x18, MOVI_E1, MOVI_E3),
    ("gcm_ghash_v8/1", "pmull v0 -> pmull2 v0 (1-block tail)", 0x10C, 0x0EE3E280, 0x4EE3E280),
    ("gcm_ghash_v8/1", "eor v17, v17, v3 -> v0", 0x110, 0x6E231E31, 0x6E201E31),
    ("gcm_ghash_v8/1", "eor v3, v3, v0 -> v2 (Xi not folded in)", 0x104, 0x6E201C63, 0x6E221C63),
    ("gcm_ghash_v8/1", "lane swap: ext v18, v0, v0, #8 -> #4", 0x13C, 0x6E004012, 0x6E002012),
    ("gcm_ghash_v8/4", "4x path: reduction constant movi #0xe1 -> #0xe3", 0x168, MOVI_E1, MOVI_E3),
    ("gcm_ghash_v8/4", "4x path: pmull v29 -> pmull2 v29", 0x198, 0x0EF9E29D, 0x4EF9E29D),
    ("gcm_init_v8", "reduction constant movi #0xe1 -> #0xe3", 0x04, MOVI_E1, MOVI_E3),
    ("gcm_init_v8", "lane swap: ext v3, v17, v17, #8 -> #4", 0x0C, 0x6E114223, 0x6E112223),
    ("gcm_init_v8", "sshr v17.4s, #31 -> #30 (twist mask)", 0x20, 0x4F210631, 0x4F220631),
    ("gcm_init_v8", "H^2: pmull v0 -> pmull2 v0", 0x44, 0x0EF4E280, 0x4EF4E280),
    ("gcm_init_v8", "H^2 Karatsuba: eor v16, v16, v20 -> v0", 0x48, 0x6E341E10, 0x6E201E10),
    ("gcm_init_v8", "H^3: pmull v0 -> pmull2 v0", 0x94, 0x0EF6E280, 0x4EF6E280),
]


@pytest.mark.parametrize("name,what,off,old,new", REFUTED, ids=[f"{r[0]}: {r[1]}" for r in REFUTED])
def test_mutant_refuted(name, what, off, old, new, openssl_lib):
    proof, image = proof_and_image(name, openssl_lib)
    patches = instruction_patch(proof, image, off, old, new)
    report = proof.check(f"{openssl_lib}:{proof.member}", patches=patches, timeout=30)
    assert report.status == "refuted", what
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert report.listing_diffs


# init+ghash in sequence: (proof, what, routine, offset in that routine, old, new)
COMPOSED = [
    ("gcm_init+ghash_v8/2", "init: reduction constant movi #0xe1 -> #0xe3", "gcm_init_v8",
     0x04, MOVI_E1, MOVI_E3),
    ("gcm_init+ghash_v8/4", "init: H^4 squaring pmull v5 -> pmull2 v5", "gcm_init_v8",
     0x98, 0x0EF6E2C5, 0x4EF6E2C5),
    ("gcm_init+ghash_v8/4", "init: kara(H^3, H^4) eor v17, v17, v22 -> v20", "gcm_init_v8",
     0x118, 0x6E361E31, 0x6E341E31),
    ("gcm_init+ghash_v8/3", "ghash 2-block loop: pmull v4 -> pmull2 v4", "gcm_ghash_v8",
     0x50, 0x0EE7E284, 0x4EE7E284),
    ("gcm_init+ghash_v8/4", "ghash 4x: pmull v16 -> pmull2 v16", "gcm_ghash_v8",
     0x1A8, 0x0EF8E2D0, 0x4EF8E2D0),
    ("gcm_init+ghash_v8/8", "ghash 4x, second round: pmull v16 -> pmull2 v16", "gcm_ghash_v8",
     0x260, 0x0EF8E2D0, 0x4EF8E2D0),
]


@pytest.mark.parametrize("name,what,routine,off,old,new", COMPOSED,
                         ids=[f"{r[0]}: {r[1]}" for r in COMPOSED])
def test_composed_mutant_refuted(name, what, routine, off, old, new, openssl_lib):
    proof, image = proof_and_image(name, openssl_lib)
    addr = image.symbol(routine).addr + off
    assert int.from_bytes(image.read(addr, 4), "little") == old
    report = proof.check(f"{openssl_lib}:{proof.member}", patches={addr: new}, timeout=30)
    assert report.status == "refuted", what
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert report.listing_diffs
    derived = [r for r in report.results if "Algorithm 2" in r.name]
    assert [r.status for r in derived] == ["stuck"]      # never derived from a refuted output


EQUIVALENT = [
    ("gcm_gmult_v8", "independent ld1 {v20, v21} / shl v19 swapped", 0x08, 0x0C),
    ("gcm_ghash_v8/1", "independent pmull v0 / eor v17 swapped", 0x10C, 0x110),
    ("gcm_init_v8", "independent ext v3 / ushr v18 swapped", 0x0C, 0x10),
]


@pytest.mark.parametrize("name,what,off1,off2", EQUIVALENT, ids=[e[1] for e in EQUIVALENT])
def test_equivalent_mutant_proved(name, what, off1, off2, openssl_lib):
    proof, image = proof_and_image(name, openssl_lib)
    report = proof.check(f"{openssl_lib}:{proof.member}", patches=swap_patch(proof, image, off1, off2),
                         timeout=60)
    assert report.listing_diffs
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]


def test_init_postcondition_is_ghash_precondition():
    """The composition: gcm_ghash_v8's precondition table htable(H, P2, P3, P4), at
    P_m = H^m, is gcm_init_v8's postcondition table (checked on random H)."""
    import random

    from lnsym.terms.bv import const, substitute
    from proofs.gcm_gmult_v8 import symbolic_table
    from proofs.specs.ghash_htable import htable_of, powers
    H, P, entries = symbolic_table()
    rng = random.Random(5)
    for _ in range(3):
        h = const(rng.getrandbits(128), 128)
        inst = [substitute(e, {H: h, **dict(zip(P, powers(h)))}) for e in entries]
        assert inst == htable_of(h)
