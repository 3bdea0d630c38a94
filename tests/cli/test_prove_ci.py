"""``lnsym prove`` in CI: exit codes, ERROR rows that never abort the batch, JSON Lines,
JUnit XML, Markdown, the wall-clock --time-limit, --list and options that do not apply."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from cli_check import call, fails

from lnsym.cli.prove_output import exit_code
from lnsym.proof.routine import ProofReport
from proofs import registry
from proofs.sha256_block_armv8 import Sha256BlockArmv8


class BrokenSetup(Sha256BlockArmv8):
    """A proof whose setup raises an ordinary exception (a bug in a proof script)."""
    name = "broken_demo"

    def setup(self, image):
        raise ZeroDivisionError("the demo proof divides by zero in its setup")


@pytest.fixture
def broken(monkeypatch):
    monkeypatch.setitem(registry.PROOFS, "broken_demo/1",
                        (__name__, "BrokenSetup", {"blocks": 1}))


def _patching():
    """tests/proofs/patching.py (the mutant writer the proof tests use)."""
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "proofs" / "patching.py"
    spec = importlib.util.spec_from_file_location("proofs_patching", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _report(status, bad_input=False):
    rep = ProofReport("p", status, 1, {"total": 0.0}, [], [], [])
    if bad_input:
        rep.bad_input = True
    return rep


def test_exit_code_precedence():
    assert exit_code([_report("proved")]) == 0
    assert exit_code([_report("proved"), _report("stuck")]) == 3
    assert exit_code([_report("stuck"), _report("error")]) == 4
    assert exit_code([_report("error"), _report("refuted"), _report("stuck")]) == 1
    assert exit_code([_report("refuted"), _report("error", bad_input=True)]) == 2


@pytest.mark.openssl
def test_an_error_row_does_not_abort_the_batch(openssl_lib, broken, tmp_path, capsys):
    junit, md = tmp_path / "r.xml", tmp_path / "r.md"
    rc, out, err = call(capsys, ["prove", "broken_demo", "aes_v8_encrypt/128", "--jsonl",
                                 "--no-progress", "--junit", junit, "--markdown", md])
    assert rc == 4, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in rows] == ["error", "proved"]
    assert rows[0]["error"] == "the demo proof divides by zero in its setup"
    assert "ZeroDivisionError" not in out + err
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("tests") == "2" and suite.get("errors") == "1"
    cases = suite.findall("testcase")
    assert cases[0].find("error").get("message") == rows[0]["error"]
    assert cases[1].find("error") is None and cases[1].find("failure") is None
    text = md.read_text()
    assert "| broken_demo (1 block) | 0 | ERROR |" in text
    assert "divides by zero" in text and "## Trusted base" in text


@pytest.mark.openssl
def test_table_shows_the_error_reason(openssl_lib, broken, capsys):
    rc, out, _ = call(capsys, ["prove", "broken_demo", "--no-progress"])
    assert rc == 4
    assert "ERROR" in out and "ERROR: the demo proof divides by zero in its setup" in out


@pytest.mark.openssl
def test_time_limit_stops_a_long_proof(openssl_lib, capsys):
    # sha1_block_armv8/1 takes about 10 s; the limit stops it within about a second
    rc, out, _ = call(capsys, ["prove", "sha1_block_armv8/1", "--time-limit", "0.5",
                               "--jsonl", "--no-progress"])
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert rc == 4 and row["status"] == "error"
    assert row["error"] == "the proof did not finish within --time-limit 0.5 s"
    assert row["seconds"]["total"] < 5


@pytest.mark.openssl
def test_verbose_lists_frame_and_return(openssl_lib, capsys):
    rc, out, _ = call(capsys, ["prove", "aes_v8_encrypt/128", "-v", "--no-progress"])
    assert rc == 0
    for line in ("proved   out[15]", "proved   frame: x19 preserved",
                 "proved   frame: d15 preserved", "proved   memory frame: no byte outside out",
                 "proved   return to x30"):
        assert line in out, line


@pytest.mark.openssl
def test_progress_goes_to_stderr(openssl_lib, capsys, monkeypatch):
    monkeypatch.setenv("LNSYM_PROGRESS_SECONDS", "0.1")   # a proof of about a second or more
    rc, out, err = call(capsys, ["prove", "sha256_block_armv8/2", "--jsonl"])
    assert rc == 0 and json.loads(out)["status"] == "proved"
    assert "[progress] sha256_block_armv8 (2 blocks): starting (1 of 1)" in err
    assert "instructions executed" in err and "obligations closed" in err


def test_list(capsys):
    rc, out, _ = call(capsys, ["prove", "--list"])
    assert rc == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("gcm_ghash_v8 "))
    assert "/1 /2" in line and "/8" in line and "--blocks N" in line
    aes = next(ln for ln in out.splitlines() if ln.startswith("aes_v8_encrypt "))
    assert "/128 /192 /256" in aes and "--blocks" not in aes
    rc, out, _ = call(capsys, ["prove", "--list", "--json"])
    rows = {r["routine"]: r for r in json.loads(out)}
    assert rows["sha1_block_armv8"]["options"] == ["--blocks"]
    assert rows["aes_v8_encrypt"]["parameters"] == {"bits": [128, 192, 256]}


@pytest.mark.parametrize("argv, words", [
    (["prove", "aes_v8_encrypt", "--blocks", "2"], ("--blocks does not apply",
                                                    "aes_v8_encrypt/128")),
    (["prove", "--blocks", "2"], ("--blocks does not apply",)),
    (["prove", "aes_v8_encrypt/128", "--json", "--jsonl"], ("--jsonl",)),
    (["prove", "aes_v8_encrypt/128", "--time-limit", "0"], ("--time-limit",)),
    (["prove", "aes_v8_encrypt/128", "--time-limit", "soon"], ("--time-limit",)),
    (["prove", "aes_v8_encrypt/128", "--timeout", "-2"], ("--timeout",)),
])
def test_options_that_do_not_apply(capsys, argv, words):
    fails(capsys, argv, 2, *words)


def test_timeout_accepts_fractions(capsys):
    # --timeout 0.5 is accepted: the run then stops at the next option, --time-limit 0
    msg = fails(capsys, ["prove", "aes_v8_encrypt/128", "--timeout", "0.5", "--time-limit",
                         "0"], 2)
    assert "--time-limit '0'" in msg and "--timeout" not in msg


def test_help_documents_exit_codes(capsys):
    rc, out, _ = call(capsys, ["prove", "--help"])
    assert rc == 0
    assert "0 all proved, 1 refuted" in out and "4 a run could not be completed" in out


@pytest.mark.openssl
def test_refuted_mutant_is_a_junit_failure(openssl_lib, tmp_path, capsys):
    write_patched_member = _patching().write_patched_member
    # +0x38: add v16.4s, v16.4s, v4.4s -> add v16.4s, v16.4s, v5.4s
    obj = write_patched_member(openssl_lib, "libcrypto-lib-sha256-armv8.o",
                               "sha256_block_armv8", {0x38: 0x4ea58610}, tmp_path / "m.o")
    junit, md = tmp_path / "r.xml", tmp_path / "r.md"
    rc, out, _ = call(capsys, ["prove", "sha256_block_armv8", "--blocks", "1", "--object", obj,
                               "--jsonl", "--no-progress", "--junit", junit, "--markdown", md])
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert rc == 1 and row["status"] == "refuted"
    assert row["reason"].startswith("refuted: H0") and "confirmed" in row["replay"]
    (case,) = ET.parse(junit).getroot().iter("testcase")
    failure = case.find("failure")
    assert failure.get("type") == "REFUTED" and failure.get("message") == row["reason"]
    assert "confirmed: the outputs differ" in failure.text
    assert "| REFUTED |" in md.read_text() and "## Trusted base" not in md.read_text()


@pytest.mark.openssl
def test_unsupported_instruction_is_exit_4(openssl_lib, tmp_path, capsys):
    """The proof layer's own status 'error' (an instruction lnsym does not model)."""
    obj = _patching().write_patched_member(
        openssl_lib, "libcrypto-lib-sha256-armv8.o", "sha256_block_armv8",
        {0x38: 0x1e622820}, tmp_path / "fadd.o")              # fadd d0, d1, d2
    rc, out, _ = call(capsys, ["prove", "sha256_block_armv8", "--blocks", "1", "--object", obj,
                               "--no-progress"])
    assert rc == 4
    assert "ERROR: unimplemented instruction 0x1e622820 (fadd d0, d1, d2)" in out


def test_unwritable_report_file_before_anything_runs(tmp_path, capsys):
    fails(capsys, ["prove", "aes_v8_encrypt/128", "--junit", tmp_path / "no" / "r.xml"], 2,
          "cannot write")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_time_limit_survives_a_dropped_exception():
    """An expiry raised inside a weakref callback is dropped by Python; it comes again."""
    import gc
    import time
    import weakref

    from lnsym.cli.time_limit import TimeLimitExceeded, time_limit

    class Node:
        pass

    def slow_callback(ref):
        time.sleep(0.3)                  # the limit expires here, where raising is dropped

    t0 = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.1):
            keep = Node()
            ref = weakref.ref(keep, slow_callback)
            del keep
            gc.collect()
            assert ref() is None
            while time.monotonic() - t0 < 5:
                pass                     # plain Python: the re-armed signal lands here
    assert time.monotonic() - t0 < 2
