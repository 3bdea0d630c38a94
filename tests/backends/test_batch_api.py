"""``run_batch`` as a Python API: per-lane register forms, results, and input errors.

KeccakF1600_ce keeps its whole state in v0..v24, so it is run with 128-bit register
values given per lane in the three accepted forms (Python ints, ``(N, 2)`` limbs, and
``uint64`` for values below 2**64); the results must agree with single-input runs.
"""
from __future__ import annotations

import random

import numpy as np
import pytest

from lnsym.backends.batch import run_batch
from lnsym.backends.runner import run_routine
from lnsym.elf.image import load_image
from lnsym.errors import UserError
from lnsym.machine.memory import MemoryFault

LANES = 6
KECCAK = "libcrypto-lib-keccak1600-armv8.o"


@pytest.fixture(scope="module")
def keccak(openssl_lib):
    return load_image(f"{openssl_lib}:{KECCAK}")


@pytest.mark.openssl
def test_wide_registers_in_every_form(keccak):
    rng = random.Random(3)
    values = {f"v{i}": [rng.getrandbits(128) for _ in range(LANES)] for i in range(25)}
    as_ints = run_batch(keccak, "KeccakF1600_ce", values)
    as_limbs = run_batch(keccak, "KeccakF1600_ce", {
        k: np.array([[v & (2**64 - 1), v >> 64] for v in vs], dtype=np.uint64)
        for k, vs in values.items()})
    for i in range(LANES):
        ref = run_routine(keccak, "KeccakF1600_ce", {k: vs[i] for k, vs in values.items()})
        for k in ("v0", "v7", "v24", "x0", "sp"):
            assert as_ints.reg(k)[i] == ref.state.get(k) == as_limbs.reg(k)[i], (i, k)
    assert isinstance(as_ints.reg("v3")[0], int) and as_ints.reg("x1").dtype == np.uint64
    assert as_ints.steps.tolist() == [1660] * LANES


@pytest.mark.openssl
def test_uniform_and_per_lane_values_mix(keccak):
    low = np.arange(1, LANES + 1, dtype=np.uint64) * np.uint64(0x0123_4567_89AB_CDEF)
    r = run_batch(keccak, "KeccakF1600_ce", {"v0": low, "v1": 5, "v2": [7] * LANES})
    ref = run_routine(keccak, "KeccakF1600_ce", {"v0": int(low[2]), "v1": 5, "v2": 7})
    assert r.reg("v5")[2] == ref.state.get("v5")


@pytest.mark.openssl
@pytest.mark.parametrize("regs, memory, message", [
    ({"v0": np.zeros((LANES, 3), np.uint64)}, [], "got shape (6, 3)"),
    ({"v0": np.zeros(LANES, np.float64)}, [], "got an array of float64"),
    ({"q0": [1] * LANES}, [], "unknown register 'q0'"),
    ({"x1": [1] * LANES}, [(0x200000, np.zeros((LANES + 1, 8), np.uint8))], "expected 6 rows"),
])
def test_bad_inputs_are_one_sentence(keccak, regs, memory, message):
    regs = dict(regs)
    regs.setdefault("x9", [0] * LANES)
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_batch(keccak, "KeccakF1600_ce", regs, memory)


@pytest.mark.openssl
def test_reading_unmapped_result_memory_is_a_fault(keccak):
    r = run_batch(keccak, "KeccakF1600_ce", {"v0": [1, 2]})
    with pytest.raises(MemoryFault, match="unmapped address 0x900000"):
        r.read(0x900000, 4)
