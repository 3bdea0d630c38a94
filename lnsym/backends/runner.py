"""Running a routine from an ELF image the way a caller would.

SP points into a private stack, X30 holds a sentinel return address; the run
ends when the routine returns there.  Inputs are register values and memory
writes (which map the pages they touch); outputs are the final state and the
memory.
"""
from __future__ import annotations

from dataclasses import dataclass

from lnsym.backends.concrete import CpuState, Executor
from lnsym.errors import UserError
from lnsym.machine.memory import Memory

STACK_TOP = 0x7FFF_F000_0000
STACK_SIZE = 1 << 20
RETURN_SENTINEL = 0x0000_DEAD_0000_0000
DEFAULT_MAX_STEPS = 50_000_000


@dataclass
class RunResult:
    steps: int
    state: CpuState
    memory: Memory


def resolve_address(image, text: str) -> int:
    """``0x1000``, ``4096``, ``SYMBOL`` or ``SYMBOL+0x10`` -> an address."""
    from lnsym.numbers import parse_int
    base, plus, off = text.partition("+")
    try:
        value = int(base, 0)
    except ValueError:
        if image is None:
            raise UserError(f"address {text!r} is not a number") from None
        value = image.symbol(base).addr
    return value + (parse_int(off, "address offset") if plus else 0)


def prepare(image, symbol: str, regs: dict | None = None, writes: list | None = None):
    """Memory with the image and stack mapped, and a CpuState entering ``symbol``."""
    mem = Memory()
    image.load_into(mem)
    for seg in image.segments:               # stores to code stop the run (no SMC model)
        if seg.executable:
            mem.protect_code(seg.addr, len(seg.data))
    mem.map(STACK_TOP - STACK_SIZE, STACK_SIZE)
    st = CpuState()
    st.sp = STACK_TOP - 0x100
    st.x[30] = RETURN_SENTINEL
    st.pc = image.symbol(symbol).addr
    for addr, data in writes or ():
        mem.load(addr, data)
    for name, value in (regs or {}).items():
        st.set(name, value)
    return mem, st


def run_routine(image, symbol: str, regs: dict | None = None, writes: list | None = None,
                max_steps: int = DEFAULT_MAX_STEPS, pauth: str = "on") -> RunResult:
    mem, st = prepare(image, symbol, regs, writes)
    ex = Executor(mem, pauth)
    steps = ex.run(st, RETURN_SENTINEL, max_steps)
    return RunResult(steps, st, mem)


def run_calls(image, calls: list, writes: list | None = None,
              max_steps: int = DEFAULT_MAX_STEPS, pauth: str = "on") -> RunResult:
    """Several routines called in sequence on one memory, as a caller would:
    ``calls`` is [(symbol, {register: value})]; each call returns to the sentinel,
    then the next starts with the registers it names set (the others keep the
    values the previous call left).  Replays multi-call counterexamples."""
    if not calls:
        raise UserError("run_calls needs at least one (symbol, registers) call")
    first, regs = calls[0]
    mem, st = prepare(image, first, regs, writes)
    ex = Executor(mem, pauth)
    steps = ex.run(st, RETURN_SENTINEL, max_steps)
    for symbol, regs in calls[1:]:
        for name, value in regs.items():
            st.set(name, value)
        st.x[30] = RETURN_SENTINEL
        st.pc = image.symbol(symbol).addr
        steps += ex.run(st, RETURN_SENTINEL, max_steps)
    return RunResult(steps, st, mem)
