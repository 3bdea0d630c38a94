"""XAR (exclusive-OR and rotate).

ASL: aarch64/instrs/vector/crypto/sha3/xar (XAR_VVV2_crypto3_imm6).
Encoding class "Cryptographic three-register, imm6": 11001110 100 Rm imm6 Rn Rd.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.syntax import imm, vreg
from lnsym.machine.asl import ROR, Concat, Slice

# ASL "if !IsFeatureImplemented(FEAT_SHA3) then UNDEFINED;" -- assumed present.


@dataclass(frozen=True, slots=True)
class ExclusiveOrAndRotate:
    """Vd = ROR(Vn EOR Vm, imm6) per 64-bit element."""
    d: int
    n: int
    m: int
    imm6: int

    def execute(self, s):
        tmp = s.V(self.n) ^ s.V(self.m)
        s.set_V(self.d, Concat(ROR(Slice(tmp, 127, 64), self.imm6),
                               ROR(Slice(tmp, 63, 0), self.imm6)))

    def disasm(self, pc: int = 0) -> str:
        return (f"xar {vreg(self.d, '2d')}, {vreg(self.n, '2d')}, {vreg(self.m, '2d')}, "
                f"{imm(self.imm6)}")


@encoding("11001110 100 Rm:5 imm6:6 Rn:5 Rd:5")
def decode_crypto_xar(Rm, imm6, Rn, Rd):
    return ExclusiveOrAndRotate(d=Rd, n=Rn, m=Rm, imm6=imm6)
