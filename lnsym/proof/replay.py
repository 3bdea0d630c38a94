"""Services the proof layer uses but does not own, passed in from above.

The core (``lnsym``) never imports ``conformance``.  Confirming a
counterexample on a real execution needs a *trace recorder*, which lives
there; whoever has one registers it here:

    register_trace_recorder(record)

The contract of ``record(image, symbol, regs, writes) -> (states, final)``:
run ``symbol`` of ``image`` from the register values ``regs`` (name -> int)
after the memory ``writes`` ([(address, bytes)]), and return the state before
every instruction and at the return (``states``: a list of dicts, location
name -> int, the last one at the return) and ``final``: {page address:
bytes} for every page that differs at the return from its initial contents.
It raises an exception with a one-sentence message when it cannot run.

The ``lnsym`` CLI and the ``proofs`` package register
``conformance.trace.record`` (QEMU user mode); without a recorder a
counterexample is still replayed on lnsym's concrete backend and the report
says that no real execution confirmed it.
"""
from __future__ import annotations

_recorder = None


def register_trace_recorder(record) -> None:
    global _recorder
    _recorder = record


def trace_recorder():
    return _recorder
