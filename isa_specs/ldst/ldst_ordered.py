"""Load-acquire / store-release register: LDAR, LDARB, LDARH, STLR, STLRB,
STLRH, and the LORegion forms LDLAR, LDLARB, LDLARH, STLLR, STLLRB, STLLRH.

ASL: aarch64/instrs/memory/ordered (LDAR_LR64_ldstexcl, STLRB_SL32_ldstexcl,
LDLAR_LR64_ldstexcl ...).

In a single-threaded model acquire/release (and LORegion) ordering is not
observable, so these are plain loads (zero-extended to the register size) and
plain stores.  The alignment fault of a misaligned access is not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.pseudocode.memory import BaseAddress
from isa_specs.syntax import gpr
from lnsym.machine.asl import ZeroExtend

SUFFIX = {8: "b", 16: "h", 32: "", 64: ""}


@dataclass(frozen=True, slots=True)
class LoadStoreOrdered:
    t: int
    n: int
    load: bool
    datasize: int
    limited: bool        # LORegion form (o0 == 0)

    def execute(self, s):
        address = BaseAddress(s, self.n)
        regsize = 64 if self.datasize == 64 else 32
        if self.load:
            s.set_X(self.t, ZeroExtend(s.Mem(address, self.datasize // 8), regsize))
        else:
            s.set_Mem(address, self.datasize // 8, s.X(self.t, self.datasize))

    def disasm(self, pc: int = 0) -> str:
        base = ("ldlar" if self.limited else "ldar") if self.load else \
            ("stllr" if self.limited else "stlr")
        rt = gpr(self.t, 64 if self.datasize == 64 else 32)
        return f"{base}{SUFFIX[self.datasize]} {rt}, [{gpr(self.n, 64, sp=True)}]"


@encoding("size:2 001000110 11111 o0:1 11111 Rn:5 Rt:5")
def decode_load_acquire(size, o0, Rn, Rt):
    return LoadStoreOrdered(t=Rt, n=Rn, load=True, datasize=8 << size, limited=not o0)


@encoding("size:2 001000100 11111 o0:1 11111 Rn:5 Rt:5")
def decode_store_release(size, o0, Rn, Rt):
    return LoadStoreOrdered(t=Rt, n=Rn, load=False, datasize=8 << size, limited=not o0)
