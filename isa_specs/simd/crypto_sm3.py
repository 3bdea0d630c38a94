"""SM3 instructions: SM3PARTW1, SM3PARTW2 (three-register SHA512 class, O = 1) and
SM3TT1A, SM3TT1B, SM3TT2A, SM3TT2B (three-register imm2 class).  SM3SS1 is in
crypto_four_reg.py.

ASL: aarch64/instrs/vector/crypto/sm3/sm3partw1 (SM3PARTW1_VVV4_cryptosha512_3),
.../sm3partw2 (SM3PARTW2_VVV4_cryptosha512_3), .../sm3tt1a (SM3TT1A_VVV4_crypto3_imm2),
.../sm3tt1b, .../sm3tt2a, .../sm3tt2b.
Encodings: 11001110 011 Rm 1 1 00 opcode:2 Rn Rd (opcode 00, 01);
11001110 010 Rm 10 imm2:2 opcode:2 Rn Rd.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.syntax import vreg
from lnsym.machine.asl import BV, ROL, Concat, Elem, Slice, Vector

# ASL "if !IsFeatureImplemented(FEAT_SM3) then UNDEFINED;" -- assumed present.


def _p1_step(x: BV) -> BV:
    return x ^ ROL(x, 15) ^ ROL(x, 23)


@dataclass(frozen=True, slots=True)
class SM3PartW1:
    d: int
    n: int
    m: int

    def execute(self, s):
        Vm, Vn, Vd = s.V(self.m), s.V(self.n), s.V(self.d)
        dn = Vd ^ Vn
        result = [Elem(dn, i, 32) ^ ROL(Elem(Vm, i + 1, 32), 15) for i in range(3)]
        result = [_p1_step(r) for r in result]
        top = Elem(dn, 3, 32) ^ ROL(result[0], 15)
        result.append(_p1_step(top))
        s.set_V(self.d, Vector(result, 32))

    def disasm(self, pc: int = 0) -> str:
        return f"sm3partw1 {vreg(self.d, '4s')}, {vreg(self.n, '4s')}, {vreg(self.m, '4s')}"


@dataclass(frozen=True, slots=True)
class SM3PartW2:
    d: int
    n: int
    m: int

    def execute(self, s):
        Vm, Vn, Vd = s.V(self.m), s.V(self.n), s.V(self.d)
        tmp = Vn ^ Vector([ROL(Elem(Vm, i, 32), 7) for i in range(4)], 32)
        result = Vd ^ tmp
        tmp2 = ROL(Slice(tmp, 31, 0), 15)
        tmp2 = tmp2 ^ ROL(tmp2, 15) ^ ROL(tmp2, 23)
        result = Concat(Slice(result, 127, 96) ^ tmp2, Slice(result, 95, 0))
        s.set_V(self.d, result)

    def disasm(self, pc: int = 0) -> str:
        return f"sm3partw2 {vreg(self.d, '4s')}, {vreg(self.n, '4s')}, {vreg(self.m, '4s')}"


@dataclass(frozen=True, slots=True)
class SM3TT:
    """SM3TT1A/SM3TT1B (part 1: the A..D half) and SM3TT2A/SM3TT2B (part 2: E..H)."""
    d: int
    n: int
    m: int
    i: int
    part: int        # 1 or 2
    b_form: bool     # the B variants use the majority / choose functions

    def execute(self, s):
        Vm, Vn, Vd = s.V(self.m), s.V(self.n), s.V(self.d)
        WjPrime = Elem(Vm, self.i, 32)
        x3, x2, x1, x0 = (Slice(Vd, 127, 96), Slice(Vd, 95, 64), Slice(Vd, 63, 32),
                          Slice(Vd, 31, 0))
        if self.part == 1:
            SS2 = Slice(Vn, 127, 96) ^ ROL(x3, 12)
            if self.b_form:
                TT1 = (x3 & x1) | (x3 & x2) | (x1 & x2)
            else:
                TT1 = x1 ^ (x3 ^ x2)
            TT1 = TT1 + x0 + SS2 + WjPrime
            s.set_V(self.d, Concat(TT1, x3, ROL(x2, 9), x1))
        else:
            if self.b_form:
                TT2 = (x3 & x2) | (~x3 & x1)
            else:
                TT2 = x1 ^ (x3 ^ x2)
            TT2 = TT2 + x0 + Slice(Vn, 127, 96) + WjPrime
            s.set_V(self.d, Concat(TT2 ^ ROL(TT2, 9) ^ ROL(TT2, 17), x3, ROL(x2, 19), x1))

    def disasm(self, pc: int = 0) -> str:
        mnemonic = f"sm3tt{self.part}{'b' if self.b_form else 'a'}"
        return f"{mnemonic} {vreg(self.d, '4s')}, {vreg(self.n, '4s')}, v{self.m}.s[{self.i}]"


@encoding("11001110 011 Rm:5 1 1 00 0 opcode:1 Rn:5 Rd:5")
def decode_crypto_sm3partw(Rm, opcode, Rn, Rd):
    return (SM3PartW1, SM3PartW2)[opcode](d=Rd, n=Rn, m=Rm)


@encoding("11001110 010 Rm:5 10 imm2:2 opcode:2 Rn:5 Rd:5")
def decode_crypto_sm3tt(Rm, imm2, opcode, Rn, Rd):
    return SM3TT(d=Rd, n=Rn, m=Rm, i=imm2, part=1 + (opcode >> 1), b_form=bool(opcode & 1))
