"""Advanced SIMD load/store structures: LD1-LD4 and ST1-ST4 (multiple structures, one to
four registers for LD1/ST1), LD1-LD4 and ST1-ST4 (single structure, one lane) and
LD1R-LD4R (load single structure and replicate), each with no offset, post-index by
immediate (Rm == 31: the offset is the number of bytes transferred) or by register.

ASL: aarch64/instrs/memory/vector/multiple/no-wb, aarch64/instrs/memory/vector/multiple/post-inc
(LD1_asisdlse_R1_1v ... ST4_asisdlsep_R4_r), aarch64/instrs/memory/vector/single/no-wb,
aarch64/instrs/memory/vector/single/post-inc (LD1_asisdlso_B1_1b ... LD4R_asisdlsop_RX4_r).
Memory is little-endian; LD2-LD4 de-interleave and ST2-ST4 interleave elements.  Tag
checking (tag_checked), alignment and single-copy atomicity are not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.syntax import gpr, imm
from lnsym.machine.asl import Concat, Const, Elem, Replicate, SetElem, Slice, Vector

SUFFIX = {8: "b", 16: "h", 32: "s", 64: "d"}
# opcode -> (rpt, selem) for multiple structures
MULTIPLE = {0b0000: (1, 4), 0b0010: (4, 1), 0b0100: (1, 3), 0b0110: (3, 1),
            0b0111: (1, 1), 0b1000: (1, 2), 0b1010: (2, 1)}


def _base(s, n):
    # ASL not modelled: CheckFPAdvSIMDEnabled64(); if n == 31 then CheckSPAlignment()
    return s.SP() if n == 31 else s.X(n)


def _writeback(s, n, m, address, total):
    """Post-index: Rm == 31 adds the number of bytes transferred, otherwise X[m]."""
    offs = Const(total, 64) if m == 31 else s.X(m)
    if n == 31:
        s.set_SP(address + offs)
    else:
        s.set_X(n, address + offs)


def _address_text(n, wback, m, total):
    text = f"[{gpr(n, 64, sp=True)}]"
    if wback:
        text += f", {imm(total)}" if m == 31 else f", {gpr(m, 64)}"
    return text


@dataclass(frozen=True, slots=True)
class SimdLoadStoreMultiple:
    t: int
    n: int
    m: int
    wback: bool
    load: bool
    datasize: int
    esize: int
    rpt: int
    selem: int

    def execute(self, s):
        address = _base(s, self.n)
        rbytes = self.datasize // 8
        elements = self.datasize // self.esize
        if self.selem == 1:
            # one register is `elements` consecutive elements: one access per register
            for r in range(self.rpt):
                tt = (self.t + r) % 32
                addr = address + Const(r * rbytes, 64)
                if self.load:
                    s.set_V(tt, s.Mem(addr, rbytes))    # V[tt] = rval zero-extends a 64-bit rval
                else:
                    s.set_Mem(addr, rbytes, s.V(tt, self.datasize))
        elif self.load:
            # the selem*elements elements in memory, element k = e*selem + s goes to
            # register t+s, element e
            chunks = [s.Mem(address + Const(i * rbytes, 64), rbytes) for i in range(self.selem)]
            block = Concat(*reversed(chunks))
            for sel in range(self.selem):
                lanes = [Elem(block, e * self.selem + sel, self.esize) for e in range(elements)]
                s.set_V((self.t + sel) % 32, Vector(lanes, self.esize))
        else:
            regs = [s.V((self.t + sel) % 32, self.datasize) for sel in range(self.selem)]
            block = Vector([Elem(regs[sel], e, self.esize)
                            for e in range(elements) for sel in range(self.selem)], self.esize)
            for i in range(self.selem):
                s.set_Mem(address + Const(i * rbytes, 64), rbytes,
                          Slice(block, (i + 1) * self.datasize - 1, i * self.datasize))
        if self.wback:
            _writeback(s, self.n, self.m, address, self.rpt * self.selem * rbytes)

    def disasm(self, pc: int = 0) -> str:
        arr = f"{self.datasize // self.esize}{SUFFIX[self.esize]}"
        regs = ", ".join(f"v{(self.t + i) % 32}.{arr}" for i in range(self.rpt * self.selem))
        total = self.rpt * self.selem * self.datasize // 8
        return (f"{'ld' if self.load else 'st'}{self.selem} {{{regs}}}, "
                f"{_address_text(self.n, self.wback, self.m, total)}")


@dataclass(frozen=True, slots=True)
class SimdLoadStoreSingle:
    t: int
    n: int
    m: int
    wback: bool
    load: bool
    esize: int
    selem: int
    index: int
    replicate: bool
    datasize: int      # used by the replicate forms only

    def execute(self, s):
        address = _base(s, self.n)
        ebytes = self.esize // 8
        for sel in range(self.selem):
            t = (self.t + sel) % 32
            addr = address + Const(sel * ebytes, 64)
            if self.replicate:
                element = s.Mem(addr, ebytes)
                s.set_V(t, Replicate(element, self.datasize // self.esize))
            elif self.load:
                s.set_V(t, SetElem(s.V(t), self.index, self.esize, s.Mem(addr, ebytes)))
            else:
                s.set_Mem(addr, ebytes, Elem(s.V(t), self.index, self.esize))
        if self.wback:
            _writeback(s, self.n, self.m, address, self.selem * ebytes)

    def disasm(self, pc: int = 0) -> str:
        total = self.selem * self.esize // 8
        addr = _address_text(self.n, self.wback, self.m, total)
        if self.replicate:
            arr = f"{self.datasize // self.esize}{SUFFIX[self.esize]}"
            regs = ", ".join(f"v{(self.t + i) % 32}.{arr}" for i in range(self.selem))
            return f"ld{self.selem}r {{{regs}}}, {addr}"
        sfx = SUFFIX[self.esize]
        regs = ", ".join(f"v{(self.t + i) % 32}.{sfx}" for i in range(self.selem))
        return f"{'ld' if self.load else 'st'}{self.selem} {{{regs}}}[{self.index}], {addr}"


def _multiple(Q, L, opcode, size, Rn, Rt, Rm, wback):
    if opcode not in MULTIPLE:
        raise Unallocated("unallocated load/store multiple structures opcode")
    rpt, selem = MULTIPLE[opcode]
    if size == 3 and Q == 0 and selem != 1:
        raise Unallocated(".1d is only permitted with LD1/ST1")
    return SimdLoadStoreMultiple(t=Rt, n=Rn, m=Rm, wback=wback, load=bool(L),
                                 datasize=64 << Q, esize=8 << size, rpt=rpt, selem=selem)


@encoding("0 Q:1 0011000 L:1 000000 opcode:4 size:2 Rn:5 Rt:5")
def decode_simd_ldst_multiple(Q, L, opcode, size, Rn, Rt):
    return _multiple(Q, L, opcode, size, Rn, Rt, 31, False)


@encoding("0 Q:1 0011001 L:1 0 Rm:5 opcode:4 size:2 Rn:5 Rt:5")
def decode_simd_ldst_multiple_post(Q, L, Rm, opcode, size, Rn, Rt):
    return _multiple(Q, L, opcode, size, Rn, Rt, Rm, True)


def _single(Q, L, R, opcode, S, size, Rn, Rt, Rm, wback):
    scale = opcode >> 1
    selem = ((opcode & 1) << 1 | R) + 1
    replicate = False
    index = 0
    if scale == 3:
        if L == 0 or S == 1:
            raise Unallocated("unallocated load single structure and replicate")
        scale = size
        replicate = True
    elif scale == 0:
        index = Q << 3 | S << 2 | size
    elif scale == 1:
        if size & 1:
            raise Unallocated("H lane with size<0> == 1 is unallocated")
        index = Q << 2 | S << 1 | size >> 1
    else:
        if size >> 1:
            raise Unallocated("S/D lane with size<1> == 1 is unallocated")
        if size == 0:
            index = Q << 1 | S
        else:
            if S:
                raise Unallocated("D lane with S == 1 is unallocated")
            index = Q
            scale = 3
    return SimdLoadStoreSingle(t=Rt, n=Rn, m=Rm, wback=wback, load=bool(L), esize=8 << scale,
                               selem=selem, index=index, replicate=replicate,
                               datasize=64 << Q)


@encoding("0 Q:1 0011010 L:1 R:1 00000 opcode:3 S:1 size:2 Rn:5 Rt:5")
def decode_simd_ldst_single(Q, L, R, opcode, S, size, Rn, Rt):
    return _single(Q, L, R, opcode, S, size, Rn, Rt, 31, False)


@encoding("0 Q:1 0011011 L:1 R:1 Rm:5 opcode:3 S:1 size:2 Rn:5 Rt:5")
def decode_simd_ldst_single_post(Q, L, R, Rm, opcode, S, size, Rn, Rt):
    return _single(Q, L, R, opcode, S, size, Rn, Rt, Rm, True)
