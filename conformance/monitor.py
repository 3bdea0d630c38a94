"""Case classes for the local exclusive monitor: short instruction sequences
that end in a store-exclusive which does *not* simply follow its own matching
load-exclusive.

Every sequence starts with ``LDXP X28, XZR, [Xn]`` and ``CLREX``: the harness
never leaves user mode between cases, so QEMU's monitor (address, and the
128 bits it compares against, see ``isa_specs.pseudocode.exclusive``) would
otherwise carry over from the previous case; these two instructions put it in
a known state (the model runs them too, from the same initial state).  Then,
per class (``name`` below):

- ``unpaired``: the store-exclusive alone (the monitor is open: it fails);
- ``clrex_between``: load-exclusive, CLREX, store-exclusive;
- ``other_address``: a load-exclusive of another address (``Xm`` = ``Xn`` +
  a non-zero multiple of 16), then the store-exclusive to ``[Xn]``;
- ``other_size``: a load-exclusive of another size (single or pair) from the
  same address;
- ``store_between``: load-exclusive, a normal store of the same size to the
  same address (of the loaded value or of another), store-exclusive;
- ``twice``: load-exclusive, store-exclusive, a second store-exclusive;
- ``matched``: load-exclusive and store-exclusive of one size and address.

The store-exclusive (STXR/STLXR B/H/W/X, STXP/STLXP W/X) and its registers
are random; memory bases point into the scratch buffer, 16-byte aligned.  A
case is named ``SEED:conformance.monitor:NAME:J`` like any other.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from .generate import Case, _rand_vs, _rand_xs, _scratch_ptr, entry_address
from .harness import State, land_word

MODULE = "conformance.monitor"
NAMES = ("unpaired", "clrex_between", "other_address", "other_size", "store_between",
         "twice", "matched")
CLREX = 0xD503305F
# (pair, log2 of the element size in bytes): B, H, W, X singles and W, X pairs
SHAPES = [(False, 0), (False, 1), (False, 2), (False, 3), (True, 2), (True, 3)]


@dataclass(frozen=True)
class SequenceClass:
    """Looks like an encoding to the co-simulation driver (``module``, ``name``)."""
    module: str
    name: str


CLASSES = [SequenceClass(MODULE, n) for n in NAMES]


def ldx(shape, n: int, t: int, t2: int = 31, acquire: bool = False) -> int:
    pair, size = shape
    if pair:
        return (1 << 31 | (size & 1) << 30 | 0b001000011 << 21 | 0x1F << 16 | acquire << 15
                | t2 << 10 | n << 5 | t)
    return size << 30 | 0b001000010 << 21 | 0x1F << 16 | acquire << 15 | 0x1F << 10 | n << 5 | t


def stx(shape, s: int, n: int, t: int, t2: int = 31, release: bool = False) -> int:
    pair, size = shape
    if pair:
        return (1 << 31 | (size & 1) << 30 | 0b001000001 << 21 | s << 16 | release << 15
                | t2 << 10 | n << 5 | t)
    return size << 30 | 0b001000000 << 21 | s << 16 | release << 15 | 0x1F << 10 | n << 5 | t


def plain_store(shape, n: int, t: int, t2: int) -> int:
    """STR{B,H} / STR W|X / STP W|X with no offset: the same bytes as ``shape``."""
    pair, size = shape
    if pair:
        return (0b0010100100 << 22 if size == 2 else 0b1010100100 << 22) | t2 << 10 | n << 5 | t
    return size << 30 | 0b11100100 << 22 | n << 5 | t


def _registers(rng, count: int) -> list:
    return rng.sample([r for r in range(31) if r != 28], count)


def sequence(rng, name: str) -> tuple:
    """(words, base register, {register: offset from the base})."""
    n, s, t, t2, u, u2, m = _registers(rng, 7)
    shape = rng.choice(SHAPES)
    store = stx(shape, s, n, t, t2 if shape[0] else 31, release=rng.random() < 0.5)
    load = ldx(shape, n, u, u2 if shape[0] else 31, acquire=rng.random() < 0.5)
    offsets = {}
    if name == "unpaired":
        body = [store]
    elif name == "clrex_between":
        body = [load, CLREX, store]
    elif name == "other_address":
        offsets[m] = 16 * rng.choice([-3, -2, -1, 1, 2, 3])
        body = [ldx(shape, m, u, u2 if shape[0] else 31), store]
    elif name == "other_size":
        # not a 64-bit pair store after a smaller load: QEMU then compares the upper
        # half with what the first LDXP read, which the model reproduces, but it tests
        # nothing more than the 64-bit-pair load does
        others = [sh for sh in SHAPES if sh != shape and
                  (shape != (True, 3) or sh == (True, 3))]
        other = rng.choice(others) if others else shape
        body = [ldx(other, n, u, u2 if other[0] else 31), store]
    elif name == "store_between":
        same = rng.random() < 0.5
        body = [load, plain_store(shape, n, u if same else t, u2 if same else t2), store]
    elif name == "twice":
        body = [load, store, stx(shape, s, n, t2 if shape[0] else t, t)]
    else:
        body = [load, store]
    prefix = [ldx((True, 3), n, 28, 31), CLREX]
    return prefix + body, n, offsets


def generate_case(seed: int, cls: SequenceClass, j: int, pristine: bytes,
                  backend: str = "eval") -> Case:
    from .model import run_case
    key = f"{cls.module}:{cls.name}"
    rng = random.Random(f"{seed}:{key}:{j}")
    words, n, offsets = sequence(rng, cls.name)
    stub = entry_address(j, 0)
    entry = stub + 4 * (len(words) - 1)
    words = words + [land_word(entry + 4, 1)]
    x = _rand_xs(rng)
    x[n] = _scratch_ptr(rng)
    for r, off in offsets.items():
        x[r] = x[n] + off
    x[28] = 0
    st = State(x, _scratch_ptr(rng), rng.getrandbits(4), _rand_vs(rng))
    case = Case(f"{seed}:{key}:{j}", key, words[-2], entry, stub, words, st, start=stub)
    case.model = run_case(case, pristine, backend)
    return case
