"""Unconditional branch (register): BR, BLR, RET (RET defaults to X30).

ASL: aarch64/instrs/branch/unconditional/register (BR_64_branch_reg,
BLR_64_branch_reg, RET_64R_branch_reg).

Not modelled (Unimplemented): the pointer-authenticating forms BRAA, BRAAZ,
BRAB, BRABZ, BLRAA, BLRAAZ, BLRAB, BLRABZ, RETAA, RETAB, and ERET, ERETAA,
ERETAB, DRPS (exception return, not available at EL0).  Branch target
identification (BTI guarded pages) is not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.syntax import gpr
from lnsym.machine.asl import Const

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


@encoding("1101011 opc:4 11111 op3:6 Rn:5 op4:5")
def decode_branch_reg(opc, op3, Rn, op4):
    if opc <= 2 and op3 == 0 and op4 == 0:
        return BranchRegister(n=Rn, kind=KINDS[opc])
    if opc in (4, 5) and op3 == 0 and op4 == 0 and Rn == 31:
        raise Unimplemented("exception return (ERET/DRPS) is not available at EL0")
    if op3 in (2, 3) and opc in (0, 1, 2, 4, 8, 9):
        raise Unimplemented("pointer authentication branch (BRAA/BLRAA/RETAA/ERETAA ...) "
                            "not modelled")
    raise Unallocated("unallocated branch (register) encoding")
