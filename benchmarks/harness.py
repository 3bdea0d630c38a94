"""Running one OpenSSL routine call under lnsym and under unicorn on the same state.

``Call`` is a routine call: the ELF image, the symbol, the argument registers
and the memory writes.  ``lnsym.runner.prepare`` builds the initial memory and
registers; ``run_unicorn`` maps exactly those pages (the image segments, the
stack, the inputs) into unicorn, copies the registers, and runs from the entry
to the return sentinel in X30.  Both return (seconds, memory reader), so the
outputs can be compared byte for byte.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from lnsym.backends.concrete import Executor
from lnsym.backends.runner import RETURN_SENTINEL, prepare
from lnsym.machine.memory import PAGE, PAGE_BITS


@dataclass
class Call:
    image: object
    symbol: str
    regs: dict
    writes: list            # (addr, bytes)


def run_lnsym(call: Call, max_steps: int = 1 << 40):
    """(steps, seconds, memory) of one lnsym run (block compilation included)."""
    mem, st = prepare(call.image, call.symbol, call.regs, call.writes)
    t0 = time.perf_counter()
    steps = Executor(mem).run(st, RETURN_SENTINEL, max_steps)
    return steps, time.perf_counter() - t0, mem


def _page_runs(pages):
    """Contiguous runs (first page, count) of a set of page numbers."""
    runs = []
    for p in sorted(pages):
        if runs and runs[-1][0] + runs[-1][1] == p:
            runs[-1][1] += 1
        else:
            runs.append([p, 1])
    return runs


def unicorn_machine(call: Call):
    """A unicorn engine holding the same memory and registers as ``prepare`` builds."""
    import unicorn
    from unicorn import arm64_const as A
    mem, st = prepare(call.image, call.symbol, call.regs, call.writes)
    uc = unicorn.Uc(unicorn.UC_ARCH_ARM64, unicorn.UC_MODE_ARM)
    if hasattr(uc, "ctl_set_cpu_model") and hasattr(A, "UC_CPU_ARM64_MAX"):
        uc.ctl_set_cpu_model(A.UC_CPU_ARM64_MAX)
    for first, count in _page_runs(mem.pages):
        uc.mem_map(first << PAGE_BITS, count * PAGE)
        for p in range(first, first + count):
            uc.mem_write(p << PAGE_BITS, bytes(mem.pages[p]))
    for i in range(29):
        uc.reg_write(getattr(A, f"UC_ARM64_REG_X{i}"), st.x[i])
    uc.reg_write(A.UC_ARM64_REG_X29, st.x[29])
    uc.reg_write(A.UC_ARM64_REG_X30, st.x[30])
    uc.reg_write(A.UC_ARM64_REG_SP, st.x[31])
    for i in range(32):
        uc.reg_write(getattr(A, f"UC_ARM64_REG_Q{i}"), st.v[i])
    uc.reg_write(A.UC_ARM64_REG_NZCV, st.nzcv << 28)
    return uc, st.pc


def run_unicorn(call: Call):
    """(seconds, engine) of one unicorn run from the entry to the return sentinel."""
    uc, entry = unicorn_machine(call)
    t0 = time.perf_counter()
    uc.emu_start(entry, RETURN_SENTINEL)
    return time.perf_counter() - t0, uc
