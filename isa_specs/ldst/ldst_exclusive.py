"""Load/store exclusive register and pair: LDXR, LDAXR, STXR, STLXR (and the
B/H forms LDXRB, LDAXRH, STXRB, STLXRH ...), LDXP, LDAXP, STXP, STLXP.

ASL: aarch64/instrs/memory/exclusive/single (LDXR_LR64_ldstexcl,
STLXRB_SR32_ldstexcl ...), aarch64/instrs/memory/exclusive/pair
(LDXP_LP64_ldstexcl, STLXP_SP32_ldstexcl ...).

The local exclusive monitor is modelled (``isa_specs.pseudocode.exclusive``):
a load-exclusive marks its address and size (``AArch64.SetExclusiveMonitors``);
a store-exclusive stores and writes status 0 to Ws only if the monitor is in
the Exclusive Access state for the same address and size and the marked
bytes are unchanged, fails (no store, status 1) in the Open Access state,
leaves the other cases to ``ConstrainedUnpredictable`` choices, and always
clears the monitor.  The store-exclusive reads its location first, to
decide (so an unmapped address faults even where the store would fail).
Acquire/release ordering is not observable in a single-threaded model.  The
alignment fault of a misaligned exclusive access is not modelled.  The
CONSTRAINED UNPREDICTABLE register overlaps (LDXP t == t2; STXR s == t,
s == t2, or s == n) are rejected.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unimplemented
from isa_specs.pseudocode.exclusive import SetExclusiveMonitors, StoreExclusiveOutcome
from isa_specs.pseudocode.memory import AddOffset, BaseAddress
from isa_specs.syntax import gpr
from lnsym.machine.asl import Concat, Slice, ZeroExtend, ite

SUFFIX = {8: "b", 16: "h", 32: "", 64: ""}


@dataclass(frozen=True, slots=True)
class LoadStoreExclusive:
    t: int
    t2: int
    s: int
    n: int
    load: bool
    pair: bool
    elsize: int
    ordered: bool        # acquire (LDAXR) / release (STLXR); no effect here

    @property
    def regsize(self) -> int:
        return 64 if self.elsize == 64 else 32

    def execute(self, st):
        address = BaseAddress(st, self.n)
        es = self.elsize
        dbytes = es // 8 * (2 if self.pair else 1)
        if self.load:
            if self.pair and es == 32:
                data = st.Mem(address, dbytes)
                st.set_X(self.t, Slice(data, 31, 0))
                st.set_X(self.t2, Slice(data, 63, 32))
            elif self.pair:
                lo, hi = st.Mem(address, 8), st.Mem(AddOffset(address, 8), 8)
                st.set_X(self.t, lo)
                st.set_X(self.t2, hi)
                data = Concat(hi, lo)
            else:
                data = st.Mem(address, dbytes)
                st.set_X(self.t, ZeroExtend(data, self.regsize))
            SetExclusiveMonitors(st, address, dbytes, data)
        else:
            if self.pair:
                data = Concat(st.X(self.t2, es), st.X(self.t, es))   # little-endian
            else:
                data = st.X(self.t, es)
            current = st.Mem(address, dbytes)
            store, status = StoreExclusiveOutcome(st, address, dbytes, current)
            st.set_Mem(address, dbytes, ite(store, data, current))
            st.set_X(self.s, ZeroExtend(status, 32))

    def disasm(self, pc: int = 0) -> str:
        kind = ("ld" if self.load else "st") + \
            (("a" if self.load else "l") if self.ordered else "") + "x"
        mnemonic = kind + ("p" if self.pair else "r" + SUFFIX[self.elsize])
        regs = [gpr(self.t, self.regsize)]
        if self.pair:
            regs.append(gpr(self.t2, self.regsize))
        if not self.load:
            regs.insert(0, gpr(self.s, 32))
        return f"{mnemonic} {', '.join(regs)}, [{gpr(self.n, 64, sp=True)}]"


def _check_store(Rs, Rt, Rt2, Rn, pair):
    if Rs == Rt or (pair and Rs == Rt2) or (Rs == Rn and Rn != 31):
        raise Unimplemented("constrained unpredictable: status register overlaps a "
                            "transfer or base register")


@encoding("size:2 001000010 11111 o0:1 11111 Rn:5 Rt:5")
def decode_load_exclusive(size, o0, Rn, Rt):
    return LoadStoreExclusive(t=Rt, t2=31, s=31, n=Rn, load=True, pair=False,
                              elsize=8 << size, ordered=bool(o0))


@encoding("size:2 001000000 Rs:5 o0:1 11111 Rn:5 Rt:5")
def decode_store_exclusive(size, Rs, o0, Rn, Rt):
    _check_store(Rs, Rt, 31, Rn, False)
    return LoadStoreExclusive(t=Rt, t2=31, s=Rs, n=Rn, load=False, pair=False,
                              elsize=8 << size, ordered=bool(o0))


@encoding("1 sz:1 001000011 11111 o0:1 Rt2:5 Rn:5 Rt:5")
def decode_load_exclusive_pair(sz, o0, Rt2, Rn, Rt):
    if Rt == Rt2:
        raise Unimplemented("constrained unpredictable: load pair with t == t2")
    return LoadStoreExclusive(t=Rt, t2=Rt2, s=31, n=Rn, load=True, pair=True,
                              elsize=64 if sz else 32, ordered=bool(o0))


@encoding("1 sz:1 001000001 Rs:5 o0:1 Rt2:5 Rn:5 Rt:5")
def decode_store_exclusive_pair(sz, Rs, o0, Rt2, Rn, Rt):
    _check_store(Rs, Rt, Rt2, Rn, True)
    return LoadStoreExclusive(t=Rt, t2=Rt2, s=Rs, n=Rn, load=False, pair=True,
                              elsize=64 if sz else 32, ordered=bool(o0))
