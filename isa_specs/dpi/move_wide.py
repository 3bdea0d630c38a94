"""MOVN, MOVZ, MOVK and the aliases MOV (wide immediate), MOV (inverted wide immediate).

ASL: aarch64/instrs/integer/ins-ext/insert/movewide
(MOVN_32_movewide, MOVZ_64_movewide, MOVK_64_movewide ...).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.dpi.logical_imm import signed_imm
from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.syntax import gpr
from lnsym.machine.asl import NOT, Const, SetElem, Zeros

MOVN, MOVZ, MOVK = 0, 2, 3


@dataclass(frozen=True, slots=True)
class MoveWide:
    d: int
    datasize: int
    imm: int          # imm16
    pos: int          # hw:'0000'
    opcode: int       # opc: 0 MOVN, 2 MOVZ, 3 MOVK

    def execute(self, s):
        w = self.datasize
        result = s.X(self.d, w) if self.opcode == MOVK else Zeros(w)
        # result<pos+15:pos> = imm16
        result = SetElem(result, self.pos // 16, 16, Const(self.imm, 16))
        if self.opcode == MOVN:
            result = NOT(result)
        s.set_X(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        w = self.datasize
        rd = gpr(self.d, w)
        value = (self.imm << self.pos) & ((1 << w) - 1)
        if self.opcode == MOVZ and not (self.imm == 0 and self.pos != 0):
            return f"mov {rd}, {signed_imm(value, w)}"
        if self.opcode == MOVN and not (self.imm == 0 and self.pos != 0) \
                and not (w == 32 and self.imm == 0xFFFF):
            return f"mov {rd}, {signed_imm(~value & ((1 << w) - 1), w)}"
        mnemonic = {MOVN: "movn", MOVZ: "movz", MOVK: "movk"}[self.opcode]
        shift = f", lsl #{self.pos}" if self.pos else ""
        return f"{mnemonic} {rd}, #{self.imm:#x}{shift}"


@encoding("sf:1 opc:2 100101 hw:2 imm16:16 Rd:5")
def decode_move_wide(sf, opc, hw, imm16, Rd):
    if opc == 1:
        raise Unallocated("move wide: opc 01 is unallocated")
    if sf == 0 and hw & 2:
        raise Unallocated("move wide: hw<1> must be 0 for 32-bit forms")
    return MoveWide(d=Rd, datasize=64 if sf else 32, imm=imm16, pos=hw << 4, opcode=opc)
