"""Atomic memory operations (FEAT_LSE): LDADD, LDCLR, LDEOR, LDSET, LDSMAX,
LDSMIN, LDUMAX, LDUMIN and SWP, each with the A (acquire) / L (release)
variants and B/H sizes (LDADDAL, LDCLRB, SWPLH ...), their store aliases
STADD, STCLR, STEOR, STSET, STSMAX, STSMIN, STUMAX, STUMIN (Rt == 31, A == 0),
and LDAPR, LDAPRB, LDAPRH (FEAT_LRCPC).

ASL: aarch64/instrs/memory/atomicops/ld (LDADD_64_memop ...),
aarch64/instrs/memory/atomicops/swp (SWP_64_memop ...),
aarch64/instrs/memory/ordered-rcpc (LDAPR_64L_memop ...).

``MemAtomic(address, op, value)`` reads the old value, writes ``op(old, value)``
and returns the old value, which goes to X[t] zero-extended; a single thread
observes this as one read followed by one write.  Ordering (A/L, RCpc) is not
observable in a single-threaded model.  The alignment fault of a misaligned
atomic access is not modelled.  LD64B/ST64B are not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.memory import BaseAddress
from isa_specs.syntax import gpr
from lnsym.machine.asl import AND, EOR, OR, SLT, ULT, ZeroExtend, ite

OPS = ("add", "clr", "eor", "set", "smax", "smin", "umax", "umin")
SUFFIX = {8: "b", 16: "h", 32: "", 64: ""}


def MemAtomicOp(op: str, old, value):
    """The new memory value of an atomic ``op`` (ASL MemAtomic's case on MemAtomicOp)."""
    if op == "add":
        return old + value
    if op == "clr":
        return AND(old, ~value)
    if op == "eor":
        return EOR(old, value)
    if op == "set":
        return OR(old, value)
    if op == "swp":
        return value
    less = SLT(old, value) if op in ("smax", "smin") else ULT(old, value)
    if op in ("smax", "umax"):
        return ite(less, value, old)
    return ite(less, old, value)


@dataclass(frozen=True, slots=True)
class AtomicMemoryOp:
    t: int
    s: int
    n: int
    op: str              # OPS or "swp"
    datasize: int
    acquire: bool
    release: bool

    def execute(self, st):
        value = st.X(self.s, self.datasize)
        address = BaseAddress(st, self.n)
        nbytes = self.datasize // 8
        old = st.Mem(address, nbytes)
        st.set_Mem(address, nbytes, MemAtomicOp(self.op, old, value))
        st.set_X(self.t, ZeroExtend(old, 64 if self.datasize == 64 else 32))

    def disasm(self, pc: int = 0) -> str:
        w = 64 if self.datasize == 64 else 32
        rn = gpr(self.n, 64, sp=True)
        suffix = ("a" if self.acquire else "") + ("l" if self.release else "") + \
            SUFFIX[self.datasize]
        if self.op != "swp" and self.t == 31 and not self.acquire:
            return f"st{self.op}{suffix} {gpr(self.s, w)}, [{rn}]"
        base = "swp" if self.op == "swp" else "ld" + self.op
        return f"{base}{suffix} {gpr(self.s, w)}, {gpr(self.t, w)}, [{rn}]"


@dataclass(frozen=True, slots=True)
class LoadAcquirePC:
    t: int
    n: int
    datasize: int

    def execute(self, s):
        data = s.Mem(BaseAddress(s, self.n), self.datasize // 8)
        s.set_X(self.t, ZeroExtend(data, 64 if self.datasize == 64 else 32))

    def disasm(self, pc: int = 0) -> str:
        rt = gpr(self.t, 64 if self.datasize == 64 else 32)
        return f"ldapr{SUFFIX[self.datasize]} {rt}, [{gpr(self.n, 64, sp=True)}]"


@encoding("size:2 111000 A:1 R:1 1 Rs:5 o3:1 opc:3 00 Rn:5 Rt:5")
def decode_atomic_memop(size, A, R, Rs, o3, opc, Rn, Rt):
    if o3 == 0:
        op = OPS[opc]
    elif opc == 0:
        op = "swp"
    elif size == 3 and A == 1 and R == 0 and opc in (1, 2, 3, 5):
        raise Unimplemented("LD64B/ST64B (FEAT_LS64) not modelled")
    else:
        raise Unallocated("unallocated atomic memory operation")
    return AtomicMemoryOp(t=Rt, s=Rs, n=Rn, op=op, datasize=8 << size, acquire=bool(A),
                          release=bool(R))


@encoding("size:2 111000101 11111 110000 Rn:5 Rt:5", overrides=("decode_atomic_memop",))
def decode_ldapr(size, Rn, Rt):
    return LoadAcquirePC(t=Rt, n=Rn, datasize=8 << size)
