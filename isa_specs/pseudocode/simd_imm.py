"""AdvSIMDExpandImm and VFPExpandImm: the immediates of Advanced SIMD modified-immediate.

ASL: shared/functions/vector/AdvSIMDExpandImm, shared/functions/float/vfpexpandimm/VFPExpandImm.
Both are evaluated at decode time, so they work on Python ints and return ints.
"""
from __future__ import annotations


def _replicate(value: int, width: int, times: int) -> int:
    out = 0
    for _ in range(times):
        out = out << width | value
    return out


def VFPExpandImm(imm8: int, N: int) -> int:
    """The N-bit (16, 32 or 64) floating-point value encoded by imm8 (sign, 3-bit exponent, 4-bit fraction)."""
    E = {16: 5, 32: 8, 64: 11}[N]
    F = N - E - 1
    sign = imm8 >> 7 & 1
    b6 = imm8 >> 6 & 1
    # exp = NOT(imm8<6>):Replicate(imm8<6>, E-3):imm8<5:4>
    exp = (b6 ^ 1) << (E - 1) | _replicate(b6, 1, E - 3) << 2 | (imm8 >> 4 & 3)
    # frac = imm8<3:0>:Zeros(F-4)
    frac = (imm8 & 0xF) << (F - 4)
    return sign << (N - 1) | exp << F | frac


def AdvSIMDExpandImm(op: int, cmode: int, imm8: int) -> int:
    """The 64-bit pattern of a modified immediate (Arm ARM, AdvSIMDExpandImm)."""
    c31 = cmode >> 1
    if c31 == 0b000:
        return _replicate(imm8, 32, 2)
    if c31 == 0b001:
        return _replicate(imm8 << 8, 32, 2)
    if c31 == 0b010:
        return _replicate(imm8 << 16, 32, 2)
    if c31 == 0b011:
        return _replicate(imm8 << 24, 32, 2)
    if c31 == 0b100:
        return _replicate(imm8, 16, 4)
    if c31 == 0b101:
        return _replicate(imm8 << 8, 16, 4)
    if c31 == 0b110:                 # MSL: shifted ones in
        if cmode & 1 == 0:
            return _replicate(imm8 << 8 | 0xFF, 32, 2)
        return _replicate(imm8 << 16 | 0xFFFF, 32, 2)
    # cmode<3:1> == '111'
    if cmode & 1 == 0 and op == 0:
        return _replicate(imm8, 8, 8)
    if cmode & 1 == 0 and op == 1:   # each bit of imm8 becomes a byte of 0x00 or 0xff
        out = 0
        for i in range(7, -1, -1):
            out = out << 8 | (0xFF if imm8 >> i & 1 else 0)
        return out
    if op == 0:
        # imm32 = imm8<7>:NOT(imm8<6>):Replicate(imm8<6>,5):imm8<5:0>:Zeros(19)
        return _replicate(VFPExpandImm(imm8, 32), 32, 2)
    # imm64 = imm8<7>:NOT(imm8<6>):Replicate(imm8<6>,8):imm8<5:0>:Zeros(48)
    return VFPExpandImm(imm8, 64)
