"""Each of the eleven target routines runs under ``lnsym run`` (CLI) and gives the same
registers and memory as the Python API run (which tests/routines/ checks against
hashlib, cryptography and the specs)."""
from __future__ import annotations

import json
import random

import pytest
from routine_inputs import ROUTINES, routine_call

from lnsym.backends.runner import run_routine
from lnsym.cli.main import main
from lnsym.elf.image import load_image


@pytest.mark.parametrize("symbol", ROUTINES)
def test_lnsym_run_matches_the_api(openssl_lib, capsys, symbol):
    member, regs, writes = routine_call(symbol, random.Random(f"cli-{symbol}"))
    spec = f"{openssl_lib}:{member}"
    argv = ["run", spec, "--symbol", symbol, "--json"]
    argv += [f"--reg={k}={v:#x}" for k, v in regs.items()]
    argv += [f"--mem={a:#x}={data.hex()}" for a, data in writes if data]
    argv += [f"--dump={a:#x}:{len(data)}" for a, data in writes if data]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    api = run_routine(load_image(spec), symbol, regs, writes)
    assert out["steps"] == api.steps > 0
    for i in range(31):
        assert int(out["regs"][f"x{i}"], 16) == api.state.x[i]
    for i in range(32):
        assert int(out["regs"][f"v{i}"], 16) == api.state.v[i]
    for a, data in writes:
        if data:
            assert out["dumps"][f"{a:#x}:{len(data)}"] == api.memory.read_bytes(a, len(data)).hex()
