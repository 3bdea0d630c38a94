"""Target routine names for run/trace, the console banner's goal list, progress lines,
and conform's report of encodings lnsym does not model ("not implemented: MTE")."""
from __future__ import annotations

import io
import time

import pytest
from cli_check import call, fails
from tooling import need_tool

from lnsym.cli.commands.conform import _feature
from lnsym.cli.progress import ProgressLine
from lnsym.cli.repl import goal_list, namespace

MTE = "isa_specs.dpi.add_sub_imm_tags:decode_add_sub_imm_tags"


@pytest.mark.openssl
def test_run_takes_a_target_routine_name(openssl_lib, capsys):
    rc, out, err = call(capsys, ["run", "aes_v8_set_encrypt_key", "--reg", "x0=0", "--json"])
    assert rc == 0, err
    assert '"x0": "0xffffffffffffffff"' in out        # a null key pointer returns -1


@pytest.mark.openssl
def test_trace_takes_a_target_routine_name(openssl_lib, tmp_path, capsys):
    bad = tmp_path / "t.trace"
    bad.write_text('{"lnsym_trace": 1, "symbol": "gcm_gmult_v8"}\n')
    fails(capsys, ["trace", "gcm_gmult_v8", "--check", bad], 2, "no states")


def test_symbol_needed_without_a_target_name(tmp_path, capsys):
    fails(capsys, ["run", tmp_path / "x.o"], 2, "--symbol is required")
    fails(capsys, ["trace", tmp_path / "x.o"], 2, "--symbol is required")


@pytest.mark.openssl
def test_banner_lists_every_goal(openssl_lib):
    text = goal_list(namespace("aes_v8_encrypt/128"))
    assert "goals (36," in text
    for name in ("out[0]", "out[15]", "frame: x19 preserved", "frame: d15 preserved"):
        assert name in text
    assert "return to x30" in text


@pytest.mark.openssl
def test_banner_of_a_proof_script(openssl_lib):
    assert "this proof is a script" in goal_list(namespace("KeccakF1600_ce"))


def test_progress_plain_lines_are_periodic(monkeypatch):
    monkeypatch.setenv("LNSYM_PROGRESS_SECONDS", "0.05")
    stream = io.StringIO()
    line = ProgressLine(stream)
    line.update("first")                    # within the interval: nothing yet
    time.sleep(0.06)
    line.update("second")
    line.update("third")                    # again within the interval
    line.update("forced", force=True)
    assert stream.getvalue().splitlines() == ["[progress] second", "[progress] forced"]
    silent = io.StringIO()
    ProgressLine(silent, enabled=False).update("x", force=True)
    assert silent.getvalue() == ""


def test_unmodelled_extension_named():
    assert _feature(MTE) == "MTE"


def test_conform_reports_mte_as_not_implemented(capsys):
    need_tool("qemu-aarch64")
    rc, out, err = call(capsys, ["conform", "--classes", MTE, "--count", "2", "--no-progress"])
    assert rc == 0, err
    assert "not implemented: MTE (isa_specs.dpi.add_sub_imm_tags)" in out
    assert "warning" not in out + err
