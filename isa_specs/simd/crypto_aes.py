"""Cryptographic AES: AESE, AESD, AESMC, AESIMC.

ASL: aarch64/instrs/vector/crypto/aes/round (AESE_B_cryptoaes, AESD_B_cryptoaes),
aarch64/instrs/vector/crypto/aes/mix (AESMC_B_cryptoaes, AESIMC_B_cryptoaes).
Encoding class "Cryptographic AES": 01001110 size:2 10100 opcode:5 10 Rn Rd;
size != 00 and opcodes other than 001xx are unallocated.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.pseudocode.aes import (
    AESInvMixColumns,
    AESInvShiftRows,
    AESInvSubBytes,
    AESMixColumns,
    AESShiftRows,
    AESSubBytes,
)
from isa_specs.syntax import vreg

# ASL "if !IsFeatureImplemented(FEAT_AES) then UNDEFINED;" -- the feature is assumed present.


@dataclass(frozen=True, slots=True)
class AESRound:
    """AESE (decrypt False) / AESD (decrypt True)."""
    d: int
    n: int
    decrypt: bool

    def execute(self, s):
        operand1 = s.V(self.d)
        operand2 = s.V(self.n)
        result = operand1 ^ operand2
        if self.decrypt:
            result = AESInvSubBytes(AESInvShiftRows(result))
        else:
            result = AESSubBytes(AESShiftRows(result))
        s.set_V(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        mnemonic = "aesd" if self.decrypt else "aese"
        return f"{mnemonic} {vreg(self.d, '16b')}, {vreg(self.n, '16b')}"


@dataclass(frozen=True, slots=True)
class AESMix:
    """AESMC (decrypt False) / AESIMC (decrypt True)."""
    d: int
    n: int
    decrypt: bool

    def execute(self, s):
        operand = s.V(self.n)
        if self.decrypt:
            result = AESInvMixColumns(operand)
        else:
            result = AESMixColumns(operand)
        s.set_V(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        mnemonic = "aesimc" if self.decrypt else "aesmc"
        return f"{mnemonic} {vreg(self.d, '16b')}, {vreg(self.n, '16b')}"


@encoding("01001110 00 10100 0010 D:1 10 Rn:5 Rd:5")
def decode_crypto_aes_round(D, Rn, Rd):
    return AESRound(d=Rd, n=Rn, decrypt=bool(D))


@encoding("01001110 00 10100 0011 D:1 10 Rn:5 Rd:5")
def decode_crypto_aes_mix(D, Rn, Rd):
    return AESMix(d=Rd, n=Rn, decrypt=bool(D))
