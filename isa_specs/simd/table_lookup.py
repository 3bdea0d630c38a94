"""Advanced SIMD table lookup: TBL and TBX with one to four table registers
(register numbers wrap modulo 32).

ASL: aarch64/instrs/vector/transfer/vector/table (TBL_asimdtbl_L1_1 ... TBX_asimdtbl_L4_4).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.syntax import vreg
from lnsym.machine.asl import ULT, Concat, Const, Elem, Vector, ZeroExtend, ite
from lnsym.terms.bv import lshr_var


@dataclass(frozen=True, slots=True)
class SimdTableLookup:
    d: int
    n: int
    m: int
    datasize: int
    regs: int
    is_tbl: bool

    def execute(self, s):
        # ASL not modelled: CheckFPAdvSIMDEnabled64() (the FP/SIMD unit is always enabled)
        elements = self.datasize // 8
        indices = s.V(self.m, self.datasize)
        # table<128*i+127:128*i> = V[(n + i) MOD 32]
        table = Concat(*[s.V((self.n + i) % 32) for i in reversed(range(self.regs))])
        tw = table.width
        old = None if self.is_tbl else s.V(self.d, self.datasize)
        result = []
        for i in range(elements):
            index = Elem(indices, i, 8)
            # Elem[table, index, 8] for a data-dependent index: shift right by 8*index
            shift = ZeroExtend(Concat(index, Const(0, 3)), tw)
            looked_up = lshr_var(table, shift)[7:0]
            otherwise = Const(0, 8) if self.is_tbl else Elem(old, i, 8)
            in_range = ULT(index, Const(16 * self.regs, 8))
            result.append(ite(in_range, looked_up, otherwise))
        s.set_V(self.d, Vector(result, 8))

    def disasm(self, pc: int = 0) -> str:
        arr = "16b" if self.datasize == 128 else "8b"
        lst = ", ".join(vreg((self.n + i) % 32, "16b") for i in range(self.regs))
        return (f"{'tbl' if self.is_tbl else 'tbx'} {vreg(self.d, arr)}, {{{lst}}}, "
                f"{vreg(self.m, arr)}")


@encoding("0 Q:1 001110 00 0 Rm:5 0 len:2 op:1 00 Rn:5 Rd:5")
def decode_simd_table_lookup(Q, Rm, len, op, Rn, Rd):
    return SimdTableLookup(d=Rd, n=Rn, m=Rm, datasize=64 << Q, regs=len + 1, is_tbl=op == 0)
