"""Cryptographic three-register SHA: SHA1C, SHA1P, SHA1M, SHA1SU0, SHA256H, SHA256H2, SHA256SU1.

ASL: aarch64/instrs/vector/crypto/sha3op/sha1-hash-choose (SHA1C_QSV_cryptosha3),
.../sha1-hash-parity (SHA1P_QSV_cryptosha3), .../sha1-hash-majority (SHA1M_QSV_cryptosha3),
.../sha1-sched0 (SHA1SU0_VVV_cryptosha3), .../sha256-hash (SHA256H_QQV_cryptosha3,
SHA256H2_QQV_cryptosha3), .../sha256-sched1 (SHA256SU1_VVV_cryptosha3).
Encoding class "Cryptographic three-register SHA": 01011110 size:2 0 Rm 0 opcode:3 00 Rn Rd;
size != 00 and opcode 111 are unallocated.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.sha import (
    SHA1hash,
    SHA256hash,
    SHAchoose,
    SHAmajority,
    SHAparity,
)
from isa_specs.syntax import scalar_reg, vreg
from lnsym.machine.asl import LSR, ROR, Concat, Elem, Slice, Vector

# ASL "if !IsFeatureImplemented(FEAT_SHA1/FEAT_SHA256) then UNDEFINED;" -- assumed present.

_SHA1_FUNCTIONS = {"sha1c": SHAchoose, "sha1p": SHAparity, "sha1m": SHAmajority}


@dataclass(frozen=True, slots=True)
class SHA1Hash:
    """SHA1C / SHA1P / SHA1M: four SHA-1 rounds (X = Q[d] = {a,b,c,d}, Y = S[n] = e)."""
    d: int
    n: int
    m: int
    mnemonic: str

    def execute(self, s):
        X = s.V(self.d)
        Y = s.V(self.n, 32)       # only 32 bits wide
        W = s.V(self.m)
        s.set_V(self.d, SHA1hash(X, Y, W, _SHA1_FUNCTIONS[self.mnemonic]))

    def disasm(self, pc: int = 0) -> str:
        return (f"{self.mnemonic} {scalar_reg(self.d, 128)}, {scalar_reg(self.n, 32)}, "
                f"{vreg(self.m, '4s')}")


@dataclass(frozen=True, slots=True)
class SHA1ScheduleUpdate0:
    """SHA1SU0."""
    d: int
    n: int
    m: int

    def execute(self, s):
        operand1 = s.V(self.d)
        operand2 = s.V(self.n)
        operand3 = s.V(self.m)
        result = Concat(Slice(operand2, 63, 0), Slice(operand1, 127, 64))
        result = result ^ operand1 ^ operand3
        s.set_V(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        return f"sha1su0 {vreg(self.d, '4s')}, {vreg(self.n, '4s')}, {vreg(self.m, '4s')}"


@dataclass(frozen=True, slots=True)
class SHA256Hash:
    """SHA256H (part1 True) / SHA256H2 (part1 False)."""
    d: int
    n: int
    m: int
    part1: bool

    def execute(self, s):
        if self.part1:
            result = SHA256hash(s.V(self.d), s.V(self.n), s.V(self.m), True)
        else:
            result = SHA256hash(s.V(self.n), s.V(self.d), s.V(self.m), False)
        s.set_V(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        mnemonic = "sha256h" if self.part1 else "sha256h2"
        return (f"{mnemonic} {scalar_reg(self.d, 128)}, {scalar_reg(self.n, 128)}, "
                f"{vreg(self.m, '4s')}")


@dataclass(frozen=True, slots=True)
class SHA256ScheduleUpdate1:
    """SHA256SU1."""
    d: int
    n: int
    m: int

    def execute(self, s):
        operand1 = s.V(self.d)
        operand2 = s.V(self.n)
        operand3 = s.V(self.m)
        T0 = Concat(Slice(operand3, 31, 0), Slice(operand2, 127, 32))
        result = []
        T1 = Slice(operand3, 127, 64)
        for e in range(2):
            elt = Elem(T1, e, 32)
            elt = ROR(elt, 17) ^ ROR(elt, 19) ^ LSR(elt, 10)
            result.append(elt + Elem(operand1, e, 32) + Elem(T0, e, 32))
        T1 = Vector(result, 32)                    # result<63:0>
        for e in range(2, 4):
            elt = Elem(T1, e - 2, 32)
            elt = ROR(elt, 17) ^ ROR(elt, 19) ^ LSR(elt, 10)
            result.append(elt + Elem(operand1, e, 32) + Elem(T0, e, 32))
        s.set_V(self.d, Vector(result, 32))

    def disasm(self, pc: int = 0) -> str:
        return f"sha256su1 {vreg(self.d, '4s')}, {vreg(self.n, '4s')}, {vreg(self.m, '4s')}"


@encoding("01011110 00 0 Rm:5 0 opcode:3 00 Rn:5 Rd:5")
def decode_crypto_sha_three_reg(Rm, opcode, Rn, Rd):
    if opcode < 3:
        return SHA1Hash(d=Rd, n=Rn, m=Rm, mnemonic=("sha1c", "sha1p", "sha1m")[opcode])
    if opcode == 3:
        return SHA1ScheduleUpdate0(d=Rd, n=Rn, m=Rm)
    if opcode in (4, 5):
        return SHA256Hash(d=Rd, n=Rn, m=Rm, part1=opcode == 4)
    if opcode == 6:
        return SHA256ScheduleUpdate1(d=Rd, n=Rn, m=Rm)
    raise Unallocated("three-register SHA opcode 111 is unallocated")
