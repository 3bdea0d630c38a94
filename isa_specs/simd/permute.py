"""Advanced SIMD permute: UZP1, UZP2, TRN1, TRN2, ZIP1, ZIP2.

ASL: aarch64/instrs/vector/transfer/vector/permute/unzip (UZP1_asimdperm_only, UZP2_...),
aarch64/instrs/vector/transfer/vector/permute/transpose (TRN1_..., TRN2_...),
aarch64/instrs/vector/transfer/vector/permute/zip (ZIP1_..., ZIP2_...).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.syntax import vreg
from lnsym.machine.asl import Concat, Elem, Vector

SUFFIX = {8: "b", 16: "h", 32: "s", 64: "d"}
# opcode -> (operation, part)
OPCODES = {0b001: ("uzp", 0), 0b010: ("trn", 0), 0b011: ("zip", 0),
           0b101: ("uzp", 1), 0b110: ("trn", 1), 0b111: ("zip", 1)}


@dataclass(frozen=True, slots=True)
class SimdPermute:
    d: int
    n: int
    m: int
    esize: int
    datasize: int
    op: str          # "uzp", "trn" or "zip"
    part: int        # 0 for *1, 1 for *2

    def execute(self, s):
        # ASL not modelled: CheckFPAdvSIMDEnabled64() (the FP/SIMD unit is always enabled)
        operand1 = s.V(self.n, self.datasize)
        operand2 = s.V(self.m, self.datasize)
        es = self.esize
        elements = self.datasize // es
        pairs = elements // 2
        result = []
        if self.op == "uzp":
            zipped = Concat(operand2, operand1)
            result = [Elem(zipped, 2 * e + self.part, es) for e in range(elements)]
        elif self.op == "trn":
            for p in range(pairs):
                result.append(Elem(operand1, 2 * p + self.part, es))
                result.append(Elem(operand2, 2 * p + self.part, es))
        else:
            base = self.part * pairs
            for p in range(pairs):
                result.append(Elem(operand1, base + p, es))
                result.append(Elem(operand2, base + p, es))
        s.set_V(self.d, Vector(result, es))

    def disasm(self, pc: int = 0) -> str:
        arr = f"{self.datasize // self.esize}{SUFFIX[self.esize]}"
        return (f"{self.op}{self.part + 1} {vreg(self.d, arr)}, {vreg(self.n, arr)}, "
                f"{vreg(self.m, arr)}")


@encoding("0 Q:1 001110 size:2 0 Rm:5 0 opcode:3 10 Rn:5 Rd:5")
def decode_simd_permute(Q, size, Rm, opcode, Rn, Rd):
    if opcode not in OPCODES:
        raise Unallocated("permute opcode 000/100 is unallocated")
    if size == 3 and Q == 0:
        raise Unallocated("permute .1d is reserved")
    op, part = OPCODES[opcode]
    return SimdPermute(d=Rd, n=Rn, m=Rm, esize=8 << size, datasize=64 << Q, op=op, part=part)
