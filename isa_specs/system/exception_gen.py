"""Exception generating instructions: SVC, HVC, SMC, BRK, HLT, TCANCEL,
DCPS1, DCPS2, DCPS3 -- all Unimplemented.

ASL: aarch64/instrs/system/exceptions/runtime/svc, .../debug/breakpoint,
.../debug/halt, .../runtime/hvc, .../runtime/smc, .../debug/exception (DCPS).

They take an exception (a system call, a breakpoint ...) whose handling lies
outside a user-mode instruction-level model, so decoding one raises
Unimplemented("exception generating"); the encodings the Arm ARM leaves
unallocated raise Unallocated.
"""
from __future__ import annotations

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented

VALID = {(0, 1): "SVC", (0, 2): "HVC", (0, 3): "SMC", (1, 0): "BRK", (2, 0): "HLT",
         (3, 0): "TCANCEL", (5, 1): "DCPS1", (5, 2): "DCPS2", (5, 3): "DCPS3"}


@encoding("11010100 opc:3 imm16:16 op2:3 LL:2")
def decode_exception_generation(opc, imm16, op2, LL):
    name = VALID.get((opc, LL)) if op2 == 0 else None
    if name is None:
        raise Unallocated("unallocated exception generation encoding")
    raise Unimplemented(f"exception generating instruction ({name}) not modelled")
