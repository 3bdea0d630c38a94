"""The shipped SHA proofs hold on the real OpenSSL objects (1 and 2 blocks)."""
from __future__ import annotations

import pytest

from proofs import registry

pytestmark = pytest.mark.openssl

# proof name -> instructions executed symbolically
STEPS = {
    "sha256_block_armv8/1": 123,
    "sha256_block_armv8/2": 239,
    "sha512_block_armv8/1": 503,
    "sha512_block_armv8/2": 988,
    "sha1_block_armv8/1": 114,
    "sha1_block_armv8/2": 216,  # + the 102-instruction loop body
}
# proofs taking over a minute get the ``slow`` marker (none today: SHA-1 1/2 blocks ~7/13 s)
SLOW: set = set()


def _check(name):
    proof = registry.make(name)
    report = proof.check()
    assert report.status == "proved", [(r.name, r.status, r.method, r.detail)
                                       for r in report.failed]
    assert report.steps == STEPS[name]
    assert report.results and all(r.status == "proved" for r in report.results)
    # eight (five for SHA-1) digest words plus the frame
    assert {r.name for r in report.results} >= {f"H{i}" for i in range(8 if "sha1" not in name
                                                                       else 5)}
    assert any(r.name.startswith("frame: x19") for r in report.results)
    assert not report.listing_diffs
    assert any(proof.spec in line for line in report.trusted_base)
    assert any("FIPS 180-4" in line for line in report.trusted_base)
    assert report.replay == ""
    assert set(report.seconds) >= {"load", "symex", "prove", "solver", "total"}
    return report


@pytest.mark.parametrize("name", [pytest.param(n, marks=[pytest.mark.slow] if n in SLOW else [])
                                  for n in STEPS])
def test_proof_holds(openssl_lib, name):
    _check(name)


def test_registry_has_every_proof():
    assert set(STEPS) <= set(registry.PROOFS)       # (other routines: their own tests)
    # a routine name means its all-lengths proof; the bounded ones stay reachable by name
    assert registry.select(["sha256_block_armv8"]) == ["sha256_block_armv8/all"]
    assert registry.select(["sha256_block_armv8/2"]) == ["sha256_block_armv8/2"]
    assert "sha256_block_armv8/all" in registry.names()
    assert "sha256_block_armv8/1" not in registry.names()
