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
- ``strip``: a PAC then XPACLRI (or XPACI/XPACD), or the strip alone: the
  PAC is gone and the extension rebuilt: compared exactly;
- ``sign``: PAC* alone: every bit outside the PAC field (54:48) is kept, so
  the field is masked out of the signed register;
- ``branch``: a landing address signed (PACIA/PACIB Xn, Xm|SP, PACIZA/B or
  PACIASP/BSP) then BRAA/BRAB/BLRAA/BLRAB/BRAAZ/BLRABZ ... or RETAA/RETAB:
  the branch must authenticate and land there (the branch register, which
  keeps its PAC, is compared outside the PAC field);
- ``auth_fails``: AUT* of an unsigned pointer, or after signing with another
  modifier or the other key: the result must be either the pointer with its
  extension restored (a 7-bit PAC collides once in 128) or the error pointer
  (error code 01 for key A, 10 for key B in bits 54:53; no fault: QEMU 7.2
  has no FEAT_FPAC); both are mapped to one value, since which of the two
  comes out depends on the key (QEMU's and the model's collide in different
  cases), and anything else still differs.

Half the cases use the PAC hints (X17 with X16, or X30 with SP or zero),
half the data-processing forms (PACIA ... AUTDB Xd, Xn|SP, the Z forms,
XPACI/XPACD) with random registers, all four keys.

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
NAMES = ("round_trip", "strip", "sign", "auth_fails", "branch")
PAUTH_CPU = "max,sve=off"
FIELD = 0x7F << 48
XPACLRI = 7
ADD_X16_1 = 0x91000610            # add x16, x16, #1
ADD_SP_16 = 0x910043FF            # add sp, sp, #16
# CRm:op2 of the PAC hints: (register, modifier kind, key) -> sign op, authenticate op
HINT_FORMS = [(17, "x16", "IA", 8, 12), (17, "x16", "IB", 10, 14), (30, "zero", "IA", 24, 28),
              (30, "sp", "IA", 25, 29), (30, "zero", "IB", 26, 30), (30, "sp", "IB", 27, 31)]
KEYS = ("IA", "IB", "DA", "DB")


@dataclass(frozen=True)
class Form:
    """One way to sign and authenticate: the register, the modifier (``x<n>``, ``sp``
    or ``zero``), the key, and the sign / authenticate / strip words."""
    reg: int
    mod: str
    key: str
    sign: int
    auth: int
    strip: int


def hint(op: int) -> int:
    return 0xD503201F | op << 5


def dp_1src(opcode: int, n: int, d: int) -> int:
    """PACIA ... XPACD Xd (data-processing, 1 source, opcode2 = 00001)."""
    return 0xDAC10000 | opcode << 10 | n << 5 | d


def hint_forms() -> list:
    return [Form(r, m, k, hint(s), hint(a), hint(XPACLRI) if r == 30 else None)
            for r, m, k, s, a in HINT_FORMS]


def register_form(rng, key: str | None = None, like: Form | None = None) -> Form:
    """PACxx/AUTxx Xd, Xn|SP or the Z forms, with random registers (never X28)."""
    key = key or rng.choice(KEYS)
    k = KEYS.index(key)
    if like is not None:
        d, mod = like.reg, like.mod
    else:
        d, n = rng.sample([r for r in range(31) if r != 28], 2)
        mod = rng.choice([f"x{n}", "sp", "zero"])
    n = 31 if mod in ("sp", "zero") else int(mod[1:])
    z = 8 if mod == "zero" else 0
    strip = dp_1src(16 if key[0] == "I" else 17, 31, d)
    return Form(d, mod, key, dp_1src(z + k, n, d), dp_1src(z + 4 + k, n, d), strip)


def other_key(rng, form: Form) -> Form:
    """The same register and modifier under another key."""
    if form.sign >> 24 == 0xDA:
        return register_form(rng, rng.choice([k for k in KEYS if k != form.key]), form)
    return next(f for f in hint_forms() if (f.reg, f.mod) == (form.reg, form.mod)
                and f.key != form.key)


def change_modifier(form: Form) -> int:
    if form.mod == "sp":
        return ADD_SP_16
    n = int(form.mod[1:])
    return 0x91000400 | n << 5 | n           # add xn, xn, #1


@dataclass(frozen=True)
class PauthClass:
    module: str
    name: str


CLASSES = [PauthClass(MODULE, n) for n in NAMES]


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


def branch_sequence(rng) -> tuple:
    """A signed landing address and an authenticating branch to it: (words, register)."""
    key = rng.choice("ab")
    k = "IA" if key == "a" else "IB"
    kind = rng.choice(["br", "blr", "ret"])
    if kind == "ret":                       # PACIxSP; RETAx
        return [hint(25 if key == "a" else 27), 0xD65F0BFF | (key == "b") << 10], 30
    op = (0 if kind == "br" else 1) | 8
    n, m = rng.sample([r for r in range(30) if r != 28], 2)
    if rng.random() < 0.3:                  # PACIZx Xn; BRAxZ / BLRAxZ Xn
        sign = dp_1src(8 + KEYS.index(k), 31, n)
        op, m = op - 8, 31
    else:
        m = rng.choice([m, 31])
        sign = dp_1src(KEYS.index(k), m, n)
    branch = 0xD6000000 | op << 21 | 0x1F << 16 | (2 | (key == "b")) << 10 | n << 5 | m
    return [sign, branch], n


def sequence(rng, name: str) -> tuple:
    """(words, pointer register, its value, observe or None); for ``branch`` the value
    is None: the register gets the address of landing slot 2."""
    if name == "branch":
        words, reg = branch_sequence(rng)
        return words, reg, None, _masked(reg)       # the register keeps its PAC
    form = rng.choice(hint_forms()) if rng.random() < 0.5 else register_form(rng)
    ptr = pointer(rng)
    if name == "round_trip":
        return [form.sign, form.auth], form.reg, ptr, None
    if name == "strip":
        if form.strip is None:
            form = rng.choice([f for f in hint_forms() if f.strip is not None])
        words = [form.strip] if rng.random() < 0.3 else [form.sign, form.strip]
        return words, form.reg, ptr, None
    if name == "sign":
        return [form.sign], form.reg, ptr, _masked(form.reg)
    how = rng.choice(["plain", "key", "modifier"] if form.mod != "zero" else ["plain", "key"])
    if how == "plain":
        words = [form.auth]
    elif how == "key":
        words = [other_key(rng, form).sign, form.auth]
    else:
        words = [form.sign, change_modifier(form), form.auth]
    return words, form.reg, ptr, _either(form.reg, ptr, form.key)


def generate_case(seed: int, cls: PauthClass, j: int, pristine: bytes,
                  backend: str = "eval") -> Case:
    from .model import run_case
    key = f"{cls.module}:{cls.name}"
    rng = random.Random(f"{seed}:{key}:{j}")
    words, reg, ptr, observe = sequence(rng, cls.name)
    stub = entry_address(j, 0)
    entry = stub + 4 * (len(words) - 1)
    word = words[-1]
    words = words + [land_word(entry + 4, 1), land_word(entry + 8, 2)]
    x = _rand_xs(rng)
    x[reg] = entry + 8 if ptr is None else ptr
    x[28] = 0
    st = State(x, _scratch_ptr(rng), rng.getrandbits(4), _rand_vs(rng))
    case = Case(f"{seed}:{key}:{j}", key, word, entry, stub, words, st, start=stub)
    case.observe = observe
    case.model = run_case(case, pristine, backend, pauth="on")
    return case
