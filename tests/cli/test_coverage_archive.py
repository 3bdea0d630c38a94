"""``lnsym coverage ARCHIVE.a``: one line per member, a total, --json; and every
member of the two target libraries loads."""
from __future__ import annotations

import json
import subprocess

from tooling import need_tool

from lnsym.cli.archive_coverage import archive_coverage
from lnsym.cli.commands.coverage import routine_coverage
from lnsym.cli.main import main
from lnsym.elf.archive import open_archive
from lnsym.elf.image import load_image

GOOD = """
    .text
    .globl f
    .type f, %function
f:  adrp x0, :got:g_var
    ldr  x0, [x0, :got_lo12:g_var]
    fmov d0, x1
    ret
"""


def _archive(tmp_path):
    gas, ar = need_tool("aarch64-linux-gnu-as"), need_tool("aarch64-linux-gnu-ar")
    (tmp_path / "good.s").write_text(GOOD)
    subprocess.run([gas, "-o", str(tmp_path / "good.o"), str(tmp_path / "good.s")], check=True)
    (tmp_path / "junk.o").write_bytes(b"not an object at all")
    lib = tmp_path / "libx.a"
    subprocess.run([ar, "rcS", str(lib), str(tmp_path / "good.o"), str(tmp_path / "junk.o")],
                   check=True)
    return lib


def test_archive_report_lines_total_and_mnemonics(tmp_path, capsys):
    lib = _archive(tmp_path)
    assert main(["coverage", str(lib), "--json"]) == 1          # junk.o does not load
    rep = json.loads(capsys.readouterr().out)
    good, junk = rep["members"]
    assert (good["member"], good["loaded"], good["routines"], good["instructions"]) \
        == ("good.o", True, 1, 4)
    assert good["implemented"] == 4 - good["missing"].get("fmov", 0)
    assert junk["loaded"] is False and "not an ELF file" in junk["error"]
    assert rep["total"]["members"] == 2 and rep["total"]["loaded"] == 1
    assert rep["total"]["instructions"] == 4
    missing = {m["mnemonic"]: m for m in rep["not_implemented"]}
    assert set(missing) <= {"fmov"}
    assert main(["coverage", str(lib)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1].split()[:3] == ["good.o", "1", "4"]
    assert out[2].startswith("junk.o") and "not loaded" in out[2]
    assert out[3].startswith("total: 1 of 2 members loaded, 1 routines, 4 instructions")


def test_symbol_with_whole_archive_is_a_usage_error(tmp_path, capsys):
    lib = _archive(tmp_path)
    assert main(["coverage", str(lib), "--symbol", "f"]) == 2
    assert "name the member" in capsys.readouterr().err


def test_every_libgcrypt_member_loads_and_the_ce_members_are_covered(libgcrypt_lib):
    names = open_archive(libgcrypt_lib).names()
    assert len(names) == 136
    for m in names:
        load_image(f"{libgcrypt_lib}:{m}")
    ce = [m for m in names if m.endswith("aarch64-ce.o")]
    rep = archive_coverage(str(libgcrypt_lib), routine_coverage, ce)
    assert rep["total"]["loaded"] == len(ce) == 5
    assert rep["total"]["implemented"] == rep["total"]["instructions"] > 2000


def test_every_libcrypto_member_loads(openssl_lib):
    names = open_archive(openssl_lib).names()
    assert len(names) == 891
    got = 0
    for m in names:
        im = load_image(f"{openssl_lib}:{m}")
        got += any(s.name == "got" for s in im.segments)
    assert got == 532             # the members that use GOT-relative relocations
