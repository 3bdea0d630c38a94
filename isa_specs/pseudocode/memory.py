"""Memory-access helpers shared by the load/store classes (Arm ARM J1:
aarch64/functions/memory, aarch64/functions/registers, shared/functions/integer
ExtendReg), with Arm's names where Arm has one.

Model: a single-threaded EL0 process.  ``CheckSPAlignment()`` (SP alignment
faults under SCTLR_EL1.SA0) and the alignment faults of exclusive and
acquire/release accesses to misaligned addresses are not modelled: every
access succeeds or raises ``MemoryFault`` for unmapped memory.  Accesses are
little-endian (``BigEndian()`` is FALSE in this model).
"""
from __future__ import annotations

from lnsym.machine.asl import BV, LSL, Const, SignExtend, Slice, ZeroExtend

# MemOp (Arm ARM: MemOp_LOAD, MemOp_STORE, MemOp_PREFETCH)
MemOp_LOAD, MemOp_STORE, MemOp_PREFETCH = "load", "store", "prefetch"

# ExtendType, by the 3-bit ``option`` field (DecodeRegExtend)
EXTEND_NAMES = ("uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx")


def BaseAddress(s, n: int) -> BV:
    """``if n == 31 then CheckSPAlignment(); address = SP[] else address = X[n]``.
    (CheckSPAlignment is not modelled, see the module docstring.)"""
    return s.SP(64) if n == 31 else s.X(n, 64)


def WriteBackAddress(s, n: int, address: BV) -> None:
    """``if n == 31 then SP[] = address else X[n] = address``."""
    if n == 31:
        s.set_SP(address)
    else:
        s.set_X(n, address)


def ExtendReg(s, m: int, option: int, shift: int, N: int = 64) -> BV:
    """ASL ExtendReg(m, DecodeRegExtend(option), shift): X[m] (or W[m]) sign- or
    zero-extended from the width the extend type names, then shifted left."""
    unsigned = option & 4 == 0
    len_ = 8 << (option & 3)
    val = s.X(m, 64 if len_ == 64 else 32)
    part = Slice(val, len_ - 1, 0) if len_ < val.width else val
    ext = ZeroExtend(part, N) if unsigned else SignExtend(part, N)
    return LSL(ext, shift) if shift else ext


def LoadRegister(s, t: int, data: BV, regsize: int, signed: bool) -> None:
    """``X[t] = SignExtend(data, regsize)`` or ``ZeroExtend(data, regsize)``."""
    if data.width < regsize:
        data = SignExtend(data, regsize) if signed else ZeroExtend(data, regsize)
    s.set_X(t, data)


def SingleAccess(s, memop: str, t: int, address: BV, datasize: int, regsize: int = 64,
                 signed: bool = False, vector: bool = False) -> None:
    """The access part of the single-register load/store ASL (integer and SIMD&FP):

        STORE:    data = X[t] (V[t]); Mem[address, datasize DIV 8] = data
        LOAD:     data = Mem[address, datasize DIV 8];
                  X[t] = Sign/ZeroExtend(data, regsize)  (V[t] = data, zeroing the rest)
        PREFETCH: Prefetch(address, t) -- a hint with no architectural effect
    """
    nbytes = datasize // 8
    if memop == MemOp_PREFETCH:
        return
    if memop == MemOp_STORE:
        data = s.V(t, datasize) if vector else s.X(t, datasize)
        s.set_Mem(address, nbytes, data)
    else:
        data = s.Mem(address, nbytes)
        if vector:
            s.set_V(t, data)
        else:
            LoadRegister(s, t, data, regsize, signed)


def AddOffset(address: BV, offset: int) -> BV:
    """``address + offset`` for a decode-time offset (two's complement, 64 bits)."""
    return address + Const(offset, 64) if offset else address
