"""Move to/from a system register: MRS and MSR (register) of NZCV.

ASL: aarch64/instrs/system/register/system (MRS_RS_systemmove,
MSR_SR_systemmove), with AArch64.SysRegRead/Write specialised to NZCV
(op0=3, op1=3, CRn=4, CRm=2, op2=0):

    MRS: X[t] = ZeroExtend(PSTATE.<N,Z,C,V> : Zeros(28), 64)
    MSR: PSTATE.<N,Z,C,V> = X[t]<31:28>

Every other system register is Unimplemented: FPCR and FPSR are not part of
the modelled state, and the rest (TPIDR_EL0, counters, ID registers ...) are
outside what the model knows.  MSR (immediate) PSTATE-field writes and
SYS/SYSL (cache and TLB maintenance, DC ZVA ...) are Unimplemented as well.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.encoding import encoding
from isa_specs.errors import Unimplemented
from isa_specs.syntax import gpr
from lnsym.machine.asl import Concat, Slice, ZeroExtend, Zeros

NZCV = (3, 3, 4, 2, 0)
KNOWN = {(3, 3, 4, 4, 0): "FPCR", (3, 3, 4, 4, 1): "FPSR", (3, 3, 13, 0, 2): "TPIDR_EL0",
         (3, 3, 13, 0, 3): "TPIDRRO_EL0", (3, 3, 14, 0, 2): "CNTVCT_EL0",
         (3, 3, 14, 0, 0): "CNTFRQ_EL0", (3, 3, 4, 2, 1): "DAIF", (3, 3, 0, 0, 7): "DCZID_EL0",
         (3, 3, 0, 0, 1): "CTR_EL0"}


@dataclass(frozen=True, slots=True)
class MoveSystemRegisterNZCV:
    t: int
    read: bool           # MRS (L == 1)

    def execute(self, s):
        if self.read:
            s.set_X(self.t, ZeroExtend(Concat(s.NZCV(), Zeros(28)), 64))
        else:
            s.set_NZCV(Slice(s.X(self.t, 64), 31, 28))

    def disasm(self, pc: int = 0) -> str:
        rt = gpr(self.t, 64)
        return f"mrs {rt}, nzcv" if self.read else f"msr nzcv, {rt}"


@encoding("1101010100 L:1 1 o0:1 op1:3 CRn:4 CRm:4 op2:3 Rt:5")
def decode_sysreg_move(L, o0, op1, CRn, CRm, op2, Rt):
    key = (2 + o0, op1, CRn, CRm, op2)
    if key == NZCV:
        return MoveSystemRegisterNZCV(t=Rt, read=bool(L))
    name = KNOWN.get(key, "S{}_{}_C{}_C{}_{}".format(*key))
    reason = ("is not part of the modelled state" if name in ("FPCR", "FPSR")
              else "is not modelled (only NZCV is)")
    raise Unimplemented(f"{'MRS' if L else 'MSR'} of system register {name} {reason}")


@encoding("1101010100000 op1:3 0100 CRm:4 op2:3 11111")
def decode_msr_imm(op1, CRm, op2):
    raise Unimplemented("MSR (immediate): PSTATE field writes are not modelled")


@encoding("1101010100 L:1 01 op1:3 CRn:4 CRm:4 op2:3 Rt:5")
def decode_sys(L, op1, CRn, CRm, op2, Rt):
    raise Unimplemented("SYS/SYSL system instructions (cache/TLB maintenance, DC ZVA ...) "
                        "are not modelled")
