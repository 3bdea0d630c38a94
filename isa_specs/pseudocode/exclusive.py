"""The local exclusive monitor of one PE (Arm ARM B2.9 "Synchronization and
semaphores", J1 aarch64/functions/exclusive: AArch64.SetExclusiveMonitors,
AArch64.ExclusiveMonitorsPass, ClearExclusiveLocal), for a user-mode thread.

State (machine locations, see ``lnsym.machine.lift``): ``open`` (1 in the
Exclusive Access state), the marked ``addr``, the ``size`` in bytes of the
load-exclusive, and ``val``, the bytes it read (QEMU's record, used only for
the concrete choice below).

A store-exclusive (``StoreExclusiveOutcome``):
* in the Open Access state fails: no store, status 1;
* to the marked address, with the load's size, while memory still holds the
  value the load read, succeeds: store, status 0;
* otherwise, in the Exclusive Access state (another address, another size,
  or the marked bytes were written since the load-exclusive), the Arm ARM
  leaves the outcome CONSTRAINED UNPREDICTABLE / IMPLEMENTATION DEFINED.
  Whether it stores and the status it reports are two ``ConstrainedUnpredictable``
  choices: symbolic in proofs, QEMU's behaviour in concrete runs;
and always leaves the monitor in the Open Access state.

QEMU 7.2 (target/arm/translate-a64.c, measured by the conformance classes
``ldst_exclusive_monitor``) keeps the address and the 64 bits read by the last
load-exclusive (128 for a 64-bit LDXP; a smaller load leaves the upper 64
bits as they were), and performs a store-exclusive to that address as a
compare-and-swap of the store's size against the low bytes of that value; its
status is 1 unless the old memory, zero-extended, equals the whole recorded
value (the upper 64 bits too for a 128-bit pair).  So it may store and still
report failure (LDXR X then STXR W).  The concrete choice is exactly that.

A normal store by this PE to the marked bytes is, by the Arm ARM,
IMPLEMENTATION DEFINED to clear the monitor or not; the symbolic backend
models it (``SymState``) by making ``open`` a fresh choice after any store it
cannot prove disjoint from the marked bytes.  Not modelled: an exception
return (a signal, a preemption) between the load and the store, which clears
the monitor on hardware; a store-exclusive matching its load therefore
succeeds, and the trusted base of a proof that executed one says so.
"""
from __future__ import annotations

from lnsym.machine.asl import AND, BV, EQ, NOT, OR, Concat, Const, Slice, ZeroExtend, ite


def SetExclusiveMonitors(s, address: BV, size: int, data: BV) -> None:
    """A load-exclusive of ``size`` bytes at ``address`` that read ``data``."""
    s.set_ExclusiveMonitor("open", Const(1, 1))
    s.set_ExclusiveMonitor("addr", address)
    s.set_ExclusiveMonitor("size", Const(size, 8))
    if size == 16:
        s.set_ExclusiveMonitor("val", data)
    else:
        high = Slice(s.ExclusiveMonitor("val"), 127, 64)
        s.set_ExclusiveMonitor("val", Concat(high, ZeroExtend(data, 64)))


def ClearExclusiveLocal(s) -> None:
    s.set_ExclusiveMonitor("open", Const(0, 1))


def StoreExclusiveOutcome(s, address: BV, size: int, current: BV) -> tuple:
    """(store, status) as 1-bit terms for a store-exclusive of ``size`` bytes at
    ``address``, where memory holds ``current``; closes the monitor."""
    is_open = s.ExclusiveMonitor("open")
    val = s.ExclusiveMonitor("val")
    same_addr = EQ(address, s.ExclusiveMonitor("addr"))
    low = Slice(val, 8 * size - 1, 0)
    exact = AND(same_addr, EQ(s.ExclusiveMonitor("size"), Const(size, 8)), EQ(current, low))
    # QEMU: compare-and-swap against the recorded value (see the module docstring)
    qemu_store = AND(is_open, same_addr, EQ(current, low))
    recorded = val if size == 16 else Slice(val, 63, 0)
    qemu_ok = AND(is_open, same_addr, EQ(ZeroExtend(current, recorded.width), recorded))
    stores = s.ConstrainedUnpredictable("stxr-stores", qemu_store)
    fails = s.ConstrainedUnpredictable("stxr-status", NOT(qemu_ok))
    store = AND(is_open, OR(exact, stores))
    status = ite(is_open, ite(exact, Const(0, 1), fails), Const(1, 1))
    ClearExclusiveLocal(s)
    return store, status
