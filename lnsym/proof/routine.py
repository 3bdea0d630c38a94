"""Routine proofs: a routine, its preconditions, its postcondition and its frame.

A proof script in ``proofs/`` subclasses ``RoutineProof`` and states:

* the routine: object member, symbol, and the listing it was written against;
* ``setup``: argument registers and memory regions (symbolic inputs), i.e. the
  preconditions, including region sizes; distinct regions are disjoint;
* ``postcondition``: obligations ``implementation term == spec term``;
* the frame: registers preserved (callee-saved by default) and regions that
  may change; every other byte of every region must be unchanged.

``check`` runs it: symbolic execution from the symbol to the return, then the
prover on every obligation, then (for a refutation) a concrete replay of the
counterexample.  The machine model's guards (``lnsym.backends.guards``) stop
a run that accesses memory below SP or stores to code.

``ProofReport.status`` is one of

* ``"proved"``: every obligation proved;
* ``"refuted"``: an obligation is false, with a counterexample (replayed);
* ``"stuck"``: no obligation refuted, some not proved;
* ``"error"``: the run could not be completed -- an unsupported instruction,
  an access outside the declared regions, a store to code, an access below
  SP, a branch on symbolic data, the step limit.  ``ProofReport.error`` is
  one sentence naming the instruction; nothing was proved or refuted.

``MACHINE_ASSUMPTIONS`` (``lnsym.proof.trust``) lists what every proof assumes
of the machine beyond the instruction semantics; every trusted base prints it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from isa_specs.errors import DecodeError
from lnsym.backends.concrete import ExecutionError
from lnsym.backends.symbolic import Region, SymbolicError, SymMemory, SymState
from lnsym.elf.image import Image, load_image
from lnsym.errors import UserError
from lnsym.proof.consistency import check_satisfiable
from lnsym.proof.objects import differing_words, image_regions, patched
from lnsym.proof.report import STATUSES, ProofReport, error_report  # noqa: F401
from lnsym.proof.trust import (  # noqa: F401  (re-exported: proofs and tests import them here)
    MACHINE_ASSUMPTIONS,
    PAUTH_TRUST,
    TRUSTED_SEMANTICS,
    machine_model_trust,
    unstated_effects,
)
from lnsym.prover import Obligation, prove_all
from lnsym.terms.bv import BV, concat, extract, var, zero_extend
from lnsym.terms.evaluate import evaluate

CALLEE_SAVED = [f"x{i}" for i in range(19, 30)] + ["sp"]
# the caller's return address: a user-space code address (BL wrote PC + 4), so bits
# 63:48 are zero; with pointer authentication on, PACIASP/AUTIASP around it then
# give it back exactly (lnsym.terms.pauth); the trusted base states it
RETURN = zero_extend(var("ret_addr", 48), 64)
STACK_BYTES = 4096


class ProofSetupError(UserError, SymbolicError):
    """A proof whose own setup contradicts its preconditions (e.g. two regions
    that overlap, or two with one name): bad input, so the CLI exits 2."""


@dataclass
class Setup:
    regs: dict                  # location -> term (others get fresh x{i}_0 variables)
    regions: list               # Region
    notes: list = field(default_factory=list)
    # stated preconditions {1-bit term: value} that decide symbolic branches
    # (e.g. {eq(ptr, 0): 0}: ptr is not null); listed in the trusted base
    assumptions: dict = field(default_factory=dict)
    # stated preconditions on input values: 1-bit terms that must be 1 (e.g. a block
    # counter that does not wrap); every obligation is proved for the inputs that
    # satisfy them (lnsym.prover.precondition); listed in the trusted base
    preconditions: list = field(default_factory=list)
    # {address: 8-bit term}: bytes of the object's own sections given symbolic values,
    # e.g. an undefined flag word such as OPENSSL_armcap_P whose value an assumption states
    data: dict = field(default_factory=dict)
    # {fact term: words}: how the trusted base states an assumption or a precondition
    # (default: the term printed)
    wording: dict = field(default_factory=dict)


@dataclass
class Output:
    """A routine output and the spec's value for it.

    ``where`` is ("mem", region, offset, size) for little-endian bytes in a
    region, or ("reg", location, hi, lo) for bits of a final register.
    """
    name: str
    where: tuple
    spec: BV


@dataclass
class Corollary:
    """A statement derived from proven outputs by a checked argument outside the
    prover ladder (e.g. an algebraic identity between two spec terms).

    ``derive()`` returns (holds, method, detail); it runs only when every output
    named in ``requires`` is proved.  ``trusted`` lists what the argument rests
    on, for the trusted base."""
    name: str
    requires: tuple
    derive: object
    trusted: tuple = ()


def le_bytes(word: BV, i: int) -> BV:
    """Byte i (little-endian) of a term."""
    return extract(word, 8 * i + 7, 8 * i)


def read_le(region: Region, off: int, size: int) -> BV:
    return concat(*[region.byte(off + i) for i in reversed(range(size))])


RUN_ERRORS = (ExecutionError, DecodeError)


class RoutineProof:
    name = ""              # proof name, e.g. "sha256_block_armv8"
    member = ""            # archive member, e.g. "libcrypto-lib-sha256-armv8.o"
    symbol = ""
    listing: tuple = ()    # ((offset, word, text), ...) the code this proof was written for
    spec = ""              # the reference the postcondition uses, for the trusted base
    preserved = CALLEE_SAVED
    preserved_v_low64 = tuple(range(8, 16))
    may_change: tuple = ()  # region names whose bytes may change
    max_steps = 200_000
    # pointer authentication: "on" (enabled, keys unknown) or "off" (no FEAT_PAuth);
    # the trusted base says which
    pauth = "on"

    def __init__(self, **params):
        self.params = params

    # -- to be written by each proof --------------------------------------------------
    def setup(self, image: Image) -> Setup:
        raise NotImplementedError

    def postcondition(self, st: SymState, setup: Setup) -> list:
        """The functional postcondition as a list of ``Output``."""
        raise NotImplementedError

    def corollaries(self, st: SymState, setup: Setup) -> list:
        """Statements derived from the proven postcondition (``Corollary``)."""
        return []

    def title(self) -> str:
        return self.name

    # -- the run -------------------------------------------------------------------------
    def object_spec(self):
        """What to load: the class's ``object`` (a path, ``ARCHIVE.a:MEMBER.o``, or a
        tuple of them, linked into one image) if it names one, else ``member`` of
        the target library ``library`` (default OpenSSL's libcrypto.a)."""
        own = getattr(self, "object", None)
        if own:
            return own
        from lnsym.elf.targets import member_spec
        return member_spec(self.member, getattr(self, "library", None) or "openssl")

    def other_listings(self) -> tuple:
        """(symbol, listing) of other code the proof runs (a callee, a second call)."""
        return ()

    def listing_diffs(self, image: Image) -> list:
        """(offset, expected word, actual word, expected text) where the code or the
        constant data differs; other routines' words are given at offsets from
        ``symbol`` and their text names the routine."""
        diffs = differing_words(image, self.symbol, self.listing)
        base = image.symbol(self.symbol).addr
        for symbol, listing in self.other_listings():
            delta = image.symbol(symbol).addr - base
            diffs += [(delta + off, word, actual, f"{symbol}: {text}")
                      for off, word, actual, text in differing_words(image, symbol, listing)]
        return diffs

    def frame_outputs(self, st: SymState, setup: Setup) -> list:
        """The frame as outputs whose spec value is the initial value."""
        outs = []
        for loc in self.preserved:
            w = st.initial[loc].width
            outs.append(Output(f"frame: {loc} preserved", ("reg", loc, w - 1, 0), st.initial[loc]))
        for i in self.preserved_v_low64:
            outs.append(Output(f"frame: d{i} preserved", ("reg", f"v{i}", 63, 0),
                               extract(st.initial[f"v{i}"], 63, 0)))
        for r in st.mem.regions:
            if r.name in self.may_change or r.name == "stack":
                continue
            for off in sorted(r.bytes):
                if r.bytes[off] is not r.initial(off):
                    outs.append(Output(f"frame: {r.name}[{off:#x}] unchanged",
                                       ("mem", r.name, off, 1), r.initial(off)))
        return outs

    @staticmethod
    def output_term(st: SymState, where: tuple) -> BV:
        if where[0] == "mem":
            return read_le(st.mem.region(where[1]), where[2], where[3])
        return extract(st.regs[where[1]], where[2], where[3])

    def execute(self, image: Image):
        st, setup = self.start(image)
        st.run(RETURN, self.max_steps)
        return st, setup

    def start(self, image: Image):
        """The symbolic state at the entry of ``symbol`` (not run yet), and the setup."""
        setup = self.setup(image)
        check_satisfiable(self.name, setup)       # else every obligation holds vacuously
        mem = SymMemory()
        sp0 = var("sp_0", 64)
        mem.add(Region("stack", sp0, -STACK_BYTES, 0))
        for r in [*setup.regions, *image_regions(image, setup.data)]:
            try:
                mem.add(r)
            except (SymbolicError, ValueError) as e:
                raise ProofSetupError(f"proof {self.name!r} declares memory regions that "
                                      f"contradict its precondition that distinct regions "
                                      f"are disjoint: {e}") from None
        regs = {"sp": sp0, "x30": RETURN}
        regs.update(setup.regs)

        def fetch(pc):
            return int.from_bytes(image.read(pc, 4), "little")
        st = SymState(fetch, mem, image.symbol(self.symbol).addr, regs, setup.assumptions,
                      pauth=self.pauth)
        self.last_state = st
        return st, setup

    def check(self, object_spec: str | None = None, patches: dict | None = None,
              timeout: float = 60.0, replay: bool = True) -> ProofReport:
        times = {}
        t0 = time.perf_counter()
        image = patched(load_image(object_spec or self.object_spec()), patches or {})
        diffs = self.listing_diffs(image)
        times["load"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        self.last_state = None
        try:
            st, setup = self.execute(image)
        except RUN_ERRORS as e:
            if isinstance(e, UserError):
                raise
            times["symex"] = time.perf_counter() - t1
            times["total"] = time.perf_counter() - t0
            steps = self.last_state.steps if self.last_state is not None else 0
            return error_report(self.title(), e, steps, diffs, times, image)
        post = self.postcondition(st, setup)
        outputs = post + self.frame_outputs(st, setup)
        obs = [Obligation(o.name, self.output_term(st, o.where), o.spec) for o in outputs]
        times["symex"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        from lnsym.proof.lemma_cache import cache_trust, lemmas_used
        with lemmas_used() as used:
            results = prove_all(obs, timeout=timeout, preconditions=setup.preconditions)
            corollaries = self.corollaries(st, setup)
            results += [self._derive(c, results) for c in corollaries]
        times["prove"] = time.perf_counter() - t2
        times["solver"] = sum(r.solver_seconds for r in results)
        status = "proved"
        if any(r.status == "refuted" for r in results):
            status = "refuted"
        elif any(r.status != "proved" for r in results):
            status = "stuck"
        trusted = self.trusted_base(results, setup)
        if st.layout_decisions:
            import z3
            trusted.append(f"z3 {z3.get_version_string()} (QF_BV), deciding branches on "
                           f"pointers from the precondition that regions do not wrap")
        trusted += machine_model_trust(st)
        trusted += [t for c in corollaries for t in c.trusted if t not in trusted]
        trusted += cache_trust(used)
        report = ProofReport(self.title(), status, st.steps, times, results, trusted, diffs)
        report.unstated = unstated_effects(st, post, self.may_change)
        if status == "refuted" and replay:
            report.replay = self.replay(image, setup, st, results, outputs)
        times["total"] = time.perf_counter() - t0
        return report

    @staticmethod
    def _derive(c: Corollary, results: list):
        from lnsym.prover.engine import ObligationResult
        missing = [n for n in c.requires
                   if not any(r.name == n and r.status == "proved" for r in results)]
        if missing:
            return ObligationResult(c.name, "stuck", "corollary", 0.0,
                                    detail=f"not derived: {', '.join(missing)} not proved")
        t0 = time.perf_counter()
        holds, method, detail = c.derive()
        return ObligationResult(c.name, "proved" if holds else "stuck", method,
                                time.perf_counter() - t0, detail=detail)

    def trusted_base(self, results, setup: Setup | None = None) -> list:
        methods = sorted({r.method for r in results})
        base = [TRUSTED_SEMANTICS, f"spec: {self.spec}", "the symbolic executor, term normaliser "
                "and z3 lowering of lnsym (tested against concrete evaluation)"]
        if {"smt", "sweep"} & set(methods):
            import z3
            base.append(f"z3 {z3.get_version_string()} (QF_BV)")
        base.append("preconditions: distinct memory regions are disjoint and do not wrap")
        base += MACHINE_ASSUMPTIONS
        if setup is not None and setup.assumptions:
            from lnsym.terms.pretty import pretty
            facts = ", ".join(setup.wording.get(t, f"{pretty(t)} = {v}")
                              for t, v in setup.assumptions.items())
            base.append(f"preconditions (assumed, decide branches): {facts}")
        if setup is not None and setup.preconditions:
            from lnsym.terms.pretty import pretty
            facts = ", ".join(setup.wording.get(t, pretty(t)) for t in setup.preconditions)
            base.append(f"preconditions on input values (assumed, each = 1): {facts}")
            if any(m.endswith("under precondition") for m in methods) and "smt" not in methods:
                import z3
                base.append(f"z3 {z3.get_version_string()} (QF_BV), proving the terms the "
                            f"preconditions decide")
        return base

    # -- counterexamples --------------------------------------------------------------
    def concrete_inputs(self, setup: Setup, st: SymState, env: dict):
        """Concrete registers and memory writes realising a counterexample ``env``."""
        from lnsym.backends.runner import STACK_TOP
        bases = {}
        next_base = 0x1000_0000
        writes = []
        for r in st.mem.regions:
            if r.anchor.op == "const" or r.name == "stack":
                continue
            name = r.anchor.params[0]
            bases[name] = next_base - r.lo
            next_base += ((r.hi - r.lo) + 0xFFFF) & ~0xFFFF
        bases["sp_0"] = STACK_TOP - 0x100
        full = dict(bases)
        full.update({k: v for k, v in env.items() if k not in bases})

        def value(t):
            return evaluate(t, lambda name: full.get(name, 0))
        for r in st.mem.regions:
            if r.anchor.op == "const" or r.name == "stack":
                continue
            base = bases[r.anchor.params[0]]
            data = bytes(value(r.initial(off)) for off in range(r.lo, r.hi))
            if data:
                writes.append((base + r.lo, data))
        regs = {loc: value(t) for loc, t in st.initial.items() if loc not in ("sp", "x30")}
        return regs, writes, value, bases

    def concrete_run(self, image: Image, regs: dict, writes: list, value):
        """The concrete run replaying a counterexample (``value`` evaluates a term
        under it); a proof that runs more than one routine overrides this."""
        from lnsym.backends.runner import run_routine
        return run_routine(image, self.symbol, regs, writes, max_steps=10 * self.max_steps,
                           pauth=self.pauth)

    @staticmethod
    def concrete_output(run, st: SymState, bases: dict, where: tuple) -> int:
        """The value at ``where`` (an ``Output.where``) after the concrete run."""
        if where[0] == "mem":
            r = st.mem.region(where[1])
            addr = bases[r.anchor.params[0]] if r.anchor.op != "const" else r.anchor.params[0]
            return int.from_bytes(run.memory.read_bytes(addr + where[2], where[3]), "little")
        return (run.state.get(where[1]) >> where[3]) & ((1 << (where[2] - where[3] + 1)) - 1)

    def replay(self, image: Image, setup: Setup, st: SymState, results, outputs) -> str:
        """Run the counterexample concretely and say whether the outputs really differ."""
        bad = next((r for r in results if r.status == "refuted" and r.counterexample is not None),
                   None)
        if bad is None:
            return "no counterexample to replay"
        out = next(o for o in outputs if o.name == bad.name)
        regs, writes, value, bases = self.concrete_inputs(setup, st, bad.counterexample)
        if any(value(p) != 1 for p in setup.preconditions):
            self.confirmed = False
            return (f"counterexample for '{bad.name}' violates the stated preconditions: "
                    f"not a counterexample")
        try:
            run = self.concrete_run(image, regs, writes, value)
        except Exception as e:          # the concrete run itself failed: say so
            return f"concrete replay of the counterexample failed: {e}"
        concrete = self.concrete_output(run, st, bases, out.where)
        expected = value(out.spec)
        symbolic = value(bad.residual[0]) if bad.residual else None
        lines = [f"counterexample for '{bad.name}' replayed by concrete execution "
                 f"({run.steps} instructions):",
                 f"  implementation (concrete run): {concrete:#x}",
                 f"  specification:                 {expected:#x}"]
        if symbolic is not None and symbolic != concrete:
            lines.append(f"  WARNING: the symbolic result evaluates to {symbolic:#x}: "
                         f"symbolic and concrete execution disagree")
        lines.append("  confirmed: the outputs differ" if concrete != expected
                     else "  NOT confirmed: the concrete outputs agree with the spec")
        self.confirmed = concrete != expected
        return "\n".join(lines)


class TwoCallProof(RoutineProof):
    """Two routines called in sequence on one symbolic memory: ``symbol`` with the
    setup's registers, then ``second_symbol`` with ``second_call_args()`` (each
    returning to x30).  The frame is that of the whole sequence; listing
    differences of the second routine are reported at offsets from the first."""
    second_symbol = ""
    second_listing: tuple = ()

    def second_call_args(self) -> dict:
        raise NotImplementedError

    def other_listings(self) -> tuple:
        return ((self.second_symbol, self.second_listing),) + super().other_listings()

    def execute(self, image: Image):
        st, setup = super().execute(image)
        st.regs.update(self.second_call_args())
        st.regs["x30"] = RETURN
        st.pc = image.symbol(self.second_symbol).addr
        st.run(RETURN, self.max_steps)
        return st, setup

    def concrete_run(self, image: Image, regs: dict, writes: list, value):
        from lnsym.backends.concrete import Executor
        from lnsym.backends.runner import RETURN_SENTINEL, RunResult, prepare
        mem, cpu = prepare(image, self.symbol, regs, writes)
        ex = Executor(mem, self.pauth)
        steps = ex.run(cpu, RETURN_SENTINEL, 10 * self.max_steps)
        for loc, t in self.second_call_args().items():
            cpu.set(loc, value(t))
        cpu.x[30] = RETURN_SENTINEL
        cpu.pc = image.symbol(self.second_symbol).addr
        steps += ex.run(cpu, RETURN_SENTINEL, 10 * self.max_steps)
        return RunResult(steps, cpu, mem)
