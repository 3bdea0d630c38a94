"""A bounded refutation's QEMU replay says why it did not run, rather than failing:
no QEMU, no recorder, a recorder that fails, a proof it cannot replay."""
from __future__ import annotations

import pytest

from lnsym.proof import replay
from lnsym.proof.cex import confirm_under_qemu
from lnsym.proof.routine import RoutineProof, TwoCallProof
from lnsym.prover.engine import ObligationResult

REFUTED = [ObligationResult("H0", "refuted", "smt", 0.0, counterexample={"x": 1})]


def test_no_qemu(monkeypatch):
    monkeypatch.setattr(replay.shutil, "which", lambda exe: None)
    with pytest.raises(replay.NoReplay, match="qemu-aarch64 not available"):
        replay.run_recorded(None, "f", {}, [])


def test_no_recorder(monkeypatch):
    monkeypatch.setattr(replay.shutil, "which", lambda exe: "/usr/bin/" + exe)
    monkeypatch.setattr(replay, "_recorder", None)
    with pytest.raises(replay.NoReplay, match="no trace recorder registered"):
        replay.run_recorded(None, "f", {}, [])


def test_a_failing_recorder_is_one_sentence(monkeypatch):
    def broken(image, symbol, regs, writes):
        raise RuntimeError("the traced run failed with exit status 1")
    monkeypatch.setattr(replay.shutil, "which", lambda exe: "/usr/bin/" + exe)
    monkeypatch.setattr(replay, "_recorder", broken)
    with pytest.raises(replay.NoReplay, match="the run failed: the traced run failed"):
        replay.run_recorded(None, "f", {}, [])


def test_nothing_refuted_nothing_replayed():
    proved = [ObligationResult("H0", "proved", "structural", 0.0)]
    assert confirm_under_qemu(object(), None, proved) == (
        "QEMU replay: no counterexample to replay", None)


def test_two_routines_are_not_replayed():
    class Two(TwoCallProof):
        name = "two calls"
    text, confirmed = confirm_under_qemu(Two(), None, REFUTED)
    assert confirmed is None and "more than one call" in text


def test_a_proof_without_a_run_is_not_replayed():
    class NoRun(RoutineProof):                     # never checked: no last_state
        name = "never run"
    text, confirmed = confirm_under_qemu(NoRun(), None, REFUTED)
    assert confirmed is None and "no symbolic run" in text
