"""Case classes for pointer authentication with PAuth on (QEMU ``-cpu max,sve=off``,
``PAUTH_CPU``; the encodings run with ``pauth=off``, where the PAC hints are NOPs,
which the ``hints`` encoding class checks).

QEMU's keys are random per process and lnsym's model has its own stand-in
key (``lnsym.terms.pauth``), so a PAC value itself is not comparable.  Each
class is built so that what the architecture determines can be compared
exactly, and what it leaves to the key is first mapped to a key-independent
observation (``Case.observe``, applied to both outcomes):

- ``round_trip``: PAC* then AUT* with the same key and modifier: the pointer
  comes back (canonical extension) or is the error pointer (a pointer whose
  extension bits were not all equal): compared exactly;
- ``strip``: PACIxSP/PACIxZ then XPACLRI, or XPACLRI alone: the PAC is gone
  and the extension rebuilt: compared exactly;
- ``sign``: PAC* alone: every bit outside the PAC field (54:48) is kept, so
  the field is masked out of the signed register;
- ``auth_fails``: AUT* of an unsigned pointer, or after signing with another
  modifier or the other key: the result must be either the pointer with its
  extension restored (a 7-bit PAC collides once in 128) or the error pointer
  (error code 01 for key A, 10 for key B in bits 54:53; no fault: QEMU 7.2
  has no FEAT_FPAC); both are mapped to one value, since which of the two
  comes out depends on the key (QEMU's and the model's collide in different
  cases), and anything else still differs.

Pointers are lower-half (bit 55 = 0), with a random top byte (TBI) and, one
time in five, non-canonical extension bits 54:48.  Upper-half pointers are
not generated: QEMU's user mode signs them inconsistently with the Arm ARM
(bit 55 is not kept), and no user-space pointer has bit 55 set.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from lnsym.terms.pauth import ERROR_CODES, strip_int

from .generate import Case, _rand_vs, _rand_xs, _scratch_ptr, entry_address
from .harness import State, land_word

MODULE = "conformance.pauth"
NAMES = ("round_trip", "strip", "sign", "auth_fails")
PAUTH_CPU = "max,sve=off"
FIELD = 0x7F << 48
XPACLRI = 7
ADD_X16_1 = 0x91000610            # add x16, x16, #1
ADD_SP_16 = 0x910043FF            # add sp, sp, #16
# CRm:op2 of the PAC hints: (register, modifier kind, key) -> sign op, authenticate op
FORMS = [(17, "x16", "IA", 8, 12), (17, "x16", "IB", 10, 14), (30, "zero", "IA", 24, 28),
         (30, "sp", "IA", 25, 29), (30, "zero", "IB", 26, 30), (30, "sp", "IB", 27, 31)]


@dataclass(frozen=True)
class PauthClass:
    module: str
    name: str


CLASSES = [PauthClass(MODULE, n) for n in NAMES]


def hint(op: int) -> int:
    return 0xD503201F | op << 5


def pointer(rng) -> int:
    low = rng.getrandbits(48)
    ext = rng.getrandbits(7) if rng.random() < 0.2 else 0
    return rng.getrandbits(8) << 56 | ext << 48 | low


def _masked(reg: int):
    def observe(st):
        st.x[reg] &= ~FIELD
        return st
    return observe


def _either(reg: int, original: int, key: str):
    plain = strip_int(original)
    error = plain & ~(3 << 53) | ERROR_CODES[key] << 53

    def observe(st):
        v = st.x[reg]
        st.x[reg] = 0 if v in (plain, error) else v     # which one depends on the key
        return st
    return observe


def sequence(rng, name: str) -> tuple:
    """(words, pointer register, its value, observe or None)."""
    reg, mod, key, sign, auth = rng.choice(FORMS)
    ptr = pointer(rng)
    if name == "round_trip":
        return [hint(sign), hint(auth)], reg, ptr, None
    if name == "strip":
        reg, mod, key, sign, auth = rng.choice([f for f in FORMS if f[0] == 30])
        words = [hint(XPACLRI)] if rng.random() < 0.3 else [hint(sign), hint(XPACLRI)]
        return words, reg, ptr, None
    if name == "sign":
        return [hint(sign)], reg, ptr, _masked(reg)
    how = rng.choice(["plain", "key", "modifier"] if mod != "zero" else ["plain", "key"])
    if how == "plain":
        words = [hint(auth)]
    elif how == "key":
        other = next(f for f in FORMS if f[:2] == (reg, mod) and f[2] != key)
        words = [hint(other[3]), hint(auth)]
    else:
        words = [hint(sign), ADD_X16_1 if mod == "x16" else ADD_SP_16, hint(auth)]
    return words, reg, ptr, _either(reg, ptr, key)


def generate_case(seed: int, cls: PauthClass, j: int, pristine: bytes,
                  backend: str = "eval") -> Case:
    from .model import run_case
    key = f"{cls.module}:{cls.name}"
    rng = random.Random(f"{seed}:{key}:{j}")
    words, reg, ptr, observe = sequence(rng, cls.name)
    stub = entry_address(j, 0)
    entry = stub + 4 * (len(words) - 1)
    words = words + [land_word(entry + 4, 1)]
    x = _rand_xs(rng)
    x[reg] = ptr
    x[28] = 0
    st = State(x, _scratch_ptr(rng), rng.getrandbits(4), _rand_vs(rng))
    case = Case(f"{seed}:{key}:{j}", key, words[-2], entry, stub, words, st, start=stub)
    case.observe = observe
    case.model = run_case(case, pristine, backend, pauth="on")
    return case
