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

``run_recorded`` is the one way the proof layer runs something on the
recorder: the state and memory at the return, or ``NoReplay`` saying in one
sentence why there is no real execution (no QEMU, no recorder, the run failed).
"""
from __future__ import annotations

import shutil

_recorder = None


class NoReplay(Exception):
    """Why a real execution could not be had (one sentence)."""


def register_trace_recorder(record) -> None:
    global _recorder
    _recorder = record


def trace_recorder():
    return _recorder


def run_recorded(image, symbol: str, regs: dict, writes: list) -> tuple:
    """(state at the return: location -> int, memory after the run, instructions) of
    ``symbol`` run by the registered recorder; raises ``NoReplay``."""
    from lnsym.backends.runner import prepare
    if shutil.which("qemu-aarch64") is None:
        raise NoReplay("qemu-aarch64 not available")
    if _recorder is None:
        raise NoReplay("no trace recorder registered (lnsym.proof.replay)")
    try:
        states, final = _recorder(image, symbol, regs, writes)
    except Exception as e:  # noqa: BLE001 -- any failure of the real run is reported
        raise NoReplay(f"the run failed: {e}") from None
    mem, _ = prepare(image, symbol, regs, writes)
    for addr, page in final.items():
        mem.load(addr, page)
    return dict(states[-1]), mem, len(states) - 1
