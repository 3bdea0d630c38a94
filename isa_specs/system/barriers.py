"""Barriers: DMB, DSB (including the SSBB and PSSBB aliases), ISB, SB, CLREX.

ASL: aarch64/instrs/system/barriers (DMB_BO_barriers, DSB_BO_barriers,
ISB_BI_barriers, SB_only_barriers, CLREX_BN_barriers).

In this single-threaded user-mode model, with one in-order observer of
memory, barriers order nothing that could be observed: they execute as no-ops.
CLREX clears the local exclusive monitor (``ClearExclusiveLocal``, see
``isa_specs.pseudocode.exclusive``).  DSB nXS (FEAT_XS) and TCOMMIT (FEAT_TME) are not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.exclusive import ClearExclusiveLocal
from isa_specs.syntax import imm

OPTIONS = {1: "oshld", 2: "oshst", 3: "osh", 5: "nshld", 6: "nshst", 7: "nsh",
           9: "ishld", 10: "ishst", 11: "ish", 13: "ld", 14: "st", 15: "sy"}
KINDS = {2: "clrex", 4: "dsb", 5: "dmb", 6: "isb", 7: "sb"}


@dataclass(frozen=True, slots=True)
class Barrier:
    kind: str
    CRm: int

    def execute(self, s):
        # barriers: no observable effect for a single in-order thread (module docstring)
        if self.kind == "clrex":
            ClearExclusiveLocal(s)

    def capstone_known_wrong(self, theirs: str | None) -> bool:
        """Capstone 5 prints DSB #12 as "dfb", which is no AArch64 instruction."""
        return self.kind == "dsb" and self.CRm == 12 and theirs == "dfb"

    def disasm(self, pc: int = 0) -> str:
        if self.kind == "sb":
            return "sb"
        if self.kind in ("clrex", "isb"):
            return self.kind if self.CRm == 15 else f"{self.kind} {imm(self.CRm)}"
        if self.kind == "dsb" and self.CRm in (0, 4):
            return "ssbb" if self.CRm == 0 else "pssbb"
        name = OPTIONS.get(self.CRm)
        return f"{self.kind} {name if name else imm(self.CRm)}"


@encoding("11010101000000110011 CRm:4 op2:3 11111")
def decode_barrier(CRm, op2):
    if op2 == 1 and CRm & 3 == 2:
        raise Unimplemented("DSB nXS (FEAT_XS) not modelled")
    if op2 == 3 and CRm == 0:
        raise Unimplemented("TCOMMIT (transactional memory) not modelled")
    if op2 not in KINDS or (op2 == 7 and CRm != 0):
        raise Unallocated("unallocated barrier encoding")
    return Barrier(kind=KINDS[op2], CRm=CRm)
