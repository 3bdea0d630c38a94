"""SM4 instructions: SM4E (two-register SHA512 class, opcode 01) and SM4EKEY
(three-register SHA512 class, O = 1, opcode 10).

ASL: aarch64/instrs/vector/crypto/sm4/sm4enc (SM4E_VV4_cryptosha512_2),
.../sm4enckey (SM4EKEY_VVV4_cryptosha512_3).
Encodings: 11001110 11000000 1000 01 Rn Rd; 11001110 011 Rm 1 1 00 10 Rn Rd.

The ASL ``Sbox`` is the SM4 S-box (GB/T 32907-2016 6.2), a 256-entry table.  It is
derived here from its algebraic structure rather than typed in: S(x) = A(I(A x + C)) + C
where I is inversion in GF(2^8) modulo x^8+x^7+x^6+x^5+x^4+x^2+1, A is the circulant
bit matrix whose row i is 0xA7 rotated left by i, and C = 0xD3; the tests check it
against the standard's table entries and its encryption example.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.pseudocode.aes import gf_inverse
from isa_specs.syntax import vreg
from lnsym.machine.asl import BV, ROL, Concat, Elem, Lookup, Slice, Vector

# ASL "if !IsFeatureImplemented(FEAT_SM4) then UNDEFINED;" -- assumed present.

SM4_POLY = 0x1F5


def _affine(x: int) -> int:
    y = 0
    for i in range(8):
        row = ((0xA7 << i) | (0xA7 >> (8 - i))) & 0xFF
        y |= (bin(row & x).count("1") & 1) << i
    return y ^ 0xD3


SM4_SBOX: tuple = tuple(_affine(gf_inverse(_affine(x), SM4_POLY)) for x in range(256))


def Sbox(x: BV) -> BV:
    """The SM4 S-box on one byte."""
    return Lookup(SM4_SBOX, x, 8)


def _sub_word(x: BV) -> BV:
    return Vector([Sbox(Elem(x, i, 8)) for i in range(4)], 8)


def _rounds(state: BV, keys: BV, linear) -> BV:
    """Four SM4 rounds over the 32-bit words of ``state`` (element 0 = X0) with the
    round keys / constants ``keys`` (element 0 first), ``linear`` being L or L'."""
    for index in range(4):
        roundkey = Elem(keys, index, 32)
        intval = Slice(state, 127, 96) ^ Slice(state, 95, 64) ^ Slice(state, 63, 32) ^ roundkey
        intval = _sub_word(intval)
        intval = linear(intval) ^ Slice(state, 31, 0)
        state = Concat(intval, Slice(state, 127, 32))
    return state


def _L(x: BV) -> BV:
    return x ^ ROL(x, 2) ^ ROL(x, 10) ^ ROL(x, 18) ^ ROL(x, 24)


def _L_key(x: BV) -> BV:
    return x ^ ROL(x, 13) ^ ROL(x, 23)


@dataclass(frozen=True, slots=True)
class SM4Encode:
    """SM4E: four encryption rounds of Vd with the round keys in Vn."""
    d: int
    n: int

    def execute(self, s):
        s.set_V(self.d, _rounds(s.V(self.d), s.V(self.n), _L))

    def disasm(self, pc: int = 0) -> str:
        return f"sm4e {vreg(self.d, '4s')}, {vreg(self.n, '4s')}"


@dataclass(frozen=True, slots=True)
class SM4Key:
    """SM4EKEY: four round keys from the key words in Vn and the constants CK in Vm."""
    d: int
    n: int
    m: int

    def execute(self, s):
        s.set_V(self.d, _rounds(s.V(self.n), s.V(self.m), _L_key))

    def disasm(self, pc: int = 0) -> str:
        return f"sm4ekey {vreg(self.d, '4s')}, {vreg(self.n, '4s')}, {vreg(self.m, '4s')}"


@encoding("11001110 11000000 1000 01 Rn:5 Rd:5")
def decode_crypto_sm4e(Rn, Rd):
    return SM4Encode(d=Rd, n=Rn)


@encoding("11001110 011 Rm:5 1 1 00 10 Rn:5 Rd:5")
def decode_crypto_sm4ekey(Rm, Rn, Rd):
    return SM4Key(d=Rd, n=Rn, m=Rm)
