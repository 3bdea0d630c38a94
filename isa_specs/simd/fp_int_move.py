"""Conversion between floating-point and integer: only the FMOV (general) moves are modelled.

FMOV Wd, Sn / Sn, Wd / Xd, Dn / Dn, Xd / Xd, Vn.D[1] / Vn.D[1], Xd and the half-precision
FMOV Wd, Hn / Hn, Wd / Xd, Hn / Hn, Xd (FEAT_FP16).  Every other instruction of the class
(SCVTF, UCVTF, FCVTNS/NU/PS/PU/MS/MU/ZS/ZU/AS/AU, FJCVTZS) raises Unimplemented.

ASL: aarch64/instrs/float/convert/int (FMOV_32S_float2int, FMOV_S32_float2int,
FMOV_64D_float2int, FMOV_D64_float2int, FMOV_64VX_float2int, FMOV_V64I_float2int,
FMOV_32H_float2int, FMOV_H32_float2int, FMOV_64H_float2int, FMOV_H64_float2int).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.syntax import gpr, scalar_reg
from lnsym.machine.asl import Concat, Slice, ZeroExtend


@dataclass(frozen=True, slots=True)
class FMovGeneral:
    d: int
    n: int
    intsize: int      # 32 or 64: the general register
    fltsize: int      # 16, 32 or 64: the bits moved
    part: int         # 0, or 1 for the top half of a 128-bit V register (Vn.D[1])
    to_fp: bool       # general -> SIMD&FP

    def execute(self, s):
        # ASL not modelled: CheckFPAdvSIMDEnabled64() (the FP/SIMD unit is always enabled)
        if self.to_fp:
            intval = s.X(self.n, 64)[self.fltsize - 1:0]
            if self.part == 0:
                # V[d] = ZeroExtend(intval): the rest of the register is cleared
                s.set_V(self.d, ZeroExtend(intval, 128))
            else:
                # Vpart[d, 1] = intval: the low 64 bits are kept
                s.set_V(self.d, Concat(intval, s.V(self.d, 64)))
        else:
            v = s.V(self.n)
            fltval = Slice(v, 127, 64) if self.part else Slice(v, self.fltsize - 1, 0)
            s.set_X(self.d, ZeroExtend(fltval, self.intsize))

    def disasm(self, pc: int = 0) -> str:
        fp = f"v{self.n if not self.to_fp else self.d}.d[1]" if self.part else \
            scalar_reg(self.d if self.to_fp else self.n, self.fltsize)
        gp = gpr(self.n if self.to_fp else self.d, self.intsize)
        return f"fmov {fp}, {gp}" if self.to_fp else f"fmov {gp}, {fp}"


# (sf, ftype, rmode) -> fltsize, part for the FMOV opcodes 110 (to general) / 111 (from)
FMOV_FORMS = {(0, 0b00, 0b00): (32, 0), (1, 0b01, 0b00): (64, 0), (1, 0b10, 0b01): (64, 1),
              (0, 0b11, 0b00): (16, 0), (1, 0b11, 0b00): (16, 0)}


@encoding("sf:1 0 S:1 11110 ftype:2 1 rmode:2 opcode:3 000000 Rn:5 Rd:5")
def decode_fp_int_conversion(sf, S, ftype, rmode, opcode, Rn, Rd):
    if S:
        raise Unallocated("S == 1 is unallocated in conversions between FP and integer")
    if opcode >> 1 == 0b11:
        form = FMOV_FORMS.get((sf, ftype, rmode))
        if form is None:
            if (sf, ftype, rmode, opcode) == (0, 0b01, 0b11, 0b110):
                raise Unimplemented("floating-point conversion out of scope (FJCVTZS)")
            raise Unallocated("unallocated FMOV (general) size combination")
        fltsize, part = form
        return FMovGeneral(d=Rd, n=Rn, intsize=64 if sf else 32, fltsize=fltsize, part=part,
                           to_fp=bool(opcode & 1))
    if ftype == 0b10:
        raise Unallocated("ftype == 10 is unallocated for conversions")
    raise Unimplemented("floating-point conversion out of scope")
