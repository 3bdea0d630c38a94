"""Load/store register (unsigned immediate): LDR, STR, LDRB, STRB, LDRH, STRH,
LDRSB, LDRSH, LDRSW, PRFM (immediate), and the SIMD&FP LDR/STR (immediate)
of B, H, S, D and Q registers.

ASL: aarch64/instrs/memory/single/general/immediate/unsigned
(LDR_64_ldst_pos, STRB_32_ldst_pos, LDRSW_64_ldst_pos, PRFM_P_ldst_pos ...),
aarch64/instrs/memory/single/simdfp/immediate/unsigned (LDR_Q_ldst_pos ...).

The record ``LoadStoreImmediate`` and ``decode_size_opc`` are shared with the
immediate-offset classes of ``ldst_reg_imm9`` (unscaled, pre-, post-index,
unprivileged), whose ASL has the same shared decode and execute.  PRFM is a
hint: its execute performs no access (``Prefetch`` has no architectural effect).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.memory import (
    AddOffset,
    BaseAddress,
    MemOp_LOAD,
    MemOp_PREFETCH,
    MemOp_STORE,
    SingleAccess,
    WriteBackAddress,
)
from isa_specs.syntax import gpr, imm, scalar_reg

PRFOP_TYPES = ("pld", "pli", "pst")
PRFOP_TARGETS = ("l1", "l2", "l3")


def prfop_name(t: int) -> str:
    """``pldl1keep`` ... for the named prefetch operations, else ``#<imm5>``."""
    typ, target, policy = t >> 3, (t >> 1) & 3, t & 1
    if typ < 3 and target < 3:
        return PRFOP_TYPES[typ] + PRFOP_TARGETS[target] + ("strm" if policy else "keep")
    return imm(t)


def capstone_misprints_prfop(t: int, theirs: str | None) -> bool:
    """Capstone 5 prints an empty operand (``prfm , [x0]``) for the prefetch
    operations without a name; the Arm ARM syntax is ``#<imm5>``."""
    return theirs is not None and prfop_name(t).startswith("#") and ", " in theirs \
        and theirs.split(" ", 1)[1].startswith(",")


def decode_size_opc(size: int, V: int, opc: int):
    """The shared decode of the single-register classes -> (memop, datasize, regsize, signed).

    Integer: opc<1> == 0 is a plain load/store of 8 << size bits; opc<1> == 1 is
    a sign-extending load (or PRFM when size == 11).  SIMD&FP: scale = opc<1>:size.
    """
    if V:
        scale = (opc >> 1) << 2 | size
        if scale > 4:
            raise Unallocated("SIMD&FP load/store with scale > 4")
        return (MemOp_LOAD if opc & 1 else MemOp_STORE), 8 << scale, 8 << scale, False
    if opc >> 1 == 0:
        return (MemOp_LOAD if opc & 1 else MemOp_STORE), 8 << size, \
            64 if size == 3 else 32, False
    if size == 3:
        if opc & 1:
            raise Unallocated("size == 11, opc == 11")
        return MemOp_PREFETCH, 64, 64, False
    if size == 2 and opc & 1:
        raise Unallocated("size == 10, opc == 11")
    return MemOp_LOAD, 8 << size, 32 if opc & 1 else 64, True


def check_writeback_overlap(memop: str, wback: bool, n: int, t: int, vector: bool) -> None:
    """Writeback to the transfer register is CONSTRAINED UNPREDICTABLE
    (Unpredictable_WBOVERLAPLD / WBOVERLAPST): not modelled, so rejected."""
    if wback and not vector and n == t and n != 31 and memop != MemOp_PREFETCH:
        raise Unimplemented("constrained unpredictable: writeback base register is the "
                            "transfer register")


@dataclass(frozen=True, slots=True)
class LoadStoreImmediate:
    t: int
    n: int
    offset: int          # bytes, already scaled; signed
    memop: str
    datasize: int
    regsize: int
    signed: bool
    vector: bool
    wback: bool
    postindex: bool
    form: str            # "pos" (scaled unsigned), "unscaled", "unpriv", "pre", "post"

    def execute(self, s):
        address = BaseAddress(s, self.n)
        if not self.postindex:
            address = AddOffset(address, self.offset)
        # unprivileged forms: at EL0 AccType_UNPRIV accesses behave as normal ones
        SingleAccess(s, self.memop, self.t, address, self.datasize, self.regsize,
                     self.signed, self.vector)
        if self.wback:
            if self.postindex:
                address = AddOffset(address, self.offset)
            WriteBackAddress(s, self.n, address)

    def capstone_known_wrong(self, theirs: str | None) -> bool:
        """Words where capstone 5 departs from the Arm ARM (see tests/disasm_check.py):
        unnamed prefetch operations, and LDTR* with Rt == Rn, which capstone
        rejects although unprivileged loads have no writeback."""
        if self.memop == MemOp_PREFETCH:
            return capstone_misprints_prfop(self.t, theirs)
        return theirs is None and self.form == "unpriv" and self.t == self.n

    def mnemonic(self) -> str:
        if self.memop == MemOp_PREFETCH:
            return "prfum" if self.form == "unscaled" else "prfm"
        base = "ld" if self.memop == MemOp_LOAD else "st"
        infix = {"unscaled": "ur", "unpriv": "tr"}.get(self.form, "r")
        if self.vector:
            return base + infix
        suffix = "s" if self.signed else ""
        suffix += {8: "b", 16: "h", 32: "w" if self.signed else "", 64: ""}[self.datasize]
        return base + infix + suffix

    def disasm(self, pc: int = 0) -> str:
        if self.memop == MemOp_PREFETCH:
            rt = prfop_name(self.t)
        elif self.vector:
            rt = scalar_reg(self.t, self.datasize)
        else:
            rt = gpr(self.t, self.regsize)
        rn = gpr(self.n, 64, sp=True)
        if self.form == "pre":
            addr = f"[{rn}, {imm(self.offset)}]!"
        elif self.form == "post":
            # capstone prints a negative post-index offset as a 64-bit unsigned value
            addr = f"[{rn}], #{self.offset & (1 << 64) - 1:#x}"
        elif self.offset:
            addr = f"[{rn}, {imm(self.offset)}]"
        else:
            addr = f"[{rn}]"
        return f"{self.mnemonic()} {rt}, {addr}"


@encoding("size:2 111 V:1 01 opc:2 imm12:12 Rn:5 Rt:5")
def decode_ldst_reg_unsigned_imm(size, V, opc, imm12, Rn, Rt):
    memop, datasize, regsize, signed = decode_size_opc(size, V, opc)
    scale = (datasize // 8).bit_length() - 1
    return LoadStoreImmediate(t=Rt, n=Rn, offset=imm12 << scale, memop=memop,
                              datasize=datasize, regsize=regsize, signed=signed,
                              vector=bool(V), wback=False, postindex=False, form="pos")
