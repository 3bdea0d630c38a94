"""``lnsym conform`` / ``lnsym trace``: exit codes and one-sentence errors on bad input."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from lnsym.cli.main import main

CLASS = "isa_specs.dpi.add_sub_imm:decode_add_sub_imm"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_conform_json_and_report(qemu, cross_gcc, cache, capsys):
    assert main(["conform", "--classes", CLASS, "--count", "50", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cases"] == 50 and out["mismatches"] == 0
    assert len(list((cache / "lnsym" / "evidence").glob("*.json"))) == 1
    assert main(["conform", "--report", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["encodings"]
    row = [r for r in rows if f"{r['module']}:{r['encoding']}" == CLASS][0]
    assert row["passed"] == 50 and row["status"] == "ok" and sum(row["cpus"].values()) == 50
    assert any(r["status"] == "NO EVIDENCE" for r in rows)


def test_failing_runner_is_a_tool_error(cross_gcc, cache, capsys):
    assert main(["conform", "--classes", CLASS, "--count", "3", "--runner", "false"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lnsym: the harness") and "exit status 1" in err


def test_missing_runner_command(cache, capsys):
    assert main(["conform", "--classes", CLASS, "--runner", "no-such-runner-xyz"]) == 2
    assert "was not found" in capsys.readouterr().err


def test_missing_cross_compiler(cache, monkeypatch, capsys, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert main(["conform", "--classes", CLASS, "--runner", "native", "--count", "2"]) == 2
    err = capsys.readouterr().err
    assert "cross compiler" in err and err.count("\n") == 1


def test_missing_qemu(cache, monkeypatch, capsys, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert main(["conform", "--classes", CLASS, "--count", "2"]) == 2
    err = capsys.readouterr().err
    assert "qemu-aarch64 was not found" in err and err.count("\n") == 1


def test_bad_options(capsys):
    assert main(["conform", "--classes", "no-such-class-xyz"]) == 2
    assert main(["conform", "--replay", "1:2"]) == 2
    assert main(["conform", "--count", "many"]) == 2


@pytest.fixture
def tiny_object(cross_gcc, tmp_path):
    src = tmp_path / "tiny.S"
    src.write_text(".text\n.globl tiny\n.type tiny, %function\ntiny:\n"
                   "  add x0, x0, x1\n  adds x2, x0, #3\n  eor v0.16b, v1.16b, v2.16b\n"
                   "  str x0, [sp, #-16]!\n  ldr x3, [sp], #16\n  ret\n.size tiny, .-tiny\n")
    obj = tmp_path / "tiny.o"
    subprocess.run([cross_gcc, "-c", "-o", str(obj), str(src)], check=True)
    return obj


def test_trace_record_and_replay(qemu, tiny_object, cache, tmp_path, capsys):
    out = tmp_path / "t.jsonl"
    assert main(["trace", str(tiny_object), "--symbol", "tiny", "--reg", "x0=5",
                 "--reg", "x1=0xffffffffffffffff", "--reg", "v1=0x1234", "-o", str(out)]) == 0
    assert "all 6 instructions" in capsys.readouterr().out
    lines = out.read_text().splitlines()
    assert json.loads(lines[0])["lnsym_trace"] == 1 and len(lines) == 9
    assert "final_memory" in json.loads(lines[-1])        # the str to the stack
    assert main(["trace", str(tiny_object), "--symbol", "tiny", "--check", str(out)]) == 0
    # a tampered trace: the model now diverges at instruction 0
    rec = json.loads(lines[2])
    rec["x0"] = "0x7"
    lines[2] = json.dumps(rec)
    out.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    assert main(["trace", str(tiny_object), "--symbol", "tiny", "--check", str(out)]) == 1
    text = capsys.readouterr().out
    assert "first divergence at instruction 0" in text and "x0" in text and "add" in text


@pytest.mark.parametrize("content,needle", [
    ("", "empty"),
    ("not json\n", "line 1"),
    ('{"lnsym_trace": 1}\n{"pc": "0x10", "x0": "0x1"}\n', "line 2"),
    ('{"lnsym_trace": 1}\n', "no states"),
    ('{"other": 1}\n', "line 1"),
])
def test_malformed_trace(cross_gcc, tiny_object, tmp_path, capsys, content, needle):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content)
    assert main(["trace", str(tiny_object), "--symbol", "tiny", "--check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1
    assert os.path.exists(bad)
