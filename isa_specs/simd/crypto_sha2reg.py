"""Cryptographic two-register SHA: SHA1H, SHA1SU1, SHA256SU0.

ASL: aarch64/instrs/vector/crypto/sha2op/sha1-hash (SHA1H_SS_cryptosha2),
.../sha1-sched1 (SHA1SU1_VV_cryptosha2), .../sha256-sched0 (SHA256SU0_VV_cryptosha2).
Encoding class "Cryptographic two-register SHA": 01011110 size:2 10100 opcode:5 10 Rn Rd;
size != 00 and opcodes above 00010 are unallocated.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.syntax import scalar_reg, vreg
from lnsym.machine.asl import LSR, ROL, ROR, Concat, Elem, Slice, Vector

# ASL "if !IsFeatureImplemented(FEAT_SHA1/FEAT_SHA256) then UNDEFINED;" -- assumed present.


@dataclass(frozen=True, slots=True)
class SHA1FixedRotate:
    """SHA1H: S[d] = ROL(S[n], 30)."""
    d: int
    n: int

    def execute(self, s):
        operand = s.V(self.n, 32)      # only 32 bits wide
        s.set_V(self.d, ROL(operand, 30))

    def disasm(self, pc: int = 0) -> str:
        return f"sha1h {scalar_reg(self.d, 32)}, {scalar_reg(self.n, 32)}"


@dataclass(frozen=True, slots=True)
class SHA1ScheduleUpdate1:
    """SHA1SU1."""
    d: int
    n: int

    def execute(self, s):
        operand1 = s.V(self.d)
        operand2 = s.V(self.n)
        T = operand1 ^ LSR(operand2, 32)
        result = [ROL(Slice(T, 31, 0), 1), ROL(Slice(T, 63, 32), 1), ROL(Slice(T, 95, 64), 1),
                  ROL(Slice(T, 127, 96), 1) ^ ROL(Slice(T, 31, 0), 2)]
        s.set_V(self.d, Vector(result, 32))

    def disasm(self, pc: int = 0) -> str:
        return f"sha1su1 {vreg(self.d, '4s')}, {vreg(self.n, '4s')}"


@dataclass(frozen=True, slots=True)
class SHA256ScheduleUpdate0:
    """SHA256SU0."""
    d: int
    n: int

    def execute(self, s):
        operand1 = s.V(self.d)
        operand2 = s.V(self.n)
        T = Concat(Slice(operand2, 31, 0), Slice(operand1, 127, 32))
        result = []
        for e in range(4):
            elt = Elem(T, e, 32)
            elt = ROR(elt, 7) ^ ROR(elt, 18) ^ LSR(elt, 3)
            result.append(elt + Elem(operand1, e, 32))
        s.set_V(self.d, Vector(result, 32))

    def disasm(self, pc: int = 0) -> str:
        return f"sha256su0 {vreg(self.d, '4s')}, {vreg(self.n, '4s')}"


@encoding("01011110 00 10100 opcode:5 10 Rn:5 Rd:5")
def decode_crypto_sha_two_reg(opcode, Rn, Rd):
    if opcode == 0:
        return SHA1FixedRotate(d=Rd, n=Rn)
    if opcode == 1:
        return SHA1ScheduleUpdate1(d=Rd, n=Rn)
    if opcode == 2:
        return SHA256ScheduleUpdate0(d=Rd, n=Rn)
    raise Unallocated(f"two-register SHA opcode {opcode:05b} is unallocated")
