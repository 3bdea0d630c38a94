"""Concrete replay of a constant-time finding: two runs, same public inputs.

A finding's pair of assignments (``Finding.pair``) is turned into two concrete
calls of the routine (``lnsym.backends.runner``): the regions are placed at
fixed addresses (pointers are public, so both runs share them), their bytes
and the registers evaluated under each assignment.  Both runs are single-stepped
with the memory accesses recorded; at the finding's instruction, on the same
occurrence, the replay compares the addresses accessed (an address finding) or
the next PC (a branch finding).  'confirmed' means the two concrete runs really
differ there.
"""
from __future__ import annotations

from lnsym.backends.concrete import Executor
from lnsym.backends.runner import RETURN_SENTINEL, STACK_TOP, prepare
from lnsym.terms.evaluate import evaluate

REGION_BASE = 0x1000_0000
MAX_REPLAY_STEPS = 2_000_000


class _Recording:
    """The machine memory, logging (pc, address, size, write) of every data access."""

    def __init__(self, mem):
        self._mem = mem
        self.log: list = []

    def read(self, addr, size, pc=None):
        if pc is not None:
            self.log.append((pc, addr, size, False))
        return self._mem.read(addr, size, pc)

    def write(self, addr, size, value, pc=None):
        self.log.append((pc, addr, size, True))
        return self._mem.write(addr, size, value, pc)

    def __getattr__(self, name):
        return getattr(self._mem, name)


def concrete_inputs(st, env: dict):
    """(regs, writes, bases) realising ``env`` on the state's regions."""
    bases, nxt = {}, REGION_BASE
    for r in st.mem.regions:
        if r.anchor.op == "const" or r.name == "stack":
            continue
        bases[r.anchor.params[0]] = nxt - r.lo
        nxt += ((r.hi - r.lo) + 0xFFFF) & ~0xFFFF
    bases["sp_0"] = STACK_TOP - 0x100
    full = dict(env, **bases)

    def value(t):
        return evaluate(t, lambda name: full.get(name, 0))
    writes = []
    for r in st.mem.regions:
        if r.anchor.op == "const" or r.name == "stack":
            continue
        writes.append((value(r.anchor) + r.lo, bytes(value(r.initial(o)) for o in range(r.lo, r.hi))))
    regs = {loc: value(t) for loc, t in st.initial.items() if loc not in ("sp", "x30")}
    return regs, writes, value


def observe(image, symbol, regs, writes, pc: int, occurrence: int):
    """(addresses accessed, next pc) at the ``occurrence``-th execution of ``pc``."""
    mem, cpu = prepare(image, symbol, regs, writes)
    rec = _Recording(mem)
    ex = Executor(rec)
    seen = 0
    for _ in range(MAX_REPLAY_STEPS):
        if cpu.pc == RETURN_SENTINEL:
            break
        at = cpu.pc
        mark = len(rec.log)
        ex.step(cpu)
        if at == pc:
            if seen == occurrence:
                return [a for _, a, _, _ in rec.log[mark:]], cpu.pc
            seen += 1
        del rec.log[:]
    return None


def replay_finding(image, symbol, st, finding) -> str:
    if not finding.pair or finding.kind not in ("address", "branch"):
        return ""
    try:
        runs = []
        for env in finding.pair:
            regs, writes, _ = concrete_inputs(st, env)
            runs.append(observe(image, symbol, regs, writes, finding.pc, finding.occurrence))
    except Exception as e:        # the concrete run itself failed: say so
        return f"concrete replay failed: {e}"
    if None in runs:
        return ("concrete replay: NOT confirmed (the runs did not reach this instruction "
                "the same number of times)")
    (addr_a, next_a), (addr_b, next_b) = runs
    if finding.kind == "address":
        a, b = addr_a, addr_b
        what = "addresses"
        fmt = ", ".join
        sa, sb = fmt(f"{x:#x}" for x in a), fmt(f"{x:#x}" for x in b)
    else:
        a, b, what = next_a, next_b, "next PCs"
        sa, sb = f"{a:#x}", f"{b:#x}"
    verdict = "confirmed" if a != b else "NOT confirmed (same concrete behaviour)"
    finding.confirmed = a != b
    return f"concrete replay: {what} {sa} vs {sb} -- {verdict}"


def replay_findings(image, symbol, run, limit: int = 5) -> None:
    for f in run.result.ct_findings[:limit]:
        f.replay = replay_finding(image, symbol, run.state, f)
