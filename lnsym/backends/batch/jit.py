"""numba versions of the heaviest batch kernels: one compiled loop over the lanes.

A SHA256H in numpy is some 180 operations over whole lane arrays (each 40-80 KB
at 10,000 lanes, read and written back to memory); compiled, the four rounds
stay in registers lane by lane.  numba is optional: without it (or with
``LNSYM_BATCH_JIT=0``) ``kernels`` runs its numpy versions, which the tests
also run.  Functions here take contiguous ``uint64`` arrays of one length and
fill the ``out`` rows; every value is a ``uint64`` masked to its width, and
every constant is a ``uint64`` (numba would otherwise mix in signed or float
arithmetic).
"""
from __future__ import annotations

import importlib.util
import os

import numpy as np

# without numba (or with LNSYM_BATCH_JIT=0) the numpy kernels run instead
ENABLED = (os.environ.get("LNSYM_BATCH_JIT", "1") != "0"
           and importlib.util.find_spec("numba") is not None)

_U = np.uint64
M32, S32 = _U(0xFFFF_FFFF), _U(32)
R2, R13, R22, R6, R11, R25 = _U(2), _U(13), _U(22), _U(6), _U(11), _U(25)
L30, L19, L10, L26, L21, L7 = _U(30), _U(19), _U(10), _U(26), _U(21), _U(7)
R7, R18, R3, R17, L25, L14, L15, L13 = _U(7), _U(18), _U(3), _U(17), _U(25), _U(14), _U(15), _U(13)
B8, R19 = _U(8), _U(19)
LO7, BIT0, X1B = _U(0x7F7F_7F7F_7F7F_7F7F), _U(0x0101_0101_0101_0101), _U(0x1B)


def _ror(x, r, left):
    """A 32-bit rotate right by r (``left`` = 32 - r) of a masked uint64."""
    return ((x >> r) | (x << left)) & M32


def _sigma_big0(x):
    return _ror(x, R2, L30) ^ _ror(x, R13, L19) ^ _ror(x, R22, L10)


def _sigma_big1(x):
    return _ror(x, R6, L26) ^ _ror(x, R11, L21) ^ _ror(x, R25, L7)


def _sha256_hash(xl, xh, yl, yh, wl, wh, out):
    for i in range(xl.shape[0]):
        x0, x1, x2, x3 = xl[i] & M32, xl[i] >> S32, xh[i] & M32, xh[i] >> S32
        y0, y1, y2, y3 = yl[i] & M32, yl[i] >> S32, yh[i] & M32, yh[i] >> S32
        w = (wl[i] & M32, wl[i] >> S32, wh[i] & M32, wh[i] >> S32)
        for e in range(4):
            chs = ((y1 ^ y2) & y0) ^ y2
            maj = (x0 & x1) | ((x0 | x1) & x2)
            t = (y3 + _sigma_big1(y0) + chs + w[e]) & M32
            x3n = (t + x3) & M32
            y3n = (t + _sigma_big0(x0) + maj) & M32
            x0, x1, x2, x3, y0, y1, y2, y3 = y3n, x0, x1, x2, x3n, y0, y1, y2
        out[0, i] = x0 | (x1 << S32)
        out[1, i] = x2 | (x3 << S32)
        out[2, i] = y0 | (y1 << S32)
        out[3, i] = y2 | (y3 << S32)


def _sigma0(x):
    return _ror(x, R7, L25) ^ _ror(x, R18, L14) ^ (x >> R3)


def _sigma1(x):
    return _ror(x, R17, L15) ^ _ror(x, R19, L13) ^ (x >> L10)


def _sha256_su0(dl, dh, nl, nh, out):
    for i in range(dl.shape[0]):
        d0, d1, d2, d3 = dl[i] & M32, dl[i] >> S32, dh[i] & M32, dh[i] >> S32
        n0 = nl[i] & M32
        r0 = (_sigma0(d1) + d0) & M32
        r1 = (_sigma0(d2) + d1) & M32
        r2 = (_sigma0(d3) + d2) & M32
        r3 = (_sigma0(n0) + d3) & M32
        out[0, i] = r0 | (r1 << S32)
        out[1, i] = r2 | (r3 << S32)


def _sha256_su1(dl, dh, nl, nh, ml, mh, out):
    for i in range(dl.shape[0]):
        d0, d1, d2, d3 = dl[i] & M32, dl[i] >> S32, dh[i] & M32, dh[i] >> S32
        n1, n2, n3 = nl[i] >> S32, nh[i] & M32, nh[i] >> S32
        m0, m2, m3 = ml[i] & M32, mh[i] & M32, mh[i] >> S32
        r0 = (_sigma1(m2) + d0 + n1) & M32
        r1 = (_sigma1(m3) + d1 + n2) & M32
        r2 = (_sigma1(r0) + d2 + n3) & M32
        r3 = (_sigma1(r1) + d3 + m0) & M32
        out[0, i] = r0 | (r1 << S32)
        out[1, i] = r2 | (r3 << S32)


def _sub_limb(x, table):
    """Each byte of a limb through the 256-entry ``uint64`` table."""
    r = _U(0)
    for k in range(8):
        s = _U(8 * k)
        r |= table[(x >> s) & _U(0xFF)] << s
    return r


def _aes_round(dl, dh, nl, nh, table, masks, out):
    """(Inv)SubBytes((Inv)ShiftRows(d ^ n)); ``masks`` are the row masks in the order the
    numpy kernel combines (lo, a, hi, b) for the low limb and (hi, b, lo, a) for the high."""
    for i in range(dl.shape[0]):
        lo = _sub_limb(dl[i] ^ nl[i], table)
        hi = _sub_limb(dh[i] ^ nh[i], table)
        a = (lo >> S32) | (hi << S32)
        b = (hi >> S32) | (lo << S32)
        out[0, i] = (lo & masks[0]) | (a & masks[1]) | (hi & masks[2]) | (b & masks[3])
        out[1, i] = (hi & masks[0]) | (b & masks[1]) | (lo & masks[2]) | (a & masks[3])


def _xtime(y):
    return ((y & LO7) << _U(1)) ^ (((y >> R7) & BIT0) * X1B)


def _ror_words(x, s, left, low, high):
    return ((x >> s) & low) | ((x << left) & high)


K8L, K8H = _U(0x00FF_FFFF_00FF_FFFF), _U(0xFF00_0000_FF00_0000)
K16L, K16H = _U(0x0000_FFFF_0000_FFFF), _U(0xFFFF_0000_FFFF_0000)
K24L, K24H = _U(0x0000_00FF_0000_00FF), _U(0xFFFF_FF00_FFFF_FF00)
S16, S24 = _U(16), _U(24)


def _mix_limb(x):
    r1 = _ror_words(x, B8, S24, K8L, K8H)
    r2 = _ror_words(x, S16, S16, K16L, K16H)
    r3 = _ror_words(x, S24, B8, K24L, K24H)
    return _xtime(x ^ r1) ^ r1 ^ r2 ^ r3


def _mix_columns(lo, hi, inverse, out):
    for i in range(lo.shape[0]):
        for j in range(2):
            x = lo[i] if j == 0 else hi[i]
            if inverse:
                x = x ^ _xtime(_xtime(x ^ _ror_words(x, S16, S16, K16L, K16H)))
            out[j, i] = _mix_limb(x)


LOW31, TOP = _U(0x7FFF_FFFF_7FFF_FFFF), _U(0x8000_0000_8000_0000)


def _add_4s(al, ah, bl, bh, out):
    for i in range(al.shape[0]):
        out[0, i] = ((al[i] & LOW31) + (bl[i] & LOW31)) ^ ((al[i] ^ bl[i]) & TOP)
        out[1, i] = ((ah[i] & LOW31) + (bh[i] & LOW31)) ^ ((ah[i] ^ bh[i]) & TOP)


ONE, FOUR, NIB, S60, S63 = _U(1), _U(4), _U(15), _U(60), _U(63)


def _clmul(a, b, out):
    """Carry-less products of 64-bit lanes, four bits of ``b`` at a time: a table of
    ``a`` times every 4-bit polynomial, then Horner's rule over b's nibbles."""
    tl = np.zeros(16, np.uint64)
    th = np.zeros(16, np.uint64)
    for i in range(a.shape[0]):
        x, y = a[i], b[i]
        tl[1] = x
        for k in range(2, 16, 2):
            h = k >> 1
            tl[k] = tl[h] << ONE
            th[k] = (th[h] << ONE) | (tl[h] >> S63)
            tl[k + 1] = tl[k] ^ x
            th[k + 1] = th[k]
        lo, hi = _U(0), _U(0)
        for j in range(15, -1, -1):
            hi = (hi << FOUR) | (lo >> S60)
            nib = (y >> _U(4 * j)) & NIB
            lo = (lo << FOUR) ^ tl[nib]
            hi ^= th[nib]
        out[0, i] = lo
        out[1, i] = hi


_HELPERS = ("_ror", "_sigma_big0", "_sigma_big1", "_sigma0", "_sigma1", "_sub_limb", "_xtime",
            "_ror_words", "_mix_limb")
_LOOPS = {"sha256_hash": _sha256_hash, "sha256_su0": _sha256_su0, "sha256_su1": _sha256_su1,
          "aes_round": _aes_round, "mix_columns": _mix_columns, "add_4s": _add_4s,
          "clmul": _clmul}
_compiled: dict = {}


def get(name: str):
    """The compiled loop ``name``; numba is imported (a second or two) on first use only."""
    fn = _compiled.get(name)
    if fn is None:
        _compile()
        fn = _compiled[name]
    return fn


def _compile() -> None:
    import numba as nb

    def jit(f):
        return nb.njit(cache=True, nogil=True)(f)
    g = globals()
    for helper in _HELPERS:             # callees first: the loops see them compiled
        g[helper] = jit(g[helper])
    _compiled.update((name, jit(f)) for name, f in _LOOPS.items())
