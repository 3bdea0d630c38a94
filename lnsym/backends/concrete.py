"""The concrete backend: instruction summaries compiled to Python, per basic block.

A block is the straight-line run of instructions from a PC up to the first
one whose next PC is not simply ``pc + 4``.  Its summaries are composed over
placeholder inputs (so a ``mov`` chain costs nothing) and the resulting
terms are emitted once as Python source, with registers in local variables
and memory accesses in program order.  Blocks are cached by start PC.
"""
from __future__ import annotations

from dataclasses import dataclass

from isa_specs.errors import DecodeError
from lnsym.machine.lift import LOCATION_WIDTHS, MONITOR_WIDTHS, PC, lift
from lnsym.machine.memory import Memory, MemoryFault
from lnsym.terms.bv import const, substitute, var
from lnsym.terms.codegen import RUNTIME, Emitter

MAX_BLOCK = 256


class ExecutionError(Exception):
    """A run that cannot go on: the message is one sentence for the user."""


class StepLimit(ExecutionError):
    pass


class CpuState:
    """Registers: ``x[0..30]`` and ``x[31]`` = SP; ``v[0..31]`` 128-bit; ``nzcv`` 4-bit;
    ``pc``; the local exclusive monitor ``excl_open/addr/size/val`` (``lnsym.machine.lift``),
    which starts in the Open Access state, as after the exception return into a process."""

    __slots__ = ("x", "v", "nzcv", "pc", *MONITOR_WIDTHS)

    def __init__(self):
        self.x = [0] * 32
        self.v = [0] * 32
        self.nzcv = 0
        self.pc = 0
        for name in MONITOR_WIDTHS:
            setattr(self, name, 0)

    @property
    def sp(self) -> int:
        return self.x[31]

    @sp.setter
    def sp(self, value: int) -> None:
        self.x[31] = value

    def get(self, name: str) -> int:
        """A register by location name: ``x0``..``x30``, ``sp``, ``v0``..``v31``, ``nzcv``, ``pc``."""
        if name == "sp":
            return self.x[31]
        if name in ("nzcv", "pc") or name in MONITOR_WIDTHS:
            return getattr(self, name)
        if name[0] == "x" and name != "x31":
            return self.x[int(name[1:])]
        if name[0] == "v":
            return self.v[int(name[1:])]
        raise KeyError(name)

    def set(self, name: str, value: int) -> None:
        if name not in LOCATION_WIDTHS:
            raise KeyError(name)
        value &= (1 << LOCATION_WIDTHS[name]) - 1
        if name == "sp":
            self.x[31] = value
        elif name in ("nzcv", "pc") or name in MONITOR_WIDTHS:
            setattr(self, name, value)
        elif name[0] == "x":
            self.x[int(name[1:])] = value
        else:
            self.v[int(name[1:])] = value

    def copy(self) -> "CpuState":
        c = CpuState()
        c.x, c.v, c.nzcv, c.pc = list(self.x), list(self.v), self.nzcv, self.pc
        for name in MONITOR_WIDTHS:
            setattr(c, name, getattr(self, name))
        return c

    def as_dict(self) -> dict:
        d = {f"x{i}": self.x[i] for i in range(31)}
        d["sp"] = self.x[31]
        d.update({f"v{i}": self.v[i] for i in range(32)})
        d["nzcv"] = self.nzcv
        d["pc"] = self.pc
        return d

    def locations(self) -> dict:
        """Every location of ``LOCATION_WIDTHS``: the registers and the monitor."""
        d = self.as_dict()
        d.update({name: getattr(self, name) for name in MONITOR_WIDTHS})
        return d


def _local(name: str) -> str:
    return "r_" + name


def _storage(name: str) -> str:
    if name == "sp":
        return "X[31]"
    if name == "nzcv" or name in MONITOR_WIDTHS:
        return f"S.{name}"
    if name[0] == "x":
        return f"X[{name[1:]}]"
    return f"V[{name[1:]}]"


@dataclass
class Block:
    start: int
    n: int                 # instructions
    fn: object             # fn(S, M) -> next pc
    source: str


def fetch_word(mem: Memory, pc: int) -> int:
    if pc & 3:
        raise ExecutionError(f"branch to misaligned address {pc:#x}")
    try:
        return mem.read(pc, 4)
    except MemoryFault:
        raise ExecutionError(f"jump to unmapped address {pc:#x}") from None


def compile_block(mem: Memory, start: int, limit: int = MAX_BLOCK, pauth: str = "on") -> Block:
    return _emit(*compose_block(mem, start, limit, pauth))


def compose_block(mem: Memory, start: int, limit: int = MAX_BLOCK, pauth: str = "on") -> tuple:
    """The block at ``start`` as composed summaries, for any backend to emit:
    ``(start, n, env, pieces, next_pc, lets)`` -- location -> term, memory accesses
    ``(kind, pc, addr, size, value)`` in program order, the next-PC term, and the
    cut variables (see ``_cut``)."""
    env = {name: var(name, w) for name, w in LOCATION_WIDTHS.items() if name != "pc"}
    pieces = []                 # ('r'|'w', pc, addr, size, value)
    lets: dict = {}             # cut variable -> the term it stands for
    next_pc = None
    pc = start
    n = 0
    loads = 0
    while n < limit:
        try:
            word = fetch_word(mem, pc)
            s = lift(word, pc, pauth)
        except (DecodeError, ExecutionError):
            if n == 0:
                raise
            break                # the failing instruction starts its own block
        mapping = {var(loc, w): env[loc] for loc, w in LOCATION_WIDTHS.items() if loc != "pc"}
        mapping[PC] = const(pc, 64)
        memo: dict = {}
        for op in s.mem:
            if op.kind == "r":
                mapping[op.value] = var(f"ld{loads}", op.value.width)
                loads += 1
        memo.update(mapping)
        for choice, concrete in (s.choices or {}).items():     # QEMU's outcome
            memo[choice] = substitute(concrete, {}, memo)
        for op in s.mem:
            addr = substitute(op.addr, {}, memo)
            pieces.append((op.kind, pc, addr, op.size, memo[op.value] if op.kind == "r"
                           else substitute(op.value, {}, memo)))
        for loc, t in s.writes.items():
            env[loc] = _cut(substitute(t, {}, memo), lets)
        n += 1
        if s.next_pc is not None:
            next_pc = substitute(s.next_pc, {}, memo)
            if next_pc.op == "const" and next_pc.params[0] == pc + 4:
                next_pc = None
            else:
                break
        pc += 4
    if next_pc is None:
        next_pc = const(start + 4 * n, 64)
    return start, n, env, pieces, next_pc, lets


def _cut(t, lets: dict):
    """A register value written by one instruction, as seen by the next ones.

    Composing summaries lets the term normaliser fold a ``mov`` chain away, but
    it also flattens sums across instructions (``a + b`` then ``(a + b) + c``),
    which loses sharing: a block of SHA rounds becomes a tower of ever longer
    sums.  So a written value that is not a variable or a constant is cut: the
    next instructions see a fresh variable standing for it, emitted (once, when
    used) as a local of the compiled block.  The value computed is the same.
    """
    if t.op in ("var", "const"):
        return t
    v = var(f"c{len(lets)}", t.width)
    lets[v] = t
    return v


def _emit(start, n, env, pieces, next_pc, lets=None) -> Block:
    em = Emitter({var(loc, w): _local(loc) for loc, w in LOCATION_WIDTHS.items() if loc != "pc"},
                 lets=lets)
    for kind, pc, addr, size, value in pieces:
        a = em.value(addr)
        if kind == "r":
            name = value.params[0]
            em.lines.append(f"{name} = M.read({a}, {size}, {pc:#x})")
            em.bind(value, name)
        else:
            em.lines.append(f"M.write({a}, {size}, {em.value(value)}, {pc:#x})")
    outs = []
    for loc, t in env.items():
        if t is not var(loc, LOCATION_WIDTHS[loc]):
            outs.append((loc, em.value(t)))
    ret = em.value(next_pc)
    body = em.lines
    used = set()
    text = "\n".join(body) + " " + " ".join(e for _, e in outs) + " " + ret
    for loc in LOCATION_WIDTHS:
        if loc != "pc" and _local(loc) in text:
            used.add(loc)
    lines = ["def block(S, M):", "    X = S.x", "    V = S.v"]
    lines += [f"    {_local(loc)} = {_storage(loc)}" for loc in sorted(used)]
    lines += [f"    {ln}" for ln in body]
    lines += [f"    {_storage(loc)} = {e}" for loc, e in outs]
    lines.append(f"    return {ret}")
    source = "\n".join(lines)
    ns = dict(RUNTIME)
    ns.update(em.constants)
    exec(compile(source, f"<block {start:#x}>", "exec"), ns)
    return Block(start, n, ns["block"], source)


class Executor:
    """Runs code in ``mem`` on a ``CpuState``; compiled blocks are cached by PC."""

    def __init__(self, mem: Memory, pauth: str = "on"):
        self.mem = mem
        self.pauth = pauth           # pointer authentication mode (lnsym.machine.lift.lift)
        self.blocks: dict[int, Block] = {}
        self.singles: dict[int, Block] = {}

    def block_at(self, pc: int, single: bool = False) -> Block:
        cache = self.singles if single else self.blocks
        b = cache.get(pc)
        if b is None:
            b = cache[pc] = compile_block(self.mem, pc, 1 if single else MAX_BLOCK, self.pauth)
        return b

    def step(self, st: CpuState) -> None:
        """Execute exactly one instruction."""
        b = self.block_at(st.pc, single=True)
        st.pc = b.fn(st, self.mem)

    def run(self, st: CpuState, stop_pc: int, max_steps: int) -> int:
        """Run until ``st.pc == stop_pc``; returns the number of instructions executed."""
        steps = 0
        mem = self.mem
        blocks = self.blocks
        pc = st.pc
        try:
            while pc != stop_pc:
                b = blocks.get(pc)
                if b is None:
                    b = self.block_at(pc)
                if steps + b.n > max_steps:
                    while pc != stop_pc and steps < max_steps:
                        pc = self.block_at(pc, single=True).fn(st, mem)
                        steps += 1
                    if pc != stop_pc:
                        st.pc = pc
                        raise StepLimit(f"the routine did not return within {max_steps} "
                                        f"instructions (stopped at {pc:#x})")
                    break
                pc = b.fn(st, mem)
                steps += b.n
        finally:
            st.pc = pc
        return steps
