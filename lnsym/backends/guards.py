"""The machine model's guards: what a symbolic run refuses instead of proving.

Two behaviours of a real AArch64 Linux process that instruction semantics
alone do not capture stop every symbolic run (``lnsym.backends.symbolic``)
with an error naming the instruction:

* **Memory below SP.**  AAPCS64 has no red zone: a signal handler may
  overwrite any byte below the stack pointer at any instruction.  An access
  to the ``stack`` region (anchored at the entry SP, ``sp_0``) below the
  current SP is an error (``check_stack``, called by ``SymState.step`` with
  the instruction's accesses).  The bound is the lower of SP before and
  after the instruction, so a pre-indexed push (``stp x29, x30, [sp, #-16]!``)
  that moves SP with its store is fine.
* **Self-modifying code.**  Fetch reads the object's bytes, so a store to
  code would execute something other than what was proved.  A store to a
  region marked ``executable`` (the object's code segments, even writable
  ones) is an error (``SymMemory.resolve``).  The concrete backend does the
  same (``lnsym.machine.memory.CodeStoreFault``).
"""
from __future__ import annotations

from lnsym.backends.concrete import ExecutionError
from lnsym.terms.pretty import pretty

STACK = "stack"


class MachineModelError(ExecutionError):
    """The routine does something the machine model cannot vouch for."""

    def __init__(self, message: str, pc: int | None = None):
        super().__init__(message)
        self.pc = pc


class BelowStackPointer(MachineModelError):
    pass


class SelfModifyingCode(MachineModelError):
    pass


def describe(pc: int, word: int | None = None) -> str:
    """``the instruction at 0x11004 (ad3f07e0  stp q0, q1, [sp, #-0x20])``."""
    if word is None:
        return f"the instruction at {pc:#x}"
    from lnsym.machine.disasm import capstone_text
    return f"the instruction at {pc:#x} ({word:08x}  {capstone_text(word, pc) or '.word'})"


def code_store(pc: int, size: int, region: str, off: int) -> SelfModifyingCode:
    return SelfModifyingCode(f"{describe(pc)} stores {size} byte(s) to executable memory "
                             f"({region}+{off:#x}): self-modifying code is not modelled", pc)


def stack_anchor(mem):
    """The anchor term of ``mem``'s stack region, or None."""
    for r in mem.regions:
        if r.name == STACK:
            return r.anchor
    return None


def check_stack(mem, accesses: list, sp_before, sp_after, pc: int, word: int) -> None:
    """Every access ``(kind, address, size, value)`` into the stack region must lie at
    or above the lower of SP before and after the instruction."""
    from lnsym.backends.symbolic import split_address
    anchor = stack_anchor(mem)
    if anchor is None:
        return
    offsets = []
    for kind, addr, size, _value in accesses:
        base, off = split_address(addr)
        if base is anchor:
            offsets.append((off, size, kind == "w"))
    if not offsets:
        return
    floors = []
    for sp in (sp_before, sp_after):
        base, off = split_address(sp)
        if base is not anchor:
            raise BelowStackPointer(
                f"{describe(pc, word)} accesses the stack while SP is {pretty(sp)}, not the "
                f"entry SP plus a constant: cannot show the access is above SP (AAPCS64 has "
                f"no red zone)", pc)
        floors.append(off)
    for off, size, write in offsets:
        if off < min(floors):
            raise BelowStackPointer(
                f"{describe(pc, word)} {'stores' if write else 'loads'} {size} byte(s) at "
                f"sp{off - floors[0]:+#x}, below the stack pointer: AAPCS64 has no red zone "
                f"(a signal handler may overwrite memory below SP at any instruction)", pc)


__all__ = ["STACK", "BelowStackPointer", "MachineModelError", "SelfModifyingCode",
           "check_stack", "code_store", "describe", "stack_anchor"]
