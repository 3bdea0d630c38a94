"""The term node: an immutable, width-typed, hash-consed bit-vector term.

``BV`` objects are built only through ``_mk`` (one object per structure, so
``a is b`` is structural equality) by the smart constructors of
``lnsym.terms.bv``; the Python operators on ``BV`` call those constructors.
"""
from __future__ import annotations

import gc
import itertools


class WidthError(TypeError):
    """Operands of mismatched or invalid bit widths."""


class SymbolicBranchError(TypeError):
    """A Python truth test on a term that is not a constant."""


def mask(width: int) -> int:
    return (1 << width) - 1


def to_signed(value: int, width: int) -> int:
    return value - (1 << width) if value >> (width - 1) & 1 else value


_table: dict = {}
_ids = itertools.count()

# Every term stays in ``_table`` for the life of the process, and a proof builds
# millions; CPython's default collector thresholds (700, 10, 10) rescan them, one
# young collection per 700 allocations: a third of the CPU time of gcm_ghash_v8's
# every-length proof (3.5 of 9.8 s).  Terms hold no cycles, so collecting rarely
# loses nothing; short-lived cycles elsewhere are still collected.
_GC_THRESHOLDS = (100_000, 50, 100)


def relax_gc() -> None:
    """Raise the collector's thresholds to ``_GC_THRESHOLDS`` (never lower them)."""
    now = gc.get_threshold()
    if now[0] == 0:                  # automatic collection switched off: leave it so
        return
    gc.set_threshold(*(max(a, b) for a, b in zip(now, _GC_THRESHOLDS)))


relax_gc()


class BV:
    """A bit-vector term.  Build with the module's constructors, never directly."""

    __slots__ = ("op", "width", "args", "params", "id", "__weakref__")

    def __init__(self, op, width, args, params):
        self.op = op
        self.width = width
        self.args = args
        self.params = params
        self.id = next(_ids)

    # -- identity: structurally equal terms are one object -------------------
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        if self.op == "const":
            return self.params[0] != 0
        raise SymbolicBranchError(f"truth value of a symbolic term of width {self.width}: {self!r}")

    def __int__(self):
        if self.op == "const":
            return self.params[0]
        raise SymbolicBranchError(f"integer value of a symbolic term: {self!r}")

    __index__ = __int__

    @property
    def value(self) -> int:
        return int(self)

    def __repr__(self):
        from lnsym.terms.pretty import short
        return short(self)

    def __len__(self):
        return self.width

    # -- operators ----------------------------------------------------------------
    def _coerce(self, other):
        if isinstance(other, BV):
            return other
        if isinstance(other, int):
            return _c.const(other, self.width)
        return NotImplemented

    def __add__(self, o):
        return _c.add(self, self._coerce(o))

    __radd__ = __add__

    def __sub__(self, o):
        return _c.sub(self, self._coerce(o))

    def __rsub__(self, o):
        return _c.sub(self._coerce(o), self)

    def __mul__(self, o):
        return _c.mul(self, self._coerce(o))

    __rmul__ = __mul__

    def __and__(self, o):
        return _c.and_(self, self._coerce(o))

    __rand__ = __and__

    def __or__(self, o):
        return _c.or_(self, self._coerce(o))

    __ror__ = __or__

    def __xor__(self, o):
        return _c.xor(self, self._coerce(o))

    __rxor__ = __xor__

    def __invert__(self):
        return _c.not_(self)

    def __neg__(self):
        return _c.neg(self)

    def __lshift__(self, k):
        return _c.shl(self, k) if isinstance(k, int) else _c.shl_var(self, k)

    def __rshift__(self, k):
        return _c.lshr(self, k) if isinstance(k, int) else _c.lshr_var(self, k)

    def __getitem__(self, key):
        """``t[hi:lo]`` is ASL's ``t<hi:lo>``; ``t[i]`` is bit i."""
        if isinstance(key, slice):
            return _c.extract(self, key.start, key.stop)
        return _c.extract(self, key, key)


def _mk(op, width, args=(), params=()):
    key = (op, width, args, params)
    t = _table.get(key)
    if t is None:
        t = BV(op, width, args, params)
        _table[key] = t
    return t


def term_count() -> int:
    """Number of distinct terms built so far (for statistics)."""
    return len(_table)


def _check_width(width):
    if not isinstance(width, int) or width <= 0:
        raise WidthError(f"invalid bit width {width!r}")


def _same(op, xs):
    w = xs[0].width
    for x in xs:
        if not isinstance(x, BV):
            raise TypeError(f"{op}: expected a term, got {x!r}")
        if x.width != w:
            raise WidthError(f"{op}: operand widths differ ({w} and {x.width})")
    return w


def is_const(t: BV) -> bool:
    return t.op == "const"


# The operators on BV resolve the constructors at call time: bv imports this module.
from lnsym.terms import bv as _c  # noqa: E402
