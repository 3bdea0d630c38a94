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
from lnsym.backends.runner import run_routine
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
    for i in range(LANES):
        one, writes = lane_call(regs, memory, i)
        ref = run_routine(image, symbol, one, writes)
        assert r.steps[i] == ref.steps
        state = ref.state.as_dict()
        names = names or [n for n in state if n != "pc"]
        for name in names:
            assert int(r.reg(name)[i]) == state[name], (symbol, i, name)
        for (addr, arr), out in zip(memory, outputs):
            assert out[i].tobytes() == ref.memory.read_bytes(addr, arr.shape[1]), (symbol, i, hex(addr))
    assert len(names) == 65 and len({r.steps[i] for i in range(LANES)}) == 1
