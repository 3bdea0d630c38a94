"""The target libraries: libgcrypt next to OpenSSL (cache, messages, ``targets --library``)."""
from __future__ import annotations

import json

import pytest

from lnsym.cli.main import main
from lnsym.elf import targets
from lnsym.elf.image import load_image
from lnsym.errors import UserError

# instruction counts from aarch64-linux-gnu-objdump -d of libgcrypt 1.10.1-3+deb12u1
GCRYPT_CENSUS = {"_gcry_sha256_transform_armv8_ce": 163, "_gcry_sha1_transform_armv8_ce": 147,
                 "_gcry_aes_enc_armv8_ce": 110, "_gcry_aes_dec_armv8_ce": 110,
                 "_gcry_ghash_setup_armv8_ce_pmull": 97, "_gcry_ghash_armv8_ce_pmull": 280}


def test_absent_library_is_one_clear_sentence(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert targets.archive_path("libgcrypt") == tmp_path / "lnsym" / "libgcrypt" / "libgcrypt.a"
    with pytest.raises(UserError, match="run 'make libgcrypt' or 'lnsym targets --library "
                                        "libgcrypt --fetch'"):
        targets.library_archive("libgcrypt")
    assert main(["targets", "--library", "libgcrypt"]) == 2
    assert capsys.readouterr().err.startswith("lnsym: the libgcrypt arm64 objects are not in")
    with pytest.raises(UserError, match="no library named 'nss'"):
        targets.library("nss")


def test_routine_lookup_spans_libraries(libgcrypt_lib):
    assert targets.find_routine("_gcry_aes_enc_armv8_ce") \
        == ("libgcrypt", "rijndael-armv8-aarch64-ce.o")
    assert targets.find_routine("sha256_block_armv8")[0] == "openssl"
    assert targets.find_routine("nope") is None
    spec = targets.routine_spec("_gcry_sha1_transform_armv8_ce")
    assert spec == f"{libgcrypt_lib}:sha1-armv8-aarch64-ce.o"
    assert load_image(spec).symbol("_gcry_sha1_transform_armv8_ce").kind == "func"


def test_cli_targets_library_libgcrypt(libgcrypt_lib, capsys):
    assert main(["targets", "--library", "libgcrypt", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["library"] == "libgcrypt" and out["stamp"]["package"] == "libgcrypt20-dev:arm64"
    rows = {r["symbol"]: r for r in out["routines"]}
    assert list(rows) == list(targets.LIBGCRYPT_ROUTINES)
    for name, n in GCRYPT_CENSUS.items():
        assert rows[name]["instructions"] == n, name
    assert main(["targets", "--library", "libgcrypt", "--all", "--json"]) == 0
    every = {r["symbol"]: r["member"] for r in json.loads(capsys.readouterr().out)["routines"]}
    assert every["_gcry_chacha20_aarch64_blocks4"] == "chacha20-aarch64.o"
    assert every["_gcry_sm3_transform_aarch64"] == "sm3-aarch64.o"
    assert not any("armv7" in m for m in every.values())
    assert main(["targets", "--library", "libgcrypt", "--fetch", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
