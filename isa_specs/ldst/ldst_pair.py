"""Load/store register pair: LDP, STP, LDPSW (signed offset, pre-index,
post-index), LDNP, STNP (no-allocate pair, signed offset), and the SIMD&FP
LDP, STP, LDNP, STNP of S, D and Q registers.

ASL: aarch64/instrs/memory/pair/general/{offset,pre-idx,post-idx,no-alloc},
aarch64/instrs/memory/pair/simdfp/{offset,pre-idx,post-idx,no-alloc}
(LDP_64_ldstpair_off, STP_64_ldstpair_pre, LDPSW_64_ldstpair_post,
LDNP_Q_ldstnapair_offs ...).

The two elements are accessed as two ``datasize`` accesses at address and
address + datasize/8 (loads first element first); the non-temporal hint of
LDNP/STNP has no architectural effect.  The CONSTRAINED UNPREDICTABLE cases
(LDP with t == t2, writeback to a transfer register) are rejected.  STGP
(FEAT_MTE, the opc == 01 store) is not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.memory import (
    AddOffset,
    BaseAddress,
    LoadRegister,
    MemOp_LOAD,
    MemOp_STORE,
    WriteBackAddress,
)
from isa_specs.syntax import gpr, imm, scalar_reg


@dataclass(frozen=True, slots=True)
class LoadStorePair:
    t: int
    t2: int
    n: int
    offset: int
    memop: str
    datasize: int
    signed: bool
    vector: bool
    wback: bool
    postindex: bool
    form: str                # "nonalloc", "offset", "pre", "post"

    def execute(self, s):
        dbytes = self.datasize // 8
        address = BaseAddress(s, self.n)
        if not self.postindex:
            address = AddOffset(address, self.offset)
        second = AddOffset(address, dbytes)
        if self.memop == MemOp_STORE:
            read = s.V if self.vector else s.X
            data1, data2 = read(self.t, self.datasize), read(self.t2, self.datasize)
            s.set_Mem(address, dbytes, data1)
            s.set_Mem(second, dbytes, data2)
        else:
            data1 = s.Mem(address, dbytes)
            data2 = s.Mem(second, dbytes)
            if self.vector:
                s.set_V(self.t, data1)
                s.set_V(self.t2, data2)
            else:
                regsize = 64 if self.signed else self.datasize
                LoadRegister(s, self.t, data1, regsize, self.signed)
                LoadRegister(s, self.t2, data2, regsize, self.signed)
        if self.wback:
            if self.postindex:
                address = AddOffset(address, self.offset)
            WriteBackAddress(s, self.n, address)

    def disasm(self, pc: int = 0) -> str:
        load = self.memop == MemOp_LOAD
        mnemonic = ("ld" if load else "st") + ("np" if self.form == "nonalloc" else "p")
        if self.signed:
            mnemonic += "sw"
        if self.vector:
            r1, r2 = scalar_reg(self.t, self.datasize), scalar_reg(self.t2, self.datasize)
        else:
            w = 64 if self.signed else self.datasize
            r1, r2 = gpr(self.t, w), gpr(self.t2, w)
        rn = gpr(self.n, 64, sp=True)
        if self.form == "pre":
            addr = f"[{rn}, {imm(self.offset)}]!"
        elif self.form == "post":
            addr = f"[{rn}], {imm(self.offset)}"
        elif self.offset:
            addr = f"[{rn}, {imm(self.offset)}]"
        else:
            addr = f"[{rn}]"
        return f"{mnemonic} {r1}, {r2}, {addr}"


def _decode(opc, V, L, imm7, Rt2, Rn, Rt, form):
    memop = MemOp_LOAD if L else MemOp_STORE
    wback = form in ("pre", "post")
    signed = False
    if V:
        if opc == 3:
            raise Unallocated("SIMD&FP pair with opc == 11")
        scale = 2 + opc
    else:
        if opc == 3:
            raise Unallocated("pair with opc == 11")
        if opc & 1:
            if form == "nonalloc":
                raise Unallocated("no-allocate pair with opc<0> == 1")
            if not L:
                raise Unimplemented("STGP (memory tagging extension)")
            signed = True
        scale = 2 + (opc >> 1)
    offset = (imm7 - 128 if imm7 & 64 else imm7) << scale
    if memop == MemOp_LOAD and Rt == Rt2:
        raise Unimplemented("constrained unpredictable: load pair with t == t2")
    if wback and not V and Rn != 31 and Rn in (Rt, Rt2):
        raise Unimplemented("constrained unpredictable: writeback base register is a "
                            "transfer register")
    return LoadStorePair(t=Rt, t2=Rt2, n=Rn, offset=offset, memop=memop, datasize=8 << scale,
                         signed=signed, vector=bool(V), wback=wback,
                         postindex=form == "post", form=form)


@encoding("opc:2 101 V:1 000 L:1 imm7:7 Rt2:5 Rn:5 Rt:5")
def decode_ldst_pair_nonalloc(opc, V, L, imm7, Rt2, Rn, Rt):
    return _decode(opc, V, L, imm7, Rt2, Rn, Rt, "nonalloc")


@encoding("opc:2 101 V:1 001 L:1 imm7:7 Rt2:5 Rn:5 Rt:5")
def decode_ldst_pair_post_index(opc, V, L, imm7, Rt2, Rn, Rt):
    return _decode(opc, V, L, imm7, Rt2, Rn, Rt, "post")


@encoding("opc:2 101 V:1 010 L:1 imm7:7 Rt2:5 Rn:5 Rt:5")
def decode_ldst_pair_offset(opc, V, L, imm7, Rt2, Rn, Rt):
    return _decode(opc, V, L, imm7, Rt2, Rn, Rt, "offset")


@encoding("opc:2 101 V:1 011 L:1 imm7:7 Rt2:5 Rn:5 Rt:5")
def decode_ldst_pair_pre_index(opc, V, L, imm7, Rt2, Rn, Rt):
    return _decode(opc, V, L, imm7, Rt2, Rn, Rt, "pre")
