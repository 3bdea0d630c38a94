"""Loop invariants derived from a run: the generalised state at a loop head.

For a routine that folds a step over the blocks of an input region, the state
at the loop head after ``k`` iterations is derived, not written:

1. *Base run*: from the entry, with the block count a variable ``num``, to the
   head.  Every location has a value ``B_L`` there (at ``k = 0``).
2. *Probe*: one iteration from that state.  Comparing the value after it with
   ``B_L`` sorts each location into
   - **running**: ``B_L`` depends on the fold's seed (e.g. H0..H7) or on block
     0's bytes: at iteration ``k`` it is ``B_L`` with the seed replaced by the
     fold over the first ``k`` blocks (fresh variables ``H@k``) and block 0's
     bytes by block k's;
   - **invariant**: the probe left it unchanged (ctx pointer, K table pointer,
     callee-saved registers, SP, the return address): ``B_L`` at every ``k``;
   - **affine**: the probe added a constant ``c`` (the counter, the input
     pointer): ``B_L + c·k``;
   - **scratch**: anything else, a fresh variable at the head.
3. Memory is classified like the registers: every byte the probe wrote (outside
   the input) belongs to a *cell*, the written bytes of one aligned 8-byte slot of
   a region (``ctx[0x0:8]``, ``stack[-0x10:8]``), whose value at the head is sorted
   as above -- a stored copy of the running state (``ctx`` holds Fold(k)) is
   running, a spilled pointer or counter affine, a spilled ``ctx`` pointer
   invariant, a stack schedule scratch.  The rest of memory at the head is the
   base run's (the step proves the body does not change it), except the input
   region: a window of blocks at ``inp + block_bytes·k`` with fresh bytes
   (``block_window``).

The probe only proposes; nothing here is trusted.  ``lnsym.proof.induction``
checks base, step and exit on these states, so a wrong guess is a failed
obligation, never a wrong proof.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from lnsym.backends.symbolic import Region, SymbolicError, SymMemory, SymState
from lnsym.machine.lift import LOCATION_WIDTHS
from lnsym.terms.bv import BV, add, concat, const, extract, mul, sub, substitute, var
from lnsym.terms.dag import variables
from lnsym.terms.pretty import short

K = var("k", 64)          # the iteration index: iterations completed at the head
NUM = var("num", 64)      # the block count


def copy_memory(mem: SymMemory, drop=(), into: SymMemory | None = None) -> SymMemory:
    """An independent copy of ``mem``'s regions (except those named in ``drop``),
    added to ``into`` (default: a new ``SymMemory``)."""
    out = SymMemory() if into is None else into
    for r in mem.regions:
        if r.name not in drop:
            out.regions.append(dataclasses.replace(r, bytes=dict(r.bytes), reads=set()))
    return out


def locations(st: SymState) -> list:
    return [n for n in LOCATION_WIDTHS if n != "pc" and n in st.regs]


CELL_BYTES = 8            # memory is classified in aligned slots of up to 8 bytes


def written_cells(before: SymMemory, after: SymMemory, skip=()) -> dict:
    """The cells of the bytes ``after`` holds with other terms than ``before`` (regions
    named in ``skip`` left out): {name: (region, offset, size)}, one per aligned
    ``CELL_BYTES`` slot, spanning its first to its last changed byte."""
    old = {r.name: r for r in before.regions}
    cells = {}
    for r in after.regions:
        if r.name in skip or r.name not in old:
            continue
        changed = sorted(o for o, t in r.bytes.items() if t is not old[r.name].byte(o))
        slots: dict = {}
        for o in changed:
            slots.setdefault(o // CELL_BYTES, []).append(o)
        for offs in slots.values():
            lo, size = offs[0], offs[-1] + 1 - offs[0]
            name = f"{r.name}[{lo:#x}:{size}]" if lo >= 0 else f"{r.name}[-{-lo:#x}:{size}]"
            cells[name] = (r.name, lo, size)
    return cells


def read_cell(mem: SymMemory, cell: tuple) -> BV:
    """The little-endian value of a cell's bytes in ``mem``."""
    region, off, size = cell
    r = mem.region(region)
    return concat(*[r.byte(off + i) for i in reversed(range(size))])


@dataclass
class LoopShape:
    """The derived invariant of one loop: how every location depends on ``k``."""
    head: int
    back_edge: int
    exit: int
    base: dict                      # location -> value at the head for k = 0
    memory: SymMemory               # memory at the head (input region dropped)
    seed: list                      # the fold's seed variables
    inputs: list                    # the bytes of block 0 (variables)
    running: list = field(default_factory=list)
    invariant: list = field(default_factory=list)
    affine: dict = field(default_factory=dict)      # location -> stride
    scratch: list = field(default_factory=list)
    given: object = None            # a user's invariant: (k, fold, block) -> {location: term}
    cells: dict = field(default_factory=dict)       # location -> (region, offset, size)
    counters: dict = field(default_factory=dict)    # variable -> its advance per iteration

    def load(self, st: SymState, loc: str) -> BV:
        """Location ``loc`` (a register or a memory cell) in ``st``."""
        cell = self.cells.get(loc)
        return st.regs[loc] if cell is None else read_cell(st.mem, cell)

    def place(self, values: dict, mem: SymMemory) -> dict:
        """Write the cells' ``values`` into ``mem``; returns the registers' values."""
        for loc, (region, off, size) in self.cells.items():
            r = mem.region(region)
            for i in range(size):
                r.bytes[off + i] = extract(values[loc], 8 * i + 7, 8 * i)
        return {loc: v for loc, v in values.items() if loc not in self.cells}

    def apply_given(self, given) -> None:
        """Let a user-supplied invariant fix the locations it names (they become
        running: their k-form is the user's, checked like any other)."""
        if given is None:
            return
        self.given = given
        named = set(given(K, self.fold_vars("k"), list(self.inputs)))
        unknown = named - set(self.base)
        if unknown:
            raise LoopShapeError(f"the supplied invariant names unknown locations: "
                                 f"{', '.join(sorted(unknown))}")
        for group in (self.invariant, self.scratch):
            group[:] = [loc for loc in group if loc not in named]
        self.affine = {loc: c for loc, c in self.affine.items() if loc not in named}
        self.running = [loc for loc in self.running if loc not in named] + sorted(named)

    def fold_vars(self, tag: str) -> list:
        return [var(f"{s.params[0]}@{tag}", s.width) for s in self.seed]

    def value(self, loc: str, k: BV, fold: list, block: list, tag: str) -> BV:
        """Location ``loc`` after ``k`` iterations, the fold there being ``fold`` and
        the current block (block ``k``) ``block``."""
        b = self.base[loc]
        if self.given is not None:
            mine = self.given(k, fold, block)
            if loc in mine:
                return mine[loc]
        if loc in self.running:
            return substitute(b, {**dict(zip(self.seed, fold)),
                                  **dict(zip(self.inputs, block)),
                                  **{v: advanced(v, s, k) for v, s in self.counters.items()}})
        if loc in self.affine:
            return add(b, mul(const(self.affine[loc] % (1 << 64), 64), k))
        if loc in self.scratch:
            return var(f"{loc}@{tag}", b.width)
        return b

    def state(self, k: BV, fold: list, block: list, tag: str) -> dict:
        return {loc: self.value(loc, k, fold, block, tag) for loc in self.base}

    def describe(self) -> str:
        """The generalised head state in words, for stuck goals and ``-v``."""
        fold = self.fold_vars("k")
        block = [var(f"block_k[{i}]", 8) for i in range(len(self.inputs))]
        lines = [f"generalised state at the loop head ({self.head:#x}, after k iterations; "
                 f"{', '.join(s.params[0] for s in fold)} = the spec folded over blocks "
                 f"0..k-1, block_k = the input's block k):"]
        for loc in self.running:
            lines.append(f"  running    {loc:5} = {short(self.value(loc, K, fold, block, 'k'), 3)}")
        for loc, c in self.affine.items():
            lines.append(f"  affine     {loc:5} = "
                         f"{short(self.value(loc, K, fold, block, 'k'), 3)}   (stride {c:+d})")
        inv = [loc for loc in self.invariant
               if self.base[loc] is not var(f"{loc}_0", self.base[loc].width)]
        for loc in inv:
            lines.append(f"  invariant  {loc:5} = {short(self.base[loc], 3)}")
        rest = len(self.invariant) - len(inv)
        lines.append(f"  invariant  {rest} more location(s) keep their entry value")
        lines.append(f"  scratch    {', '.join(self.scratch) or '(none)'} (fresh at the head)")
        return "\n".join(lines)


def advanced(counter: BV, stride: int, k: BV) -> BV:
    """``counter + stride·k`` in the counter's width, with ``k`` = ``base + c`` (``K + 1``)
    written as ``stride·base + stride·c`` so that the same count gives the same term
    (the normaliser does not distribute a product over a sum)."""
    w = counter.width
    base, c = k, 0
    if k.op == "const":
        base, c = None, k.params[0]
    elif k.op == "add" and k.args[-1].op == "const":
        base, c = (k.args[0] if len(k.args) == 2 else add(*k.args[:-1])), k.args[-1].params[0]
    low = [] if base is None else [mul(const(stride % (1 << w), w), extract(base, w - 1, 0)
                                       if base.width > w else base)]
    return add(counter, *low, const(stride * c % (1 << w), w))


def run_to(st: SymState, stop: int, return_address: BV, max_steps: int) -> BV | None:
    """Run ``st`` to the instruction at ``stop`` and execute it; returns its next-PC
    term (``None`` if the routine returned first)."""
    st.run(return_address, st.steps + max_steps, stop_at=stop)
    if st.pc is None:
        return None
    return st.step()


def derive_shape(entry: SymState, loop, seed: list, input_region: str, probe_memory,
                 return_address: BV, max_steps: int, inputs: list | None = None,
                 counters: dict | None = None) -> LoopShape:
    """Run ``entry`` to the loop head, probe one iteration (on ``probe_memory(base
    memory)``) and classify every location.  ``inputs``: block 0's bytes when they
    are not the region ``input_region`` (a constant table: placeholders).
    ``counters``: {variable: stride}, input values the loop advances by ``stride`` per
    iteration (a block counter): a location depending on one is running, with the
    variable read as ``variable + stride·k`` at iteration k."""
    entry.run(return_address, max_steps, stop_at=loop.head)
    if entry.pc != loop.head:
        raise LoopShapeError(f"the entry does not reach the loop head {loop.head:#x}")
    base = {loc: entry.regs[loc] for loc in locations(entry)}
    if inputs is None:
        region = entry.mem.region(input_region)
        inputs = [region.initial(i) for i in range(region.lo, region.hi)]
    shape = LoopShape(loop.head, loop.back_edge, loop.exit, base,
                      copy_memory(entry.mem, drop=(input_region,)), list(seed), inputs,
                      counters=dict(counters or {}))
    carried = set(seed) | set(inputs) | set(shape.counters)
    probe_fold = shape.fold_vars("probe")
    regs = {loc: substitute(b, dict(zip(seed, probe_fold))) if variables(b) & carried else b
            for loc, b in base.items()}
    probe = SymState(entry.fetch, probe_memory(entry.mem), loop.head, regs)
    try:
        run_to(probe, loop.back_edge, return_address, max_steps)
    except SymbolicError as e:
        changed = [f"  {loc:5} = {short(b, 3)}" for loc, b in base.items()
                   if b is not entry.initial.get(loc)]
        raise LoopShapeError(
            f"the probe iteration from the loop head failed: {str(e).splitlines()[0]}\n"
            f"generalised state at the loop head ({loop.head:#x}): not derived; the state "
            f"there at k = 0 (locations other than their entry value):\n" + "\n".join(changed)
        ) from None
    shape.cells = written_cells(entry.mem, probe.mem, skip=(input_region,))
    base.update({loc: read_cell(entry.mem, cell) for loc, cell in shape.cells.items()})
    decide = getattr(probe.mem, "hypotheses", None)     # e.g. a pointer chosen by csel
    for loc, b in base.items():
        after = shape.load(probe, loc)
        d = sub(after, b)
        if d.op != "const" and decide is not None and b.width == 64:
            d = sub(decide.simplify(after), b)
        if variables(b) & carried:
            shape.running.append(loc)
        elif after is b:
            shape.invariant.append(loc)
        elif d.op == "const":
            c = d.params[0]
            shape.affine[loc] = c - (1 << 64) if c >> 63 else c
        else:
            shape.scratch.append(loc)
    return shape


@dataclass(frozen=True)
class ConstantTable:
    """A folded sequence held as constants in the image instead of an input region:
    iteration k folds entry k, the ``block_bytes`` bytes at ``address +
    block_bytes·k``, for k < ``count`` = len(entries), a concrete iteration count
    (e.g. Keccak's 24 round constants).  The step and exit read entry k through a
    window of fresh bytes, so they hold for any table; ``check`` ties the table to
    ``entries``, the spec's sequence (bytes each).  ``address`` None: the loop's
    pointer into the table (``table_pointer``)."""
    entries: tuple
    address: int | None = None

    @property
    def count(self) -> int:
        return len(self.entries)

    def check(self, image, address: int, block_bytes: int, head_memory: SymMemory) -> list:
        """One result per entry: the image holds the spec's entry there, and the run
        from the entry to the loop head wrote none of its bytes."""
        from lnsym.errors import ElfError
        from lnsym.prover.engine import ObligationResult
        written = {r.anchor.params[0] + off for r in head_memory.regions
                   if r.anchor.op == "const" for off in r.bytes}
        out = []
        for k, want in enumerate(self.entries):
            at = address + block_bytes * k
            try:
                got = image.read(at, block_bytes)
            except ElfError:                # unmapped: said in the detail, never proved
                got = None
            clobbered = sorted(a for a in written if at <= a < at + block_bytes)
            ok = got == bytes(want) and not clobbered
            detail = "" if ok else (
                f"the entry code writes {clobbered[0]:#x} before the loop" if clobbered else
                f"the image holds {got.hex() if got is not None else 'nothing'} at {at:#x}, "
                f"the spec's entry is {bytes(want).hex()}")
            out.append(ObligationResult(f"table: entry {k} at {at:#x} is the spec's",
                                        "proved" if ok else "refuted", "concrete", 0.0,
                                        detail=detail))
        return out


def table_pointer(shape: LoopShape, block_bytes: int) -> int:
    """A constant table's address: the head value at k = 0 of the one location that is
    a constant there and that the probe advanced by ``block_bytes`` (e.g. Keccak's x10)."""
    found = sorted({shape.base[loc].params[0] for loc, c in shape.affine.items()
                    if c == block_bytes and shape.base[loc].op == "const"})
    if len(found) != 1:
        raise LoopShapeError(f"no single pointer into a constant table at the loop head "
                             f"{shape.head:#x} (a constant advanced by {block_bytes} per "
                             f"iteration): {len(found)} candidate(s)")
    return found[0]


class LoopShapeError(Exception):
    """The loop does not have the shape the derivation handles (said in words)."""


def block_window(name: str, anchor: BV, blocks: int, block_bytes: int,
                 extra: int = 0) -> Region:
    """Blocks k .. k + blocks - 1 of the input region ``name`` (at ``anchor``), and
    ``extra`` bytes after them (a tail read after the loop), as one read-only region
    at ``anchor + block_bytes·k`` with fresh bytes ``{name}@k[i]``."""
    start = add(anchor, mul(const(block_bytes, 64), K))
    return Region(f"{name}@k", start, 0, blocks * block_bytes + extra,
                  init=lambda off: var(f"{name}@k[{off}]", 8), writable=False)


def loop_at(image, symbol: str, head: int):
    """The loop of ``symbol`` whose head is at offset ``head``, found in the code
    reachable from the entry (following constant branches, also out of the symbol's
    own extent, e.g. into a local path such as gcm_ghash_v8_4x); the latest back
    edge to it.  ``LoopShapeError`` when no reachable branch goes back to it."""
    from lnsym.backends.cfg import Loop, static_successors
    entry = image.symbol(symbol).addr
    target, seen, todo, back = entry + head, set(), [entry], []
    while todo and len(seen) < 1 << 14:
        pc = todo.pop()
        if pc in seen:
            continue
        seen.add(pc)
        try:
            succ, _ = static_successors(int.from_bytes(image.read(pc, 4), "little"), pc)
        except Exception:          # undecodable or unmapped: reported when executed
            continue
        back += [pc for t in succ if t == target and t <= pc]
        todo += succ
    if not back:
        raise LoopShapeError(f"no branch reachable from {symbol} goes back to "
                             f"{symbol}+{head:#x}")
    return Loop(target, max(back), max(back) + 4)


__all__ = ["K", "NUM", "ConstantTable", "LoopShape", "LoopShapeError", "advanced",
           "block_window", "copy_memory", "derive_shape", "loop_at", "run_to", "table_pointer"]
