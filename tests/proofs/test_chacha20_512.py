"""ChaCha20_neon from 512 bytes runs ChaCha20_512_neon: 8 blocks per 512 bytes (two
scalar, the second at ``add x28, x28, #1``; six in NEON lanes), then ``add x28,
x28, #7``; the rest goes through ChaCha20_neon's 5-block loop from 192 bytes, else
ChaCha20_ctr32's scalar loop.  Proved at 512 and 600
bytes under counter + blocks <= 2^32; mutants of ChaCha20_512_neon's code (a
rotation, a quarter-round argument, both scalar counter steps) and of the tail
are refuted by counterexamples within the precondition, and replayed."""
from __future__ import annotations

import pytest

from lnsym.elf.image import load_image
from proofs import registry

pytestmark = pytest.mark.openssl

def _check(name, openssl_lib, where=None, off=0, old=0, new=0):
    """The proof's report, on the object patched at ``where`` + ``off`` (``old`` -> ``new``)."""
    proof = registry.make(name)
    spec = f"{openssl_lib}:{proof.member}"
    patches = None
    if where is not None:
        image = load_image(spec)
        listings = dict([(proof.symbol, proof.listing), *proof.other_listings()])
        listing = {o: w for o, w, _t in listings[where]}
        assert listing[off] == old
        patches = {image.symbol(where).addr + off: new}
    return proof, proof.check(spec, patches=patches, timeout=60)


@pytest.mark.parametrize("name", ["ChaCha20_neon/512", "ChaCha20_neon/600"])
def test_proved(name, openssl_lib):
    _proof, report = _check(name, openssl_lib)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert "sums under precondition" in {r.method for r in report.results}
    assert not report.listing_diffs


MUTANTS = [
    ("ChaCha20_neon/512", "NEON rotation: ushr v9.4s, v0.4s, #20 -> #19",
     "ChaCha20_512_neon", 0x22C, 0x6F2C0409, 0x6F2D0409),
    ("ChaCha20_neon/512", "scalar quarter-round argument: add w5, w5, w9 -> w10",
     "ChaCha20_512_neon", 0x140, 0x0B0900A5, 0x0B0A00A5),
    ("ChaCha20_neon/512", "second scalar block: add x28, x28, #1 -> #2",
     "ChaCha20_512_neon", 0x808, 0x9100079C, 0x91000B9C),
    ("ChaCha20_neon/600", "after 512 bytes: add x28, x28, #7 -> #8",
     "ChaCha20_512_neon", 0xFC0, 0x91001F9C, 0x9100239C),
    # the last 88 bytes go through ChaCha20_ctr32's scalar loop and its byte loop
    ("ChaCha20_neon/600", "tail: ChaCha20_ctr32's byte loop eor w10, w10, w11 -> orr",
     "ChaCha20_ctr32", 0x354, 0x4A0B014A, 0x2A0B014A),
]


@pytest.mark.parametrize("name,what,where,off,old,new", MUTANTS,
                         ids=[f"{m[0]}: {m[1]}" for m in MUTANTS])
def test_mutant_refuted(name, what, where, off, old, new, openssl_lib):
    proof, report = _check(name, openssl_lib, where, off, old, new)
    assert len(report.listing_diffs) == 1
    assert report.status == "refuted", [(r.name, r.status, r.method) for r in report.failed]
    cexs = [r.counterexample for r in report.results if r.counterexample is not None]
    assert cexs and all(c.get("ctr", 0) + -(-proof.length // 64) <= 1 << 32 for c in cexs)
    assert "confirmed: the outputs differ" in report.replay, report.replay
    assert proof.confirmed is True


def test_length_out_of_range_is_one_sentence():
    from lnsym.errors import UserError
    with pytest.raises(UserError, match="take 1 to 1024 bytes, not 2000"):
        _ = registry.make("ChaCha20_neon/512").__class__(length=2000).length
