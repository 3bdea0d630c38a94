"""Advanced SIMD modified immediate: MOVI, MVNI, ORR (vector, immediate), BIC (vector, immediate),
FMOV (vector, immediate).

MOVI covers the 8-bit, 16/32-bit shifted (LSL), 32-bit shifting-ones (MSL) and 64-bit
byte-mask forms (scalar ``movi d0, #...`` and ``movi v0.2d, #...``).  FMOV (vector,
immediate) is modelled exactly: its result is a constant bit pattern (VFPExpandImm).

ASL: aarch64/instrs/vector/logical (MOVI_asimdimm_*, MVNI_asimdimm_*, ORR_asimdimm_*,
BIC_asimdimm_*), aarch64/instrs/float/move-fp-imm (FMOV_asimdimm_S_s, FMOV_asimdimm_D2_d,
FMOV_asimdimm_H_h).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.simd_imm import AdvSIMDExpandImm, VFPExpandImm
from isa_specs.syntax import imm, vreg
from lnsym.machine.asl import Const, Replicate

# operations (ASL ImmediateOp) by their mnemonic
MOVI, MVNI, ORR, BIC, FMOV = "movi", "mvni", "orr", "bic", "fmov"


@dataclass(frozen=True, slots=True)
class SimdModifiedImmediate:
    rd: int
    datasize: int
    operation: str
    imm64: int            # AdvSIMDExpandImm(op, cmode, imm8) (or the FP16 pattern)
    cmode: int
    imm8: int
    form: str             # for disassembly: "8", "16", "32", "msl", "64", "fp16", "fp32", "fp64"

    def execute(self, s):
        # ASL not modelled: CheckFPAdvSIMDEnabled64() (the FP/SIMD unit is always enabled)
        imm = Replicate(Const(self.imm64, 64), self.datasize // 64)
        if self.operation in (MOVI, FMOV):
            result = imm
        elif self.operation == MVNI:
            result = ~imm
        elif self.operation == ORR:
            result = s.V(self.rd, self.datasize) | imm
        else:                                   # BIC
            result = s.V(self.rd, self.datasize) & ~imm
        s.set_V(self.rd, result)

    def disasm(self, pc: int = 0) -> str:
        q = self.datasize == 128
        c = self.cmode
        if self.form.startswith("fp"):
            n = int(self.form[2:])
            raw = VFPExpandImm(self.imm8, n).to_bytes(n // 8, "little")
            value = struct.unpack({16: "<e", 32: "<f", 64: "<d"}[n], raw)[0]
            arr = {16: "8h" if q else "4h", 32: "4s" if q else "2s", 64: "2d"}[n]
            return f"fmov {vreg(self.rd, arr)}, #{value:.8f}"
        if self.form == "8":
            return f"movi {vreg(self.rd, '16b' if q else '8b')}, {imm(self.imm8)}"
        if self.form == "64":
            target = vreg(self.rd, "2d") if q else f"d{self.rd}"
            return f"movi {target}, #{self.imm64:#x}"
        if self.form == "msl":
            arr = "4s" if q else "2s"
            return f"{self.operation} {vreg(self.rd, arr)}, {imm(self.imm8)}, msl #{8 << (c & 1)}"
        if self.form == "16":
            arr, shift = ("8h" if q else "4h"), 8 * (c >> 1 & 1)
        else:
            arr, shift = ("4s" if q else "2s"), 8 * (c >> 1 & 3)
        text = f"{self.operation} {vreg(self.rd, arr)}, {imm(self.imm8)}"
        return text + (f", lsl #{shift}" if shift else "")


def _classify(op: int, cmode: int, Q: int):
    """-> (operation, form) per the Arm ARM's table for op:cmode."""
    if cmode >> 3 == 0:                              # 0xxx: 32-bit shifted
        form = "32"
    elif cmode >> 2 == 0b10:                         # 10xx: 16-bit shifted
        form = "16"
    elif cmode >> 1 == 0b110:                        # 110x: 32-bit shifting ones
        return (MVNI if op else MOVI), "msl"
    elif cmode == 0b1110:
        return MOVI, ("64" if op else "8")
    else:                                            # 1111
        if op == 1 and Q == 0:
            raise Unallocated("FMOV (vector, immediate) .1d is reserved")
        return FMOV, ("fp64" if op else "fp32")
    if cmode & 1:
        return (BIC if op else ORR), form
    return (MVNI if op else MOVI), form


@encoding("0 Q:1 op:1 0111100000 a:1 b:1 c:1 cmode:4 0 1 d:1 e:1 f:1 g:1 h:1 Rd:5")
def decode_simd_modified_imm(Q, op, a, b, c, cmode, d, e, f, g, h, Rd):
    imm8 = a << 7 | b << 6 | c << 5 | d << 4 | e << 3 | f << 2 | g << 1 | h
    operation, form = _classify(op, cmode, Q)
    return SimdModifiedImmediate(rd=Rd, datasize=128 if Q else 64, operation=operation,
                                 imm64=AdvSIMDExpandImm(op, cmode, imm8), cmode=cmode,
                                 imm8=imm8, form=form)


@encoding("0 Q:1 0 0111100000 a:1 b:1 c:1 1111 1 1 d:1 e:1 f:1 g:1 h:1 Rd:5")
def decode_simd_fmov_imm_half(Q, a, b, c, d, e, f, g, h, Rd):
    """FMOV (vector, immediate), half-precision (FEAT_FP16): o2 == 1."""
    imm8 = a << 7 | b << 6 | c << 5 | d << 4 | e << 3 | f << 2 | g << 1 | h
    imm16 = VFPExpandImm(imm8, 16)
    return SimdModifiedImmediate(rd=Rd, datasize=128 if Q else 64, operation=FMOV,
                                 imm64=int.from_bytes(imm16.to_bytes(2, "little") * 4, "little"),
                                 cmode=0b1111, imm8=imm8, form="fp16")
