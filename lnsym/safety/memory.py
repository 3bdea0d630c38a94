"""Memory safety, checked by observing a symbolic run.

Every access must fall inside a declared region or the stack frame.  The
symbolic executor already refuses an address it cannot place inside a region
(``UnresolvedAddress``) and a store to a read-only one, so in a completed proof
run the in-region part holds by construction; ``MemObserver`` adds what the
executor does not check:

* no access below the stack pointer (SP is ``sp_0 + c`` at every access; the
  executor's guard stops such a run first, and ``guard_finding`` turns its
  message into the finding);
* no store into the object's own data (the image regions);
* no read of a stack byte the routine has not written (uninitialised stack);
* the stack depth: how far below its entry SP the routine goes.

In the constant-time mode of ``lnsym ct`` an unresolved access is handed to the
recovery instead of stopping the run; it is then recorded here as not shown
in bounds (``incomplete``), never as safe.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lnsym.backends.concrete import ExecutionError
from lnsym.backends.symbolic import split_address
from lnsym.safety.verdict import Verdict
from lnsym.terms.bv import var

SP = var("sp", 64)


@dataclass
class MemFinding:
    kind: str          # 'below SP', 'out of bounds', 'store to object data', 'uninitialised stack read'
    pc: int
    word: int
    detail: str

    def describe(self) -> str:
        from lnsym.machine.disasm import capstone_text
        text = capstone_text(self.word, self.pc) or f"{self.word:08x}"
        return f"{self.pc:#x}: {text} -- {self.kind}: {self.detail}"


class MemObserver(Verdict):
    def __init__(self, st, stack_region: str = "stack"):
        self.stack_name = stack_region
        self.findings: list = []
        self.incomplete: list = []
        stack = _region(st, stack_region)
        # stack offsets stored so far; a segment starting at a cut point carries the
        # frame written before it
        self.written: set = set(stack.bytes) if stack is not None else set()
        self.depth = 0                   # bytes below the entry SP used (SP or accesses)
        self.sp_untracked = False
        self._flagged: set = set()

    def step(self, st, ev) -> None:
        stack = _region(st, self.stack_name)
        sp_before = _sp_offset(ev.inputs.get(SP), stack)
        sp_after = _sp_offset(st.regs.get("sp"), stack)
        if sp_before is None or sp_after is None:
            if not self.sp_untracked:
                self.sp_untracked = True
                self.incomplete.append(f"SP is not entry SP + constant at {ev.pc:#x}")
            sp_low = None
        else:
            sp_low = min(sp_before, sp_after)
            self.depth = max(self.depth, -sp_low)
        for kind, addr, size, _ in ev.accesses:
            placed = _place(st, addr, size) or _resolved(st, addr, size, ev.pc, kind)
            if placed is None:
                outside = _outside(st, addr, size)
                if outside is not None:
                    self._add("out of bounds", ev, outside)
                else:
                    self._flag_incomplete(ev.pc, f"access at {ev.pc:#x} not shown inside a "
                                                 f"declared region")
                continue
            region, off = placed
            if region is stack:
                self.depth = max(self.depth, -off)
                if sp_low is not None and off < sp_low:
                    self._add("below SP", ev, f"{size} byte(s) at entry SP{off:+#x}, "
                                              f"SP is entry SP{sp_low:+#x}")
                cells = range(off, off + size)
                if kind == "w":
                    self.written.update(cells)
                elif any(c not in self.written for c in cells):
                    self._add("uninitialised stack read",
                              ev, f"{size} byte(s) at entry SP{off:+#x} never written")
            elif kind == "w" and region.name.startswith("image:"):
                self._add("store to object data", ev, f"region {region.name!r} offset {off:#x}")

    def _add(self, kind, ev, detail) -> None:
        if (ev.pc, kind) not in self._flagged:
            self._flagged.add((ev.pc, kind))
            self.findings.append(MemFinding(kind, ev.pc, ev.word, detail))

    def _flag_incomplete(self, pc, reason) -> None:
        if (pc, "incomplete") not in self._flagged:
            self._flagged.add((pc, "incomplete"))
            self.incomplete.append(reason)

    def yes_text(self) -> str:
        return f"yes (stack {self.depth} bytes)"

    def trusted_base(self) -> list:
        return [f"memory safety: every access inside a declared region (regions disjoint, no "
                f"wrap), none below SP, no uninitialised stack read; stack depth {self.depth} "
                f"bytes"]


_GUARD = re.compile(r"the instruction at 0x([0-9a-f]+) \(([0-9a-f]{8}) ")


def guard_finding(message: str):
    """The executor's own below-SP guard (``lnsym.backends.guards``) stops a run before
    any observer sees the instruction: its message, as a ``MemFinding`` (or None)."""
    m = _GUARD.search(message)
    if m is None or "below the stack pointer" not in message:
        return None
    return MemFinding("below SP", int(m.group(1), 16), int(m.group(2), 16),
                      message.split(", below the stack pointer")[0].split(") ", 1)[-1])


def _region(st, name):
    for r in st.mem.regions:
        if r.name == name:
            return r
    return None


def _sp_offset(sp, stack):
    """SP as an offset from the stack region's anchor (the entry SP), or None."""
    if sp is None or stack is None:
        return None
    base, off = split_address(sp)
    return off if base is stack.anchor else None


def _resolved(st, addr, size, pc, kind):
    """(region, offset) as the executor's own memory places it (e.g. an induction's
    block window ``inp + 64·k`` under its hypotheses), or None."""
    try:
        return st.mem.resolve(addr, size, pc, kind == "w")
    except ExecutionError:
        return None


def _outside(st, addr, size):
    """For an access at a region's anchor plus a constant that falls outside that
    region (and inside no other): the sentence saying so, else None."""
    base, off = split_address(addr)
    if base is None:
        return None
    for r in st.mem.regions:
        if r.anchor is base:
            return (f"{size} byte(s) at offset {off:#x} of region {r.name!r}, outside "
                    f"[{r.lo:#x}, {r.hi:#x})")
    return None


def _place(st, addr, size):
    """(region, offset) holding ``size`` bytes at ``addr``, or None."""
    base, off = split_address(addr)
    for r in st.mem.regions:
        if base is None and r.anchor.op == "const":
            o = (off - r.anchor.params[0]) & ((1 << 64) - 1)
            o = o - (1 << 64) if o >= 1 << 63 else o
        elif base is not None and r.anchor is base:
            o = off
        else:
            continue
        if r.lo <= o and o + size <= r.hi:
            return r, o
    return None
