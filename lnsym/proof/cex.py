"""Counterexamples a person can read, replayed to confirm they are real.

``explain(session, env)`` takes a counterexample (variable name -> int, over
the routine's *inputs*, e.g. from a refuted goal or lemma whose variables are
the proof's inputs) and reports:

* the concrete inputs (registers and memory) realising it;
* every postcondition output: the implementation's value from a concrete run
  (lnsym's executor) and the spec's value (the spec term evaluated);
* the frame of that run: each preserved register (callee-saved, SP) at the
  return against its value at the entry;
* if the proof declares *checkpoints* (``proof.checkpoints(session)``: a list
  of ``Checkpoint``: at the n-th arrival at a PC, the locations to observe and
  the spec's values for them), the first checkpoint where they differ, and
  then -- when the object differs from the proof's listing -- the first
  executed instruction after which running the rest of the segment with the
  listing's code no longer reaches the spec's value: the instruction at which
  the implementation departs from the spec, with its disassembly;
* a replay under QEMU, through the trace recorder registered in
  ``lnsym.proof.replay`` (the CLI and ``proofs`` register ``conformance.trace``), when ``qemu-aarch64`` is there:
  QEMU's final outputs against lnsym's, confirming the divergence is real and
  not a modelling error.

``confirm_under_qemu(proof, image, results)`` does the same for a bounded
proof's refutation (``RoutineProof.check``): the all-lengths proofs run it on
the bounded instance that refutes them (``lnsym.proof.induction``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lnsym.backends.concrete import ExecutionError, Executor
from lnsym.backends.runner import RETURN_SENTINEL, prepare
from lnsym.machine.disasm import capstone_text
from lnsym.machine.memory import MemoryFault
from lnsym.proof.replay import NoReplay, run_recorded
from lnsym.proof.routine import RoutineProof, patched


@dataclass
class Checkpoint:
    """At the ``visit``-th arrival (0-based) at ``pc`` (offset from the symbol; None:
    the return), ``observe(cpu, memory) -> list[int]`` should equal ``expected``."""
    name: str
    pc: int
    visit: int
    observe: object
    expected: list


@dataclass
class Explanation:
    inputs: dict
    writes: list
    outputs: list = field(default_factory=list)      # (name, impl, spec)
    frame: list = field(default_factory=list)        # (name, at the return, at the entry)
    checkpoint: str = ""
    departure: str = ""
    qemu: str = ""
    confirmed: bool = False

    def __str__(self):
        lines = ["counterexample inputs:"]
        for k, v in self.inputs.items():
            if v:
                lines.append(f"  {k} = {v:#x}")
        for addr, data in self.writes:
            lines.append(f"  mem[{addr:#x}..+{len(data)}] = {data.hex()}")
        bad = [(n, a, b) for n, a, b in self.outputs if a != b]
        lines.append(f"outputs: {len(bad)} of {len(self.outputs)} differ "
                     f"(implementation run by lnsym vs spec):")
        for n, a, b in bad[:12]:
            lines.append(f"  {n}: implementation {a:#x}, spec {b:#x}")
        changed = [(n, a, b) for n, a, b in self.frame if a != b]
        if changed:
            lines.append(f"frame: {len(changed)} of {len(self.frame)} preserved register(s) "
                         f"changed by the concrete run:")
            lines += [f"  {n}: {b:#x} at the entry, {a:#x} at the return" for n, a, b in changed]
        if self.checkpoint:
            lines.append(self.checkpoint)
        if self.departure:
            lines.append(self.departure)
        if self.qemu:
            lines.append(self.qemu)
        lines.append("confirmed: the implementation departs from the spec" if self.confirmed
                     else "NOT confirmed: the concrete outputs agree with the spec")
        return "\n".join(lines)


def _output_value(proof, run_state, mem, where, bases, st):
    if where[0] == "mem":
        r = st.mem.region(where[1])
        addr = bases[r.anchor.params[0]] if r.anchor.op != "const" else r.anchor.params[0]
        return int.from_bytes(mem.read_bytes(addr + where[2], where[3]), "little")
    return (run_state.get(where[1]) >> where[3]) & ((1 << (where[2] - where[3] + 1)) - 1)


def concrete_inputs(session, env: dict):
    st0 = session.initial_copy()
    regs, writes, value, bases = session.proof.concrete_inputs(session.setup, st0, env)
    return regs, writes, value, bases, st0


def explain(session, env: dict, qemu: bool = True) -> Explanation:
    proof, image = session.proof, session.image
    regs, writes, value, bases, st0 = concrete_inputs(session, env)
    ex = Explanation({k: regs[k] for k in sorted(regs, key=_key)}, writes)
    mem, cpu = prepare(image, proof.symbol, regs, writes)
    entry = cpu.copy()
    Executor(mem).run(cpu, RETURN_SENTINEL, 10 * proof.max_steps)
    outs = spec_outputs(session, st0, value)
    for name, where, spec in outs:
        ex.outputs.append((name, _output_value(proof, cpu, mem, where, bases, st0), spec))
    ex.frame = [(f"{loc} preserved", cpu.get(loc), entry.get(loc)) for loc in proof.preserved]
    ex.confirmed = any(a != b for _, a, b in ex.outputs + ex.frame)
    cps = proof.checkpoints(session, value) if hasattr(proof, "checkpoints") else []
    if not cps:                    # no intermediate correspondences: the outputs only
        cps = [Checkpoint("the outputs at the return", None, 0,
                          lambda c, m: [_output_value(proof, c, m, w, bases, st0)
                                        for _n, w, _s in outs],
                          [spec for _n, _w, spec in outs])]
    _checkpoints(session, regs, writes, cps, ex)
    if qemu:
        ex.qemu = qemu_replay(session, regs, writes, [(n, w, a) for (n, a, _), (_n, w, _s)
                                                      in zip(ex.outputs, outs)], st0, bases)
    return ex


def spec_outputs(session, st0, value) -> list:
    """(name, where, spec value) per postcondition output: ``proof.spec_values(value)``
    when the proof has it (specs too big to build symbolically), else the
    postcondition's terms evaluated."""
    if hasattr(session.proof, "spec_values"):
        return session.proof.spec_values(value)
    return [(o.name, o.where, value(o.spec)) for o in
            session.proof.postcondition(st0, session.setup)]


def _key(loc):
    return (loc[0], int(loc[1:]) if loc[1:].isdigit() else -1)


def _trace_to(image, symbol, regs, writes, pc_abs, visit, max_steps=10_000_000):
    """(memory, cpu) at the ``visit``-th arrival at ``pc_abs``, or None."""
    mem, cpu = prepare(image, symbol, regs, writes)
    ex = Executor(mem)
    seen = 0
    for _ in range(max_steps):
        if cpu.pc == pc_abs:
            if seen == visit:
                return mem, cpu, ex
            seen += 1
        if cpu.pc == RETURN_SENTINEL:
            return None
        ex.step(cpu)
    return None


def _checkpoints(session, regs, writes, cps, ex):
    proof, image, base = session.proof, session.image, session.base
    prev = None
    for cp in cps:
        got = _trace_to(image, proof.symbol, regs, writes, _abs(base, cp.pc), cp.visit)
        vals = cp.observe(got[1], got[0]) if got else None
        if vals != cp.expected:
            where = "the return" if cp.pc is None else f"+{cp.pc:#x} (arrival {cp.visit})"
            lines = [f"first checkpoint that differs: {cp.name} at {where}"]
            if vals is not None:
                diff = [i for i, (a, b) in enumerate(zip(vals, cp.expected)) if a != b]
                lines.append(f"  {len(diff)} value(s) differ, e.g. #{diff[0]}: implementation "
                             f"{vals[diff[0]]:#x}, spec {cp.expected[diff[0]]:#x}")
            lines.append(f"  the previous checkpoint ({prev.name if prev else 'entry'}) agrees")
            ex.checkpoint = "\n".join(lines)
            ex.departure = _departure(session, regs, writes, prev, cp)
            return
        prev = cp
    ex.checkpoint = f"all {len(cps)} checkpoints agree with the spec"


def _departure(session, regs, writes, prev, cp) -> str:
    """Between two checkpoints: the first instruction whose effect, followed by the
    listing's code, no longer reaches the spec's checkpoint values."""
    proof, image, base = session.proof, session.image, session.base
    diffs = proof.listing_diffs(image)
    if not diffs:
        return ("the object matches the proof's listing: the departure is between these "
                "checkpoints (no reference code to pin it to one instruction)")
    reference = patched(image, {base + off: word for off, word, _a, _t in diffs})
    start = (_trace_to(image, proof.symbol, regs, writes, _abs(base, prev.pc), prev.visit)
             if prev else None)
    if start is None:
        mem, cpu = prepare(image, proof.symbol, regs, writes)
    else:
        mem, cpu, _ = start
    stop = _abs(base, cp.pc)
    path = []                         # pcs executed by the object from the start
    m, c = _clone(mem, cpu)
    ex = Executor(m)
    while True:
        path.append(c.pc)
        ex.step(c)
        if c.pc in (stop, RETURN_SENTINEL) or len(path) > 100_000:
            break
    for k in range(1, len(path) + 1):
        m, c = _clone(mem, cpu)
        e = Executor(m)
        for _ in range(k):
            e.step(c)
        rm, rc = _with_code(m, c, reference)
        er = Executor(rm)
        n = 0
        try:
            while rc.pc not in (stop, RETURN_SENTINEL) and n < 100_000:
                er.step(rc)
                n += 1
        except (ExecutionError, MemoryFault):   # the listing's code cannot go on from here
            faulted = True
        else:
            faulted = False
        if faulted or cp.observe(rc, rm) != cp.expected:
            pc = path[k - 1]
            word = int.from_bytes(image.read(pc, 4), "little")
            ref = int.from_bytes(reference.read(pc, 4), "little")
            text = capstone_text(word, pc) or f".word {word:#010x}"
            lines = [f"the implementation departs from the spec at +{pc - base:#x}: "
                     f"{word:08x}  {text}  (instruction {k} after {prev.name if prev else 'entry'})"]
            if ref != word:
                lines.append(f"  the proof's listing has {ref:08x}  {capstone_text(ref, pc)} there")
            return "\n".join(lines)
    return "could not pin the departure to one instruction"


def _abs(base, pc):
    return RETURN_SENTINEL if pc is None else base + pc


def _clone(mem, cpu):
    import copy
    return copy.deepcopy(mem), cpu.copy()


def _with_code(mem, cpu, reference):
    """A copy of ``mem`` whose code segments hold the reference image's words."""
    m, c = _clone(mem, cpu)
    for seg in reference.segments:
        if seg.executable and seg.data:
            m.load(seg.addr, seg.data)
    return m, c


class _Registers:
    """A recorded state (location -> int), read as a CPU is."""

    def __init__(self, values: dict):
        self.values = values

    def get(self, loc):
        return self.values[loc]


@dataclass
class _RecordedRun:
    state: _Registers
    memory: object


def qemu_replay(session, regs, writes, impl_outputs, st0, bases) -> str:
    proof = session.proof
    try:
        state, mem, steps = run_recorded(session.image, proof.symbol, regs, writes)
    except NoReplay as e:
        return f"QEMU replay: {e}"
    agree = 0
    lines = []
    for name, where, impl in impl_outputs:
        q = _output_value(proof, _Registers(state), mem, where, bases, st0)
        if q == impl:
            agree += 1
        else:
            lines.append(f"  {name}: QEMU {q:#x}, lnsym {impl:#x}")
    head = (f"QEMU replay ({steps} instructions): {agree} of {len(impl_outputs)} "
            f"outputs equal lnsym's concrete run")
    return "\n".join([head] + lines + ([] if lines else
                                       ["  QEMU confirms the implementation's outputs"]))


def confirm_under_qemu(proof, image, results) -> tuple:
    """A bounded proof's refutation (``proof`` has just been checked on ``image``;
    ``results`` are its obligations) run under QEMU: the refuted output as QEMU
    computes it, against the spec and lnsym's concrete run.  Returns (text, True if
    QEMU shows the difference, False if QEMU agrees with the spec, None: no run)."""
    bad = next((r for r in results if r.status == "refuted" and r.counterexample is not None),
               None)
    if bad is None:
        return "QEMU replay: no counterexample to replay", None
    if type(proof).concrete_run is not RoutineProof.concrete_run:
        return ("QEMU replay: not run (the proof's concrete run is more than one call of "
                "its routine; the recorder runs one)"), None
    st = getattr(proof, "last_state", None)
    if st is None:
        return "QEMU replay: not run (no symbolic run to take the inputs from)", None
    setup = proof.setup(image)
    name = bad.name
    while name.startswith("[path ") and "] " in name:    # a path split's label (path_split.py)
        name = name.split("] ", 1)[1]
    out = next((o for o in proof.postcondition(st, setup) + proof.frame_outputs(st, setup)
                if o.name == name), None)
    if out is None:
        return (f"QEMU replay: not run ('{bad.name}' is not an output of the routine's "
                f"run)"), None
    regs, writes, value, bases = proof.concrete_inputs(setup, st, bad.counterexample)
    try:
        state, mem, steps = run_recorded(image, proof.symbol, regs, writes)
    except NoReplay as e:
        return f"QEMU replay: {e}", None
    qemu = proof.concrete_output(_RecordedRun(_Registers(state), mem), st, bases, out.where)
    run = proof.concrete_run(image, regs, writes, value)
    lnsym = proof.concrete_output(run, st, bases, out.where)
    spec = value(out.spec)
    lines = [f"QEMU replay ({steps} instructions) of the counterexample for '{bad.name}':",
             f"  QEMU {qemu:#x}, lnsym's concrete run {lnsym:#x}, specification {spec:#x}"]
    if qemu != lnsym:
        lines.append("  WARNING: QEMU and lnsym's concrete run disagree: a modelling error")
    lines.append("  confirmed under QEMU: the outputs differ" if qemu != spec else
                 "  NOT confirmed under QEMU: QEMU's output equals the specification")
    return "\n".join(lines), qemu != spec


__all__ = ["Checkpoint", "Explanation", "confirm_under_qemu", "explain", "qemu_replay"]
