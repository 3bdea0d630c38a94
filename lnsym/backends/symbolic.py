"""Symbolic execution: instruction summaries instantiated on a symbolic state.

Memory is a set of named *regions*.  A region has an anchor term (usually a
variable such as the routine's ``ctx`` pointer, or a constant for tables at
their ELF addresses) and a range of offsets ``[lo, hi)`` from it.  Every
access must resolve syntactically to ``anchor + constant`` inside one region;
anything else is an error naming the instruction -- never a guess.  That
distinct regions do not overlap is a precondition stated by the proof.

Control flow follows concrete next-PCs; a branch whose target depends on
symbolic data raises ``SymbolicBranch`` with the condition -- unless the
proof stated *assumptions* (preconditions ``{term: value}``, e.g.
``eq(key, 0) = 0``: the pointer is not null) that, substituted into the
next-PC term, make it a constant; ``assumptions_used`` records which did.  A
next PC over region anchors alone may also be fixed by the precondition that
regions do not wrap (``SymMemory.decide_by_layout``: two pointers into one
region compare like their offsets).  The run stops when the next PC is the
return address term the caller put in X30.

The local exclusive monitor is state like the registers (``excl_*_0`` at
entry: unknown, a caller may have left it open).  Outcomes the architecture
leaves open (``Summary.choices``) get fresh 1-bit variables
``unpredictable:LABEL@PC#N`` (``SymState.choices``), and a normal store that
may hit the marked bytes makes the monitor's state such a choice (Arm ARM
B2.9: IMPLEMENTATION DEFINED whether it clears it).

Analyses observe a run without changing it: each observer (``SymState.observers``,
or a factory made active for every new state with ``observing``) gets a
``StepEvent`` per executed instruction -- its summary, the terms it read, its
memory accesses and its instantiated next PC.  A ``recovery`` object (the
constant-time mode of ``lnsym ct``) may instead handle an unresolved address
or a symbolic branch; it must flag the run, whose values are then no proof.
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass, field

from isa_specs.errors import DecodeError
from isa_specs.ldst.ldst_exclusive import LoadStoreExclusive
from lnsym.backends.concrete import ExecutionError
from lnsym.backends.guards import check_stack, code_store
from lnsym.machine.lift import LOCATION_WIDTHS, PC, lift
from lnsym.terms.bv import BV, and_, concat, const, extract, substitute, var
from lnsym.terms.dag import map_dag
from lnsym.terms.pretty import pretty

SP = var("sp", 64)


class SymbolicError(ExecutionError):
    pass


class SymbolicBranch(SymbolicError):
    pass


class UnresolvedAddress(SymbolicError):
    pass


@dataclass
class Region:
    name: str
    anchor: BV            # 64-bit term
    lo: int               # offsets [lo, hi) from the anchor are in the region
    hi: int
    init: object = None   # offset -> 8-bit term, for bytes never written
    writable: bool = True
    bytes: dict = field(default_factory=dict)   # offset -> 8-bit term, written bytes
    reads: set = field(default_factory=set)     # offsets loaded (e.g. constant tables read)
    executable: bool = False    # code: a store to it is an error (lnsym.backends.guards)

    def initial(self, off: int) -> BV:
        if self.init is None:
            return var(f"{self.name}[{off}]", 8)
        return self.init(off)

    def byte(self, off: int) -> BV:
        b = self.bytes.get(off)
        return b if b is not None else self.initial(off)


def no_wrap(low, r: Region) -> list:
    """z3 constraints (through the lowering ``low``) that region ``r`` does not wrap
    around the address space: anchor + lo >= 0 and anchor + hi <= 2^64."""
    import z3
    a = z3.ZeroExt(1, low(r.anchor))
    return ([z3.UGE(a, -r.lo)] if r.lo < 0 else []) + [z3.ULE(a + r.hi, 1 << 64)]


def split_address(addr: BV):
    """``addr`` as (non-constant part or None, constant offset)."""
    if addr.op == "const":
        return None, addr.params[0]
    if addr.op == "add" and addr.args[-1].op == "const":
        rest = addr.args[:-1]
        from lnsym.terms.bv import add
        base = rest[0] if len(rest) == 1 else add(*rest)
        off = addr.args[-1].params[0]
        if off >> 63:
            off -= 1 << 64
        return base, off
    return addr, 0


class SymMemory:
    def __init__(self):
        self.regions: list[Region] = []

    def add(self, region: Region) -> Region:
        for r in self.regions:
            if r.name == region.name:
                raise ValueError(f"two regions named {region.name!r}")
            if r.anchor is region.anchor and r.lo < region.hi and region.lo < r.hi:
                raise SymbolicError(f"regions {r.name!r} and {region.name!r} overlap")
            if (r.anchor.op == "const" and region.anchor.op == "const"
                    and r.anchor.params[0] + r.lo < region.anchor.params[0] + region.hi
                    and region.anchor.params[0] + region.lo < r.anchor.params[0] + r.hi):
                raise SymbolicError(f"regions {r.name!r} and {region.name!r} overlap")
        self.regions.append(region)
        return region

    def region(self, name: str) -> Region:
        for r in self.regions:
            if r.name == name:
                return r
        raise KeyError(name)

    def resolve(self, addr: BV, size: int, pc: int, write: bool):
        base, off = split_address(addr)
        for r in self.regions:
            if base is None:
                if r.anchor.op != "const":
                    continue
                o = (off - r.anchor.params[0]) & ((1 << 64) - 1)
                if o >= 1 << 63:
                    o -= 1 << 64
            elif r.anchor is base:
                o = off
            else:
                continue
            if r.lo <= o and o + size <= r.hi:
                if write and r.executable:
                    raise code_store(pc, size, r.name, o)
                if write and not r.writable:
                    raise SymbolicError(f"instruction at {pc:#x} writes to read-only region "
                                        f"{r.name!r} (offset {o:#x})")
                return r, o
            if base is not None:
                raise UnresolvedAddress(
                    f"instruction at {pc:#x} accesses {size} byte(s) at offset {o:#x} of region "
                    f"{r.name!r}, outside its bounds [{r.lo:#x}, {r.hi:#x})")
        raise UnresolvedAddress(f"instruction at {pc:#x}: cannot resolve the address "
                                f"{pretty(addr)} to a declared memory region")

    def decide_by_layout(self, t: BV, timeout_s: float = 5.0) -> BV:
        """``t`` as a constant if the precondition that no region wraps around the
        address space fixes its value (e.g. a loop comparing two pointers into one
        region); otherwise ``t`` itself.  Only terms over region anchors qualify;
        z3 decides (two queries: a value, then no other value)."""
        from lnsym.terms.bv import variables
        anchors = {r.anchor: r for r in self.regions if r.anchor.op == "var"}
        if not variables(t) or not variables(t) <= set(anchors):
            return t
        from lnsym.terms.smt import Lowering, solver_for, unique_value
        low = Lowering()
        value = low(t)
        s = solver_for(low, timeout_s)
        for r in anchors.values():
            s.add(*no_wrap(low, r))
        v = unique_value(s, value)
        return t if v is None else const(v, t.width)

    def read(self, addr: BV, size: int, pc: int) -> BV:
        r, o = self.resolve(addr, size, pc, False)
        r.reads.update(range(o, o + size))
        return concat(*[r.byte(o + i) for i in reversed(range(size))])

    def write(self, addr: BV, size: int, value: BV, pc: int) -> None:
        r, o = self.resolve(addr, size, pc, True)
        for i in range(size):
            r.bytes[o + i] = extract(value, 8 * i + 7, 8 * i)


@dataclass
class StepEvent:
    """One executed instruction, as an observer sees it."""
    pc: int
    word: int
    summary: object      # lnsym.machine.lift.Summary
    inputs: dict         # placeholder (location var or loaded-value var) -> its term here
    accesses: list       # (kind 'r'|'w', address term, size, value term), program order
    next_pc: BV          # instantiated, before any branch decision


_observer_factories = contextvars.ContextVar("lnsym_observer_factories", default=())


@contextlib.contextmanager
def observing(factory):
    """Within the block, every new SymState gets the observer ``factory(state)``."""
    token = _observer_factories.set(_observer_factories.get() + (factory,))
    try:
        yield
    finally:
        _observer_factories.reset(token)


class SymState:
    """Registers as terms (location names as in ``lnsym.lift``), a concrete PC, memory."""

    def __init__(self, fetch, memory: SymMemory, pc: int, regs: dict | None = None,
                 assumptions: dict | None = None, pauth: str = "on"):
        self.fetch = fetch           # pc -> word
        self.pauth = pauth           # pointer authentication mode (lnsym.machine.lift.lift)
        # precondition facts {term: int}, used only to decide symbolic branches
        self.assumptions = {t: const(v, t.width) for t, v in (assumptions or {}).items()}
        self.assumptions_used: set = set()
        self.layout_decisions = 0    # branches decided by the regions' no-wrap precondition
        self.mem = memory
        self.pc = pc
        self.regs = {n: var(f"{n}_0", w) for n, w in LOCATION_WIDTHS.items() if n != "pc"}
        self.regs.update(regs or {})
        self.initial = dict(self.regs)
        self.steps = 0
        self.trace: list = []        # (pc, word) executed
        self.recovery = None         # handles unresolved addresses / symbolic branches
        self.choices: list = []      # fresh variables for outcomes the architecture leaves open
        self.exclusive_stores = 0    # store-exclusives executed (for the trusted base)
        self._tainted = None         # the monitor state last made a choice by a store
        self.observers: list = [f(self) for f in _observer_factories.get()]

    def fresh_choice(self, label: str, pc: int) -> BV:
        v = var(f"unpredictable:{label}@{pc:#x}#{len(self.choices)}", 1)
        self.choices.append(v)
        return v

    def _store_may_clear_monitor(self, addr: BV, size: int, pc: int) -> None:
        """A normal store to the marked bytes clears the monitor or not, IMPLEMENTATION
        DEFINED (Arm ARM B2.9): unless the store is provably elsewhere, the
        monitor's state becomes a fresh choice."""
        is_open = self.regs["excl_open"]
        if (is_open.op == "const" and is_open.params[0] == 0) or is_open is self._tainted:
            return                  # closed, or already a choice since the last store
        marked, msize = self.regs["excl_addr"], self.regs["excl_size"]
        if msize.op == "const":
            try:
                r1, o1 = self.mem.resolve(marked, msize.params[0], pc, False)
                r2, o2 = self.mem.resolve(addr, size, pc, False)
            except SymbolicError:
                r1 = None
            if r1 is not None and (r1 is not r2 or o1 + msize.params[0] <= o2
                                   or o2 + size <= o1):
                return
        self.regs["excl_open"] = self._tainted = and_(
            is_open, self.fresh_choice("store-clears-monitor", pc))

    def step(self) -> BV:
        """Execute one instruction; returns the next-PC term."""
        pc = self.pc
        word = self.fetch(pc)
        try:
            s = lift(word, pc, self.pauth)
        except DecodeError:
            raise
        regs = self.regs
        memo = {v: regs[n] for n, v in s.read_vars}     # every location the summary reads
        memo[SP] = regs["sp"]                           # the stack check and observers
        memo[PC] = const(pc, 64)
        for choice in s.choices or ():          # the architecture leaves it open: both
            memo[choice] = self.fresh_choice(choice.params[0].split(":", 1)[1], pc)
        exclusive = isinstance(s.inst, LoadStoreExclusive)
        if exclusive and not s.inst.load:
            self.exclusive_stores += 1
        accesses = []
        for op in s.mem:
            addr = map_dag(op.addr, memo)
            value = None if op.kind == "r" else map_dag(op.value, memo)
            try:
                if op.kind == "r":
                    value = memo[op.value] = self.mem.read(addr, op.size, pc)
                else:
                    if not exclusive:
                        self._store_may_clear_monitor(addr, op.size, pc)
                    self.mem.write(addr, op.size, value, pc)
            except UnresolvedAddress as e:
                if self.recovery is None:
                    raise
                got = self.recovery.unresolved(self, pc, op.kind, addr, op.size, value, e)
                if op.kind == "r":
                    value = memo[op.value] = got
            accesses.append((op.kind, addr, op.size, value))
        for loc, t in s.writes.items():
            regs[loc] = map_dag(t, memo)
        if accesses:                             # AAPCS64 has no red zone
            check_stack(self.mem, accesses, memo[SP], self.regs["sp"], pc, word)
        nxt = const(pc + 4, 64) if s.next_pc is None else map_dag(s.next_pc, memo)
        self.steps += 1
        self.trace.append((pc, word))
        if self.observers:
            event = StepEvent(pc, word, s, memo, accesses, nxt)
            for o in self.observers:
                o.step(self, event)
        return nxt

    def run(self, return_address: BV, max_steps: int = 1_000_000, stop_at: int | None = None):
        """Run until the routine branches to ``return_address`` (or reaches ``stop_at``)."""
        while True:
            if stop_at is not None and self.pc == stop_at:
                return
            if self.steps >= max_steps:
                raise SymbolicError(f"no return after {max_steps} instructions (at {self.pc:#x})")
            nxt = self.step()
            if nxt is return_address:
                self.pc = None
                return
            if nxt.op != "const" and self.assumptions:
                decided = substitute(nxt, dict(self.assumptions))
                if decided.op == "const":
                    self.assumptions_used |= {t for t in self.assumptions
                                              if substitute(nxt, {t: self.assumptions[t]})
                                              is not nxt}
                    nxt = decided
            if nxt.op != "const":
                nxt = self.mem.decide_by_layout(nxt)
                if nxt.op == "const":
                    self.layout_decisions += 1
            if nxt.op != "const" and self.recovery is not None:
                nxt = const(self.recovery.branch(self, self.pc, nxt), 64)
            if nxt.op != "const":
                err = SymbolicBranch(
                    f"the branch at {self.pc:#x} depends on symbolic data; next PC:\n"
                    f"{pretty(nxt, max_lines=40)}")
                err.pc, err.next_pc = self.pc, nxt      # for a caller that splits the path
                raise err
            self.pc = nxt.params[0]
