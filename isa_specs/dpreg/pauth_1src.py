"""Pointer authentication, data-processing (1 source) forms: PACIA, PACIB, PACDA,
PACDB, AUTIA, AUTIB, AUTDA, AUTDB (modifier Xn|SP), PACIZA ... AUTDZB (modifier
zero), XPACI, XPACD.

ASL: aarch64/instrs/integer/pac/pacia, .../autia, .../strip (PACIA_64P_dp_1src,
PACIZA_64Z_dp_1src, AUTDB_64P_dp_1src, XPACI_64Z_dp_1src ...).  Decoded from
``isa_specs.dpreg.dp_1src`` (sf = 1, S = 0, opcode2 = 00001).

With pointer authentication on (the state's ``pauth``, see
``lnsym.machine.lift``) they are AddPAC, Auth and Strip of ``lnsym.terms.pauth``
(instruction and data keys behave alike: Linux sets TBI0 for both).  Without
FEAT_PAuth (``pauth = "off"``) they are UNDEFINED: executing one raises
``Unallocated``, as QEMU ``-cpu max,pauth=off`` raises SIGILL.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.errors import Unallocated
from isa_specs.syntax import gpr
from lnsym.machine.asl import Zeros
from lnsym.terms.pauth import pac_add, pac_auth, strip

KEYS = ("ia", "ib", "da", "db")


@dataclass(frozen=True, slots=True)
class PointerAuth:
    kind: str            # "pac", "aut" or "xpac"
    key: str             # "ia", "ib", "da", "db"; "i"/"d" for xpac
    zero: bool           # the Z forms: modifier zero
    d: int
    n: int

    def execute(self, s):
        if getattr(s, "pauth", "on") == "off":
            raise Unallocated("UNDEFINED without FEAT_PAuth (pauth=off)")
        if self.kind == "xpac":
            s.set_X(self.d, strip(s.X(self.d)))
            return
        modifier = Zeros(64) if self.zero else s.SP() if self.n == 31 else s.X(self.n)
        f = pac_add if self.kind == "pac" else pac_auth
        s.set_X(self.d, f(s.X(self.d), modifier, self.key.upper()))

    def disasm(self, pc: int = 0) -> str:
        if self.kind == "xpac":
            return f"xpac{self.key} {gpr(self.d, 64)}"
        if self.zero:
            return f"{self.kind}{self.key[0]}z{self.key[1]} {gpr(self.d, 64)}"
        return f"{self.kind}{self.key} {gpr(self.d, 64)}, {gpr(self.n, 64, sp=True)}"


def decode_pauth(opcode: int, Rn: int, Rd: int) -> PointerAuth:
    """opcode 0-7: PAC/AUT with Xn|SP; 8-15: the Z forms (Rn = 11111); 16, 17: XPACI/D."""
    if opcode >= 8 and Rn != 31:
        raise Unallocated("pointer authentication Z form with Rn != 11111")
    if opcode >= 16:
        return PointerAuth("xpac", "di"[opcode == 16], False, Rd, Rn)
    kind = "pac" if opcode & 4 == 0 else "aut"
    return PointerAuth(kind, KEYS[opcode & 3], opcode >= 8, Rd, Rn)
