"""Advanced SIMD scalar two-register miscellaneous (integer).

Mnemonics: SUQADD, USQADD, SQABS, SQNEG (b/h/s/d), CMGT, CMGE, CMEQ, CMLE, CMLT (zero),
ABS, NEG (d only), SQXTN, UQXTN, SQXTUN (b/h/s result).  The floating-point forms of
this class raise Unimplemented.

ASL: aarch64/instrs/vector/arithmetic/unary/{add-saturating/*, diffneg-int, diffneg-sat,
cmp/int/lessthan, cmp/int/bulk, extract-sat/*} with scalar = TRUE.

The lane operations are those of the vector class (isa_specs.simd.two_reg_misc).
FPSR.QC is not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.simd.two_reg_misc import OPS, SatAccumulate, narrow
from isa_specs.syntax import scalar_reg

ANY, D, NOD = "any", "d", "nod"
SCALAR_OPS = {
    (0, 0x03): ANY, (1, 0x03): ANY, (0, 0x07): ANY, (1, 0x07): ANY,
    (0, 0x08): D, (1, 0x08): D, (0, 0x09): D, (1, 0x09): D, (0, 0x0A): D,
    (0, 0x0B): D, (1, 0x0B): D, (1, 0x12): NOD, (0, 0x14): NOD, (1, 0x14): NOD,
}


@dataclass(frozen=True, slots=True)
class SimdScalarTwoRegMisc:
    d: int
    n: int
    esize: int           # the result's size
    U: int
    opcode: int

    def execute(self, s):
        name, kind, _, fn = OPS[self.U, self.opcode]
        e = self.esize
        if kind == "narrow":
            result = narrow(name, s.V(self.n, 2 * e), e)
        elif kind == "acc":
            result = SatAccumulate(s.V(self.d, e), s.V(self.n, e), fn)
        else:
            result = fn(s.V(self.n, e))
        s.set_V(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        name, kind, _, _ = OPS[self.U, self.opcode]
        e = self.esize
        src = scalar_reg(self.n, 2 * e if kind == "narrow" else e)
        text = f"{name} {scalar_reg(self.d, e)}, {src}"
        return text + ", #0" if kind == "cmp0" else text


@encoding("01 U:1 11110 size:2 10000 opcode:5 10 Rn:5 Rd:5")
def decode_simd_scalar_two_reg_misc(U, size, opcode, Rn, Rd):
    sizes = SCALAR_OPS.get((U, opcode))
    if sizes is None:
        if opcode >= 0x0C:
            raise Unimplemented("floating-point arithmetic is out of scope")
        raise Unallocated("unallocated Advanced SIMD scalar two-register misc opcode")
    if (sizes == D and size != 3) or (sizes == NOD and size == 3):
        raise Unallocated("reserved size for this scalar two-register misc instruction")
    return SimdScalarTwoRegMisc(d=Rd, n=Rn, esize=8 << size, U=U, opcode=opcode)
