"""Equality of low-degree GF(2) terms by sampling, with a proven bound on the error.

Every bit of a term built from XOR/AND/OR/NOT/ITE, bit moves (extract, concat,
sign extension) and ``clmul`` is a polynomial over GF(2)
in the input bits.  ``degrees`` bounds each bit's degree syntactically, over
the very terms (deg(a AND b) <= deg a + deg b, deg(a XOR b) <= max, an ITE is
c(a + b) + b, ...): nothing is taken on trust from elsewhere.

If both sides of ``lhs == rhs`` have every bit of degree at most d, each bit of
their XOR D is a polynomial of degree at most d.  A non-zero such polynomial is
a non-zero word of the Reed-Muller code RM(d, n), whose minimum weight is
2^(n-d): it is 1 on at least a 2^-d fraction of the inputs.  So on t inputs
drawn uniformly and independently (``os.urandom``: a writer of a cache file
cannot predict them), a false equation looks true with probability at most
(1 - 2^-d)^t.  ``sample_check`` picks t to make that at most 2^-ERROR_BITS, and
evaluates the terms on all t inputs at once, bit-sliced: one Python int of t
bits per term bit.  It answers only for terms inside that fragment and of
degree at most ``max_degree``; anything else is left to a proof.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import reduce
from operator import xor

from lnsym.prover.sweep import topo
from lnsym.terms.bv import BV

ERROR_BITS = 100          # a false equation passes with probability below 2^-100
MAX_DEGREE = 4            # above this the number of samples grows past 1000


class Unsupported(Exception):
    pass


def _clmul_bits(a: tuple, b: tuple, combine, join, zero) -> tuple:
    n = len(a)
    out = []
    for k in range(2 * n - 1):
        terms = [combine(a[i], b[k - i]) for i in range(max(0, k - n + 1), min(k, n - 1) + 1)]
        out.append(reduce(join, terms, zero))
    return tuple(out + [zero])


def degrees(order: list) -> dict:
    """node -> tuple of per-bit degree bounds (bit 0 first) for every node of
    ``order`` (arguments before their users, as ``topo`` gives); raises Unsupported."""
    deg: dict = {}
    for t in order:
        op, w = t.op, t.width
        if op == "const":
            deg[t] = (0,) * w
            continue
        if op == "var":
            deg[t] = (1,) * w
            continue
        args = [deg[a] for a in t.args]
        if op == "xor":
            out = tuple(map(max, *args)) if len(args) > 1 else args[0]
        elif op in ("and", "or"):
            out = tuple(map(lambda *ds: sum(ds), *args))
        elif op == "not":
            out = args[0]
        elif op == "ite":
            c = args[0][0]
            out = tuple(c + max(x, y) for x, y in zip(args[1], args[2]))
        elif op in ("extract", "concat", "sext"):
            out = _bit_move(t, args)
        elif op == "clmul":
            out = _clmul_bits(args[0], args[1], lambda x, y: x + y, max, 0)
        else:
            raise Unsupported(op)
        deg[t] = out
    return deg


def _bit_move(t: BV, args: list) -> tuple:
    """extract, concat and sext: the same bits, moved (constant shifts and rotations
    are built from these by the term constructors)."""
    if t.op == "extract":
        hi, lo = t.params
        return args[0][lo:hi + 1]
    if t.op == "concat":
        out: list = []
        for a in reversed(args):                 # most significant argument first
            out.extend(a)
        return tuple(out)
    a = args[0]
    return tuple(a) + (a[-1],) * (t.width - len(a))


def sliced_values(lanes: int, order: list) -> dict:
    """node -> tuple of per-bit ints, bit j of which is the node's bit in lane j, for
    every node of ``order``; every input bit is drawn uniformly and independently in
    every lane."""
    full = (1 << lanes) - 1
    nbytes = (lanes + 7) // 8
    val: dict = {}
    for t in order:
        op, w = t.op, t.width
        if op == "const":
            v = t.params[0]
            val[t] = tuple(full if v >> i & 1 else 0 for i in range(w))
            continue
        if op == "var":
            val[t] = tuple(int.from_bytes(os.urandom(nbytes), "little") & full
                           for _ in range(w))
            continue
        args = [val[a] for a in t.args]
        if op == "xor":
            out = tuple(map(lambda *xs: reduce(xor, xs), *args))
        elif op == "and":
            out = tuple(map(lambda *xs: reduce(int.__and__, xs), *args))
        elif op == "or":
            out = tuple(map(lambda *xs: reduce(int.__or__, xs), *args))
        elif op == "not":
            out = tuple(x ^ full for x in args[0])
        elif op == "ite":
            c = args[0][0]
            out = tuple((c & x) | (~c & full & y) for x, y in zip(args[1], args[2]))
        elif op == "clmul":
            out = _clmul_bits(args[0], args[1], int.__and__, xor, 0)
        elif op in ("extract", "concat", "sext"):
            out = _bit_move(t, args)
        else:
            raise Unsupported(op)
        val[t] = out
    return val


def samples_for(degree: int, error_bits: int = ERROR_BITS) -> int:
    """The least t with (1 - 2^-degree)^t <= 2^-error_bits."""
    if degree <= 0:
        return 1                    # constants: one evaluation is the value
    return math.ceil(error_bits / -math.log2(1 - 2.0 ** -degree))


@dataclass
class SampleVerdict:
    holds: bool
    degree: int                     # the verified bound on every bit of both sides
    samples: int
    failing: int | None = None      # the first equation that differed

    def describe(self) -> str:
        return (f"{self.samples} random inputs, GF(2) degree ≤ {self.degree} verified: a false "
                f"equation passes with probability < 2^-{ERROR_BITS}")


def sample_check(lhs, rhs, max_degree: int = MAX_DEGREE) -> SampleVerdict | None:
    """Decide ``lhs[i] == rhs[i]`` for all i up to error 2^-ERROR_BITS, or None when
    a side is outside the fragment or above ``max_degree``."""
    roots = list(lhs) + list(rhs)
    order = topo(*roots)
    try:
        deg = degrees(order)
    except Unsupported:
        return None
    degree = max((max(deg[t], default=0) for t in roots), default=0)
    if degree > max_degree:
        return None
    t = samples_for(degree)
    val = sliced_values(t, order)
    for i, (a, b) in enumerate(zip(lhs, rhs)):
        if val[a] != val[b]:
            return SampleVerdict(False, degree, t, i)
    return SampleVerdict(True, degree, t)


__all__ = ["ERROR_BITS", "MAX_DEGREE", "SampleVerdict", "Unsupported", "degrees",
           "sample_check", "samples_for", "sliced_values"]
