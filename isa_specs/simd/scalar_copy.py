"""Advanced SIMD scalar copy: DUP (element, scalar), always disassembled as its alias MOV
(scalar), e.g. ``mov d0, v1.d[1]``.

ASL: aarch64/instrs/vector/transfer/vector/cpydup/sisd (DUP_asisdone_only).
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated
from isa_specs.syntax import scalar_reg
from lnsym.machine.asl import Elem

SUFFIX = {8: "b", 16: "h", 32: "s", 64: "d"}


@dataclass(frozen=True, slots=True)
class DupElementScalar:
    d: int
    n: int
    index: int
    idxdsize: int
    esize: int

    def execute(self, s):
        # ASL not modelled: CheckFPAdvSIMDEnabled64() (the FP/SIMD unit is always enabled)
        # V[d] = Elem[operand, index, esize]: the write zero-extends to 128 bits
        s.set_V(self.d, Elem(s.V(self.n, self.idxdsize), self.index, self.esize))

    def disasm(self, pc: int = 0) -> str:
        return (f"mov {scalar_reg(self.d, self.esize)}, "
                f"v{self.n}.{SUFFIX[self.esize]}[{self.index}]")


@encoding("01 0 11110000 imm5:5 0 0000 1 Rn:5 Rd:5")
def decode_dup_element_scalar(imm5, Rn, Rd):
    size = next((i for i in range(4) if imm5 >> i & 1), 4)
    if size > 3:
        raise Unallocated("imm5 == x0000 is reserved")
    return DupElementScalar(d=Rd, n=Rn, index=imm5 >> (size + 1),
                            idxdsize=128 if imm5 >> 4 else 64, esize=8 << size)
