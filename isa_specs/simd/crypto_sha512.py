"""Cryptographic SHA-512 classes: SHA512H, SHA512H2, SHA512SU1, RAX1 (three-register SHA512,
O = 0) and SHA512SU0 (two-register SHA512, opcode 00).  The SM3PARTW1/SM3PARTW2/SM4EKEY
(O = 1) and SM4E forms live in crypto_sm3.py and crypto_sm4.py.

ASL: aarch64/instrs/vector/crypto/sha512/sha512h (SHA512H_QQV_cryptosha512_3),
.../sha512h2 (SHA512H2_QQV_cryptosha512_3), .../sha512su1 (SHA512SU1_VVV2_cryptosha512_3),
aarch64/instrs/vector/crypto/sha3/rax1 (RAX1_VVV2_cryptosha512_3),
aarch64/instrs/vector/crypto/sha512/sha512su0 (SHA512SU0_VV2_cryptosha512_2).
Encoding classes: 11001110 011 Rm 1 O:1 00 opcode:2 Rn Rd and
11001110 11000000 1000 opcode:2 Rn Rd.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.syntax import scalar_reg, vreg
from lnsym.machine.asl import BV, LSR, ROL, ROR, Concat, Slice

# ASL "if !IsFeatureImplemented(FEAT_SHA512/FEAT_SHA3) then UNDEFINED;" -- assumed present.


def _hi(x: BV) -> BV:
    return Slice(x, 127, 64)


def _lo(x: BV) -> BV:
    return Slice(x, 63, 0)


@dataclass(frozen=True, slots=True)
class SHA512Hash:
    """SHA512H: the Ch/Sigma1 half of two SHA-512 rounds."""
    d: int
    n: int
    m: int

    def execute(self, s):
        X, Y, W = s.V(self.n), s.V(self.m), s.V(self.d)
        MSigma1 = ROR(_hi(Y), 14) ^ ROR(_hi(Y), 18) ^ ROR(_hi(Y), 41)
        hi = (_hi(Y) & _lo(X)) ^ (~_hi(Y) & _hi(X))
        hi = hi + MSigma1 + _hi(W)
        tmp = hi + _lo(Y)
        MSigma1 = ROR(tmp, 14) ^ ROR(tmp, 18) ^ ROR(tmp, 41)
        lo = (tmp & _hi(Y)) ^ (~tmp & _lo(X))
        lo = lo + MSigma1 + _lo(W)
        s.set_V(self.d, Concat(hi, lo))

    def disasm(self, pc: int = 0) -> str:
        return f"sha512h {scalar_reg(self.d, 128)}, {scalar_reg(self.n, 128)}, {vreg(self.m, '2d')}"


@dataclass(frozen=True, slots=True)
class SHA512Hash2:
    """SHA512H2: the Maj/Sigma0 half of two SHA-512 rounds."""
    d: int
    n: int
    m: int

    def execute(self, s):
        X, Y, W = s.V(self.n), s.V(self.m), s.V(self.d)
        NSigma0 = ROR(_lo(Y), 28) ^ ROR(_lo(Y), 34) ^ ROR(_lo(Y), 39)
        hi = (_lo(X) & _hi(Y)) ^ (_lo(X) & _lo(Y)) ^ (_hi(Y) & _lo(Y))
        hi = hi + NSigma0 + _hi(W)
        NSigma0 = ROR(hi, 28) ^ ROR(hi, 34) ^ ROR(hi, 39)
        lo = (hi & _lo(Y)) ^ (hi & _hi(Y)) ^ (_hi(Y) & _lo(Y))
        lo = lo + NSigma0 + _lo(W)
        s.set_V(self.d, Concat(hi, lo))

    def disasm(self, pc: int = 0) -> str:
        return f"sha512h2 {scalar_reg(self.d, 128)}, {scalar_reg(self.n, 128)}, {vreg(self.m, '2d')}"


@dataclass(frozen=True, slots=True)
class SHA512ScheduleUpdate1:
    """SHA512SU1."""
    d: int
    n: int
    m: int

    def execute(self, s):
        operand1, operand2, operand3 = s.V(self.d), s.V(self.n), s.V(self.m)
        sig1 = ROR(_hi(operand2), 19) ^ ROR(_hi(operand2), 61) ^ LSR(_hi(operand2), 6)
        hi = _hi(operand1) + sig1 + _hi(operand3)
        sig1 = ROR(_lo(operand2), 19) ^ ROR(_lo(operand2), 61) ^ LSR(_lo(operand2), 6)
        lo = _lo(operand1) + sig1 + _lo(operand3)
        s.set_V(self.d, Concat(hi, lo))

    def disasm(self, pc: int = 0) -> str:
        return f"sha512su1 {vreg(self.d, '2d')}, {vreg(self.n, '2d')}, {vreg(self.m, '2d')}"


@dataclass(frozen=True, slots=True)
class RotateAndExclusiveOr:
    """RAX1: Vd = Vn EOR ROL(Vm, 1), per 64-bit element."""
    d: int
    n: int
    m: int

    def execute(self, s):
        Vm, Vn = s.V(self.m), s.V(self.n)
        s.set_V(self.d, Concat(_hi(Vn) ^ ROL(_hi(Vm), 1), _lo(Vn) ^ ROL(_lo(Vm), 1)))

    def disasm(self, pc: int = 0) -> str:
        return f"rax1 {vreg(self.d, '2d')}, {vreg(self.n, '2d')}, {vreg(self.m, '2d')}"


@dataclass(frozen=True, slots=True)
class SHA512ScheduleUpdate0:
    """SHA512SU0."""
    d: int
    n: int

    def execute(self, s):
        operand1, operand2 = s.V(self.d), s.V(self.n)
        sig0 = ROR(_hi(operand1), 1) ^ ROR(_hi(operand1), 8) ^ LSR(_hi(operand1), 7)
        lo = _lo(operand1) + sig0
        sig0 = ROR(_lo(operand2), 1) ^ ROR(_lo(operand2), 8) ^ LSR(_lo(operand2), 7)
        hi = _hi(operand1) + sig0
        s.set_V(self.d, Concat(hi, lo))

    def disasm(self, pc: int = 0) -> str:
        return f"sha512su0 {vreg(self.d, '2d')}, {vreg(self.n, '2d')}"


_SHA512_3 = (SHA512Hash, SHA512Hash2, SHA512ScheduleUpdate1, RotateAndExclusiveOr)


@encoding("11001110 011 Rm:5 1 0 00 opcode:2 Rn:5 Rd:5")
def decode_crypto_sha512_three_reg(Rm, opcode, Rn, Rd):
    return _SHA512_3[opcode](d=Rd, n=Rn, m=Rm)


@encoding("11001110 11000000 1000 00 Rn:5 Rd:5")
def decode_crypto_sha512su0(Rn, Rd):
    return SHA512ScheduleUpdate0(d=Rd, n=Rn)
