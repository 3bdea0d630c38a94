"""The model side: one case through lnsym's concrete backend.

The case's stub words (landing slots and the instruction under test) and the
batch's scratch buffer are mapped at the same addresses the harness uses,
the input state is loaded and exactly one instruction runs, with one of two
backends over the same lifted summary: ``eval`` (default; the summary's
terms evaluated with ``lnsym.evaluate``, memory accesses in program order,
no compilation: fast for words seen once) or ``exec``
(``lnsym.concrete.Executor.step``, the compiled-block backend real runs use).  The result is an ``Outcome`` like the harness's: the
state, the landing slot reached (``(pc - entry) / 4``) or the fault.
A case with a prelude (``case.start`` before ``case.entry``: the load-exclusive
before a store-exclusive, the monitor sequences of ``conformance.monitor``)
runs the prelude too, as the harness does, and leaves X28 (the harness's
register, which preludes may write) at its input value.  ``pauth`` is the
pointer authentication mode: "off" as QEMU runs the encodings
(``harness.QEMU_CPU``), "on" for the ``conformance.pauth`` classes.
"""
from __future__ import annotations

from isa_specs.errors import Unallocated
from lnsym.backends.concrete import CpuState, Executor
from lnsym.machine.lift import lift
from lnsym.machine.memory import Memory, MemoryFault
from lnsym.terms.evaluate import evaluate

from .harness import SCRATCH_BASE, SCRATCH_SIZE, Outcome, State


def cpu_state(st: State, pc: int) -> CpuState:
    c = CpuState()
    c.x[:31] = st.x
    c.x[31] = st.sp
    c.v = list(st.v)
    c.nzcv = st.nzcv
    c.pc = pc
    return c


def state_of(c: CpuState) -> State:
    return State(list(c.x[:31]), c.x[31], c.nzcv, list(c.v))


def step_eval(mem: Memory, c: CpuState, pauth: str = "off") -> None:
    """One instruction: the lifted summary evaluated on ``c`` and ``mem``."""
    pc = c.pc
    s = lift(mem.read(pc, 4), pc, pauth)
    env = c.locations()
    memo: dict = {}
    choices = dict(s.choices or {})     # QEMU's outcome, once the loads are in env
    for op in s.mem:
        addr = evaluate(op.addr, env, memo)
        if op.kind == "r":
            env[op.value.params[0]] = mem.read(addr, op.size, pc)
        else:
            for choice, concrete in choices.items():
                env[choice.params[0]] = evaluate(concrete, env)
            choices.clear()
            mem.write(addr, op.size, evaluate(op.value, env, memo), pc)
    for choice, concrete in choices.items():
        env[choice.params[0]] = evaluate(concrete, env)
    new = {loc: evaluate(t, env, memo) for loc, t in s.writes.items()}
    for loc, v in new.items():
        c.set(loc, v)
    c.pc = evaluate(s.next_pc, env, memo) if s.next_pc is not None else pc + 4


def run_case(case, pristine: bytes, backend: str = "eval", pauth: str = "off") -> Outcome:
    """Execute ``case`` (a ``generate.Case``) on the model.

    A memory fault is an outcome (the harness faults too); other execution
    errors (an unimplemented instruction) propagate.
    """
    if backend == "batch":
        from .batch_model import run_case_batch
        return run_case_batch(case, pristine, pauth)
    mem = Memory()
    mem.load(SCRATCH_BASE, pristine)
    mem.load(case.stub_addr, b"".join(w.to_bytes(4, "little") for w in case.words))
    c = cpu_state(case.state, case.start)
    try:
        for _ in range((case.entry - case.start) // 4 + 1):   # prelude, then the instruction
            if backend == "exec":
                Executor(mem, pauth).step(c)
            else:
                step_eval(mem, c, pauth)
        c.x[28] = case.state.x[28]      # X28: the harness's register, not compared
    except MemoryFault as e:
        return Outcome(None, None, f"memory fault: {e}", None)
    except Unallocated as e:       # UNDEFINED here (e.g. PACIA without FEAT_PAuth)
        return Outcome(None, None, f"undefined: {e}", None)
    except Exception as e:         # a semantics bug: report it as this case's outcome
        return Outcome(None, None, f"lnsym error: {type(e).__name__}: {e}", None)
    scratch = mem.read_bytes(SCRATCH_BASE, SCRATCH_SIZE)
    if scratch == pristine:
        scratch = None
    delta = c.pc - case.entry
    slot = delta // 4 if delta % 4 == 0 else None
    return Outcome(state_of(c), slot, None, scratch)


def _copy(st: State) -> State:
    return State(list(st.x), st.sp, st.nzcv, list(st.v))


FIELDS = [f"x{i}" for i in range(31)] + ["sp", "nzcv"] + [f"v{i}" for i in range(32)]


def compare(model: Outcome, real: Outcome, pristine: bytes, observe=None) -> list:
    """Differences as (field, model value, real value); [] when they agree.

    A ``scratch`` of None stands for the unchanged (``pristine``) buffer.
    ``observe`` (a case's, e.g. the PAuth classes') maps each final state to
    what the architecture determines before they are compared."""
    if observe is not None and model.state is not None and real.state is not None:
        model = Outcome(observe(_copy(model.state)), model.slot, model.fault, model.scratch)
        real = Outcome(observe(_copy(real.state)), real.slot, real.fault, real.scratch)
    if model.fault or real.fault:
        # a model memory fault agrees with SIGSEGV/SIGBUS, not with SIGILL (QEMU
        # finding the word undefined) or any other signal
        if (model.fault and model.fault.startswith("memory fault") and real.fault
                and real.fault.startswith(("SIGSEGV", "SIGBUS"))):
            return []
        # an instruction the model finds UNDEFINED agrees with SIGILL
        if (model.fault and model.fault.startswith("undefined") and real.fault
                and real.fault.startswith("SIGILL")):
            return []
        return [("fault", model.fault, real.fault)]
    diffs = []
    m, r = model.state, real.state
    if m.x != r.x or m.v != r.v or m.sp != r.sp or m.nzcv != r.nzcv:
        md, rd = m.as_dict(), r.as_dict()
        diffs = [(f, md[f], rd[f]) for f in FIELDS if md[f] != rd[f]]
    if model.slot != real.slot:
        diffs.append(("pc", model.slot, real.slot))
    if model.scratch != real.scratch:
        ms = model.scratch if model.scratch is not None else pristine
        rs = real.scratch if real.scratch is not None else pristine
        for i in range(0, SCRATCH_SIZE, 8):
            a, b = ms[i:i + 8], rs[i:i + 8]
            if a != b:
                diffs.append((f"mem[{SCRATCH_BASE + i:#x}]", int.from_bytes(a, "little"),
                              int.from_bytes(b, "little")))
    return diffs
