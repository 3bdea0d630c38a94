"""Running one routine on many lanes in lockstep.

Blocks are composed exactly as for the single-input backend
(``concrete.compose_block``) and emitted as numpy code over limbs
(``emit``).  The state of a group of lanes is a dict: location name -> tuple
of limbs, for every location in ``LOCATION_WIDTHS`` except the PC, so new
machine-state locations need nothing here.  When a block's next PC differs
between lanes, the group splits by target and each part runs on by itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from lnsym.backends.batch.emit import RUNTIME, BatchEmitter, const_limbs, free_dead, nlimbs
from lnsym.backends.batch.memory import BatchMemory, uniform
from lnsym.backends.concrete import MAX_BLOCK, StepLimit, compose_block
from lnsym.machine.lift import LOCATION_WIDTHS
from lnsym.machine.memory import Memory
from lnsym.terms.bv import var

STATE_LOCATIONS = [loc for loc in LOCATION_WIDTHS if loc != "pc"]


def _local(loc: str) -> str:
    return "r_" + re.sub(r"\W", "_", loc)


@dataclass
class BatchBlock:
    start: int
    n: int
    fn: object            # fn(R, M) -> next pc (int, or one per lane)
    source: str


def compile_batch_block(code: Memory, start: int, limit: int = MAX_BLOCK,
                        pauth: str = "on") -> BatchBlock:
    start, n, env, pieces, next_pc, lets = compose_block(code, start, limit, pauth)
    inputs = {loc: tuple(f"{_local(loc)}_{j}" for j in range(nlimbs(LOCATION_WIDTHS[loc])))
              for loc in STATE_LOCATIONS}
    em = BatchEmitter({var(loc, LOCATION_WIDTHS[loc]): inputs[loc] for loc in STATE_LOCATIONS},
                      lets=lets)
    for kind, pc, addr, size, value in pieces:
        a = em.value(addr)[0]
        if kind == "r":
            names = tuple(f"{value.params[0]}_{j}" for j in range(nlimbs(8 * size)))
            em.lines.append(f"{', '.join(names)}, = M.read({a}, {size}, {pc:#x})")
            em.bind(value, names)
        else:
            em.lines.append(f"M.write({a}, {size}, ({', '.join(em.value(value))},), {pc:#x})")
    outs = [(loc, em.value(t)) for loc, t in env.items()
            if t is not var(loc, LOCATION_WIDTHS[loc])]
    ret = em.value(next_pc)[0]
    text = "\n".join(em.lines) + " ".join(" ".join(e) for _, e in outs) + " " + ret
    lines = ["def block(R, M):"]
    for loc in STATE_LOCATIONS:
        if _local(loc) + "_" in text:
            lines.append(f"    {', '.join(inputs[loc])}, = R[{loc!r}]")
    lines += [f"    {ln}" for ln in free_dead(em.lines, text[len("\n".join(em.lines)):])]
    lines += [f"    R[{loc!r}] = ({', '.join(e)},)" for loc, e in outs]
    lines.append(f"    return {ret}")
    source = "\n".join(lines)
    ns = dict(RUNTIME)
    ns.update(em.constants)
    exec(compile(source, f"<batch block {start:#x}>", "exec"), ns)
    return BatchBlock(start, n, ns["block"], source)


@dataclass
class LaneGroup:
    """Lanes that followed one path: their indices into the batch, state and memory."""
    lanes: np.ndarray
    regs: dict
    memory: BatchMemory
    pc: int
    steps: int = 0


def initial_regs(values: dict, lanes: int) -> dict:
    """Location -> limbs, every location zero unless ``values`` gives it (see ``to_limbs``)."""
    regs = {loc: tuple(0 for _ in range(nlimbs(LOCATION_WIDTHS[loc]))) for loc in STATE_LOCATIONS}
    for loc, v in values.items():
        if loc not in regs:
            raise KeyError(loc)
        regs[loc] = to_limbs(v, LOCATION_WIDTHS[loc], lanes)
    return regs


def to_limbs(value, width: int, lanes: int) -> tuple:
    """An int (all lanes), a sequence of ints (one per lane) or a ``uint64`` array of shape
    ``(lanes,)`` or ``(lanes, limbs)`` -> a tuple of limbs masked to ``width``."""
    n = nlimbs(width)
    if isinstance(value, (int, np.integer)):
        return tuple(int(x, 16) for x in const_limbs(int(value) & ((1 << width) - 1), width))
    arr = value if isinstance(value, np.ndarray) else np.asarray(value, dtype=object)
    if arr.dtype.kind not in "uiO" or arr.ndim not in (1, 2) or (arr.dtype == object and arr.ndim != 1):
        raise ValueError(f"expected one integer per lane for a {width}-bit register, "
                         f"got an array of {arr.dtype} with shape {arr.shape}")
    if arr.ndim == 1 and (arr.dtype == object or arr.dtype.kind == "i"):
        ints = [int(v) & ((1 << width) - 1) for v in arr]    # two's complement, as CpuState.set
        cols = np.array([[(v >> (64 * j)) & ((1 << 64) - 1) for j in range(n)] for v in ints],
                        dtype=np.uint64).reshape(len(ints), n)
    else:
        cols = arr.astype(np.uint64).reshape(arr.shape[0], -1)
        if arr.ndim == 1 and n > 1:                  # one int per lane, below 2**64
            cols = np.concatenate([cols, np.zeros((len(cols), n - 1), np.uint64)], axis=1)
    if cols.shape != (lanes, n):
        raise ValueError(f"expected {lanes} values of {width} bits, got shape {arr.shape}")
    top = (1 << (width - 64 * (n - 1))) - 1
    limbs = [cols[:, j].copy() for j in range(n)]
    limbs[-1] &= np.uint64(top)
    return tuple(limbs)


class BatchExecutor:
    """Runs lane groups over the code in ``code``; compiled blocks are cached by PC."""

    def __init__(self, code: Memory, pauth: str = "on"):
        self.code = code
        self.pauth = pauth           # pointer authentication mode (lnsym.machine.lift.lift)
        self.blocks: dict[int, BatchBlock] = {}
        self.singles: dict[int, BatchBlock] = {}

    def block_at(self, pc: int, single: bool = False) -> BatchBlock:
        cache = self.singles if single else self.blocks
        b = cache.get(pc)
        if b is None:
            b = cache[pc] = compile_batch_block(self.code, pc, 1 if single else MAX_BLOCK,
                                                   self.pauth)
        return b

    def run(self, group: LaneGroup, stop_pc: int, max_steps: int) -> list[LaneGroup]:
        """Run ``group`` until every lane reaches ``stop_pc``; the groups it ended in."""
        done, todo = [], [group]
        while todo:
            g = todo.pop()
            self._run_group(g, stop_pc, max_steps, todo)
            if g.pc == stop_pc:
                done.append(g)
        done.sort(key=lambda g: int(g.lanes[0]) if len(g.lanes) else 0)
        return done

    def _run_group(self, g: LaneGroup, stop_pc: int, max_steps: int, todo: list) -> None:
        blocks = self.blocks
        while g.pc != stop_pc:
            b = blocks.get(g.pc)
            if b is None:
                b = self.block_at(g.pc)
            if g.steps + b.n > max_steps:
                b = self.block_at(g.pc, single=True)
                if g.steps + 1 > max_steps:
                    raise StepLimit(f"the routine did not return within {max_steps} "
                                    f"instructions (stopped at {g.pc:#x})")
            nxt = uniform(b.fn(g.regs, g.memory))
            g.steps += b.n
            if type(nxt) is int:
                g.pc = nxt
                continue
            targets = np.unique(nxt).tolist()
            for t in targets[1:]:
                todo.append(_split(g, nxt == np.uint64(t), int(t)))
            _narrow(g, nxt == np.uint64(targets[0]), int(targets[0]))
            if g.pc == stop_pc:
                return


def _take(limbs: tuple, sel) -> tuple:
    return tuple(x[sel] if type(x) is np.ndarray else x for x in limbs)


def _split(g: LaneGroup, sel, pc: int) -> LaneGroup:
    return LaneGroup(g.lanes[sel], {k: _take(v, sel) for k, v in g.regs.items()},
                     g.memory.subset(sel), pc, g.steps)


def _narrow(g: LaneGroup, sel, pc: int) -> None:
    part = _split(g, sel, pc)
    g.lanes, g.regs, g.memory, g.pc = part.lanes, part.regs, part.memory, pc
