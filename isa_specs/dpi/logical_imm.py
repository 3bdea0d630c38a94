"""AND, ORR, EOR, ANDS (immediate) and their aliases MOV (bitmask immediate), TST (immediate).

ASL: aarch64/instrs/integer/logical/immediate
(AND_32_log_imm, ORR_64_log_imm, EOR_32_log_imm, ANDS_64S_log_imm ...).
The Arm ARM shows ORR with the zero register as MOV (bitmask immediate) only when
MoveWidePreferred is false; capstone 5 shows MOV for every such ORR, and lnsym's
disassembly follows capstone.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.pseudocode.arith import NZCV_logical
from isa_specs.pseudocode.bitmasks import DecodeBitMasks
from isa_specs.syntax import gpr
from lnsym.machine.asl import AND, EOR, OR, Const

LOGICAL_OPS = ("and", "orr", "eor", "ands")


def signed_imm(value: int, width: int) -> str:
    """A ``width``-bit immediate shown signed in hex, as capstone 5 prints them."""
    if value >> (width - 1):
        return f"#-{(1 << width) - value:#x}"
    return f"#{value:#x}"


@dataclass(frozen=True, slots=True)
class LogicalImmediate:
    d: int
    n: int
    datasize: int
    op: int            # opc: 0 AND, 1 ORR, 2 EOR, 3 ANDS
    setflags: bool
    imm: int

    def execute(self, s):
        w = self.datasize
        operand1 = s.X(self.n, w)
        operand2 = Const(self.imm, w)
        result = (AND, OR, EOR, AND)[self.op](operand1, operand2)
        if self.setflags:
            s.set_NZCV(NZCV_logical(result))
        if self.d == 31 and not self.setflags:
            s.set_SP(result)
        else:
            s.set_X(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        rd = gpr(self.d, w, sp=not self.setflags)
        rn = gpr(self.n, w)
        # capstone 5 shows MOV, 64-bit ANDS and 64-bit TST immediates signed
        imm = f"#{self.imm:#x}"
        if self.op == 1 and self.n == 31:
            return f"mov {rd}, {signed_imm(self.imm, w)}"
        if self.op == 3 and w == 64:
            imm = signed_imm(self.imm, w)
        if self.op == 3 and self.d == 31:
            return f"tst {rn}, {imm}"
        return f"{LOGICAL_OPS[self.op]} {rd}, {rn}, {imm}"


@encoding("sf:1 opc:2 100100 N:1 immr:6 imms:6 Rn:5 Rd:5")
def decode_logical_imm(sf, opc, N, immr, imms, Rn, Rd):
    datasize = 64 if sf else 32
    if sf == 0 and N != 0:
        raise Unallocated("logical immediate: N must be 0 for 32-bit forms")
    imm, _ = DecodeBitMasks(N, imms, immr, True, datasize)
    return LogicalImmediate(d=Rd, n=Rn, datasize=datasize, op=opc, setflags=opc == 3, imm=imm)
