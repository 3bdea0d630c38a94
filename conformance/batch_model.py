"""The model side on the batch backend (``lnsym conform --model batch``).

One case runs as two identical lanes of ``lnsym.backends.batch``: every
location is given as a per-lane array, so the instruction executes through
the numpy code paths (per-lane lines of memory, array limbs) rather than the
uniform-``int`` path.  Both lanes must agree; lane 0 is the outcome, in the
same form as ``model.run_case`` gives, so QEMU checks the batch backend's
compiled code the way it checks the other two models.
"""
from __future__ import annotations

import numpy as np

from isa_specs.errors import Unallocated
from lnsym.backends.batch.executor import STATE_LOCATIONS, BatchExecutor, initial_regs
from lnsym.backends.batch.memory import BatchMemory, uniform
from lnsym.backends.batch.terms import lane_ints
from lnsym.machine.memory import Memory, MemoryFault

from .harness import SCRATCH_BASE, SCRATCH_SIZE, Outcome

LANES = 2


def run_case_batch(case, pristine: bytes, pauth: str = "off") -> Outcome:
    from .model import cpu_state, state_of
    mem = Memory()
    mem.load(SCRATCH_BASE, pristine)
    mem.load(case.stub_addr, b"".join(w.to_bytes(4, "little") for w in case.words))
    c = cpu_state(case.state, case.start)
    start = c.locations()
    regs = initial_regs({loc: [start[loc]] * LANES for loc in STATE_LOCATIONS}, LANES)
    bm = BatchMemory.from_memory(mem, LANES)
    ex = BatchExecutor(mem, pauth)
    pc = case.start
    try:
        for _ in range((case.entry - case.start) // 4 + 1):   # prelude, then the instruction
            pc = uniform(ex.block_at(pc, single=True).fn(regs, bm))
            if type(pc) is not int:
                return Outcome(None, None, "lnsym error: the batch lanes took different paths", None)
    except MemoryFault as e:
        return Outcome(None, None, f"memory fault: {e}", None)
    except Unallocated as e:       # UNDEFINED here (e.g. PACIA without FEAT_PAuth)
        return Outcome(None, None, f"undefined: {e}", None)
    except Exception as e:  # noqa: BLE001  (a semantics bug: this case's outcome, as in model.py)
        return Outcome(None, None, f"lnsym error: {type(e).__name__}: {e}", None)
    for loc in STATE_LOCATIONS:
        v0, v1 = lane_ints(regs[loc], LANES)
        if v0 != v1:
            return Outcome(None, None, f"lnsym error: the batch lanes disagree on {loc}", None)
        c.set(loc, v0)
    c.pc = pc
    c.x[28] = case.state.x[28]      # X28: the harness's register, not compared
    rows = bm.read_bytes(SCRATCH_BASE, SCRATCH_SIZE)
    if not np.array_equal(rows[0], rows[1]):
        return Outcome(None, None, "lnsym error: the batch lanes disagree on memory", None)
    scratch = rows[0].tobytes()
    if scratch == pristine:
        scratch = None
    delta = c.pc - case.entry
    slot = delta // 4 if delta % 4 == 0 else None
    return Outcome(state_of(c), slot, None, scratch)
