"""ADR, ADRP (PC-relative addressing).

ASL: aarch64/instrs/integer/arithmetic/address/pc-rel (ADR_only_pcreladdr, ADRP_only_pcreladdr).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.syntax import gpr
from lnsym.machine.asl import Concat, Const, Slice, Zeros


@dataclass(frozen=True, slots=True)
class PCRelAddress:
    d: int
    page: bool
    imm: int           # signed byte offset (already scaled by 4096 for ADRP)

    def execute(self, s):
        base = s.PC()
        if self.page:
            base = Concat(Slice(base, 63, 12), Zeros(12))
        s.set_X(self.d, base + Const(self.imm, 64))

    def disasm(self, pc: int = 0) -> str:
        base = pc & ~0xFFF if self.page else pc
        target = (base + self.imm) & (2**64 - 1)
        return f"{'adrp' if self.page else 'adr'} {gpr(self.d, 64)}, #{target:#x}"


@encoding("op:1 immlo:2 10000 immhi:19 Rd:5")
def decode_pc_rel(op, immlo, immhi, Rd):
    imm = (immhi << 2) | immlo
    imm -= (1 << 21) if imm >> 20 else 0
    if op:
        imm <<= 12
    return PCRelAddress(d=Rd, page=bool(op), imm=imm)
