"""Helpers the generated batch code calls.

A value of up to 64 bits is a *limb*: a Python ``int`` when every lane holds the
same value (pointers, counters, loop bounds) or a ``uint64`` array with one
entry per lane.  Wider values are tuples of limbs, least significant first.
Every helper accepts either kind and returns an ``int`` when all its inputs
were ``int``, so lane-uniform control flow never touches numpy.  Limbs are
always in range (non-negative, below ``2**width``): numpy refuses negative or
oversized Python ints next to ``uint64`` arrays, and never wraps them silently.
"""
from __future__ import annotations

import numpy as np

from lnsym.backends.batch import jit, kernels

U64 = np.uint64
M64 = (1 << 64) - 1
ndarray = np.ndarray


def bool_limb(x):
    """A comparison result (``bool`` or bool array) as a 1-bit limb."""
    return x.astype(U64) if type(x) is ndarray else int(x)


def ite(c, a, b):
    if type(c) is not ndarray:
        return a if c else b
    if type(a) is not ndarray:
        a = U64(a)
    if type(b) is not ndarray:
        b = U64(b)
    return np.where(c != 0, a, b)


def shlv(x, s, w):
    """``(x << s) mod 2**w`` for one limb (w <= 64); s >= w gives 0."""
    m = (1 << w) - 1
    if type(s) is not ndarray:
        return (x << s) & m if s < w else 0
    return np.where(s < w, (x << np.minimum(s, 63)) & m, U64(0))


def lshrv(x, s, w):
    if type(s) is not ndarray:
        return x >> s if s < w else 0
    return np.where(s < w, x >> np.minimum(s, 63), U64(0))


def ashrv(x, s, w):
    """Arithmetic shift of a w-bit limb: sign bits come in from the top."""
    m = (1 << w) - 1
    if type(s) is not ndarray and type(x) is not ndarray:
        sx = x - (1 << w) if x >> (w - 1) else x
        return (sx >> min(s, w)) & m
    sign = 1 << (w - 1)
    sx = (np.asarray(x, dtype=U64) ^ U64(sign)) - U64(sign)   # sign-extended to 64 bits
    k = np.minimum(np.asarray(s, dtype=U64), U64(63)).astype(np.int64)
    return (sx.view(np.int64) >> k).view(U64) & U64(m)


def lookup(table, x):
    """``table[x]`` with ``table`` a ``uint64`` array."""
    if type(x) is ndarray:
        return table.take(x)
    return int(table[x])


def clz(x, w):
    if type(x) is not ndarray:
        return w - x.bit_length()
    n = np.zeros(x.shape, dtype=U64)
    y = x.copy()
    for step in (32, 16, 8, 4, 2, 1):
        big = y >= (U64(1) << U64(step))
        y = np.where(big, y >> U64(step), y)
        n = np.where(big, n + U64(step), n)
    bits = n + (y != 0).astype(U64)            # bit length
    return U64(w) - bits


def clmul(a, b, w):
    """Carry-less product of two w-bit limbs (w <= 64): a tuple of limbs, 2w bits."""
    if type(a) is not ndarray and type(b) is not ndarray:
        r = 0
        for i in range(w):
            if b >> i & 1:
                r ^= a << i
        return (r & M64, r >> 64) if 2 * w > 64 else (r,)
    a, b = np.broadcast_arrays(np.asarray(a, dtype=U64), np.asarray(b, dtype=U64))
    if kernels.compiled_lanes((a,)):
        out = np.empty((2, a.shape[0]), U64)
        jit.get("clmul")(np.ascontiguousarray(a), np.ascontiguousarray(b), out)
        return (out[0], out[1]) if 2 * w > 64 else (out[0],)
    if w <= 32:
        return (_clmul32(a, b),)
    lo32 = U64(0xFFFF_FFFF)
    a0, a1, b0, b1 = a & lo32, a >> U64(32), b & lo32, b >> U64(32)
    lo, hi = _clmul32(a0, b0), _clmul32(a1, b1)
    mid = _clmul32(a0 ^ a1, b0 ^ b1) ^ lo ^ hi          # Karatsuba
    return lo ^ (mid << U64(32)), hi ^ (mid >> U64(32))


_CLASS = [U64(0x1111_1111_1111_1111 << i) for i in range(4)]


def _clmul32(x, y):
    """Carry-less 32 x 32 -> 64-bit product with integer multiplies.

    Split each operand into the bits of each residue class mod 4.  In the integer
    product of two such parts every position of the result's class sums at most 8
    single-bit products, a count below 16 that cannot carry into the next position
    of the same class, so that class's bits are exactly the XOR of the products.
    """
    xs = [x & m for m in _CLASS]
    ys = [y & m for m in _CLASS]
    out = None
    for r in range(4):
        z = None
        for i in range(4):
            p = xs[i] * ys[(r - i) % 4]
            z = p if z is None else z ^ p
        z &= _CLASS[r]
        out = z if out is None else out | z
    return out


def lshrv_wide(limbs, s_limbs, w):
    """Logical right shift of a multi-limb value by a (multi-limb) per-lane amount."""
    return _shift_wide(limbs, s_limbs, w, right=True)


def shlv_wide(limbs, s_limbs, w):
    return _shift_wide(limbs, s_limbs, w, right=False)


def _shift_wide(limbs, s_limbs, w, right):
    n = len(limbs)
    if all(type(x) is not ndarray for x in (*limbs, *s_limbs)):
        v, s = join(limbs), join(s_limbs)
        r = (v >> s if right else (v << s) & ((1 << w) - 1)) if s < w else 0
        return split(r, n)
    if all(type(x) is not ndarray for x in s_limbs):      # one amount for every lane
        return _shift_wide_by(limbs, join(s_limbs), w, right)
    shape = _shape((*limbs, *s_limbs))
    s = np.broadcast_to(np.asarray(s_limbs[0], dtype=U64), shape)
    big = np.zeros(shape, dtype=bool)
    for hi in s_limbs[1:]:
        big = big | (np.asarray(hi, dtype=U64) != 0)     # an amount >= 2**64
    r, k = s & U64(63), s >> U64(6)
    out = [np.zeros(shape, dtype=U64) for _ in range(n)]
    for kk in range(n):                                  # the whole-limb part of the shift
        sel = k == U64(kk)
        if not sel.any():
            continue
        for j in range(n):
            src = j + kk if right else j - kk
            if not 0 <= src < n:
                continue
            part = _limb_shift(limbs[src], r, right)
            nxt = src + 1 if right else src - 1
            if 0 <= nxt < n:
                part = part | _carry_in(limbs[nxt], r, right)
            out[j] = np.where(sel, part, out[j])
    out[-1] = out[-1] & U64((1 << (w - 64 * (n - 1))) - 1)
    keep = (s < U64(w)) & ~big
    return tuple(np.where(keep, o, U64(0)) for o in out)


def _shift_wide_by(limbs, s: int, w: int, right: bool) -> tuple:
    """A multi-limb value shifted by an amount common to all lanes."""
    n = len(limbs)
    if s >= w:
        return (0,) * n
    k, r = divmod(s, 64)
    out = []
    for j in range(n):
        src = j + k if right else j - k
        v = 0
        if 0 <= src < n:
            v = (limbs[src] >> r) if right else (limbs[src] << r) & M64
            nxt = src + 1 if right else src - 1
            if r and 0 <= nxt < n:
                v = v | (((limbs[nxt] << (64 - r)) & M64) if right else limbs[nxt] >> (64 - r))
        out.append(v)
    out[-1] = out[-1] & ((1 << (w - 64 * (n - 1))) - 1)
    return tuple(out)


def _shape(limbs):
    for x in limbs:
        if type(x) is ndarray:
            return x.shape
    return ()


def _limb_shift(x, r, right):
    x = np.asarray(x, dtype=U64)
    return x >> r if right else x << r


def _carry_in(x, r, right):
    """The bits of the neighbouring limb that cross into this one (none when r = 0)."""
    x = np.asarray(x, dtype=U64)
    back = (U64(64) - r) & U64(63)
    moved = x << back if right else x >> back
    return np.where(r == 0, U64(0), moved)


def join(limbs) -> int:
    v = 0
    for j, x in enumerate(limbs):
        v |= int(x) << (64 * j)
    return v


def split(v: int, n: int) -> tuple:
    return tuple((v >> (64 * j)) & M64 for j in range(n))


def scalar_fallback(fn, out_limbs, *args):
    """Apply the single-input backend's Python expression ``fn`` lane by lane.

    For operators with no numpy rule here (wide arithmetic, division): slow,
    but exactly the concrete backend's semantics.  ``args`` are limb tuples.
    """
    if all(type(x) is not ndarray for a in args for x in a):
        return split(fn(*(join(a) for a in args)), out_limbs)
    n = next(len(x) for a in args for x in a if type(x) is ndarray)
    cols = [_lane_ints(a, n) for a in args]
    out = np.empty((n, out_limbs), dtype=U64)
    for i in range(n):
        v = fn(*(c[i] for c in cols))
        for j in range(out_limbs):
            out[i, j] = (v >> (64 * j)) & M64
    return tuple(out[:, j].copy() for j in range(out_limbs))


def _lane_ints(limbs, n):
    """Per-lane Python ints of a limb tuple."""
    vals = [0] * n
    for j, x in enumerate(limbs):
        if type(x) is ndarray:
            col = x.tolist()
            for i in range(n):
                vals[i] |= col[i] << (64 * j)
        elif x:
            for i in range(n):
                vals[i] |= int(x) << (64 * j)
    return vals
