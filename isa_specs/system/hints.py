"""Hints: NOP and the whole HINT space -- YIELD, WFE, WFI, SEV, SEVL, DGH,
ESB, PSB CSYNC, TSB CSYNC, CSDB, BTI (BTI, BTI C, BTI J, BTI JC), the
pointer-authentication hints XPACLRI, PACIA1716, PACIB1716, AUTIA1716,
AUTIB1716, PACIAZ, PACIASP, PACIBZ, PACIBSP, AUTIAZ, AUTIASP, AUTIBZ, AUTIBSP,
and every unallocated ``HINT #imm``.

ASL: aarch64/instrs/system/hints (HINT_HM_hints, NOP_HI_hints, YIELD_HI_hints,
WFE_HI_hints, CSDB_HI_hints, BTI_HB_hints, PACIASP_HI_hints, AUTIASP_HI_hints,
XPACLRI_HI_hints ...).

- NOP, YIELD, DGH, CSDB, ESB, PSB, TSB and unallocated hints are NOPs.
- WFE, WFI, SEV, SEVL only affect scheduling and events between processors;
  a single-threaded user-mode model has nothing to wait for or signal.
- BTI: branch target checks (guarded pages, PSTATE.BTYPE) are not modelled.
- The PAC hints depend on the machine's pointer authentication mode (the
  state's ``pauth``, see ``lnsym.machine.lift``):
  * ``on`` (default): FEAT_PAuth enabled with unknown keys, as Linux runs a
    process on an Armv8.3 CPU: PAC* insert a PAC (``AddPAC``), AUT* check and
    remove it (``Auth``), XPACLRI strips it, with the address layout and the
    PAuth variant of ``lnsym.terms.pauth``;
  * ``off``: a CPU without FEAT_PAuth (QEMU ``-cpu max,pauth=off``): these
    hint encodings are NOPs, as the architecture specifies.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.syntax import imm
from lnsym.machine.asl import Zeros
from lnsym.terms.pauth import pac_add, pac_auth, strip

NAMES = {0: "nop", 1: "yield", 2: "wfe", 3: "wfi", 4: "sev", 5: "sevl", 6: "dgh",
         7: "xpaclri", 8: "pacia1716", 10: "pacib1716", 12: "autia1716", 14: "autib1716",
         16: "esb", 17: "psb csync", 18: "tsb csync", 20: "csdb",
         24: "paciaz", 25: "paciasp", 26: "pacibz", 27: "pacibsp",
         28: "autiaz", 29: "autiasp", 30: "autibz", 31: "autibsp",
         32: "bti", 34: "bti c", 36: "bti j", 38: "bti jc"}


# CRm:op2 -> (authenticate?, key, register, modifier: "x16", "sp" or "zero")
PAC_HINTS = {8: (False, "IA", 17, "x16"), 10: (False, "IB", 17, "x16"),
             12: (True, "IA", 17, "x16"), 14: (True, "IB", 17, "x16"),
             24: (False, "IA", 30, "zero"), 25: (False, "IA", 30, "sp"),
             26: (False, "IB", 30, "zero"), 27: (False, "IB", 30, "sp"),
             28: (True, "IA", 30, "zero"), 29: (True, "IA", 30, "sp"),
             30: (True, "IB", 30, "zero"), 31: (True, "IB", 30, "sp")}
XPACLRI = 7


@dataclass(frozen=True, slots=True)
class Hint:
    op: int              # CRm:op2

    def execute(self, s):
        if getattr(s, "pauth", "on") == "off":
            return                   # without FEAT_PAuth every hint is a NOP
        if self.op == XPACLRI:
            s.set_X(30, strip(s.X(30)))
            return
        pac = PAC_HINTS.get(self.op)
        if pac is None:
            return                   # no architectural effect (module docstring)
        authenticate, key, n, mod = pac
        modifier = s.X(16) if mod == "x16" else s.SP() if mod == "sp" else Zeros(64)
        f = pac_auth if authenticate else pac_add
        s.set_X(n, f(s.X(n), modifier, key))

    def disasm(self, pc: int = 0) -> str:
        return NAMES.get(self.op, f"hint {imm(self.op)}")


@encoding("11010101000000110010 CRm:4 op2:3 11111")
def decode_hint(CRm, op2):
    return Hint(op=CRm << 3 | op2)
