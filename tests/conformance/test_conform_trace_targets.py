"""Whole-routine traces of all eleven OpenSSL target routines: lnsym replays QEMU's
per-instruction states with zero divergence (and the same final memory)."""
from __future__ import annotations

import random

import pytest
from routine_inputs import ROUTINES, routine_call

from conformance import trace as T
from lnsym.elf.image import load_image


@pytest.mark.parametrize("symbol", ROUTINES)
def test_target_routine_trace_replays_without_divergence(qemu, cross_gcc, openssl_lib, tmp_path,
                                                          monkeypatch, symbol):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rng = random.Random(symbol)
    member, regs, writes = routine_call(symbol, rng)
    image = load_image(f"{openssl_lib}:{member}")
    states, final = T.record(image, symbol, regs, writes)
    assert len(states) > 20
    divergence = T.replay(image, symbol, regs, writes, states, final)
    assert divergence is None, divergence
