"""Running a short list of instruction words: for unit tests and examples."""
from __future__ import annotations

from lnsym.backends.concrete import CpuState, Executor
from lnsym.machine.memory import Memory

CODE_BASE = 0x400000


def run_words(words, regs: dict | None = None, memory: Memory | None = None,
              base: int = CODE_BASE, max_steps: int = 10_000, pauth: str = "on"):
    """Execute ``words`` from ``base`` until the PC leaves them; returns (state, memory).

    ``regs`` maps location names (``x0``, ``sp``, ``v3``, ``nzcv``) to ints.
    """
    mem = memory if memory is not None else Memory()
    mem.load(base, b"".join(w.to_bytes(4, "little") for w in words))
    st = CpuState()
    for k, v in (regs or {}).items():
        st.set(k, v)
    st.pc = base
    ex = Executor(mem, pauth)
    end = base + 4 * len(words)
    steps = 0
    while base <= st.pc < end and steps < max_steps:
        ex.step(st)
        steps += 1
    return st, mem
