"""``lnsym disasm``: capstone vs lnsym listing, data in code, errors."""
from __future__ import annotations

import json
import subprocess

import pytest
from tooling import need_tool

from lnsym.cli.commands.disasm import classify
from lnsym.cli.main import main

ASM = """
    .text
    .globl h
    .type h, %function
h:
    add x0, x1, #16
    .inst 0xffffffff
    ret
    .size h, .-h
    .globl tbl
tbl:
    .word 0x00000000, 0x91000000
"""


@pytest.fixture(scope="module")
def obj(tmp_path_factory):
    gas = need_tool("aarch64-linux-gnu-as")
    d = tmp_path_factory.mktemp("disasm")
    (d / "h.s").write_text(ASM)
    subprocess.run([gas, "-o", str(d / "h.o"), str(d / "h.s")], check=True)
    return d / "h.o"


def test_classify():
    row = classify(0x91004020, 0x1000)                      # add x0, x1, #16
    assert row["kind"] == "code" and row["capstone"] == "add x0, x1, #0x10"
    assert row["status"] == "ok" and row["agree"] and row["lnsym"]
    assert classify(0xffffffff, 0)["kind"] == "data"        # capstone rejects it
    assert classify(0x91004020, 0, data=True)["status"] == "data"


def test_disasm_json(obj, capsys):
    assert main(["disasm", str(obj), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (block,) = out["blocks"]
    rows = block["rows"]
    assert block["label"] == ".text" and [r["address"] for r in rows] == \
        [0x10000 + 4 * i for i in range(5)]
    assert rows[0]["label"] == "h" and rows[0]["status"] == "ok"
    assert rows[1]["kind"] == "data"                         # 0xffffffff: capstone rejects
    assert rows[2]["capstone"] == "ret"
    # the table after the code: a $d mapping symbol makes both words data, even the
    # one capstone would read as an add
    assert [r["kind"] for r in rows[3:]] == ["data", "data"] and rows[4]["capstone"]
    assert out["summary"]["data"] == 3 and out["summary"]["disagree"] == 0


def test_disasm_symbol_text(obj, capsys):
    assert main(["disasm", str(obj), "--symbol", "h"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "h:" and len(lines) == 5
    assert "add x0, x1, #0x10" in lines[1] and lines[1].rstrip().endswith("ok")
    assert lines[2].split()[1:] == ["0xffffffff", ".data"]
    assert lines[-1].startswith("; ") and "data: 1" in lines[-1]


def test_disasm_errors(obj, tmp_path, capsys):
    assert main(["disasm", str(obj), "--symbol", "hh"]) == 2
    assert "no symbol 'hh' (close matches: h)" in capsys.readouterr().err
    (tmp_path / "x.txt").write_text("text")
    assert main(["disasm", str(tmp_path / "x.txt")]) == 2
    assert capsys.readouterr().err.strip().endswith("is not an ELF file")


def test_disasm_openssl_routine(openssl_lib, capsys):
    assert main(["disasm", "sha256_block_armv8", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = out["blocks"][0]["rows"]
    assert out["symbol"] == "sha256_block_armv8" and len(rows) == 123
    assert all(r["kind"] == "code" for r in rows)
    assert rows[0]["capstone"].startswith("stp x29, x30, [sp")
    assert rows[-1]["capstone"] == "ret"
    assert sum(out["summary"].get(k, 0) for k in
               ("ok", "unimplemented", "unallocated", "undecodable", "error")) == 123
    # data after code in a whole member: the K256 table is listed as data
    assert main(["disasm", f"{openssl_lib}:libcrypto-lib-sha256-armv8.o", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["blocks"][0]["rows"]
    k256 = next(r for r in rows if r["address"] == 0x10000 + 0xe80)
    assert k256["kind"] == "data" and k256["word"] == "0x428a2f98"
