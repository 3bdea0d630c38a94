"""Proofs of a caller's sequence: several routines called one after another on one
symbolic state and one symbolic memory, with the caller's own steps in between.

``CallSequenceProof.sequence(st)`` lists the steps, run in order from the setup's state:

* ``Call(symbol, args)``: set the argument registers and x30 (the return
  address), run the routine until it returns;
* ``Glue(text, writes)``: what the caller's own code (C, not run here) does to memory
  between two calls, e.g. a byte swap or an XOR.  ``writes(read)`` gets
  ``read(region, offset) -> 8-bit term`` and returns ``[(region, offset, 8-bit term)]``;
  the same function changes the symbolic state and, in a counterexample's replay, the
  concrete one.  Its text joins the trusted base;
* ``Cut(name, region, offset, spec, fresh, definitions)``: a generalisation point.
  The ``spec.width // 8`` bytes at ``region[offset]`` (read little-endian) are an
  obligation ``= spec``; then they are replaced by ``fresh``, a term over fresh
  variables, and the run goes on.  ``definitions`` {variable: term} says which value
  each fresh variable stands for, ``fresh`` under them being ``spec``.

Why a cut is sound: the rest of the run is proved for *every* value of the fresh
variables (nothing else about them is known), so in particular at their definitions;
there ``fresh`` equals ``spec``, which equals what the bytes held (the cut's own
obligation), and every other location was left as it was.  So the statement holds of
the real run with the variables instantiated at their definitions.  Cuts keep each
obligation the size of one routine's (the AES schedule, E_K(0)), where running
straight through would hash terms nested three routines deep.

A counterexample is replayed by running the real sequence (no cut replaces anything
concretely); the fresh variables take the values of their definitions.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from lnsym.elf.image import Image
from lnsym.proof.routine import RETURN, Output, ProofSetupError, RoutineProof, read_le
from lnsym.terms.bv import BV, const, extract, var
from lnsym.terms.dag import substitute, variables
from lnsym.terms.evaluate import evaluate

CUT_TRUST = ("generalisation at cut points (lnsym/proof/sequence.py): the run after a cut "
             "is proved for every value of its fresh variables, then instantiated at their "
             "definitions, each proved equal to the bytes at the cut")
REPLAY_ATTEMPTS = 16


@dataclass
class Call:
    symbol: str
    args: dict                  # location -> term, set before the call


@dataclass
class Glue:
    text: str                   # what the caller does, for the trusted base
    writes: object              # read(region, off) -> [(region, off, 8-bit term)]


@dataclass
class Cut:
    name: str
    region: str
    offset: int
    spec: BV                    # the value the bytes must hold (little-endian read)
    fresh: BV                   # what replaces them: a term over fresh variables
    definitions: dict = field(default_factory=dict)   # fresh variable name -> term


def check_definitions(cut: Cut) -> None:
    """The cut's fresh term at its definitions must be its spec (else the run after
    the cut would be about other values): the same term, or proved equal; a proof
    whose definitions do not give its spec is refused as bad input."""
    at_definitions = substitute(cut.fresh, {var(n, t.width): t for n, t in cut.definitions.items()})
    if at_definitions is cut.spec:
        return
    from lnsym.prover import Obligation, prove_all
    [result] = prove_all([Obligation(f"cut {cut.name}: definitions", at_definitions, cut.spec)])
    if result.status != "proved":
        raise ProofSetupError(f"cut {cut.name}: its fresh term at the definitions given is not "
                              f"its spec ({result.status})")


def check_fresh(st, cut: Cut, earlier: dict) -> None:
    """The cut's variables other than earlier cuts' (``earlier``: their definitions)
    must be new (in no register, no byte of memory, no earlier definition) and each
    must have a definition: otherwise instantiating them would change more of the
    state than the bytes cut."""
    names = {v.params[0] for v in variables(cut.fresh)} - set(earlier)
    if names != set(cut.definitions):
        raise ProofSetupError(f"cut {cut.name}: its new variables {sorted(names)} and its "
                              f"definitions {sorted(cut.definitions)} differ")
    terms = list(st.regs.values()) + list(earlier.values())
    for r in st.mem.regions:
        if r.anchor.op != "const":
            terms += [r.anchor, *r.bytes.values(), *(r.initial(o) for o in range(r.lo, r.hi))]
    clash = names & {v.params[0] for v in variables(*terms)}
    if clash:
        raise ProofSetupError(f"cut {cut.name}: {', '.join(sorted(clash))} already occurs in "
                              f"the state; a cut's variables must be new")


class CallSequenceProof(RoutineProof):
    """``symbol`` is the first routine called (its listing is ``listing``);
    ``callees`` gives (symbol, listing) of the others, so the object is checked
    against every routine the sequence runs."""
    max_steps_per_call = 200_000
    callees: tuple = ()

    def sequence(self, st) -> list:
        raise NotImplementedError

    def other_listings(self) -> tuple:
        return tuple(self.callees) + super().other_listings()

    def execute(self, image: Image):
        st, setup = self.start(image)
        steps = self.sequence(st)
        self._glue = [s.text for s in steps if isinstance(s, Glue)]
        self._cuts, self._definitions = {}, {}
        for step in steps:
            if isinstance(step, Call):
                st.regs.update(step.args)
                st.regs["x30"] = RETURN
                st.pc = image.symbol(step.symbol).addr
                st.run(RETURN, self.max_steps_per_call)
            elif isinstance(step, Glue):
                for name, off, byte in step.writes(lambda r, o: st.mem.region(r).byte(o)):
                    st.mem.region(name).bytes[off] = byte
            else:
                self._cut(st, step)
        return st, setup

    def _cut(self, st, cut: Cut):
        if cut.spec.width != cut.fresh.width or cut.spec.width % 8:
            raise ValueError(f"cut {cut.name}: spec and fresh terms of different widths")
        check_fresh(st, cut, self._definitions)
        check_definitions(cut)
        size = cut.spec.width // 8
        region = st.mem.region(cut.region)
        self._cuts[cut.name] = (cut, read_le(region, cut.offset, size))
        for i in range(size):
            region.bytes[cut.offset + i] = extract(cut.fresh, 8 * i + 7, 8 * i)
        self._definitions.update(cut.definitions)

    def cut_outputs(self) -> list:
        """The cuts' obligations, in order (``postcondition`` adds them)."""
        return [Output(f"cut {name}: {cut.region}[{cut.offset:#x}:{cut.offset + cut.spec.width // 8:#x}]"
                       f" = {name}", ("cut", name), cut.spec)
                for name, (cut, _term) in self._cuts.items()]

    def output_term(self, st, where: tuple) -> BV:
        if where[0] == "cut":
            return self._cuts[where[1]][1]
        return super().output_term(st, where)

    def trusted_base(self, results, setup=None) -> list:
        base = super().trusted_base(results, setup)
        base += [f"the caller's code between the calls, as stated: {t}" for t in self._glue]
        if self._cuts:
            base.append(CUT_TRUST)
        return base

    # -- counterexamples: the real sequence, the fresh variables at their definitions --
    def run_concretely(self, image: Image, env: dict) -> dict:
        """The real sequence run concretely on the inputs ``env`` (variable name -> value;
        others 0): {region name: its bytes afterwards}, for tests against other
        implementations."""
        st, setup = self.start(image)
        self._definitions = {}
        regs, writes, value, bases = self.concrete_inputs(setup, st, env)
        run = self.concrete_run(image, regs, writes, value)
        return {r.name: run.memory.read_bytes(bases[r.anchor.params[0]] + r.lo, r.hi - r.lo)
                for r in st.mem.regions if r.anchor.op != "const" and r.name != "stack"}

    def concrete_inputs(self, setup, st, env: dict):
        env = dict(env)
        for name, term in getattr(self, "_definitions", {}).items():
            env[name] = evaluate(term, lambda n: env.get(n, 0))
        return super().concrete_inputs(setup, st, env)

    def replay(self, image: Image, setup, st, results, outputs) -> str:
        """As for one routine; if the counterexample does not show (its values of the cut
        variables need not be what their definitions give at its inputs: H is E_K(0),
        not any block), random inputs are tried, and a run that differs is reported."""
        text = super().replay(image, setup, st, results, outputs)
        bad = next((r for r in results if r.status == "refuted" and r.counterexample), None)
        if getattr(self, "confirmed", False) or bad is None or not self._definitions:
            return text
        rng = random.Random(0)
        inputs = {v.params[0]: v.width for r in st.mem.regions
                  if r.anchor.op != "const" and r.name != "stack"
                  for v in variables(*[r.initial(o) for o in range(r.lo, r.hi)])}
        for attempt in range(1, REPLAY_ATTEMPTS + 1):
            env = {**bad.counterexample, **{n: rng.getrandbits(w) for n, w in inputs.items()}}
            again = super().replay(image, setup, st, [replace(bad, counterexample=env)], outputs)
            if self.confirmed:
                return (f"{text}\n(its cut variables are not their definitions' values there)\n"
                        f"random inputs, attempt {attempt}: {again}")
        return f"{text}\nnor with {REPLAY_ATTEMPTS} random inputs"

    def concrete_run(self, image: Image, regs: dict, writes: list, value):
        from lnsym.backends.concrete import Executor
        from lnsym.backends.runner import RETURN_SENTINEL, RunResult, prepare
        mem, cpu = prepare(image, self.symbol, regs, writes)
        ex = Executor(mem, self.pauth)
        anchors = {r.name: r.anchor for r in self.last_state.mem.regions}
        self._cut_values, steps = {}, 0

        def address(region, off):
            return (value(anchors[region]) + off) & ((1 << 64) - 1)

        def read(region, off):
            return const(mem.read_bytes(address(region, off), 1)[0], 8)
        for step in self.sequence(self.last_state):
            if isinstance(step, Call):
                for loc, t in step.args.items():
                    cpu.set(loc, value(t))
                cpu.x[30] = RETURN_SENTINEL
                cpu.pc = image.symbol(step.symbol).addr
                steps += ex.run(cpu, RETURN_SENTINEL, 10 * self.max_steps_per_call)
            elif isinstance(step, Glue):
                for name, off, byte in step.writes(read):
                    mem.load(address(name, off), bytes([value(byte)]))
            else:
                size = step.spec.width // 8
                data = mem.read_bytes(address(step.region, step.offset), size)
                self._cut_values[step.name] = int.from_bytes(data, "little")
        return RunResult(steps, cpu, mem)

    def concrete_output(self, run, st, bases: dict, where: tuple) -> int:
        if where[0] == "cut":
            return self._cut_values[where[1]]
        return super().concrete_output(run, st, bases, where)
