"""Advanced SIMD across lanes (integer): ADDV, SMAXV, UMAXV, SMINV, UMINV, SADDLV, UADDLV.

The floating-point reductions of this class (FMAXV, FMINV, FMAXNMV, FMINNMV) raise
Unimplemented.

ASL: aarch64/instrs/vector/reduce/{add-simd, int-max, add-long}.  The ASL's ``Reduce``
combines halves recursively; addition modulo 2^N, max and min are associative and
commutative, so a balanced tree over the elements gives the same value.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.vector import Elements, Extend, Max, Min, arrangement

OPS = {
    (0, 0x03): "saddlv", (1, 0x03): "uaddlv", (0, 0x0A): "smaxv", (1, 0x0A): "umaxv",
    (0, 0x1A): "sminv", (1, 0x1A): "uminv", (0, 0x1B): "addv",
}
FP_OPCODES = (0x0C, 0x0F)


def Reduce(fn, xs: list):
    """Balanced combination of the elements with the binary ``fn`` (ASL ``Reduce``)."""
    while len(xs) > 1:
        xs = [fn(xs[i], xs[i + 1]) for i in range(0, len(xs), 2)]
    return xs[0]


@dataclass(frozen=True, slots=True)
class SimdAcrossLanes:
    d: int
    n: int
    esize: int
    datasize: int
    name: str

    def execute(self, s):
        e = self.esize
        lanes = Elements(s.V(self.n, self.datasize), e)
        unsigned = self.name[0] == "u"
        if self.name in ("saddlv", "uaddlv"):
            result = Reduce(lambda a, b: a + b, [Extend(x, 2 * e, unsigned) for x in lanes])
        elif self.name == "addv":
            result = Reduce(lambda a, b: a + b, lanes)
        elif self.name.endswith("maxv"):
            result = Reduce(lambda a, b: Max(a, b, unsigned), lanes)
        else:
            result = Reduce(lambda a, b: Min(a, b, unsigned), lanes)
        s.set_V(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        e = self.esize
        rbits = 2 * e if self.name.endswith("addlv") else e
        reg = {8: "b", 16: "h", 32: "s", 64: "d"}[rbits]
        return f"{self.name} {reg}{self.d}, v{self.n}.{arrangement(e, self.datasize)}"


@encoding("0 Q:1 U:1 01110 size:2 11000 opcode:5 10 Rn:5 Rd:5")
def decode_simd_across_lanes(Q, U, size, opcode, Rn, Rd):
    if opcode in FP_OPCODES:
        raise Unimplemented("floating-point arithmetic is out of scope")
    name = OPS.get((U, opcode))
    if name is None:
        raise Unallocated("unallocated Advanced SIMD across-lanes opcode")
    if size == 3 or (size == 2 and not Q):
        raise Unallocated(f"{name}: reserved size/Q combination")
    return SimdAcrossLanes(d=Rd, n=Rn, esize=8 << size, datasize=128 if Q else 64, name=name)
