"""Lifting: an instruction's execute() run once over placeholder state.

The result, a ``Summary``, says for one instruction word which locations it
writes (each a term over the locations it reads, named ``x0``..``x30``,
``sp``, ``v0``..``v31``, ``nzcv``, the local exclusive monitor ``excl_*``
and ``pc``), its memory accesses in program order, and its next PC
(``None`` for fall-through).  Every backend consumes summaries; they depend
only on the word (the PC is an input variable), so each word is lifted once
per process.

The local exclusive monitor (Arm ARM B2.9, one PE) is machine state like a
register: ``excl_open`` (1: Exclusive Access state, 0: Open Access state),
``excl_addr`` and ``excl_size`` (the marked address and the size in bytes
of the load-exclusive) and ``excl_val`` (the 128 bits the load-exclusive
read; only QEMU's concrete choice for the IMPLEMENTATION DEFINED cases
uses it, see ``isa_specs.pseudocode.exclusive``).

Where the architecture leaves an outcome open, the semantics call
``ConstrainedUnpredictable(label, concrete)``: the summary gets a fresh
1-bit *choice* variable, listed in ``Summary.choices`` with the value the
concrete backends give it (what QEMU does).  The symbolic backend gives
every such choice a fresh symbolic variable instead, so a proof must hold
for both outcomes.  A backend that ignores ``choices`` fails on an unbound
variable: it cannot pick an outcome silently.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from isa_specs.errors import DecodeError
from lnsym.machine.decoder import decode
from lnsym.terms import bv
from lnsym.terms.bv import BV, const, extract, var, zero_extend

MONITOR_WIDTHS = {"excl_open": 1, "excl_addr": 64, "excl_size": 8, "excl_val": 128}
LOCATION_WIDTHS = {**{f"x{i}": 64 for i in range(31)}, "sp": 64,
                   **{f"v{i}": 128 for i in range(32)}, "nzcv": 4, **MONITOR_WIDTHS,
                   "pc": 64}
PC = var("pc", 64)


@dataclass(frozen=True)
class MemOp:
    """One memory access: ``kind`` 'r' (``value`` is the placeholder read) or 'w'."""
    kind: str
    addr: BV
    size: int        # bytes
    value: BV


@dataclass(frozen=True)
class Summary:
    word: int
    inst: object                 # the decoded instruction record
    writes: dict                 # location name -> term
    mem: tuple                   # MemOp, in program order
    next_pc: BV | None           # None: fall through to pc + 4
    choices: dict = None         # choice variable -> its concrete (QEMU) value term

    @property
    def reads(self) -> set:
        terms = list(self.writes.values()) + [m.addr for m in self.mem] + \
            [m.value for m in self.mem if m.kind == "w"]
        if self.next_pc is not None:
            terms.append(self.next_pc)
        terms += list((self.choices or {}).values())
        return {v.params[0] for v in bv.variables(*terms) if v.params[0] in LOCATION_WIDTHS}

    @cached_property
    def read_vars(self) -> tuple:
        """(name, variable) of each location read, pc excepted: what an executor maps
        to the machine's values when it instantiates the summary (once per word)."""
        return tuple((n, var(n, LOCATION_WIDTHS[n])) for n in sorted(self.reads) if n != "pc")


class LiftState:
    """The machine interface instruction semantics execute against (see DESIGN.md)."""

    def __init__(self, pauth: str = "on"):
        self.pauth = pauth           # "on": FEAT_PAuth enabled, keys unknown; "off": absent
        self.writes: dict = {}
        self.mem: list = []
        self.next_pc = None
        self._loads = 0
        self.choices: dict = {}

    def _get(self, name: str) -> BV:
        t = self.writes.get(name)
        return t if t is not None else var(name, LOCATION_WIDTHS[name])

    # general-purpose registers; register 31 is the zero register here
    def X(self, n: int, width: int = 64) -> BV:
        if n == 31:
            return const(0, width)
        return extract(self._get(f"x{n}"), width - 1, 0)

    def set_X(self, n: int, value: BV) -> None:
        """Write X[n] (a 32-bit value zero-extends, as W registers do); 31 discards."""
        if value.width not in (32, 64):
            raise bv.WidthError(f"X[{n}] written with a {value.width}-bit value")
        if n != 31:
            self.writes[f"x{n}"] = zero_extend(value, 64)

    def SP(self, width: int = 64) -> BV:
        return extract(self._get("sp"), width - 1, 0)

    def set_SP(self, value: BV) -> None:
        self.writes["sp"] = zero_extend(value, 64)

    # SIMD&FP registers
    def V(self, n: int, width: int = 128) -> BV:
        return extract(self._get(f"v{n}"), width - 1, 0)

    def set_V(self, n: int, value: BV) -> None:
        """Write V[n]; narrower values zero the rest of the register, as in the ASL."""
        self.writes[f"v{n}"] = zero_extend(value, 128)

    # PSTATE.{N,Z,C,V} as one 4-bit field, N most significant
    def NZCV(self) -> BV:
        return self._get("nzcv")

    def set_NZCV(self, value: BV) -> None:
        if value.width != 4:
            raise bv.WidthError("NZCV takes a 4-bit value")
        self.writes["nzcv"] = value

    def PC(self) -> BV:
        return PC

    def BranchTo(self, target: BV) -> None:
        self.next_pc = target

    # the local exclusive monitor: field is "open", "addr", "size" or "val"
    def ExclusiveMonitor(self, field: str) -> BV:
        return self._get(f"excl_{field}")

    def set_ExclusiveMonitor(self, field: str, value: BV) -> None:
        name = f"excl_{field}"
        if value.width != LOCATION_WIDTHS[name]:
            raise bv.WidthError(f"{name} written with a {value.width}-bit value")
        self.writes[name] = value

    def ConstrainedUnpredictable(self, label: str, concrete: BV) -> BV:
        """A 1-bit outcome the architecture leaves open: a choice variable whose
        concrete value is ``concrete`` (see the module docstring)."""
        if concrete.width != 1:
            raise bv.WidthError("a choice is a 1-bit value")
        v = var(f"choice{len(self.choices)}:{label}", 1)
        self.choices[v] = concrete
        return v

    # memory: little-endian, ``size`` bytes
    def Mem(self, addr: BV, size: int) -> BV:
        v = bv.placeholder(f"mem{self._loads}", 8 * size)   # the loaded value
        self._loads += 1
        self.mem.append(MemOp("r", addr, size, v))
        return v

    def set_Mem(self, addr: BV, size: int, value: BV) -> None:
        if value.width != 8 * size:
            raise bv.WidthError(f"a {size}-byte store of a {value.width}-bit value")
        self.mem.append(MemOp("w", addr, size, value))


_cache: dict = {}


PAUTH_MODES = ("on", "off")


def lift(word: int, address: int | None = None, pauth: str = "on") -> Summary:
    """The summary of ``word`` (cached) with pointer authentication ``pauth`` ("on":
    enabled, keys unknown, the default; "off": a CPU without FEAT_PAuth).  Raises
    DecodeError naming word and address."""
    key = word if pauth == "on" else (word, pauth)
    s = _cache.get(key)
    if s is None:
        if pauth not in PAUTH_MODES:
            raise ValueError(f"pauth must be one of {PAUTH_MODES}, not {pauth!r}")
        inst = decode(word, address)
        st = LiftState(pauth)
        try:
            inst.execute(st)
        except DecodeError as e:     # an execute-time Unimplemented/Unallocated
            raise e.located(word, address, e.text) from None
        s = Summary(word, inst, st.writes, tuple(st.mem), st.next_pc, st.choices)
        _cache[key] = s
    return s
