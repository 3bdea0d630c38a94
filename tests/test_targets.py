"""The OpenSSL targets table, the cache, the ar reader and ``lnsym targets``."""
from __future__ import annotations

import json
import subprocess

import pytest
from tooling import need_tool

from lnsym.cli.main import main
from lnsym.elf import targets
from lnsym.elf.archive import Archive, open_archive
from lnsym.elf.image import load_image
from lnsym.errors import ElfError, UserError

# instruction counts from objdump (/work/shared/targets/openssl-census.txt)
CENSUS = {"sha256_block_armv8": 123, "sha512_block_armv8": 504, "sha1_block_armv8": 114,
          "aes_v8_encrypt": 20, "aes_v8_set_encrypt_key": 130, "gcm_init_v8": 74,
          "gcm_gmult_v8": 26, "gcm_ghash_v8": 87, "aes_gcm_enc_128_kernel": 626,
          "KeccakF1600_ce": 74, "ChaCha20_neon": 499}


def test_table_names_the_eleven_routines_and_two_entry_points():
    assert set(CENSUS) | {"sha256_block_data_order", "sha512_block_data_order"} \
        == set(targets.TARGET_ROUTINES)


def test_absent_cache_is_one_clear_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert targets.archive_path() == tmp_path / "lnsym" / "openssl" / "libcrypto.a"
    with pytest.raises(UserError, match="run 'make openssl' or 'lnsym targets --fetch'"):
        targets.openssl_archive(fetch=False)
    with pytest.raises(UserError, match="make openssl"):
        targets.member_spec("libcrypto-lib-sha256-armv8.o")


def test_cli_without_cache_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert main(["targets"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lnsym: the OpenSSL arm64 objects are not in") and err.count("\n") == 1


def test_routines_in_members(openssl_lib):
    ar = open_archive(openssl_lib)
    for routine, member in targets.TARGET_ROUTINES.items():
        assert ar.symbol_index.get(routine, member) == member    # local ones are not indexed
        assert targets.member_spec(member) == f"{openssl_lib}:{member}"
        sym = load_image(targets.routine_spec(routine)).symbol(routine)
        assert sym.kind == "func" and sym.section == ".text"
    st = targets.stamp()
    assert st["package"] == "libssl-dev:arm64" and len(st["sha256"]) == 64


def test_cli_targets_json(openssl_lib, capsys):
    assert main(["targets", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {r["symbol"]: r for r in out["routines"]}
    assert list(rows) == list(targets.TARGET_ROUTINES)
    for name, n in CENSUS.items():
        assert rows[name]["instructions"] == n and rows[name]["size"] == 4 * n
    assert out["stamp"]["version"]


def test_cli_targets_text_all_and_quiet(openssl_lib, capsys):
    assert main(["targets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(ln.split()[:2] == ["sha256_block_armv8", "libcrypto-lib-sha256-armv8.o"]
               and ln.split()[-1] == "123" for ln in lines)
    assert main(["targets", "--all", "--json"]) == 0
    names = {r["symbol"] for r in json.loads(capsys.readouterr().out)["routines"]}
    assert {"sha256_block_neon", "aes_v8_decrypt", "ChaCha20_ctr32"} <= names
    assert main(["targets", "--fetch", "--quiet"]) == 0             # cached: no download
    assert capsys.readouterr() == ("", "")


def test_unpack_deb_reads_version(tmp_path):
    """A tiny hand-made .deb (ar of debian-binary, control.tar.gz, data.tar.xz)."""
    import io
    import tarfile

    def tar(mode, files):
        b = io.BytesIO()
        with tarfile.open(fileobj=b, mode=mode) as t:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
        return b.getvalue()

    members = {"debian-binary": b"2.0\n",
               "control.tar.gz": tar("w:gz", {"./control": b"Package: x\nVersion: 1:2.3-4\n"}),
               "data.tar.xz": tar("w:xz", {"./" + targets.LIBCRYPTO_IN_DEB: b"!<arch>\n"})}
    deb = tmp_path / "x.deb"
    deb.write_bytes(_ar(members))
    assert targets.unpack_deb(deb) == (b"!<arch>\n", "1:2.3-4")


def _ar(members: dict) -> bytes:
    out = bytearray(b"!<arch>\n")
    for name, data in members.items():
        out += f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{644:<8}{len(data):<10}`\n".encode()
        out += data + (b"\n" if len(data) & 1 else b"")
    return bytes(out)


def test_archive_long_names_and_symbol_index(tmp_path):
    gas, ar = need_tool("aarch64-linux-gnu-as"), need_tool("aarch64-linux-gnu-ar")
    objs = []
    for i, name in enumerate(["a-rather-long-member-name.o", "short.o", "odd.o"]):
        (tmp_path / "x.s").write_text(f".globl sym{i}\nsym{i}: ret\n" + ".byte 1\n" * i)
        subprocess.run([gas, "-o", str(tmp_path / name), str(tmp_path / "x.s")], check=True)
        objs.append(str(tmp_path / name))
    lib = tmp_path / "lib.a"
    subprocess.run([ar, "rcs", str(lib), *objs], check=True)
    a = open_archive(lib)
    assert a.names() == ["a-rather-long-member-name.o", "short.o", "odd.o"]
    assert a.symbol_index == {"sym0": "a-rather-long-member-name.o", "sym1": "short.o",
                              "sym2": "odd.o"}
    assert a.member("odd.o").data == (tmp_path / "odd.o").read_bytes()
    with pytest.raises(UserError, match="close names: short.o"):
        a.member("shrt.o")


@pytest.mark.parametrize("data, why", [
    (b"not an archive", "does not start with"),
    (b"!<arch>\nshort", "truncated member header"),
    (b"!<arch>\n" + b"x.o/" + b" " * 44 + b"99        `\n" + b"abc", "is truncated"),
    (b"!<arch>\n" + b"x.o/" + b" " * 44 + b"3         XX" + b"abc", "corrupted member header"),
    (b"!<arch>\n" + b"/99" + b" " * 45 + b"3         `\n" + b"abc", "outside the name table"),
])
def test_bad_archives(data, why):
    with pytest.raises(ElfError, match=why):
        Archive("bad.a", data)
