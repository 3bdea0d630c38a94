"""UDIV, SDIV, LSLV, LSRV, ASRV, RORV (aliases LSL, LSR, ASR, ROR (register)) and
CRC32B/H/W/X, CRC32CB/H/W/X (data-processing, 2 source).

ASL: aarch64/instrs/integer/arithmetic/div, aarch64/instrs/integer/shift/variable,
aarch64/instrs/integer/crc (UDIV_32_dp_2src, SDIV_64_dp_2src, LSLV_32_dp_2src,
RORV_64_dp_2src, CRC32X_64C_dp_2src, CRC32CB_32C_dp_2src ...).
Not modelled (Unimplemented): PACGA (pointer authentication), SUBP/SUBPS/IRG/GMI (Memory
Tagging), SMAX/UMAX/SMIN/UMIN register forms (FEAT_CSSC).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.crc import CRC32
from isa_specs.syntax import gpr
from lnsym.machine.asl import OR, Const, IsZeroBit, Zeros, ite
from lnsym.terms.bv import ashr_var, lshr_var, sdiv, shl_var, udiv

UDIV, SDIV, LSLV, LSRV, ASRV, RORV = "udiv", "sdiv", "lslv", "lsrv", "asrv", "rorv"
SHIFT_ALIAS = {LSLV: "lsl", LSRV: "lsr", ASRV: "asr", RORV: "ror"}


@dataclass(frozen=True, slots=True)
class DataProcessing2Source:
    d: int
    n: int
    m: int
    datasize: int
    op: str

    def execute(self, s):
        w = self.datasize
        operand1 = s.X(self.n, w)
        operand2 = s.X(self.m, w)
        if self.op in (UDIV, SDIV):
            # result = if IsZero(operand2) then 0 else RoundTowardsZero(operand1 / operand2)
            # (the signed quotient is taken modulo 2^N: INT_MIN / -1 = INT_MIN)
            q = (udiv if self.op == UDIV else sdiv)(operand1, operand2)
            result = ite(IsZeroBit(operand2), Zeros(w), q)
        else:
            # ShiftReg(n, shift_type, UInt(operand2) MOD datasize, datasize)
            amount = operand2 & Const(w - 1, w)
            if self.op == LSLV:
                result = shl_var(operand1, amount)
            elif self.op == LSRV:
                result = lshr_var(operand1, amount)
            elif self.op == ASRV:
                result = ashr_var(operand1, amount)
            else:
                # ROR by amount: the two halves; a shift by datasize (amount 0) gives zero
                back = shl_var(operand1, Const(w, w) - amount)
                result = OR(lshr_var(operand1, amount), back)
        s.set_X(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        regs = f"{gpr(self.d, w)}, {gpr(self.n, w)}, {gpr(self.m, w)}"
        return f"{SHIFT_ALIAS.get(self.op, self.op)} {regs}"


@dataclass(frozen=True, slots=True)
class CRC32Accumulate:
    d: int
    n: int
    m: int
    size: int          # 8 << sz
    crc32c: bool

    def execute(self, s):
        acc = s.X(self.n, 32)
        val = s.X(self.m, self.size if self.size == 64 else 32)
        if self.size < 32:
            val = val[self.size - 1:0]
        s.set_X(self.d, CRC32(acc, val, self.crc32c))

    def disasm(self, pc: int = 0) -> str:
        name = "crc32" + ("c" if self.crc32c else "") + "bhwx"[self.size.bit_length() - 4]
        rm = gpr(self.m, 64 if self.size == 64 else 32)
        return f"{name} {gpr(self.d, 32)}, {gpr(self.n, 32)}, {rm}"


OPCODES = {0b000010: UDIV, 0b000011: SDIV, 0b001000: LSLV, 0b001001: LSRV, 0b001010: ASRV,
           0b001011: RORV}


@encoding("sf:1 0 S:1 11010110 Rm:5 opcode:6 Rn:5 Rd:5")
def decode_dp_2src(sf, S, Rm, opcode, Rn, Rd):
    if sf == 1 and opcode == 0:
        raise Unimplemented("SUBP/SUBPS (Memory Tagging Extension) is not modelled")
    if S:
        raise Unallocated("data-processing (2 source): S = 1 is unallocated here")
    if sf == 1 and opcode in (0b000100, 0b000101):
        raise Unimplemented("IRG/GMI (Memory Tagging Extension) is not modelled")
    if sf == 1 and opcode == 0b001100:
        raise Unimplemented("PACGA (pointer authentication) is not modelled")
    if opcode in (0b011000, 0b011001, 0b011010, 0b011011):
        raise Unimplemented("FEAT_CSSC SMAX/UMAX/SMIN/UMIN are not modelled")
    if opcode >> 3 == 0b010:
        sz = opcode & 3
        if (sz == 3) != (sf == 1):
            raise Unallocated("CRC32: sf must be 1 exactly for the X forms")
        return CRC32Accumulate(d=Rd, n=Rn, m=Rm, size=8 << sz, crc32c=bool(opcode & 4))
    if opcode not in OPCODES:
        raise Unallocated("data-processing (2 source): unallocated opcode")
    return DataProcessing2Source(d=Rd, n=Rn, m=Rm, datasize=64 if sf else 32, op=OPCODES[opcode])
