"""Per-lane random arguments for the eleven target routines (batch tests and benchmarks).

``routine_call`` (``routine_inputs.py``) gives one valid call: the registers and the
buffers.  Here every buffer gets independent random bytes in each lane, keeping the
few bytes that must hold a valid value (the ``rounds`` field at offset 240 of an
AES_KEY), and ``KeccakF1600_ce``'s state registers are random per lane.
"""
from __future__ import annotations

import random

import numpy as np
from routine_inputs import routine_call

AES_KEY_BYTES, ROUNDS_AT = 244, 240


def batch_call(symbol: str, lanes: int, seed: int = 0):
    """(member, regs, memory) for ``run_batch``: regs hold an int or ``lanes`` values,
    memory holds ``(addr, (lanes, size) uint8 array)``."""
    member, regs, writes = routine_call(symbol, random.Random(seed))
    rng = np.random.default_rng(seed)
    memory = []
    for addr, data in writes:
        arr = rng.integers(0, 256, (lanes, len(data)), dtype=np.uint8)
        if len(data) == AES_KEY_BYTES:
            arr[:, ROUNDS_AT:] = np.frombuffer(data[ROUNDS_AT:], np.uint8)
        memory.append((addr, arr))
    regs = dict(regs)
    for name in regs:
        if name.startswith("v"):
            regs[name] = rng.integers(0, 1 << 63, lanes, dtype=np.uint64) * np.uint64(2) \
                + rng.integers(0, 2, lanes, dtype=np.uint64)
    return member, regs, memory


def lane_call(regs: dict, memory: list, i: int):
    """Lane ``i`` of a batch call, as ``run_routine`` arguments (regs, writes)."""
    one = {k: (v if isinstance(v, int) else int(v[i])) for k, v in regs.items()}
    return one, [(addr, arr[i].tobytes()) for addr, arr in memory]
