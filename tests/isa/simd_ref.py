"""Helpers for the Advanced SIMD integer arithmetic tests.

An independent reference for the expected values: plain Python integers at unbounded
precision (as the Arm ARM pseudocode computes them), then truncated or saturated.
Words are built from field values and checked against capstone's text, so each test
states the instruction it runs in assembly syntax.
"""
from __future__ import annotations

import random

from lnsym.backends.snippet import run_words
from lnsym.machine.decoder import decode
from lnsym.machine.disasm import capstone_text, normalise

ARR = {"8b": (0, 8), "16b": (1, 8), "4h": (0, 16), "8h": (1, 16), "2s": (0, 32),
       "4s": (1, 32), "2d": (1, 64)}
SIZE = {8: 0, 16: 1, 32: 2, 64: 3}


def mask(e):
    return (1 << e) - 1


def sx(x, e):
    """x (an e-bit pattern) as a signed integer."""
    x &= mask(e)
    return x - (1 << e) if x >> (e - 1) else x


def sat_s(v, e):
    return max(-(1 << (e - 1)), min((1 << (e - 1)) - 1, v))


def sat_u(v, e):
    return max(0, min(mask(e), v))


def clmul(a, b):
    r = 0
    i = 0
    while b >> i:
        if b >> i & 1:
            r ^= a << i
        i += 1
    return r


def vec(values, esize):
    return sum((v & mask(esize)) << (esize * i) for i, v in enumerate(values))


def elems(value, esize, n=None):
    n = 128 // esize if n is None else n
    return [value >> (esize * i) & mask(esize) for i in range(n)]


def edge_lanes(rng, e, n):
    """Lane values biased towards the saturation and rounding edges."""
    m = mask(e)
    picks = (0, 1, m, 1 << (e - 1), (1 << (e - 1)) - 1, (1 << (e - 1)) + 1, 2, m - 1)
    return [rng.choice(picks) if rng.random() < 0.5 else rng.getrandbits(e) for _ in range(n)]


def edge_vector(rng, e):
    return vec(edge_lanes(rng, e, 128 // e), e)


def shift_lanes(rng, e, n):
    """Shift-amount lanes (low byte a signed amount around +-esize)."""
    return [(rng.getrandbits(e) & ~0xFF) | (rng.randrange(-e - 3, e + 4) & 0xFF)
            for _ in range(n)]


def word_of(encoding_fn, **fields):
    """The word of ``encoding_fn``'s (first) diagram with these fields."""
    return encoding_fn.encodings[0].assemble(**fields)


def check_text(word, text):
    """lnsym's disassembly and capstone's both read ``text``."""
    assert normalise(capstone_text(word)) == normalise(text), (hex(word), capstone_text(word))
    assert normalise(decode(word).disasm()) == normalise(text)


def run(word, **regs):
    st, _ = run_words([word], regs=regs)
    return st


def rng_for(*key):
    return random.Random(":".join(map(str, key)))
