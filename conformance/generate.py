"""Random valid instruction words and input states, per encoding.

``generate_case(seed, enc, j)`` is a pure function of its arguments, so a
case is named ``SEED:MODULE:ENCODING:J`` and replayed exactly.  A word is
drawn by filling the diagram's fields at random (some edge values, and the
per-class choosers of ``constraints``), and kept when ``lnsym.decoder``
dispatches it to this same encoding, decodes it and lifts it.  The input
state is random (X registers with edge values, NZCV, all V registers), SP
and memory bases point into the scratch buffer and branch-target registers
at landing slots (see ``constraints``).  The model runs the case once here:
a branch whose target misses the landing pad is redrawn.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from isa_specs.errors import DecodeError
from lnsym.bv import variables
from lnsym.decoder import find_encoding
from lnsym.lift import lift

from . import constraints as C
from .harness import SCRATCH_BASE, SCRATCH_SIZE, STUB_AREA, STUB_AREA_END, State, land_word

STRIDE = 1024                                   # bytes per case stub
SLOTS = (STUB_AREA_END - STUB_AREA) // STRIDE   # distinct stub addresses
BATCH_MAX = 4000                                # cases per harness process (< SLOTS)
TRIES = 400

X_EDGES = (0, 1, 2, (1 << 64) - 1, 1 << 63, (1 << 63) - 1, 0xFFFFFFFF, 0x80000000,
           0x7FFFFFFF, 0x100000000, 0xFFFFFFFF00000000)
V_EDGES = (0, (1 << 128) - 1, 1 << 127, int("80" * 16, 16), int("7f" * 16, 16),
           int("0000000080000000" * 2, 16), int("ffffffff00000000" * 2, 16))


class NoValidWord(Exception):
    pass


@dataclass
class Case:
    id: str
    enc: object         # isa_specs.encoding.Encoding
    word: int
    entry: int          # address of the instruction under test
    stub_addr: int
    words: list         # the stub: landing slots and the instruction
    state: State
    model: object = None    # model Outcome

    @property
    def key(self) -> str:
        return enc_key(self.enc)


def enc_key(enc) -> str:
    return f"{enc.module}:{enc.name}"


def pristine_scratch(seed: int) -> bytes:
    return random.Random(f"{seed}:scratch").randbytes(SCRATCH_SIZE)


def _field_value(rng, width, chooser):
    if chooser is not None:
        return chooser(rng)
    r = rng.random()
    if r < 0.05:
        return 0
    if r < 0.10:
        return (1 << width) - 1
    return rng.getrandbits(width)


def random_word(rng, enc):
    """(word, summary) for a random word of ``enc`` (raises NoValidWord)."""
    choosers = C.field_choosers(enc.module)
    rules = C.word_rules(enc.module)
    for _ in range(TRIES):
        fields = {name: _field_value(rng, w, choosers.get(name)) for name, _, w in enc.fields}
        if not all(rule(fields) for rule in rules):
            continue
        word = enc.assemble(**fields)
        if find_encoding(word) is not enc:
            continue
        try:
            s = lift(word)
        except DecodeError:
            continue
        if "x28" in s.writes or "x28" in s.reads:
            continue
        return word, s
    raise NoValidWord(f"no valid word of {enc_key(enc)} found in {TRIES} tries")


def _rand_x(rng) -> int:
    r = rng.random()
    if r < 0.15:
        return rng.choice(X_EDGES)
    if r < 0.30:
        return rng.randrange(256)
    if r < 0.35:
        return -rng.randrange(1, 256) & ((1 << 64) - 1)
    return rng.getrandbits(64)


def _rand_v(rng) -> int:
    if rng.random() < 0.1:
        return rng.choice(V_EDGES)
    return rng.getrandbits(128)


def _scratch_ptr(rng) -> int:
    return SCRATCH_BASE + 2048 + 16 * rng.randint(-32, 32)


def entry_address(j: int, before: int) -> int:
    return STUB_AREA + (j % SLOTS) * STRIDE + 4 * before


def generate_case(seed: int, enc, j: int, pristine: bytes | None = None) -> Case:
    """Case ``j`` of encoding ``enc`` for ``seed`` (with its model outcome)."""
    from .model import run_case
    rng = random.Random(f"{seed}:{enc_key(enc)}:{j}")
    if pristine is None:
        pristine = pristine_scratch(seed)
    for _ in range(TRIES):
        word, s = random_word(rng, enc)
        addr_vars = {v.params[0] for m in s.mem for v in variables(m.addr)}
        pc_vars = {v.params[0] for v in variables(s.next_pc)} if s.next_pc is not None else set()
        padded = s.next_pc is not None or "pc" in addr_vars
        before, after = (C.PAD, C.PAD) if padded else (0, 1)
        entry = entry_address(j, before)
        stub = entry - 4 * before
        words = [land_word(stub + 4 * i, i - before) for i in range(before + 1 + after)]
        words[before] = word
        x = [_rand_x(rng) for _ in range(31)]
        sp = _scratch_ptr(rng)
        fields = enc.extract(word)
        base = f"x{fields['Rn']}" if "Rn" in fields else None
        for name in sorted(addr_vars):
            if name[0] == "x" and name[1:].isdigit():
                i = int(name[1:])
                if name == base:
                    x[i] = _scratch_ptr(rng)
                else:
                    x[i] = rng.randrange(33) * rng.choice((1, 1, 1, 2, 4, 8))
        for name in sorted(pc_vars):
            if name[0] == "x" and name[1:].isdigit():
                k = rng.choice([i for i in range(-C.BRANCH_REACH, C.BRANCH_REACH + 1) if i])
                x[int(name[1:])] = entry + 4 * k
        x[28] = 0
        st = State(x, sp, rng.getrandbits(4), [_rand_v(rng) for _ in range(32)])
        case = Case(f"{seed}:{enc_key(enc)}:{j}", enc, word, entry, stub, words, st)
        case.model = run_case(case, pristine)
        m = case.model
        if m.fault is None and (m.slot is None or m.slot == 0 or not -before <= m.slot <= after):
            continue                    # a branch that misses the landing pad: redraw
        return case
    raise NoValidWord(f"no case of {enc_key(enc)} lands in the harness in {TRIES} tries")
