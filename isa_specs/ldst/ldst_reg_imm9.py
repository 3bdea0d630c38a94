"""Load/store register with a 9-bit signed immediate: unscaled offset (LDUR,
STUR, LDURB, LDURH, LDURSB, LDURSH, LDURSW, STURB, STURH, PRFUM and the
SIMD&FP LDUR/STUR), immediate pre-index and post-index (LDR, STR, LDRB, ...,
LDRSW and SIMD&FP LDR/STR), and unprivileged (LDTR, STTR, LDTRB, STTRB,
LDTRH, STTRH, LDTRSB, LDTRSH, LDTRSW).

ASL: aarch64/instrs/memory/single/general/immediate/signed/offset-normal,
.../signed/post-idx, .../signed/pre-idx, .../signed/offset-unpriv,
aarch64/instrs/memory/single/simdfp/immediate/signed/{offset-normal,post-idx,pre-idx}
(LDUR_64_ldst_unscaled, LDR_64_ldst_immpost, STR_Q_ldst_immpre, LDTR_64_ldst_unpriv ...).

Unprivileged accesses from EL0 behave as ordinary ones (AccType_UNPRIV only
differs at EL1/EL2), which is all this user-mode model executes.  Writeback to
the transfer register is CONSTRAINED UNPREDICTABLE and is rejected.
"""
from __future__ import annotations

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.ldst.ldst_reg_unsigned_imm import (
    LoadStoreImmediate,
    check_writeback_overlap,
    decode_size_opc,
)
from isa_specs.pseudocode.memory import MemOp_PREFETCH


def _simm9(imm9: int) -> int:
    return imm9 - 512 if imm9 & 256 else imm9


def _decode(size, V, opc, imm9, Rn, Rt, form):
    memop, datasize, regsize, signed = decode_size_opc(size, V, opc)
    if memop == MemOp_PREFETCH and form != "unscaled":
        raise Unallocated("no prefetch in the pre/post-index and unprivileged forms")
    wback = form in ("pre", "post")
    check_writeback_overlap(memop, wback, Rn, Rt, bool(V))
    return LoadStoreImmediate(t=Rt, n=Rn, offset=_simm9(imm9), memop=memop,
                              datasize=datasize, regsize=regsize, signed=signed,
                              vector=bool(V), wback=wback, postindex=form == "post",
                              form=form)


@encoding("size:2 111 V:1 00 opc:2 0 imm9:9 00 Rn:5 Rt:5")
def decode_ldst_reg_unscaled(size, V, opc, imm9, Rn, Rt):
    return _decode(size, V, opc, imm9, Rn, Rt, "unscaled")


@encoding("size:2 111 V:1 00 opc:2 0 imm9:9 01 Rn:5 Rt:5")
def decode_ldst_reg_post_index(size, V, opc, imm9, Rn, Rt):
    return _decode(size, V, opc, imm9, Rn, Rt, "post")


@encoding("size:2 111 V:1 00 opc:2 0 imm9:9 11 Rn:5 Rt:5")
def decode_ldst_reg_pre_index(size, V, opc, imm9, Rn, Rt):
    return _decode(size, V, opc, imm9, Rn, Rt, "pre")


@encoding("size:2 111 0 00 opc:2 0 imm9:9 10 Rn:5 Rt:5")
def decode_ldst_reg_unprivileged(size, opc, imm9, Rn, Rt):
    return _decode(size, 0, opc, imm9, Rn, Rt, "unpriv")
