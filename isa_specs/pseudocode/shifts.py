"""Shift and extend helpers (Arm ARM J1: aarch64/instrs/integer/shiftreg, extendreg).

``ShiftReg``/``ExtendReg`` take decode-time shift amounts; the register is read
through the machine state ``s`` as in the ASL (register 31 is the zero register).
"""
from __future__ import annotations

from enum import IntEnum

from lnsym.machine.asl import (
    ASR,
    BV,
    LSL,
    LSR,
    ROR,
    Concat,
    SignExtend,
    Slice,
    ZeroExtend,
    Zeros,
)


class ShiftType(IntEnum):
    LSL = 0
    LSR = 1
    ASR = 2
    ROR = 3


class ExtendType(IntEnum):
    UXTB = 0
    UXTH = 1
    UXTW = 2
    UXTX = 3
    SXTB = 4
    SXTH = 5
    SXTW = 6
    SXTX = 7


def DecodeShift(op: int) -> ShiftType:
    return ShiftType(op & 3)


def DecodeRegExtend(op: int) -> ExtendType:
    return ExtendType(op & 7)


def ShiftValue(value: BV, shift_type: ShiftType, amount: int) -> BV:
    """The ASL ShiftReg body applied to an already read value."""
    if shift_type == ShiftType.LSL:
        return LSL(value, amount)
    if shift_type == ShiftType.LSR:
        return LSR(value, amount)
    if shift_type == ShiftType.ASR:
        return ASR(value, amount)
    return ROR(value, amount)


def ShiftReg(s, reg: int, shift_type: ShiftType, amount: int, N: int) -> BV:
    """ASL ShiftReg(reg, shiftype, amount, N): X[reg] shifted by a constant amount."""
    return ShiftValue(s.X(reg, N), shift_type, amount)


def ExtendValue(val: BV, exttype: ExtendType, shift: int, N: int) -> BV:
    """The ASL ExtendReg body applied to an already read N-bit value."""
    unsigned = exttype <= ExtendType.UXTX
    length = 8 << (exttype & 3)
    # Note: it is possible that the shift amount is larger than the extended width
    nbits = min(length, N - shift)
    part = Slice(val, nbits - 1, 0)
    if shift:
        part = Concat(part, Zeros(shift))
    return ZeroExtend(part, N) if unsigned else SignExtend(part, N)


def ExtendReg(s, reg: int, exttype: ExtendType, shift: int, N: int) -> BV:
    """ASL ExtendReg(reg, exttype, shift, N)."""
    assert 0 <= shift <= 4
    return ExtendValue(s.X(reg, N), exttype, shift, N)
