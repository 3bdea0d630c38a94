"""Load register (literal): LDR (literal) of W/X registers, LDRSW (literal),
PRFM (literal), and SIMD&FP LDR (literal) of S, D and Q registers.

ASL: aarch64/instrs/memory/literal/general (LDR_32_loadlit, LDR_64_loadlit,
LDRSW_64_loadlit, PRFM_P_loadlit), aarch64/instrs/memory/literal/simdfp
(LDR_S_loadlit, LDR_D_loadlit, LDR_Q_loadlit).

The address is PC + SignExtend(imm19:'00'); the disassembly prints it as an
absolute address, as capstone does.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.ldst.ldst_reg_unsigned_imm import capstone_misprints_prfop, prfop_name
from isa_specs.pseudocode.memory import (
    AddOffset,
    MemOp_LOAD,
    MemOp_PREFETCH,
    SingleAccess,
)
from isa_specs.syntax import gpr, label, scalar_reg


@dataclass(frozen=True, slots=True)
class LoadLiteral:
    t: int
    offset: int
    memop: str
    datasize: int
    signed: bool
    vector: bool

    def execute(self, s):
        address = AddOffset(s.PC(), self.offset)
        SingleAccess(s, self.memop, self.t, address, self.datasize, 64 if self.signed else
                     self.datasize, self.signed, self.vector)

    def capstone_known_wrong(self, theirs: str | None) -> bool:
        """Capstone 5 misprints unnamed prefetch operations (see tests/disasm_check.py)."""
        return self.memop == MemOp_PREFETCH and capstone_misprints_prfop(self.t, theirs)

    def disasm(self, pc: int = 0) -> str:
        target = label((pc + self.offset) & (1 << 64) - 1)
        if self.memop == MemOp_PREFETCH:
            return f"prfm {prfop_name(self.t)}, {target}"
        if self.vector:
            rt = scalar_reg(self.t, self.datasize)
        else:
            rt = gpr(self.t, 64 if self.signed else self.datasize)
        return f"{'ldrsw' if self.signed else 'ldr'} {rt}, {target}"


@encoding("opc:2 011 V:1 00 imm19:19 Rt:5")
def decode_load_literal(opc, V, imm19, Rt):
    offset = (imm19 - (1 << 19) if imm19 >> 18 else imm19) << 2
    memop, signed = MemOp_LOAD, False
    if V:
        if opc == 3:
            raise Unallocated("SIMD&FP load literal with opc == 11")
        datasize = 32 << opc
    else:
        datasize = 64 if opc == 1 else 32
        if opc == 2:
            signed = True
        elif opc == 3:
            memop = MemOp_PREFETCH
    return LoadLiteral(t=Rt, offset=offset, memop=memop, datasize=datasize, signed=signed,
                       vector=bool(V))
