"""``run_batch``: a routine called once per lane, all lanes in lockstep.

The call is set up as ``runner.prepare`` does for one input (image loaded, SP
on a private stack, X30 on the return sentinel); then registers and memory
may differ per lane.  Results are read back per lane from ``BatchResult``.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from lnsym.backends.batch.executor import BatchExecutor, LaneGroup, initial_regs
from lnsym.backends.batch.memory import BatchMemory
from lnsym.backends.runner import DEFAULT_MAX_STEPS, RETURN_SENTINEL, prepare
from lnsym.errors import UserError
from lnsym.machine.lift import LOCATION_WIDTHS
from lnsym.machine.memory import Memory


@dataclass
class BatchResult:
    lanes: int
    groups: list            # LaneGroup, each ended at the return sentinel

    @property
    def steps(self) -> np.ndarray:
        """Instructions executed, per lane."""
        out = np.zeros(self.lanes, dtype=np.int64)
        for g in self.groups:
            out[g.lanes] = g.steps
        return out

    def reg(self, name: str) -> np.ndarray:
        """A location's final value per lane: ``uint64`` up to 64 bits, else Python ints."""
        if name not in LOCATION_WIDTHS or name == "pc":
            raise KeyError(name)
        wide = LOCATION_WIDTHS[name] > 64
        out = np.zeros(self.lanes, dtype=object if wide else np.uint64)
        for g in self.groups:
            limbs = g.regs[name]
            val = np.broadcast_to(np.asarray(limbs[0], dtype=np.uint64), (len(g.lanes),))
            if wide:
                val = val.astype(object)
                for j, x in enumerate(limbs[1:], 1):
                    hi = np.broadcast_to(np.asarray(x, dtype=np.uint64), (len(g.lanes),))
                    val = val | (hi.astype(object) << (64 * j))
            out[g.lanes] = val
        return out

    def read(self, addr: int, size: int) -> np.ndarray:
        """``(lanes, size)`` bytes of final memory."""
        out = np.zeros((self.lanes, size), dtype=np.uint8)
        for g in self.groups:
            out[g.lanes] = g.memory.read_bytes(addr, size)
        return out


def run_batch(image, symbol: str, regs: dict | None = None, memory: list | None = None,
              lanes: int | None = None, max_steps: int = DEFAULT_MAX_STEPS,
              pauth: str = "on") -> BatchResult:
    """Run ``symbol`` of ``image`` on every lane.

    ``regs``: location -> an int (every lane), a sequence of ints or a ``uint64`` array
    (one per lane; ``(lanes, 2)`` limbs for a V register).  ``memory``: ``(addr, data)``
    with data ``bytes`` (every lane) or a ``(lanes, size)`` ``uint8`` array; the pages
    it touches are mapped.  ``lanes`` defaults to the length of the first per-lane input.
    """
    regs, memory = dict(regs or {}), list(memory or [])
    lanes = lanes if lanes is not None else _infer_lanes(regs, memory)
    uniform_writes = [(a, d) for a, d in memory if isinstance(d, (bytes, bytearray))]
    mem, st = prepare(image, symbol, {}, uniform_writes)
    bm = BatchMemory.from_memory(mem, lanes)
    for addr, data in memory:
        if not isinstance(data, (bytes, bytearray)):
            data = np.asarray(data, dtype=np.uint8)
            if data.ndim != 2 or data.shape[0] != lanes:
                raise UserError(f"memory at {addr:#x}: expected {lanes} rows of bytes, "
                                f"got shape {data.shape}")
            bm.map(addr, data.shape[1])
            bm.write_bytes(addr, data)
    start = {loc: v for loc, v in st.locations().items() if loc != "pc"}
    start.update(regs)
    try:
        state = initial_regs(start, lanes)
    except KeyError as e:
        raise UserError(f"unknown register {e.args[0]!r}") from None
    except ValueError as e:
        raise UserError(str(e)) from None
    group = LaneGroup(np.arange(lanes), state, bm, st.pc)
    return BatchResult(lanes, executor_for(image, pauth).run(group, RETURN_SENTINEL, max_steps))


_executors: dict = {}       # (id(image), pauth) -> (weak reference to the image, executor)


def executor_for(image, pauth: str = "on") -> BatchExecutor:
    """One executor (and so one cache of compiled blocks) per loaded image and PAuth mode."""
    key = (id(image), pauth)
    entry = _executors.get(key)
    if entry is None or entry[0]() is not image:
        code = Memory()
        image.load_into(code)
        entry = _executors[key] = (weakref.ref(image), BatchExecutor(code, pauth))
    return entry[1]


def _infer_lanes(regs: dict, memory: list) -> int:
    for v in regs.values():
        if not isinstance(v, (int, np.integer)):
            return len(v)
    for _, d in memory:
        if not isinstance(d, (bytes, bytearray)):
            return len(d)
    return 1


def run_words(words, regs: dict | None = None, memory: list | None = None, lanes: int = 1,
              base: int = 0x400000, max_steps: int = 10_000) -> BatchResult:
    """Run instruction ``words`` placed at ``base`` on every lane until the PC reaches the
    end of them (the batch counterpart of ``lnsym.backends.snippet.run_words``).
    ``regs`` and ``memory`` are as for ``run_batch``; memory writes map their pages."""
    code = Memory()
    code.load(base, b"".join(w.to_bytes(4, "little") for w in words))
    bm = BatchMemory.from_memory(code, lanes)
    for addr, data in memory or ():
        data = np.frombuffer(bytes(data), np.uint8) if isinstance(data, (bytes, bytearray)) \
            else np.asarray(data, dtype=np.uint8)
        bm.map(addr, data.shape[-1])
        bm.write_bytes(addr, data)
    group = LaneGroup(np.arange(lanes), initial_regs(dict(regs or {}), lanes), bm, base)
    return BatchResult(lanes, BatchExecutor(code).run(group, base + 4 * len(words), max_steps))
