"""Pointer authentication (FEAT_PAuth) as term operators, with keys unknown.

Two opaque 64-bit operators, ``pac_add(ptr, modifier)`` and
``pac_auth(ptr, modifier)`` (parameters: the key name ``IA``/``IB``/``DA``/
``DB``, and for ``pac_auth`` the 2-bit error code), stand for Arm ARM
AddPAC and Auth, both built around the keyed function ComputePAC(pointer,
modifier, key).  The key is unknown, so ComputePAC is:

* in the SMT lowering (``lnsym.terms.smt``), an uninterpreted z3 function
  per key: nothing is proved that depends on the key;
* in concrete evaluation and generated code, an arbitrary fixed function:
  the first 8 bytes of BLAKE2b(pointer || modifier), keyed with
  ``lnsym-pauth-`` + the key name.  It stands for some key, like the random
  keys Linux gives each process.

The address layout is user-mode Linux on Armv8.3: 48-bit virtual addresses
(the PAC field starts at bit 48), TCR_EL1.TBI0 = 1 and TBID0 = 0 (the top
byte of a lower-half pointer is ignored, for instruction and data pointers
alike), TBI1 = 0.  Bit 55 selects the half and is kept.  For a lower-half
pointer the PAC occupies bits 54:48; for an upper-half one, bits 63:56 and
54:48.  The variant is FEAT_PAuth as QEMU 7.2 ``-cpu max`` implements it
(no FEAT_PAuth2, no FEAT_FPAC, checked with the conformance classes
``conformance.pauth``): AddPAC of a pointer whose extension bits are not all
equal flips the PAC's top bit (so it never authenticates); Auth that fails
returns the pointer with its extension restored and the error code (key A
01, key B 10) in bits 54:53 (lower half) or 62:61 (upper half), no fault.

Normal form: ``pac_auth(pac_add(x, m), m)`` with the same key is rewritten to
``ite(canonical(x), x, error pointer of x)``: an authenticated round trip is
the identity exactly for pointers with canonical extension bits.  XPAC is
``strip`` (a third operator, ``pac_strip``, exact and key-free, kept opaque
only while bit 55 is unknown): ``strip(pac_add(x, m))`` is ``strip(x)``.
"""
from __future__ import annotations

import hashlib

from lnsym.terms.bv import BV, concat, const, eq, extract, ite
from lnsym.terms.node import WidthError, _mk

LOW = (1 << 48) - 1
TOP_BYTE = 0xFF << 56
FIELD = 0x7F << 48
ERROR_CODES = {"IA": 1, "DA": 1, "IB": 2, "DB": 2}


# -- the concrete model ---------------------------------------------------------------------
def compute_pac(key: str, pointer: int, modifier: int) -> int:
    """ComputePAC with this model's fixed stand-in for the unknown key."""
    h = hashlib.blake2b(pointer.to_bytes(8, "little") + modifier.to_bytes(8, "little"),
                        digest_size=8, key=b"lnsym-pauth-" + key.encode())
    return int.from_bytes(h.digest(), "little")


def strip_int(p: int) -> int:
    """The pointer with its extension bits rebuilt from bit 55 (XPAC, Auth's original_ptr)."""
    if p >> 55 & 1:
        return 0xFFFF << 48 | p & LOW
    return p & TOP_BYTE | p & LOW


def add_pac_int(x: int, modifier: int, key: str) -> int:
    upper = x >> 55 & 1
    pac = compute_pac(key, strip_int(x), modifier)
    if upper:
        if x >> 48 != 0xFFFF:
            pac ^= 1 << 62
        return pac & TOP_BYTE | 1 << 55 | pac & FIELD | x & LOW
    if x >> 48 & 0xFF:
        pac ^= 1 << 54
    return x & TOP_BYTE | pac & FIELD | x & LOW


def auth_int(p: int, modifier: int, key: str, code: int) -> int:
    upper = p >> 55 & 1
    original = strip_int(p)
    diff = compute_pac(key, original, modifier) ^ p
    if not diff & FIELD and not (upper and diff & TOP_BYTE):
        return original
    shift = 61 if upper else 53
    return original & ~(3 << shift) | code << shift


# -- terms ----------------------------------------------------------------------------------
def _check(*xs: BV) -> None:
    for x in xs:
        if x.width != 64:
            raise WidthError("pointer authentication works on 64-bit values")


def strip(p: BV) -> BV:
    """XPAC: the extension bits rebuilt from bit 55.  AddPAC keeps bit 55, bits
    47:0 and (lower half) the top byte, so stripping a signed pointer is
    stripping the pointer.  Ordinary terms when bit 55 is known, else an opaque
    ``pac_strip`` node (so the rule above still applies after substitution)."""
    _check(p)
    if p.op == "pac_add":
        p = p.args[0]
    if p.op == "const":
        return const(strip_int(p.params[0]), 64)
    if extract(p, 55, 55).op != "const":
        return _mk("pac_strip", 64, (p,), ())
    return ite(extract(p, 55, 55), concat(const(0xFFFF, 16), extract(p, 47, 0)),
               concat(extract(p, 63, 56), const(0, 8), extract(p, 47, 0)))


def canonical(x: BV) -> BV:
    """1 if the extension bits of ``x`` (55:48, or 63:48 in the upper half) are all equal."""
    return ite(extract(x, 55, 55), eq(extract(x, 63, 48), const(0xFFFF, 16)),
               eq(extract(x, 55, 48), const(0, 8)))


def error_pointer(original: BV, code: int) -> BV:
    """``original`` with the error code in bits 54:53 (lower half) or 62:61 (upper half)."""
    c = const(code, 2)
    return ite(extract(original, 55, 55),
               concat(extract(original, 63, 63), c, extract(original, 60, 0)),
               concat(extract(original, 63, 55), c, extract(original, 52, 0)))


def pac_add(x: BV, modifier: BV, key: str) -> BV:
    """AddPAC(x, modifier, key)."""
    _check(x, modifier)
    if x.op == "const" and modifier.op == "const":
        return const(add_pac_int(x.params[0], modifier.params[0], key), 64)
    return _mk("pac_add", 64, (x, modifier), (key,))


def pac_auth(p: BV, modifier: BV, key: str) -> BV:
    """Auth(p, modifier, key): the pointer, or the error pointer if the PAC is wrong."""
    _check(p, modifier)
    code = ERROR_CODES[key]
    if p.op == "const" and modifier.op == "const":
        return const(auth_int(p.params[0], modifier.params[0], key, code), 64)
    if p.op == "pac_add" and p.args[1] is modifier and p.params[0] == key:
        x = p.args[0]
        return ite(canonical(x), x, error_pointer(strip(x), code))
    return _mk("pac_auth", 64, (p, modifier), (key, code))
