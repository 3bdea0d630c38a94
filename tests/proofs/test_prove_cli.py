"""``lnsym prove``: bad input is one sentence with exit 2; a patched build is
proved as it is, after saying which instructions differ from the listing."""
from __future__ import annotations

import json

import pytest
from patching import write_patched_member

from lnsym.backends.symbolic import Region, SymbolicError
from lnsym.cli.main import main
from lnsym.proof.routine import ProofSetupError
from lnsym.terms.bv import var
from proofs import registry
from proofs.sha256_block_armv8 import Sha256BlockArmv8

MEMBER = "libcrypto-lib-sha256-armv8.o"
SYMBOL = "sha256_block_armv8"


def _one_sentence(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("lnsym:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_unknown_proof_name(capsys):
    assert main(["prove", "sha384_block_armv8"]) == 2
    out, err = capsys.readouterr()
    msg = _one_sentence(err)
    assert "no proof named 'sha384_block_armv8'" in msg and "sha256_block_armv8" in msg
    assert out == ""


def test_bad_blocks(capsys):
    assert main(["prove", "sha256_block_armv8", "--blocks", "0"]) == 2
    assert "--blocks must be at least 1" in _one_sentence(capsys.readouterr().err)


@pytest.mark.openssl
def test_object_without_the_symbol(openssl_lib, capsys):
    obj = f"{openssl_lib}:libcrypto-lib-sha1-armv8.o"
    assert main(["prove", "sha256_block_armv8", "--blocks", "1", "--object", obj]) == 2
    msg = _one_sentence(capsys.readouterr().err)
    assert "has no symbol 'sha256_block_armv8'" in msg and "sha1-armv8" in msg


def test_object_missing_file(tmp_path, capsys):
    missing = tmp_path / "nope.o"
    assert main(["prove", "sha256_block_armv8", "--blocks", "1", "--object", str(missing)]) == 2
    assert "cannot read" in _one_sentence(capsys.readouterr().err)


def test_object_not_elf(tmp_path, capsys):
    junk = tmp_path / "junk.o"
    junk.write_bytes(b"not an object file at all")
    assert main(["prove", "sha256_block_armv8", "--blocks", "1", "--object", str(junk)]) == 2
    assert "is not an ELF file" in _one_sentence(capsys.readouterr().err)


@pytest.mark.openssl
def test_object_archive_without_member(openssl_lib, capsys):
    assert main(["prove", "sha256_block_armv8", "--blocks", "1",
                 "--object", str(openssl_lib)]) == 2
    assert "name a member" in _one_sentence(capsys.readouterr().err)


def test_bad_timeout(capsys):
    assert main(["prove", "sha256_block_armv8", "--timeout", "soon"]) == 2
    assert "--timeout" in _one_sentence(capsys.readouterr().err)


class OverlappingRegions(Sha256BlockArmv8):
    """A broken proof: 'tail' overlaps 'ctx' (same anchor), which the proof's
    precondition (distinct regions are disjoint) did not assume."""
    name = "overlap_demo"

    def setup(self, image):
        setup = super().setup(image)
        setup.regions.append(Region("tail", var("ctx", 64), 16, 48))
        return setup


@pytest.mark.openssl
def test_overlapping_regions_api(openssl_lib):
    with pytest.raises(SymbolicError) as info:
        OverlappingRegions(blocks=1).check()
    assert isinstance(info.value, ProofSetupError)
    assert "regions 'ctx' and 'tail' overlap" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.openssl
def test_overlapping_regions_cli(openssl_lib, capsys, monkeypatch):
    monkeypatch.setitem(registry.PROOFS, "overlap_demo/1",
                        (__name__, "OverlappingRegions", {"blocks": 1}))
    assert main(["prove", "overlap_demo"]) == 2
    msg = _one_sentence(capsys.readouterr().err)
    assert "'overlap_demo'" in msg and "regions 'ctx' and 'tail' overlap" in msg
    assert "disjoint" in msg


@pytest.fixture
def patched_object(openssl_lib, tmp_path):
    def make(patches):
        return str(write_patched_member(openssl_lib, MEMBER, SYMBOL, patches,
                                        tmp_path / "sha256-patched.o"))
    return make


@pytest.mark.openssl
def test_patched_object_refuted(patched_object, capsys):
    # +0x38: add v16.4s, v16.4s, v4.4s -> add v16.4s, v16.4s, v5.4s
    obj = patched_object({0x38: 0x4ea58610})
    assert main(["prove", SYMBOL, "--blocks", "1", "--object", obj]) == 1
    out, err = capsys.readouterr()
    assert "1 word(s) of code or constant data differ from the proof's listing" in err
    assert ("+0x0038: listing 4ea48610 (add v16.4s, v16.4s, v4.4s), "
            "object 4ea58610 (add v16.4s, v16.4s, v5.4s)") in err
    assert "REFUTED" in out
    assert "counterexample" in out and "confirmed: the outputs differ" in out


@pytest.mark.openssl
def test_patched_constant_table_is_listed_and_refuted(patched_object, capsys):
    """A changed K word (constant data, not code) shows as a listing difference."""
    listing = registry.make(f"{SYMBOL}/1").listing
    off, word = next((o, w) for o, w, text in listing if text == "data")
    obj = patched_object({off: word ^ 0x100})
    assert main(["prove", SYMBOL, "--blocks", "1", "--object", obj]) == 1
    out, err = capsys.readouterr()
    sign = "+" if off >= 0 else "-"
    assert "1 word(s) of code or constant data differ from the proof's listing" in err
    assert f"{sign}{abs(off):#06x}: listing {word:08x} (data), object {word ^ 0x100:08x}" in err
    assert "REFUTED" in out and "confirmed: the outputs differ" in out


@pytest.mark.openssl
def test_patched_object_equivalent_proved(patched_object, capsys):
    # +0x1c/+0x20: rev32 v4 and rev32 v5 swapped (independent instructions)
    obj = patched_object({0x1c: 0x6e2008a5, 0x20: 0x6e200884})
    assert main(["prove", SYMBOL, "--blocks", "1", "--object", obj]) == 0
    out, err = capsys.readouterr()
    assert "2 word(s) of code or constant data differ from the proof's listing" in err
    assert "object 6e2008a5 (rev32 v5.16b, v5.16b)" in err
    assert "PROVED" in out


@pytest.mark.openssl
def test_json_output(patched_object, capsys):
    obj = patched_object({0x38: 0x4ea58610})
    assert main(["prove", SYMBOL, "--blocks", "1", "--object", obj, "--json"]) == 1
    out, err = capsys.readouterr()
    (rep,) = json.loads(out)
    assert rep["status"] == "refuted" and rep["steps"] == 123
    assert rep["listing_diffs"] == [{"offset": 0x38, "listing": 0x4ea48610,
                                     "object": 0x4ea58610}]
    assert any("FIPS 180-4" in line for line in rep["trusted_base"])
    obs = {o["name"]: o for o in rep["obligations"]}
    assert obs["H0"]["status"] == "refuted" and obs["H0"]["counterexample"]
    assert all(o["status"] in ("proved", "refuted") for o in obs.values())
    assert "confirmed: the outputs differ" in rep["replay"]


@pytest.mark.openssl
def test_json_output_proved(openssl_lib, capsys):
    assert main(["prove", "sha512_block_armv8", "--json"]) == 0
    reps = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in reps] == ["sha512_block_armv8 (all num, 1 ≤ num < 2^58)"]
    for r in reps:
        assert r["status"] == "proved" and r["obligations"] and r["trusted_base"]
        assert all(o["status"] == "proved" for o in r["obligations"])
