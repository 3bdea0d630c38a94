"""``lnsym coverage``: every target routine is fully implemented; counts and the
missing list on a small object with an unimplemented word and data in code."""
from __future__ import annotations

import json
import subprocess

import pytest
from tooling import need_tool

from lnsym.cli.commands.coverage import coverage
from lnsym.cli.main import main
from lnsym.elf.image import load_image
from lnsym.elf.targets import TARGET_ROUTINES

ROUTINES = ["sha1_block_armv8", "sha256_block_armv8", "sha512_block_armv8",
            "aes_v8_set_encrypt_key", "aes_v8_encrypt", "gcm_init_v8", "gcm_gmult_v8",
            "gcm_ghash_v8", "aes_gcm_enc_128_kernel", "KeccakF1600_ce", "ChaCha20_neon"]


@pytest.mark.parametrize("routine", ROUTINES)
def test_target_routine_fully_implemented(openssl_lib, routine):
    image = load_image(f"{openssl_lib}:{TARGET_ROUTINES[routine]}")
    (rec,) = coverage(image, [routine])
    assert rec["instructions"] > 0 and rec["missing"] == []
    assert rec["decoded"] == rec["implemented"] == rec["instructions"]
    assert rec["percent"] == 100.0


def test_whole_members_fully_implemented(openssl_lib):
    """Every function of the members holding the targets (ChaCha20_neon branches into
    ChaCha20_512_neon, KeccakF1600_ce is called by the *_cext routines)."""
    for member in sorted(set(TARGET_ROUTINES.values())):
        recs = coverage(load_image(f"{openssl_lib}:{member}"))
        assert recs and all(r["percent"] == 100.0 for r in recs), \
            [(r["routine"], r["missing"][:3]) for r in recs if r["missing"]]


def test_cli_routine_name_json(openssl_lib, capsys, monkeypatch):
    from lnsym.elf import targets
    monkeypatch.setattr(targets, "openssl_archive", lambda fetch=False: openssl_lib)
    assert main(["coverage", "gcm_gmult_v8", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (rec,) = out["routines"]
    assert rec["routine"] == "gcm_gmult_v8" and rec["percent"] == 100.0
    assert out["total"]["implemented"] == rec["instructions"]


ASM = """
    .text
    .globl f
    .type f, %function
f:
    add x0, x1, #16
    fmla v0.4s, v1.4s, v2.s[1]
    .inst 0xffffffff
    b 1f
    .word 0x91000000
1:  ret
    .size f, .-f
    .globl g
    .type g, %function
g:
    ret
    .size g, .-g
"""


@pytest.fixture(scope="module")
def obj(tmp_path_factory):
    gas = need_tool("aarch64-linux-gnu-as")
    d = tmp_path_factory.mktemp("coverage")
    (d / "f.s").write_text(ASM)
    subprocess.run([gas, "-o", str(d / "f.o"), str(d / "f.s")], check=True)
    return d / "f.o"


def test_counts_and_missing(obj, capsys):
    assert main(["coverage", str(obj), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    f, g = out["routines"]
    assert (f["routine"], g["routine"]) == ("f", "g")
    # add, fmla (by element: decoded, not modelled), b, ret; 0xffffffff and the $d word
    # are data in code
    assert (f["instructions"], f["data"], f["implemented"]) == (4, 2, 3)
    assert f["decoded"] in (3, 4) and f["percent"] == 75.0
    (miss,) = f["missing"]
    assert miss["address"] == f["address"] + 4 and miss["capstone"].startswith("fmla")
    assert miss["error"].startswith("unimplemented")
    assert g["percent"] == 100.0 and out["total"]["instructions"] == 5
    assert main(["coverage", str(obj), "--symbol", "g"]) == 0
    text = capsys.readouterr().out
    assert "g " in text and "100.00%" in text and "fmla" not in text


def test_usage_errors(obj, capsys):
    assert main(["coverage", str(obj), "--symbol", "nosuch"]) == 2
    assert main(["coverage", str(obj) + ".missing"]) == 2
