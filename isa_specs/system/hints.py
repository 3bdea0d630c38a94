"""Hints: NOP and the whole HINT space -- YIELD, WFE, WFI, SEV, SEVL, DGH,
ESB, PSB CSYNC, TSB CSYNC, CSDB, BTI (BTI, BTI C, BTI J, BTI JC), the
pointer-authentication hints XPACLRI, PACIA1716, PACIB1716, AUTIA1716,
AUTIB1716, PACIAZ, PACIASP, PACIBZ, PACIBSP, AUTIAZ, AUTIASP, AUTIBZ, AUTIBSP,
and every unallocated ``HINT #imm``.

ASL: aarch64/instrs/system/hints (HINT_HM_hints, NOP_HI_hints, YIELD_HI_hints,
WFE_HI_hints, CSDB_HI_hints, BTI_HB_hints, PACIASP_HI_hints, AUTIASP_HI_hints ...).

All of them execute with no architectural effect in this model:
- NOP, YIELD, DGH, CSDB, ESB, PSB, TSB and unallocated hints are NOPs.
- WFE, WFI, SEV, SEVL only affect scheduling and events between processors;
  a single-threaded user-mode model has nothing to wait for or signal.
- BTI: branch target checks (guarded pages, PSTATE.BTYPE) are not modelled.
- The PAC hints execute as the architecture specifies when pointer
  authentication is disabled (SCTLR_EL1.EnIA/EnIB == 0, or FEAT_PAuth not
  implemented): the register is left unchanged.  This matches QEMU run with
  ``-cpu max,pauth=off``.  Code that relies on real signatures therefore runs,
  but the signature check itself is not modelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.syntax import imm

NAMES = {0: "nop", 1: "yield", 2: "wfe", 3: "wfi", 4: "sev", 5: "sevl", 6: "dgh",
         7: "xpaclri", 8: "pacia1716", 10: "pacib1716", 12: "autia1716", 14: "autib1716",
         16: "esb", 17: "psb csync", 18: "tsb csync", 20: "csdb",
         24: "paciaz", 25: "paciasp", 26: "pacibz", 27: "pacibsp",
         28: "autiaz", 29: "autiasp", 30: "autibz", 31: "autibsp",
         32: "bti", 34: "bti c", 36: "bti j", 38: "bti jc"}


@dataclass(frozen=True, slots=True)
class Hint:
    op: int              # CRm:op2

    def execute(self, s):
        # every hint is architecturally a no-op in this model (see module docstring)
        return None

    def disasm(self, pc: int = 0) -> str:
        return NAMES.get(self.op, f"hint {imm(self.op)}")


@encoding("11010101000000110010 CRm:4 op2:3 11111")
def decode_hint(CRm, op2):
    return Hint(op=CRm << 3 | op2)
