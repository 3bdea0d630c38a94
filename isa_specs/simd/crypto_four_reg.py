"""Cryptographic four-register: EOR3, BCAX, SM3SS1.

ASL: aarch64/instrs/vector/crypto/sha3/eor3 (EOR3_VVV16_crypto4),
.../sha3/bcax (BCAX_VVV16_crypto4), aarch64/instrs/vector/crypto/sm3/sm3ss1
(SM3SS1_VVV4_crypto4).
Encoding class "Cryptographic four-register": 11001110 0 Op0:2 Rm 0 Ra Rn Rd; Op0 = 11 is
unallocated.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.syntax import vreg
from lnsym.machine.asl import ROL, Concat, Slice, Zeros

# ASL "if !IsFeatureImplemented(FEAT_SHA3/FEAT_SM3) then UNDEFINED;" -- assumed present.


@dataclass(frozen=True, slots=True)
class ThreeWayExclusiveOr:
    """EOR3: Vd = Vn EOR Vm EOR Va."""
    d: int
    n: int
    m: int
    a: int

    def execute(self, s):
        s.set_V(self.d, s.V(self.n) ^ s.V(self.m) ^ s.V(self.a))

    def disasm(self, pc: int = 0) -> str:
        regs = ", ".join(vreg(r, "16b") for r in (self.d, self.n, self.m, self.a))
        return f"eor3 {regs}"


@dataclass(frozen=True, slots=True)
class BitClearAndExclusiveOr:
    """BCAX: Vd = Vn EOR (Vm AND NOT(Va))."""
    d: int
    n: int
    m: int
    a: int

    def execute(self, s):
        s.set_V(self.d, s.V(self.n) ^ (s.V(self.m) & ~s.V(self.a)))

    def disasm(self, pc: int = 0) -> str:
        regs = ", ".join(vreg(r, "16b") for r in (self.d, self.n, self.m, self.a))
        return f"bcax {regs}"


@dataclass(frozen=True, slots=True)
class SM3SS1:
    """SM3SS1: Vd<127:96> = ROL(ROL(Vn<127:96>, 12) + Vm<127:96> + Va<127:96>, 7), rest zero."""
    d: int
    n: int
    m: int
    a: int

    def execute(self, s):
        top = lambda r: Slice(s.V(r), 127, 96)  # noqa: E731
        ss1 = ROL(ROL(top(self.n), 12) + top(self.m) + top(self.a), 7)
        s.set_V(self.d, Concat(ss1, Zeros(96)))

    def disasm(self, pc: int = 0) -> str:
        regs = ", ".join(vreg(r, "4s") for r in (self.d, self.n, self.m, self.a))
        return f"sm3ss1 {regs}"


_FOUR = (ThreeWayExclusiveOr, BitClearAndExclusiveOr, SM3SS1)


@encoding("11001110 0 Op0:2 Rm:5 0 Ra:5 Rn:5 Rd:5")
def decode_crypto_four_reg(Op0, Rm, Ra, Rn, Rd):
    if Op0 == 3:
        raise Unallocated("four-register crypto Op0 = 11 is unallocated")
    return _FOUR[Op0](d=Rd, n=Rn, m=Rm, a=Ra)
