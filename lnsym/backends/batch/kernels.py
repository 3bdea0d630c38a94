"""Whole-instruction kernels for the batch backend: AES and SHA-256 rounds, 32-bit
vector arithmetic, byte shuffles.

Compiled term by term, one AESMC is some 150 numpy operations over byte-sized
pieces of the limbs, and an AESE 16 table lookups plus the byte shuffling
around them.  A kernel computes the same value on whole 64-bit limbs (bytes or
32-bit elements packed in a limb, "SIMD within a register"), on ``uint32``
elements, or, from ``JIT_MIN_LANES`` lanes up and when numba is installed, in
a compiled loop over the lanes (``jit``).  ``recognise`` decides where a
kernel replaces a block's terms; each kernel is tested against the
single-input evaluation of the instruction's summary, on both paths
(``tests/backends/test_batch_kernels.py``).
"""
from __future__ import annotations

import functools
import sys

import numpy as np

from lnsym.backends.batch import jit
from lnsym.machine.lift import lift
from lnsym.terms.bv import BV

U64, U32 = np.uint64, np.uint32
LITTLE = sys.byteorder == "little"      # a limb's low 32-bit element comes first in memory
M32 = 0xFFFF_FFFF
LO7 = 0x7F7F_7F7F_7F7F_7F7F
BIT0 = 0x0101_0101_0101_0101
ROW = [(0xFF << (8 * r)) * 0x1_0000_0001 for r in range(4)]   # row r of both columns in a limb
USE_JIT = jit.ENABLED      # the compiled loops of ``jit`` when numba is there (tests turn it off)
JIT_MIN_LANES = 1024       # below, numpy is as fast and importing numba (a second or two) is not


# -- lanes ---------------------------------------------------------------------------------
def _arrays(limbs):
    """Limbs (ints or arrays) as contiguous ``uint64`` arrays of one shape; ``None`` if
    every limb was an int (then the kernel runs on one lane and returns ints)."""
    if all(type(x) is np.ndarray and x.dtype == U64 and x.flags.c_contiguous for x in limbs):
        return list(limbs), False
    n = next((x.shape[0] for x in limbs if type(x) is np.ndarray), None)
    shape = (n if n is not None else 1,)
    out = [np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=U64), shape)) for x in limbs]
    return out, n is None


def _result(limbs, uniform: bool):
    return tuple(int(x[0]) for x in limbs) if uniform else tuple(limbs)


def compiled_lanes(limbs) -> bool:
    """Whether a kernel on these limbs runs as a compiled loop."""
    return USE_JIT and any(type(x) is np.ndarray and x.shape[0] >= JIT_MIN_LANES for x in limbs)


def _compiled(name: str, limbs, rows: int, *extra):
    """Run the ``jit`` loop ``name`` over the lanes; its ``out`` rows are the result limbs."""
    fn = jit.get(name)
    limbs, uniform = _arrays(limbs)
    out = np.empty((rows, limbs[0].shape[0]), U64)
    fn(*limbs, *extra, out)
    return _result(tuple(out), uniform)


# -- AES ------------------------------------------------------------------------------------
def _xtime(y):
    """Each byte times x in GF(2^8) (FIPS 197 4.2.1), eight bytes per limb."""
    return ((y & LO7) << 1) ^ (((y >> 7) & BIT0) * 0x1B)


def _ror_words(x, s: int):
    """Each 32-bit word of a limb rotated right by ``s`` bits."""
    low = (1 << (32 - s)) - 1
    return ((x >> s) & (low * 0x1_0000_0001)) | ((x << (32 - s)) & ((M32 ^ low) * 0x1_0000_0001))


def _mix_limb(x):
    """MixColumns of the two columns in a limb: s'_r = 2 s_r ^ 3 s_(r+1) ^ s_(r+2) ^ s_(r+3)."""
    r1 = _ror_words(x, 8)
    return _xtime(x ^ r1) ^ r1 ^ _ror_words(x, 16) ^ _ror_words(x, 24)


def _inv_mix_limb(x):
    """InvMixColumns as MixColumns after s_r ^= 4 (s_r ^ s_(r+2))."""
    return _mix_limb(x ^ _xtime(_xtime(x ^ _ror_words(x, 16))))


def aes_mix_columns(lo, hi):
    if compiled_lanes((lo, hi)):
        return _compiled("mix_columns", (lo, hi), 2, False)
    (lo, hi), uniform = _arrays((lo, hi))
    return _result((_mix_limb(lo), _mix_limb(hi)), uniform)


def aes_inv_mix_columns(lo, hi):
    if compiled_lanes((lo, hi)):
        return _compiled("mix_columns", (lo, hi), 2, True)
    (lo, hi), uniform = _arrays((lo, hi))
    return _result((_inv_mix_limb(lo), _inv_mix_limb(hi)), uniform)


def _shift_rows(lo, hi, inverse: bool):
    """Row r of the state rotated by r columns: the 128-bit value rotated by 32r bits,
    kept on row r's bytes."""
    a = (lo >> 32) | (hi << 32)         # the value rotated right by 32 bits: (a, b)
    b = (hi >> 32) | (lo << 32)         # ... by 96 bits: (b, a); by 64 bits: (hi, lo)
    if inverse:
        a, b = b, a
    return ((lo & ROW[0]) | (a & ROW[1]) | (hi & ROW[2]) | (b & ROW[3]),
            (hi & ROW[0]) | (b & ROW[1]) | (lo & ROW[2]) | (a & ROW[3]))


def _sub_bytes(x, table: bytes):
    """Each byte through a 256-byte table (``bytearray.translate`` is a plain C loop,
    several times faster than a numpy ``take`` with its index conversion)."""
    return np.frombuffer(bytearray(np.ascontiguousarray(x)).translate(table), U64)


@functools.lru_cache(maxsize=8)
def _wide_table(table: bytes) -> np.ndarray:
    return np.frombuffer(table, np.uint8).astype(U64)


_JIT_ROWS = {False: np.array(ROW, U64), True: np.array([ROW[0], ROW[3], ROW[2], ROW[1]], U64)}


def _aes_round(d_lo, d_hi, n_lo, n_hi, table, inverse):
    """AESE/AESD: (Inv)SubBytes((Inv)ShiftRows(d ^ n))."""
    if compiled_lanes((d_lo, d_hi, n_lo, n_hi)):
        return _compiled("aes_round", (d_lo, d_hi, n_lo, n_hi), 2, _wide_table(table),
                         _JIT_ROWS[inverse])
    (d_lo, d_hi, n_lo, n_hi), uniform = _arrays((d_lo, d_hi, n_lo, n_hi))
    lo, hi = _sub_bytes(d_lo ^ n_lo, table), _sub_bytes(d_hi ^ n_hi, table)   # bytewise: commutes
    return _result(_shift_rows(lo, hi, inverse), uniform)


# -- SHA-256 ---------------------------------------------------------------------------------
def _elements(lo, hi):
    """The four 32-bit elements of a 128-bit value, as (strided) views of its limbs."""
    if LITTLE:
        a, b = lo.view(U32), hi.view(U32)
        return [a[0::2], a[1::2], b[0::2], b[1::2]]
    return [(lo & M32).astype(U32), (lo >> 32).astype(U32), (hi & M32).astype(U32),
            (hi >> 32).astype(U32)]


def _limbs(e):
    if LITTLE:
        out = np.empty((2, 2 * e[0].shape[0]), U32)
        out[0, 0::2], out[0, 1::2], out[1, 0::2], out[1, 1::2] = e
        return out[0].view(U64), out[1].view(U64)
    return (e[0].astype(U64) | (e[1].astype(U64) << 32), e[2].astype(U64) | (e[3].astype(U64) << 32))


def _ror(v, s):
    return (v >> s) | (v << (32 - s))


def sha256_hash(x_lo, x_hi, y_lo, y_hi, w_lo, w_hi):
    """Arm's SHA256hash(X, Y, W): four rounds; returns X then Y (SHA256H and SHA256H2)."""
    if compiled_lanes((x_lo, x_hi, y_lo, y_hi, w_lo, w_hi)):
        return _compiled("sha256_hash", (x_lo, x_hi, y_lo, y_hi, w_lo, w_hi), 4)
    limbs, uniform = _arrays((x_lo, x_hi, y_lo, y_hi, w_lo, w_hi))
    x, y, w = _elements(*limbs[0:2]), _elements(*limbs[2:4]), _elements(*limbs[4:6])
    for e in range(4):
        chs = ((y[1] ^ y[2]) & y[0]) ^ y[2]
        maj = (x[0] & x[1]) | ((x[0] | x[1]) & x[2])
        t = y[3] + (_ror(y[0], 6) ^ _ror(y[0], 11) ^ _ror(y[0], 25)) + chs + w[e]
        x3 = t + x[3]
        y3 = t + (_ror(x[0], 2) ^ _ror(x[0], 13) ^ _ror(x[0], 22)) + maj
        x, y = [y3, x[0], x[1], x[2]], [x3, y[0], y[1], y[2]]    # <Y, X> = ROL(Y : X, 32)
    return _result(_limbs(x) + _limbs(y), uniform)


def sha256_su0(d_lo, d_hi, n_lo, n_hi):
    """SHA256SU0: element e is sigma0(T[e]) + D[e], T = N<31:0> : D<127:32>."""
    if compiled_lanes((d_lo, d_hi, n_lo, n_hi)):
        return _compiled("sha256_su0", (d_lo, d_hi, n_lo, n_hi), 2)
    limbs, uniform = _arrays((d_lo, d_hi, n_lo, n_hi))
    d, n = _elements(*limbs[0:2]), _elements(*limbs[2:4])
    t = d[1:] + n[:1]
    out = [(_ror(x, 7) ^ _ror(x, 18) ^ (x >> 3)) + y for x, y in zip(t, d)]
    return _result(_limbs(out), uniform)


def sha256_su1(d_lo, d_hi, n_lo, n_hi, m_lo, m_hi):
    """SHA256SU1: element e is sigma1(W) + D[e] + T0[e], T0 = M<31:0> : N<127:32>, W
    the elements 2, 3 of M for e = 0, 1 and the results 0, 1 for e = 2, 3."""
    if compiled_lanes((d_lo, d_hi, n_lo, n_hi, m_lo, m_hi)):
        return _compiled("sha256_su1", (d_lo, d_hi, n_lo, n_hi, m_lo, m_hi), 2)
    limbs, uniform = _arrays((d_lo, d_hi, n_lo, n_hi, m_lo, m_hi))
    d, n, m = _elements(*limbs[0:2]), _elements(*limbs[2:4]), _elements(*limbs[4:6])
    t0 = n[1:] + m[:1]
    out: list = []
    for e, w in enumerate(m[2:] + [None, None]):
        w = out[e - 2] if w is None else w
        out.append((_ror(w, 17) ^ _ror(w, 19) ^ (w >> 10)) + d[e] + t0[e])
    return _result(_limbs(out), uniform)


# -- 32-bit elements added within 64-bit limbs -------------------------------------------------
LOW31 = 0x7FFF_FFFF_7FFF_FFFF
TOP = 0x8000_0000_8000_0000


def add_4s(a_lo, a_hi, b_lo, b_hi):
    """ADD Vd.4S: each 32-bit element sum mod 2**32, the carry out of bit 31 kept apart."""
    if compiled_lanes((a_lo, a_hi, b_lo, b_hi)):
        return _compiled("add_4s", (a_lo, a_hi, b_lo, b_hi), 2)
    (a_lo, a_hi, b_lo, b_hi), uniform = _arrays((a_lo, a_hi, b_lo, b_hi))
    return _result([((a & LOW31) + (b & LOW31)) ^ ((a ^ b) & TOP)
                    for a, b in ((a_lo, b_lo), (a_hi, b_hi))], uniform)


def ushr_4s(lo, hi, shift):
    """USHR Vd.4S, #shift (1..32): each 32-bit element shifted right."""
    (lo, hi), uniform = _arrays((lo, hi))
    keep = ((1 << (32 - shift)) - 1) * 0x1_0000_0001
    return _result(((lo >> shift) & keep, (hi >> shift) & keep), uniform)


def sli_4s(d_lo, d_hi, n_lo, n_hi, shift):
    """SLI Vd.4S, Vn.4S, #shift (0..31): each element of n shifted left into d, keeping
    d's low ``shift`` bits."""
    (d_lo, d_hi, n_lo, n_hi), uniform = _arrays((d_lo, d_hi, n_lo, n_hi))
    keep = ((1 << shift) - 1) * 0x1_0000_0001
    into = keep ^ ((1 << 64) - 1)
    return _result((((n_lo << shift) & into) | (d_lo & keep),
                    ((n_hi << shift) & into) | (d_hi & keep)), uniform)


# -- TBL with one table register ----------------------------------------------------------
_tbl_plans: dict = {}


def _tbl_plan(index: int) -> list:
    """(source limb, destination limb, left shift, mask) groups moving the bytes a
    lane-uniform index selects; an index byte of 16 or more leaves a zero."""
    groups: dict = {}
    for j in range(16):
        i = (index >> (8 * j)) & 0xFF
        if i < 16:
            key = (i // 8, j // 8, 8 * (j % 8 - i % 8))
            groups[key] = groups.get(key, 0) | (0xFF << (8 * (j % 8)))
    return [(k, d, s, m) for (k, d, s), m in groups.items()]


def tbl1(t_lo, t_hi, i_lo, i_hi):
    """TBL Vd.16B, {Vn.16B}, Vm.16B: byte j is byte Vm[j] of Vn, or 0 when Vm[j] >= 16."""
    if type(i_lo) is not np.ndarray and type(i_hi) is not np.ndarray:
        index = i_lo | (i_hi << 64)
        plan = _tbl_plans.get(index)
        if plan is None:
            plan = _tbl_plans[index] = _tbl_plan(index)
        (t_lo, t_hi), uniform = _arrays((t_lo, t_hi))
        src, out = (t_lo, t_hi), [np.zeros_like(t_lo), np.zeros_like(t_lo)]
        for k, d, s, m in plan:
            out[d] |= ((src[k] << s) if s >= 0 else (src[k] >> -s)) & m
        return _result(out, uniform)
    return _tbl_lanes(t_lo, t_hi, i_lo, i_hi)


def _tbl_lanes(t_lo, t_hi, i_lo, i_hi):
    (t_lo, t_hi, i_lo, i_hi), _ = _arrays((t_lo, t_hi, i_lo, i_hi))
    table = np.stack((t_lo, t_hi), axis=1).view(np.uint8)
    index = np.stack((i_lo, i_hi), axis=1).view(np.uint8)
    picked = np.take_along_axis(table, np.minimum(index, 15).astype(np.intp), axis=1)
    picked[index >= 16] = 0
    limbs = picked.view(U64)
    return limbs[:, 0].copy(), limbs[:, 1].copy()


def _lookup_table(t: BV) -> tuple:
    """The table of the first ``lookup`` node under ``t`` (the S-box of AESE or AESD)."""
    stack = [t]
    while stack:
        u = stack.pop()
        if u.op == "lookup":
            return u.params[0]
        stack.extend(u.args)
    raise ValueError("no lookup in the AES summary")


@functools.lru_cache(maxsize=2)
def _sbox(word: int) -> bytes:
    """The S-box in the summary of AESE (or the inverse one of AESD), read on first use."""
    return bytes(_lookup_table(lift(word, 0).writes["v0"]))


def aes_sub_shift(d_lo, d_hi, n_lo, n_hi):
    return _aes_round(d_lo, d_hi, n_lo, n_hi, _sbox(0x4E284820), False)


def aes_inv_sub_shift(d_lo, d_hi, n_lo, n_hi):
    return _aes_round(d_lo, d_hi, n_lo, n_hi, _sbox(0x4E285820), True)
