"""RBIT, REV16, REV32, REV (REV64), CLZ, CLS (data-processing, 1 source).

ASL: aarch64/instrs/integer/arithmetic/rbit, aarch64/instrs/integer/arithmetic/rev,
aarch64/instrs/integer/arithmetic/cnt (RBIT_32_dp_1src, REV16_64_dp_1src, REV32_64_dp_1src,
REV_32_dp_1src, REV_64_dp_1src, CLZ_32_dp_1src, CLS_64_dp_1src ...).
The pointer-authentication forms of this class (PACIA, AUTIA, XPACI, ...; opcode2 = 00001)
are in ``isa_specs.dpreg.pauth_1src``.  The FEAT_CSSC forms (CTZ, CNT, ABS) are valid but
not modelled: Unimplemented.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.dpreg.pauth_1src import decode_pauth
from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.syntax import gpr
from lnsym.machine.asl import (
    AND,
    BV,
    EOR,
    LSL,
    LSR,
    OR,
    Concat,
    Const,
    Slice,
    ZeroExtend,
)
from lnsym.terms.bv import clz

RBIT, REV16, REV32, REV64, CLZ, CLS = "rbit", "rev16", "rev32", "rev", "clz", "cls"


def BitReverse(x: BV) -> BV:
    """x with its bits in reverse order (ASL BitReverse), by swapping ever larger groups:
    bits, pairs, nibbles, then bytes (the byte step is a plain concatenation)."""
    w = x.width
    ones = (1 << w) - 1
    for k, pattern in ((1, 0x55), (2, 0x33), (4, 0x0F)):
        m = Const(int.from_bytes(bytes([pattern]) * (w // 8), "little") & ones, w)
        x = OR(AND(LSR(x, k), m), LSL(AND(x, m), k))
    return ReverseBytes(x, w)


def ReverseBytes(x: BV, container: int) -> BV:
    """Reverse the order of the bytes within each ``container``-bit part of x (ASL Reverse)."""
    parts = []
    for c in reversed(range(x.width // container)):        # containers kept in place
        base = c * container
        for b in range(container // 8):                      # bytes reversed inside
            parts.append(Slice(x, base + 8 * b + 7, base + 8 * b))
    return Concat(*parts)


@dataclass(frozen=True, slots=True)
class DataProcessing1Source:
    d: int
    n: int
    datasize: int
    op: str

    def execute(self, s):
        w = self.datasize
        operand = s.X(self.n, w)
        if self.op == RBIT:
            result = BitReverse(operand)
        elif self.op in (REV16, REV32, REV64):
            container = {REV16: 16, REV32: 32, REV64: 64}[self.op]
            result = ReverseBytes(operand, min(container, w))
        elif self.op == CLZ:
            result = clz(operand)
        else:
            # CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>)
            result = ZeroExtend(clz(EOR(Slice(operand, w - 1, 1), Slice(operand, w - 2, 0))), w)
        s.set_X(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        return f"{self.op} {gpr(self.d, w)}, {gpr(self.n, w)}"


OPCODES = {0: RBIT, 1: REV16, 2: REV32, 3: REV64, 4: CLZ, 5: CLS}


@encoding("sf:1 1 S:1 11010110 opcode2:5 opcode:6 Rn:5 Rd:5")
def decode_dp_1src(sf, S, opcode2, opcode, Rn, Rd):
    if S == 0 and sf == 1 and opcode2 == 1 and opcode <= 0x11:
        return decode_pauth(opcode, Rn, Rd)
    if S == 0 and opcode2 == 0 and opcode in (6, 7, 8):
        raise Unimplemented("FEAT_CSSC CTZ/CNT/ABS are not modelled")
    if S or opcode2 or opcode not in OPCODES:
        raise Unallocated("data-processing (1 source): unallocated encoding")
    op = OPCODES[opcode]
    if sf == 0:
        if op == REV64:
            raise Unallocated("REV with opc 11 needs sf = 1")
        if op == REV32:
            op = REV64       # REV_32_dp_1src: the whole 32-bit word
    return DataProcessing1Source(d=Rd, n=Rn, datasize=64 if sf else 32, op=op)
