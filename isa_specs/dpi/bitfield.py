"""SBFM, BFM, UBFM and their aliases ASR, LSL, LSR (immediate), SXTB, SXTH, SXTW, UXTB,
UXTH, SBFIZ, SBFX, UBFIZ, UBFX, BFI, BFXIL, BFC.

ASL: aarch64/instrs/integer/bitfield
(SBFM_32M_bitfield, BFM_64M_bitfield, UBFM_32M_bitfield ...); alias choice per the
Arm ARM alias conditions (BFXPreferred) as capstone 5 prints them.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.bitmasks import DecodeBitMasks, MaskedMerge
from isa_specs.syntax import gpr
from lnsym.machine.asl import ROR, Bit, SignExtend, Zeros

SBFM, BFM, UBFM = 0, 1, 2


def BFXPreferred(sf: int, uns: int, imms: int, immr: int) -> bool:
    """Is a bitfield extract (SBFX/UBFX) the preferred disassembly of this xBFM?"""
    if imms < immr:                       # must not match UBFIZ/SBFIZ
        return False
    if imms == (sf << 5) | 0x1F:          # must not match LSR/ASR/LSL
        return False
    if immr == 0:                         # must not match UXTx/SXTx
        if sf == 0 and imms in (7, 15):
            return False
        if sf == 1 and uns == 0 and imms in (7, 15, 31):
            return False
    return True


@dataclass(frozen=True, slots=True)
class Bitfield:
    d: int
    n: int
    datasize: int
    opc: int           # 0 SBFM, 1 BFM, 2 UBFM
    R: int             # immr
    S: int             # imms
    wmask: int
    tmask: int

    @property
    def inzero(self) -> bool:
        return self.opc != BFM

    @property
    def extend(self) -> bool:
        return self.opc == SBFM

    def execute(self, s):
        w = self.datasize
        dst = Zeros(w) if self.inzero else s.X(self.d, w)
        src = s.X(self.n, w)
        # bits(datasize) bot = (dst AND NOT(wmask)) OR (ROR(src, R) AND wmask);
        bot = MaskedMerge(dst, ROR(src, self.R), self.wmask)
        # bits(datasize) top = if extend then Replicate(src<S>) else dst;
        top = SignExtend(Bit(src, self.S), w) if self.extend else dst
        # X[d] = (top AND NOT(tmask)) OR (bot AND tmask);
        s.set_X(self.d, MaskedMerge(top, bot, self.tmask))

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        sf = int(w == 64)
        rd, rn = gpr(self.d, w), gpr(self.n, w)
        R, S, top = self.R, self.S, w - 1
        if self.opc == SBFM:
            if S == top:
                return f"asr {rd}, {rn}, #{R}"
            if R == 0 and S in (7, 15, 31):
                return f"sxt{ {7: 'b', 15: 'h', 31: 'w'}[S]} {rd}, {gpr(self.n, 32)}"
            if S < R:
                return f"sbfiz {rd}, {rn}, #{-R % w}, #{S + 1}"
            return f"sbfx {rd}, {rn}, #{R}, #{S - R + 1}"
        if self.opc == UBFM:
            if S != top and S + 1 == R:
                return f"lsl {rd}, {rn}, #{top - S}"
            if S == top:
                return f"lsr {rd}, {rn}, #{R}"
            if S < R:
                return f"ubfiz {rd}, {rn}, #{-R % w}, #{S + 1}"
            if BFXPreferred(sf, 1, S, R):
                return f"ubfx {rd}, {rn}, #{R}, #{S - R + 1}"
            return f"uxt{'b' if S == 7 else 'h'} {rd}, {gpr(self.n, 32)}"
        # capstone shows BFC for Rn = zero register whenever BFI would be (incl. lsb 0)
        if self.n == 31 and (S < R or R == 0):
            return f"bfc {rd}, #{-R % w}, #{S + 1}"
        if S < R:
            return f"bfi {rd}, {rn}, #{-R % w}, #{S + 1}"
        return f"bfxil {rd}, {rn}, #{R}, #{S - R + 1}"


@encoding("sf:1 opc:2 100110 N:1 immr:6 imms:6 Rn:5 Rd:5")
def decode_bitfield(sf, opc, N, immr, imms, Rn, Rd):
    if opc == 3:
        raise Unallocated("bitfield: opc 11 is unallocated")
    datasize = 64 if sf else 32
    if sf == 1 and N != 1:
        raise Unallocated("bitfield: N must be 1 for 64-bit forms")
    if sf == 0 and (N != 0 or immr & 0x20 or imms & 0x20):
        raise Unallocated("bitfield: N, immr<5>, imms<5> must be 0 for 32-bit forms")
    wmask, tmask = DecodeBitMasks(N, imms, immr, False, datasize)
    return Bitfield(d=Rd, n=Rn, datasize=datasize, opc=opc, R=immr, S=imms,
                    wmask=wmask, tmask=tmask)
