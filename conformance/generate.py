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
import struct
from dataclasses import dataclass

from isa_specs.errors import DecodeError, Unimplemented
from lnsym.machine.decoder import find_encoding
from lnsym.machine.lift import lift
from lnsym.terms.bv import variables

from . import constraints as C
from .harness import (
    SCRATCH_BASE,
    SCRATCH_SIZE,
    STUB_AREA,
    STUB_AREA_END,
    State,
    land_word,
)

STRIDE = 1024                                   # bytes per case stub
SLOTS = (STUB_AREA_END - STUB_AREA) // STRIDE   # distinct stub addresses
BATCH_MAX = 4000                                # cases per harness process (< SLOTS)
TRIES = 400
STATES_PER_WORD = 4
POOL_TRIES = 20000
POOL_SIZE = 64

X_EDGES = (0, 1, 2, (1 << 64) - 1, 1 << 63, (1 << 63) - 1, 0xFFFFFFFF, 0x80000000,
           0x7FFFFFFF, 0x100000000, 0xFFFFFFFF00000000)
V_EDGES = (0, (1 << 128) - 1, 1 << 127, int("80" * 16, 16), int("7f" * 16, 16),
           int("0000000080000000" * 2, 16), int("ffffffff00000000" * 2, 16))


class NoValidWord(Exception):
    pass


@dataclass
class Case:
    id: str
    key: str            # MODULE:ENCODING
    word: int
    entry: int          # address of the instruction under test
    stub_addr: int
    words: list         # the stub: landing slots and the instruction
    state: State
    model: object = None    # model Outcome
    start: int = 0          # where the harness starts (entry, or a prelude before it)


def enc_key(enc) -> str:
    return f"{enc.module}:{enc.name}"


def pristine_scratch(seed: int) -> bytes:
    return random.Random(f"{seed}:scratch").randbytes(SCRATCH_SIZE)


def _field_value(rng, width, chooser, edge=0.05):
    if chooser is not None:
        return chooser(rng)
    r = rng.random()
    if r < edge:
        return 0
    if r < 2 * edge:
        return (1 << width) - 1
    return rng.getrandbits(width)


def _valid(enc, fields, rules):
    """(word, summary) if these field values make a runnable word of ``enc``, else None."""
    if not all(rule(fields) for rule in rules):
        return None
    word = enc.assemble(**fields)
    if find_encoding(word) is not enc:
        return None
    try:
        s = lift(word)
    except Unimplemented:
        _unimplemented.add(enc_key(enc))
        return None
    except DecodeError:
        return None
    ok = _x28_free.get(word)
    if ok is None:
        ok = _x28_free[word] = not ("x28" in s.writes or "x28" in s.reads)
    return (word, s) if ok else None


_pools: dict = {}
_group_words: dict = {}          # (seed, encoding, j // STATES_PER_WORD) -> (word, summary)
_x28_free: dict = {}             # word -> its semantics leave X28 alone
_unimplemented: set = set()     # encodings where some word was Unimplemented


def word_pool(seed: int, enc) -> list:
    """Valid field assignments of ``enc`` found by a fixed search (cached).

    Uniform random fields rarely hit encodings whose opcode fields have few
    allocated values (e.g. BR/BLR/RET), so the search first draws fields
    from {0, all ones, random} and then mutates the valid words it found.
    The pool depends only on the seed and the encoding, so cases replay.
    """
    key = (seed, enc_key(enc))
    pool = _pools.get(key)
    if pool is not None:
        return pool
    rng = random.Random(f"{seed}:{enc_key(enc)}:pool")
    choosers = C.field_choosers(enc.module)
    rules = C.word_rules(enc.module)
    pool, seen = [], set()
    tries_since_new = 0
    for _ in range(POOL_TRIES):
        if pool and tries_since_new > POOL_TRIES // 10:
            break
        tries_since_new += 1
        if pool and rng.random() < 0.7:
            fields = dict(rng.choice(pool))
            for name, _, w in rng.sample(enc.fields, min(len(enc.fields), rng.randint(1, 2))):
                fields[name] = _field_value(rng, w, choosers.get(name))
        else:
            fields = {name: _field_value(rng, w, choosers.get(name), edge=1 / 3)
                      for name, _, w in enc.fields}
        if _valid(enc, fields, rules) is not None:
            word = enc.assemble(**fields)
            if word not in seen:
                seen.add(word)
                tries_since_new = 0
                pool.append(fields)
                if len(pool) >= POOL_SIZE:
                    break
    _pools[key] = pool
    return pool


def random_word(rng, enc, seed: int = 0):
    """(word, summary) for a random word of ``enc`` (raises NoValidWord)."""
    choosers = C.field_choosers(enc.module)
    rules = C.word_rules(enc.module)
    for _ in range(3):
        fields = {name: _field_value(rng, w, choosers.get(name)) for name, _, w in enc.fields}
        got = _valid(enc, fields, rules)
        if got:
            return got
    pool = word_pool(seed, enc)
    if not pool:
        why = (" (the words decoded were all Unimplemented in lnsym)"
               if enc_key(enc) in _unimplemented else "")
        raise NoValidWord(f"no valid word of {enc_key(enc)} found in {POOL_TRIES} tries{why}")
    for _ in range(TRIES):
        fields = dict(rng.choice(pool))
        for name, _, w in enc.fields:
            if rng.random() < 0.5:
                fields[name] = _field_value(rng, w, choosers.get(name))
        got = _valid(enc, fields, rules)
        if got:
            return got
    return _valid(enc, rng.choice(pool), rules)


def _rand_xs(rng) -> list:
    """31 X values: random, about a third replaced by edge values or small numbers."""
    raw = rng.getrandbits(64 * 31).to_bytes(8 * 31, "little")
    x = list(struct.unpack("<31Q", raw))
    for i in rng.sample(range(31), rng.randint(0, 20)):
        r = rng.random()
        x[i] = (rng.choice(X_EDGES) if r < 0.45 else rng.randrange(256) if r < 0.85
                else -rng.randrange(1, 256) & ((1 << 64) - 1))
    return x


def _rand_vs(rng) -> list:
    """32 V values: random, a few replaced by edge patterns."""
    raw = rng.getrandbits(128 * 32).to_bytes(16 * 32, "little")
    v = [int.from_bytes(raw[16 * i:16 * i + 16], "little") for i in range(32)]
    for i in rng.sample(range(32), rng.randint(0, 6)):
        v[i] = rng.choice(V_EDGES)
    return v


def _scratch_ptr(rng) -> int:
    return SCRATCH_BASE + 2048 + 16 * rng.randint(-32, 32)


def _read(pristine: bytes, addr: int, n: int) -> int:
    off = addr - SCRATCH_BASE
    if 0 <= off and off + n <= len(pristine):
        return int.from_bytes(pristine[off:off + n], "little")
    return 0


def entry_address(j: int, before: int) -> int:
    return STUB_AREA + (j % SLOTS) * STRIDE + 4 * before


def generate_case(seed: int, enc, j: int, pristine: bytes | None = None,
                  backend: str = "eval") -> Case:
    """Case ``j`` of encoding ``enc`` for ``seed`` (with its model outcome).

    Cases ``j`` with the same ``j // STATES_PER_WORD`` share their first
    word (drawn from its own generator) and differ in their states, so each
    word is lifted once for several cases; the state generator draws a new
    word only if a branch of the shared one misses the landing pad.
    """
    from .model import run_case
    rng = random.Random(f"{seed}:{enc_key(enc)}:{j}")
    word_rng = random.Random(f"{seed}:{enc_key(enc)}:w{j // STATES_PER_WORD}")
    if pristine is None:
        pristine = pristine_scratch(seed)
    group = (seed, enc_key(enc), j // STATES_PER_WORD)
    for attempt in range(TRIES):
        if attempt == 0:
            got = _group_words.get(group)
            if got is None or got[1] is not lift(got[0]):
                got = _group_words[group] = random_word(word_rng, enc, seed)
            word, s = got
        else:
            word, s = random_word(rng, enc, seed)
        addr_vars = {v.params[0] for m in s.mem for v in variables(m.addr)}
        pc_vars = {v.params[0] for v in variables(s.next_pc)} if s.next_pc is not None else set()
        padded = s.next_pc is not None or "pc" in addr_vars
        fields = enc.extract(word)
        pre = C.prelude(enc.module, enc.name, fields)
        before, after = (C.PAD, C.PAD) if padded else (len(pre), 1)
        entry = entry_address(j, before)
        stub = entry - 4 * before
        words = [land_word(stub + 4 * i, i - before) for i in range(before + 1 + after)]
        words[before - len(pre):before + 1] = pre + [word]
        x = _rand_xs(rng)
        sp = _scratch_ptr(rng)
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
        C.adjust_state(enc.module, rng, fields, x, sp, lambda a, n: _read(pristine, a, n))
        x[28] = 0
        st = State(x, sp, rng.getrandbits(4), _rand_vs(rng))
        case = Case(f"{seed}:{enc_key(enc)}:{j}", enc_key(enc), word, entry, stub, words, st,
                    start=entry - 4 * len(pre))
        case.model = run_case(case, pristine, backend)
        m = case.model
        if m.fault is None and (m.slot is None or m.slot == 0 or not -before <= m.slot <= after):
            continue                    # a branch that misses the landing pad: redraw
        return case
    raise NoValidWord(f"no case of {enc_key(enc)} lands in the harness in {TRIES} tries")
