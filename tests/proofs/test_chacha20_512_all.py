"""ChaCha20_ctr32's NEON path for every length (proofs/chacha20_512_all.py,
proofs/chacha20_neon_every.py): from 512 bytes by induction over ChaCha20_512_neon's
512-byte loop with the remainder by cases after cuts; every 1 ≤ len ≤ 2^38 as the
default ChaCha20_neon row.  Refuted without the counter precondition; mutants of the
loop and of the remainder's entry refuted at the smallest length their failed phase
shows (a bounded ChaCha20_neon proof) and replayed concretely and under QEMU."""
from __future__ import annotations

import pytest
from test_chacha20_all import assert_refuted_at
from test_chacha20_neon_all import _run, refuted_mutant

from proofs import registry
from proofs.chacha20_512_all import ChaCha20Neon512Lengths
from proofs.chacha20_neon_every import ChaCha20NeonEveryLength

pytestmark = pytest.mark.openssl
EVERY, FROM512 = "ChaCha20_neon/all", "ChaCha20_neon/from512"


def test_default_row_is_every_length():
    names = registry.names()
    assert EVERY in names and registry.select(["ChaCha20_neon"]) == [EVERY]
    assert not {"ChaCha20_neon/192-511", FROM512, "ChaCha20_neon/600"} & set(names)
    assert isinstance(registry.make(EVERY), ChaCha20NeonEveryLength)
    assert "every length 1 ≤ len ≤ 2^38" in registry.make(EVERY).title()


def test_proved_for_every_length(openssl_lib):
    report = _run(registry.make(EVERY), openssl_lib)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert "NEON path: OPENSSL_armcap_P bit 0 set" in report.name
    assert not report.listing_diffs
    ranges = {r.name.split(":")[0] for r in report.results}
    assert {"len < 192", "192 ≤ len < 512", "len ≥ 512"} <= ranges
    assert any(r.name.startswith("cases: len < 192, 192 ≤ len < 512 and len ≥ 512")
               for r in report.results)
    # from 512: the loop's induction, its exits, the cuts and the remainder's cases
    prefix = "len ≥ 512: "
    big = {r.name[len(prefix):].split(":")[0] for r in report.results
           if r.name.startswith(prefix)}
    assert {"base", "pass", "back edge", "after the loop, r = 0", "after the loop, r ≥ 192",
            "after the loop, 1 ≤ r < 192"} <= big
    assert len({p for p in big if p.startswith("after the loop, pass ")}) == 11
    assert len({p for p in big if p.startswith("after the loop, scalar pass ")}) == 7
    assert {f"{kind} tail r = {r}" for kind in ("lane", "scalar") for r in range(1, 64)} <= big
    by_name = {r.name: r for r in report.results}
    assert len([n for n in by_name if n.startswith("len ≥ 512: pass: out[512k + ")]) == 512
    # the counter's 64-bit increments stay carry-free only under the precondition
    for name in ("pass: x28 + 1 for the second scalar block", "back edge: x28 at k + 1",
                 "after the loop, r ≥ 192: x28 at the cut"):
        assert by_name[f"len ≥ 512: {name}"].method.startswith("z3"), name
    # the state after the loop: ChaCha20_neon's frame (d8, d9 saved at sp = sp_0 − 0xa0)
    for name in ("sp", "v3", "v8", "x2"):
        assert by_name[f"len ≥ 512: after the loop, r ≥ 192: {name} at the cut"].status == "proved"
    assert not {"smt", "sweep"} & {r.method for r in report.results}
    assert any(t.startswith("induction over the passes k of ChaCha20_512_neon")
               for t in report.trusted_base)
    assert any(t.startswith("a case split over len") for t in report.trusted_base)


def test_refuted_without_the_precondition(openssl_lib):
    """The second scalar block's x28 + 1 carries into nonce word n0 at a counter of
    2^32 − 1: z3 refutes the pass, the 512-byte bounded proof gives the counterexample."""
    proof = ChaCha20Neon512Lengths(all_lengths=True, no_wrap=False)
    report = _run(proof, openssl_lib)
    x28 = next(r for r in report.results
               if r.name == "pass: x28 + 1 for the second scalar block")
    assert x28.status == "refuted"
    assert_refuted_at(proof, report, 512)


# (what, (offset from ChaCha20_512_neon, old word, new word), smallest length refuting it)
MUTANTS = [
    ("NEON rotation: ushr v9.4s, v0.4s, #20 -> #19", (0x22C, 0x6F2C0409, 0x6F2D0409), 512),
    ("output pointer: add x0, x0, #64 -> #48", (0x830, 0x91010000, 0x9100C000), 512),
    ("block counter after a pass: add x28, x28, #7 -> #8", (0xFC0, 0x91001F9C, 0x9100239C),
     513),
    ("lane counters after a pass: shl v8.4s, v7.4s, #1 -> #2", (0x1040, 0x4F2154E8, 0x4F2254E8),
     704),
    ("loop's length test: subs x2, x2, #0x200 -> #0x240", (0x134, 0xF1080042, 0xF1090042), 704),
    ("remainder's entry: b.eq (r = 0: return) -> b.ne", (0x108C, 0x540001E0, 0x540001E1), 513),
]


@pytest.mark.parametrize("what,patch,length", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_refuted_at_the_smallest_length(what, patch, length, openssl_lib):
    refuted_mutant(FROM512, openssl_lib, patch, length, "ChaCha20_512_neon")


def test_smallest_lengths_of_the_failed_phases():
    lengths = ChaCha20Neon512Lengths.candidate_lengths
    assert lengths(["pass", "back edge"]) == [512, 1024]
    assert lengths(["after the loop, 1 ≤ r < 192", "after the loop, r ≥ 192"]) == [513, 704]
    assert lengths(["after the loop, scalar pass 2, r > 128"]) == [641]
    assert lengths(["after the loop, pass 1, r > 320", "lane tail r = 5"]) == [709, 833, 897]
    assert lengths(["after the loop, pass 2, 448 < r < 512", "scalar tail r = 3"]) == [515, 961]
