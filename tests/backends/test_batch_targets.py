"""Every target routine gives the same outputs on the batch and single-input backends.

Each of the eleven OpenSSL routines runs on 24 lanes of independent random inputs
(``batch_inputs``), then once per lane on the single-input backend; every register,
every byte of the buffers the call passed, and the instruction count must agree.
The lanes start from the same memory, so also the image's pages must be identical.
"""
from __future__ import annotations

import pytest
from batch_inputs import batch_call, lane_call
from routine_inputs import ROUTINES

from lnsym.backends.batch import run_batch
from lnsym.backends.concrete import Executor
from lnsym.backends.runner import DEFAULT_MAX_STEPS, RETURN_SENTINEL, prepare
from lnsym.elf.image import load_image

LANES = 24


@pytest.mark.openssl
@pytest.mark.parametrize("symbol", ROUTINES)
def test_batch_equals_single_input(openssl_lib, symbol):
    member, regs, memory = batch_call(symbol, LANES, seed=len(symbol))
    image = load_image(f"{openssl_lib}:{member}")
    r = run_batch(image, symbol, regs, memory)
    outputs = [r.read(addr, arr.shape[1]) for addr, arr in memory]
    names = None
    ex = Executor(None)                   # one single-input executor: its blocks are reused
    for i in range(LANES):
        one, writes = lane_call(regs, memory, i)
        mem, st = prepare(image, symbol, one, writes)
        ex.mem = mem
        assert r.steps[i] == ex.run(st, RETURN_SENTINEL, DEFAULT_MAX_STEPS)
        state = st.as_dict()
        names = names or [n for n in state if n != "pc"]
        for name in names:
            assert int(r.reg(name)[i]) == state[name], (symbol, i, name)
        for (addr, arr), out in zip(memory, outputs):
            assert out[i].tobytes() == mem.read_bytes(addr, arr.shape[1]), (symbol, i, hex(addr))
    assert len(names) == 65 and len({r.steps[i] for i in range(LANES)}) == 1
