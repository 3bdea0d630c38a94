"""CRC32 accumulation (Arm ARM: aarch64/instrs/integer/crc, shared/functions/crc/Poly32Mod2).

The ASL reverses the bits of the accumulator and the value, reduces modulo the
polynomial with ``Poly32Mod2`` (most significant bit first) and reverses the
result.  Working on the reversed (reflected) bits directly gives the same value
with no reversals: each step shifts the 32-bit register right by one and adds
the reflected polynomial when the bit shifted out was 1 (the ASL's
``data<i-1:0> EOR (poly:Zeros(i-32))`` seen from the other end).  Bits of a
value wider than 32 enter the register 32 steps later, as the ASL's
zero-padding places them.
"""
from __future__ import annotations

from lnsym.machine.asl import (
    AND,
    BV,
    EOR,
    LSR,
    Bit,
    Const,
    SignExtend,
    Slice,
    ZeroExtend,
)

CRC32_POLY = 0x04C11DB7      # ISO-HDLC / IEEE 802.3
CRC32C_POLY = 0x1EDC6F41     # Castagnoli


def _reflect32(x: int) -> int:
    return int(f"{x:032b}"[::-1], 2)


def CRC32(acc: BV, val: BV, crc32c: bool) -> BV:
    """The CRC32/CRC32C instructions' result for a 32-bit accumulator and an 8..64-bit value."""
    rpoly = Const(_reflect32(CRC32C_POLY if crc32c else CRC32_POLY), 32)
    size = val.width
    reg = acc
    for chunk in range(0, size, 32):
        top = min(size, chunk + 32) - 1
        reg = EOR(reg, ZeroExtend(Slice(val, top, chunk), 32))
        for _ in range(top - chunk + 1):
            reg = EOR(LSR(reg, 1), AND(SignExtend(Bit(reg, 0), 32), rpoly))
    return reg
