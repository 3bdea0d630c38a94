"""Batch vs single-input backend on every target routine (the issue 16 acceptance check).

    .venv/bin/python scripts/batch-equivalence.py [--lanes 10000] [ROUTINE...]

Each routine runs once on the batch backend with LANES independent random inputs
(tests/batch_inputs.py), then once per lane on the single-input backend; every
register, every byte of the call's buffers and the instruction count are compared.
Prints one line per routine and exits 1 on any difference.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))

from batch_inputs import batch_call, lane_call
from routine_inputs import ROUTINES

from lnsym.backends.batch import run_batch
from lnsym.backends.concrete import Executor
from lnsym.backends.runner import DEFAULT_MAX_STEPS, RETURN_SENTINEL, prepare
from lnsym.elf import targets
from lnsym.elf.image import load_image


def check(lib: str, symbol: str, lanes: int) -> tuple[int, float, float]:
    member, regs, memory = batch_call(symbol, lanes, seed=16)
    image = load_image(f"{lib}:{member}")
    t0 = time.perf_counter()
    r = run_batch(image, symbol, regs, memory)
    t_batch = time.perf_counter() - t0
    outs = [r.read(addr, arr.shape[1]) for addr, arr in memory]
    regs_out = {}
    bad = 0
    ex = Executor(None)
    t0 = time.perf_counter()
    for i in range(lanes):
        one, writes = lane_call(regs, memory, i)
        mem, st = prepare(image, symbol, one, writes)
        ex.mem = mem                    # the compiled blocks are reused from lane to lane
        steps = ex.run(st, RETURN_SENTINEL, DEFAULT_MAX_STEPS)
        state = st.as_dict()
        state.pop("pc")
        for name, value in state.items():
            col = regs_out.get(name)
            if col is None:
                col = regs_out[name] = r.reg(name)
            bad += int(col[i]) != value
        bad += int(r.steps[i]) != steps
        for (addr, arr), out in zip(memory, outs):
            bad += out[i].tobytes() != mem.read_bytes(addr, arr.shape[1])
    return bad, t_batch, time.perf_counter() - t0


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--lanes", type=int, default=10_000)
    p.add_argument("routines", nargs="*", default=ROUTINES)
    a = p.parse_args()
    lib = targets.openssl_archive(fetch=False)
    failed = 0
    for symbol in a.routines:
        bad, tb, ts = check(lib, symbol, a.lanes)
        failed += bad > 0
        print(f"{symbol:<24} lanes {a.lanes}  differences {bad}  batch {tb:6.2f}s  "
              f"single-input {ts:7.2f}s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
