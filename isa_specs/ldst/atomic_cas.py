"""Compare and swap (FEAT_LSE): CAS, CASA, CASL, CASAL (and B/H forms CASB,
CASALH ...), and the pair forms CASP, CASPA, CASPL, CASPAL.

ASL: aarch64/instrs/memory/atomicops/cas/single (CAS_C64_ldstexcl ...),
aarch64/instrs/memory/atomicops/cas/pair (CASP_CP64_ldstexcl ...).

``MemAtomicCompareAndSwap``: old = Mem[address]; if old == X[s] then
Mem[address] = X[t]; X[s] = old.  The conditional store is written as a store
of ``ite(old == compare, new, old)``: in this model (one thread, memory without
permissions or watchpoints) storing the old value back is indistinguishable
from not storing.  Ordering (A/L) is not observable; the alignment fault of a
misaligned access is not modelled.  CASP pairs: X[s]/X[t] hold the low half.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.memory import BaseAddress
from isa_specs.syntax import gpr
from lnsym.machine.asl import EQ, Concat, Slice, ZeroExtend, ite

SUFFIX = {8: "b", 16: "h", 32: "", 64: ""}


@dataclass(frozen=True, slots=True)
class CompareAndSwap:
    s: int
    t: int
    n: int
    datasize: int        # of one register's value
    pair: bool
    acquire: bool
    release: bool

    def _read(self, st, r):
        w = self.datasize
        if self.pair:
            return Concat(st.X(r + 1, w), st.X(r, w))
        return st.X(r, w)

    def execute(self, st):
        w = self.datasize
        compare = self._read(st, self.s)
        new = self._read(st, self.t)
        address = BaseAddress(st, self.n)
        nbytes = compare.width // 8
        old = st.Mem(address, nbytes)
        st.set_Mem(address, nbytes, ite(EQ(old, compare), new, old))
        regsize = 64 if w == 64 else 32
        if self.pair:
            st.set_X(self.s, ZeroExtend(Slice(old, w - 1, 0), regsize))
            st.set_X(self.s + 1, ZeroExtend(Slice(old, 2 * w - 1, w), regsize))
        else:
            st.set_X(self.s, ZeroExtend(old, regsize))

    def disasm(self, pc: int = 0) -> str:
        w = 64 if self.datasize == 64 else 32
        mnemonic = "casp" if self.pair else "cas"
        mnemonic += ("a" if self.acquire else "") + ("l" if self.release else "")
        mnemonic += "" if self.pair else SUFFIX[self.datasize]
        regs = [self.s, self.s + 1, self.t, self.t + 1] if self.pair else [self.s, self.t]
        ops = ", ".join(gpr(r, w) for r in regs)
        return f"{mnemonic} {ops}, [{gpr(self.n, 64, sp=True)}]"


@encoding("size:2 0010001 L:1 1 Rs:5 o0:1 11111 Rn:5 Rt:5")
def decode_cas(size, L, Rs, o0, Rn, Rt):
    return CompareAndSwap(s=Rs, t=Rt, n=Rn, datasize=8 << size, pair=False,
                          acquire=bool(L), release=bool(o0))


@encoding("0 sz:1 0010000 L:1 1 Rs:5 o0:1 11111 Rn:5 Rt:5")
def decode_casp(sz, L, Rs, o0, Rn, Rt):
    if Rs & 1 or Rt & 1:
        raise Unallocated("CASP with an odd register number")
    return CompareAndSwap(s=Rs, t=Rt, n=Rn, datasize=64 if sz else 32, pair=True,
                          acquire=bool(L), release=bool(o0))
