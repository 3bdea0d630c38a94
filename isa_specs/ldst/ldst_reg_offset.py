"""Load/store register (register offset): LDR, STR, LDRB, STRB, LDRH, STRH,
LDRSB, LDRSH, LDRSW, PRFM (register) and SIMD&FP LDR/STR (register), with
the index register extended (UXTW, SXTW, SXTX) or shifted (LSL) by 0 or the
access size.

ASL: aarch64/instrs/memory/single/general/register,
aarch64/instrs/memory/single/simdfp/register
(LDR_64_ldst_regoff, LDRB_32BL_ldst_regoff, PRFM_P_ldst_regoff, STR_Q_ldst_regoff ...).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.ldst.ldst_reg_unsigned_imm import (
    capstone_misprints_prfop,
    decode_size_opc,
    prfop_name,
)
from isa_specs.pseudocode.memory import (
    EXTEND_NAMES,
    BaseAddress,
    ExtendReg,
    MemOp_LOAD,
    MemOp_PREFETCH,
    SingleAccess,
)
from isa_specs.syntax import gpr, scalar_reg


@dataclass(frozen=True, slots=True)
class LoadStoreRegisterOffset:
    t: int
    n: int
    m: int
    option: int          # extend_type = DecodeRegExtend(option)
    shift: int
    S: int               # kept for disassembly (shift amount shown iff S)
    memop: str
    datasize: int
    regsize: int
    signed: bool
    vector: bool

    def execute(self, s):
        offset = ExtendReg(s, self.m, self.option, self.shift)
        address = BaseAddress(s, self.n) + offset
        SingleAccess(s, self.memop, self.t, address, self.datasize, self.regsize,
                     self.signed, self.vector)

    def mnemonic(self) -> str:
        if self.memop == MemOp_PREFETCH:
            return "prfm"
        base = "ldr" if self.memop == MemOp_LOAD else "str"
        if self.vector:
            return base
        suffix = "s" if self.signed else ""
        return base + suffix + {8: "b", 16: "h", 32: "w" if self.signed else "", 64: ""}[
            self.datasize]

    def capstone_known_wrong(self, theirs: str | None) -> bool:
        """Capstone 5 misprints unnamed prefetch operations (see tests/disasm_check.py)."""
        return self.memop == MemOp_PREFETCH and capstone_misprints_prfop(self.t, theirs)

    def disasm(self, pc: int = 0) -> str:
        if self.memop == MemOp_PREFETCH:
            rt = prfop_name(self.t)
        elif self.vector:
            rt = scalar_reg(self.t, self.datasize)
        else:
            rt = gpr(self.t, self.regsize)
        rm = gpr(self.m, 64 if self.option & 1 else 32)
        ext = "lsl" if self.option == 0b011 else EXTEND_NAMES[self.option]
        if self.S:
            index = f"{rm}, {ext} #{self.shift}"
        elif self.option == 0b011:
            index = rm
        else:
            index = f"{rm}, {ext}"
        return f"{self.mnemonic()} {rt}, [{gpr(self.n, 64, sp=True)}, {index}]"


@encoding("size:2 111 V:1 00 opc:2 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5")
def decode_ldst_reg_offset(size, V, opc, Rm, option, S, Rn, Rt):
    if option & 2 == 0:
        raise Unallocated("register offset with option<1> == 0 (sub-word index)")
    memop, datasize, regsize, signed = decode_size_opc(size, V, opc)
    scale = (datasize // 8).bit_length() - 1
    return LoadStoreRegisterOffset(t=Rt, n=Rn, m=Rm, option=option, shift=scale if S else 0,
                                   S=S, memop=memop, datasize=datasize, regsize=regsize,
                                   signed=signed, vector=bool(V))
