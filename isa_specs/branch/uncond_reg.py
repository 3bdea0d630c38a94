"""Unconditional branch (register): BR, BLR, RET (RET defaults to X30), and the
pointer-authenticating forms BRAA, BRAAZ, BRAB, BRABZ, BLRAA, BLRAAZ, BLRAB,
BLRABZ, RETAA, RETAB.

ASL: aarch64/instrs/branch/unconditional/register (BR_64_branch_reg,
BLR_64_branch_reg, RET_64R_branch_reg, BRAA_64P_branch_reg, BLRAAZ_64_branch_reg,
RETAA_64E_branch_reg ...).

The authenticating forms branch to ``Auth(Xn, modifier)`` (``lnsym.terms.pauth``;
modifier Xm|SP, zero for the Z forms, SP for RETAx) when pointer authentication
is on; a failed authentication branches to the error pointer (no FEAT_FPAC,
as QEMU 7.2 ``-cpu max``), which is never mapped.  With ``pauth = "off"`` they
are UNDEFINED (``Unallocated`` when executed).  Not modelled (Unimplemented):
ERET, ERETAA, ERETAB, DRPS (exception return, not available at EL0).  Branch
target identification (BTI guarded pages) is not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.syntax import gpr
from lnsym.machine.asl import Const, Zeros
from lnsym.terms.pauth import pac_auth

KINDS = ("br", "blr", "ret")


@dataclass(frozen=True, slots=True)
class BranchRegister:
    n: int
    kind: str           # "br" (BranchType_INDIR), "blr" (INDCALL), "ret" (RET)

    def execute(self, s):
        target = s.X(self.n, 64)
        if self.kind == "blr":
            s.set_X(30, s.PC() + Const(4, 64))
        s.BranchTo(target)

    def disasm(self, pc: int = 0) -> str:
        if self.kind == "ret" and self.n == 30:
            return "ret"
        return f"{self.kind} {gpr(self.n, 64)}"


@dataclass(frozen=True, slots=True)
class BranchAuthenticated:
    n: int
    m: int              # modifier register (31: SP); None: zero (the Z forms)
    kind: str           # "br", "blr" or "ret"
    key: str            # "a" or "b"

    def execute(self, s):
        if getattr(s, "pauth", "on") == "off":
            raise Unallocated("UNDEFINED without FEAT_PAuth (pauth=off)")
        modifier = Zeros(64) if self.m is None else s.SP() if self.m == 31 else s.X(self.m)
        target = pac_auth(s.X(self.n, 64), modifier, "I" + self.key.upper())
        if self.kind == "blr":
            s.set_X(30, s.PC() + Const(4, 64))
        s.BranchTo(target)

    def disasm(self, pc: int = 0) -> str:
        if self.kind == "ret":
            return f"reta{self.key}"
        name = f"{self.kind}a{self.key}"
        if self.m is None:
            return f"{name}z {gpr(self.n, 64)}"
        return f"{name} {gpr(self.n, 64)}, {gpr(self.m, 64, sp=True)}"


def _decode_authenticated(opc, op3, Rn, op4):
    key = "ab"[op3 & 1]
    if opc in (0, 1) and op4 == 31:                               # BRAAZ, BLRAAZ ...
        return BranchAuthenticated(n=Rn, m=None, kind=KINDS[opc], key=key)
    if opc in (8, 9):                                             # BRAA, BLRAA ...
        return BranchAuthenticated(n=Rn, m=op4, kind=KINDS[opc - 8], key=key)
    if opc == 2 and Rn == 31 and op4 == 31:                       # RETAA, RETAB
        return BranchAuthenticated(n=30, m=31, kind="ret", key=key)
    if opc == 4:
        raise Unimplemented("exception return (ERETAA/ERETAB) is not available at EL0")
    raise Unallocated("unallocated branch (register) encoding")


@encoding("1101011 opc:4 11111 op3:6 Rn:5 op4:5")
def decode_branch_reg(opc, op3, Rn, op4):
    if opc <= 2 and op3 == 0 and op4 == 0:
        return BranchRegister(n=Rn, kind=KINDS[opc])
    if opc in (4, 5) and op3 == 0 and op4 == 0 and Rn == 31:
        raise Unimplemented("exception return (ERET/DRPS) is not available at EL0")
    if op3 in (2, 3) and opc in (0, 1, 2, 4, 8, 9):
        return _decode_authenticated(opc, op3, Rn, op4)
    raise Unallocated("unallocated branch (register) encoding")
