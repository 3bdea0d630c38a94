"""Advanced SIMD copy: DUP (element), DUP (general), INS (element), INS (general),
UMOV, SMOV, with the aliases MOV (element), MOV (from general) and MOV (to general).

ASL: aarch64/instrs/vector/transfer/vector/cpydup/simd (DUP_asimdins_DV_v),
aarch64/instrs/vector/transfer/integer/dup (DUP_asimdins_DR_r),
aarch64/instrs/vector/transfer/vector/insert (INS_asimdins_IV_v),
aarch64/instrs/vector/transfer/integer/insert (INS_asimdins_IR_r),
aarch64/instrs/vector/transfer/integer/move/unsigned (UMOV_asimdins_W_w, UMOV_asimdins_X_x),
aarch64/instrs/vector/transfer/integer/move/signed (SMOV_asimdins_W_w, SMOV_asimdins_X_x).
ASL not modelled in any of them: CheckFPAdvSIMDEnabled64().
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.syntax import gpr, vreg
from lnsym.machine.asl import Elem, Replicate, SetElem, SignExtend, ZeroExtend

SUFFIX = {8: "b", 16: "h", 32: "s", 64: "d"}


def arrangement(datasize: int, esize: int) -> str:
    return f"{datasize // esize}{SUFFIX[esize]}"


def lowest_set_bit(x: int) -> int:
    """ASL LowestSetBit over imm5<3:0> (4 when no bit is set)."""
    for i in range(4):
        if x >> i & 1:
            return i
    return 4


@dataclass(frozen=True, slots=True)
class DupElement:
    d: int
    n: int
    index: int
    idxdsize: int
    esize: int
    datasize: int

    def execute(self, s):
        # ASL not modelled: CheckFPAdvSIMDEnabled64() (the FP/SIMD unit is always enabled)
        element = Elem(s.V(self.n, self.idxdsize), self.index, self.esize)
        s.set_V(self.d, Replicate(element, self.datasize // self.esize))

    def disasm(self, pc: int = 0) -> str:
        return (f"dup {vreg(self.d, arrangement(self.datasize, self.esize))}, "
                f"v{self.n}.{SUFFIX[self.esize]}[{self.index}]")


@dataclass(frozen=True, slots=True)
class DupGeneral:
    d: int
    n: int
    esize: int
    datasize: int

    def execute(self, s):
        element = s.X(self.n, 64)[self.esize - 1:0]
        s.set_V(self.d, Replicate(element, self.datasize // self.esize))

    def disasm(self, pc: int = 0) -> str:
        return (f"dup {vreg(self.d, arrangement(self.datasize, self.esize))}, "
                f"{gpr(self.n, 64 if self.esize == 64 else 32)}")


@dataclass(frozen=True, slots=True)
class InsElement:
    d: int
    n: int
    dst_index: int
    src_index: int
    idxdsize: int
    esize: int

    def execute(self, s):
        element = Elem(s.V(self.n, self.idxdsize), self.src_index, self.esize)
        s.set_V(self.d, SetElem(s.V(self.d), self.dst_index, self.esize, element))

    def disasm(self, pc: int = 0) -> str:
        sfx = SUFFIX[self.esize]
        return f"mov v{self.d}.{sfx}[{self.dst_index}], v{self.n}.{sfx}[{self.src_index}]"


@dataclass(frozen=True, slots=True)
class InsGeneral:
    d: int
    n: int
    index: int
    esize: int

    def execute(self, s):
        element = s.X(self.n, 64)[self.esize - 1:0]
        s.set_V(self.d, SetElem(s.V(self.d), self.index, self.esize, element))

    def disasm(self, pc: int = 0) -> str:
        return (f"mov v{self.d}.{SUFFIX[self.esize]}[{self.index}], "
                f"{gpr(self.n, 64 if self.esize == 64 else 32)}")


@dataclass(frozen=True, slots=True)
class MoveToGeneral:
    """UMOV (unsigned) and SMOV (signed): element of V[n] to X[d]/W[d]."""
    d: int
    n: int
    index: int
    idxdsize: int
    esize: int
    datasize: int
    signed: bool

    def execute(self, s):
        element = Elem(s.V(self.n, self.idxdsize), self.index, self.esize)
        extend = SignExtend if self.signed else ZeroExtend
        s.set_X(self.d, extend(element, self.datasize))

    def disasm(self, pc: int = 0) -> str:
        src = f"v{self.n}.{SUFFIX[self.esize]}[{self.index}]"
        rd = gpr(self.d, self.datasize)
        if self.signed:
            return f"smov {rd}, {src}"
        # MOV (to general) is preferred for the 32-bit W/S and 64-bit X/D forms
        mnemonic = "mov" if self.esize == self.datasize else "umov"
        return f"{mnemonic} {rd}, {src}"


def _size_index(imm5: int):
    size = lowest_set_bit(imm5 & 0xF)
    if size > 3:
        raise Unallocated("imm5 == x0000 is reserved")
    return size, imm5 >> (size + 1)


@encoding("0 Q:1 0 01110000 imm5:5 0 0000 1 Rn:5 Rd:5")
def decode_dup_element(Q, imm5, Rn, Rd):
    size, index = _size_index(imm5)
    if size == 3 and Q == 0:
        raise Unallocated("DUP (element) .1d is reserved")
    return DupElement(d=Rd, n=Rn, index=index, idxdsize=128 if imm5 >> 4 else 64,
                      esize=8 << size, datasize=64 << Q)


@encoding("0 Q:1 0 01110000 imm5:5 0 0001 1 Rn:5 Rd:5")
def decode_dup_general(Q, imm5, Rn, Rd):
    size = lowest_set_bit(imm5)
    if imm5 & 0xF == 0:
        raise Unallocated("imm5 == x0000 is reserved")
    if size == 3 and Q == 0:
        raise Unallocated("DUP (general) .1d is reserved")
    return DupGeneral(d=Rd, n=Rn, esize=8 << size, datasize=64 << Q)


@encoding("0 1 1 01110000 imm5:5 0 imm4:4 1 Rn:5 Rd:5")
def decode_ins_element(imm5, imm4, Rn, Rd):
    size, dst_index = _size_index(imm5)
    return InsElement(d=Rd, n=Rn, dst_index=dst_index, src_index=imm4 >> size,
                      idxdsize=128 if imm4 >> 3 else 64, esize=8 << size)


@encoding("0 1 0 01110000 imm5:5 0 0011 1 Rn:5 Rd:5")
def decode_ins_general(imm5, Rn, Rd):
    size, index = _size_index(imm5)
    return InsGeneral(d=Rd, n=Rn, index=index, esize=8 << size)


@encoding("0 Q:1 0 01110000 imm5:5 0 0111 1 Rn:5 Rd:5")
def decode_umov(Q, imm5, Rn, Rd):
    size, index = _size_index(imm5)
    # Q:imm5 '0xxxx1' B, '0xxx10' H, '0xx100' S (to W); '1x1000' D (to X)
    if (Q == 1) != (size == 3):
        raise Unallocated("UMOV size/Q combination is reserved")
    return MoveToGeneral(d=Rd, n=Rn, index=index, idxdsize=128 if imm5 >> 4 else 64,
                         esize=8 << size, datasize=64 if Q else 32, signed=False)


@encoding("0 Q:1 0 01110000 imm5:5 0 0101 1 Rn:5 Rd:5")
def decode_smov(Q, imm5, Rn, Rd):
    size, index = _size_index(imm5)
    # Q:imm5 '0xxxx1' B, '0xxx10' H (to W); '1xxxx1' B, '1xxx10' H, '1xx100' S (to X)
    if size == 3 or (size == 2 and Q == 0):
        raise Unallocated("SMOV size/Q combination is reserved")
    return MoveToGeneral(d=Rd, n=Rn, index=index, idxdsize=128 if imm5 >> 4 else 64,
                         esize=8 << size, datasize=64 if Q else 32, signed=True)
