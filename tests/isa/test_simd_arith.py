"""Known-answer tests: Advanced SIMD three same and three different (integer), vector forms.

Hand-derived vectors first, then every mnemonic in every allocated arrangement against
an independent unbounded-integer reference (tests/isa/simd_ref.py) on edge-biased lanes.
"""
import pytest
from simd_ref import (
    ARR,
    SIZE,
    check_text,
    clmul,
    edge_vector,
    elems,
    mask,
    rng_for,
    run,
    sat_s,
    sat_u,
    shift_lanes,
    sx,
    vec,
    word_of,
)

from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.simd.three_different import decode_simd_three_different as three_diff
from isa_specs.simd.three_same import decode_simd_three_same as three_same
from lnsym.machine.decoder import decode

ALL = ("8b", "16b", "4h", "8h", "2s", "4s", "2d")
NO64 = ALL[:-1]
HS = ("4h", "8h", "2s", "4s")


def ts_word(U, opcode, arr, d=0, n=1, m=2):
    Q, e = ARR[arr]
    return word_of(three_same, Q=Q, U=U, size=SIZE[e], Rm=m, opcode=opcode, Rn=n, Rd=d)


def _shl(x, sh, rnd):
    if sh >= 0:
        return x << sh
    return (x + (1 << (-sh - 1) if rnd else 0)) >> -sh


def _sh(unsigned, rnd, sat):
    def f(a, b, d, e):
        x = a if unsigned else sx(a, e)
        r = _shl(x, sx(b, 8), rnd)
        if sat:
            return sat_u(r, e) if unsigned else sat_s(r, e)
        return r
    return f


def _cm(pred):
    return lambda a, b, d, e: mask(e) if pred(a, b, e) else 0


# mnemonic -> (U, opcode, reference(a, b, d, esize), arrangements); "p" marks pairwise
THREE_SAME = {
    "shadd": (0, 0, lambda a, b, d, e: (sx(a, e) + sx(b, e)) >> 1, NO64),
    "uhadd": (1, 0, lambda a, b, d, e: (a + b) >> 1, NO64),
    "sqadd": (0, 1, lambda a, b, d, e: sat_s(sx(a, e) + sx(b, e), e), ALL),
    "uqadd": (1, 1, lambda a, b, d, e: sat_u(a + b, e), ALL),
    "srhadd": (0, 2, lambda a, b, d, e: (sx(a, e) + sx(b, e) + 1) >> 1, NO64),
    "urhadd": (1, 2, lambda a, b, d, e: (a + b + 1) >> 1, NO64),
    "shsub": (0, 4, lambda a, b, d, e: (sx(a, e) - sx(b, e)) >> 1, NO64),
    "uhsub": (1, 4, lambda a, b, d, e: (a - b) >> 1, NO64),
    "sqsub": (0, 5, lambda a, b, d, e: sat_s(sx(a, e) - sx(b, e), e), ALL),
    "uqsub": (1, 5, lambda a, b, d, e: sat_u(a - b, e), ALL),
    "cmgt": (0, 6, _cm(lambda a, b, e: sx(a, e) > sx(b, e)), ALL),
    "cmhi": (1, 6, _cm(lambda a, b, e: a > b), ALL),
    "cmge": (0, 7, _cm(lambda a, b, e: sx(a, e) >= sx(b, e)), ALL),
    "cmhs": (1, 7, _cm(lambda a, b, e: a >= b), ALL),
    "sshl": (0, 8, _sh(False, False, False), ALL),
    "ushl": (1, 8, _sh(True, False, False), ALL),
    "sqshl": (0, 9, _sh(False, False, True), ALL),
    "uqshl": (1, 9, _sh(True, False, True), ALL),
    "srshl": (0, 10, _sh(False, True, False), ALL),
    "urshl": (1, 10, _sh(True, True, False), ALL),
    "sqrshl": (0, 11, _sh(False, True, True), ALL),
    "uqrshl": (1, 11, _sh(True, True, True), ALL),
    "smax": (0, 12, lambda a, b, d, e: max(sx(a, e), sx(b, e)), NO64),
    "umax": (1, 12, lambda a, b, d, e: max(a, b), NO64),
    "smin": (0, 13, lambda a, b, d, e: min(sx(a, e), sx(b, e)), NO64),
    "umin": (1, 13, lambda a, b, d, e: min(a, b), NO64),
    "sabd": (0, 14, lambda a, b, d, e: abs(sx(a, e) - sx(b, e)), NO64),
    "uabd": (1, 14, lambda a, b, d, e: abs(a - b), NO64),
    "saba": (0, 15, lambda a, b, d, e: d + abs(sx(a, e) - sx(b, e)), NO64),
    "uaba": (1, 15, lambda a, b, d, e: d + abs(a - b), NO64),
    "add": (0, 16, lambda a, b, d, e: a + b, ALL),
    "sub": (1, 16, lambda a, b, d, e: a - b, ALL),
    "cmtst": (0, 17, _cm(lambda a, b, e: a & b != 0), ALL),
    "cmeq": (1, 17, _cm(lambda a, b, e: a == b), ALL),
    "mla": (0, 18, lambda a, b, d, e: d + a * b, NO64),
    "mls": (1, 18, lambda a, b, d, e: d - a * b, NO64),
    "mul": (0, 19, lambda a, b, d, e: a * b, NO64),
    "pmul": (1, 19, lambda a, b, d, e: clmul(a, b), ("8b", "16b")),
    "smaxp": (0, 20, "p", NO64), "umaxp": (1, 20, "p", NO64),
    "sminp": (0, 21, "p", NO64), "uminp": (1, 21, "p", NO64),
    "sqdmulh": (0, 22, lambda a, b, d, e: sat_s((2 * sx(a, e) * sx(b, e)) >> e, e), HS),
    "sqrdmulh": (1, 22, lambda a, b, d, e:
                 sat_s((2 * sx(a, e) * sx(b, e) + (1 << (e - 1))) >> e, e), HS),
    "addp": (0, 23, "p", ALL),
}
PAIRWISE = {"smaxp": lambda x, y, e: max(sx(x, e), sx(y, e)),
            "umaxp": lambda x, y, e: max(x, y),
            "sminp": lambda x, y, e: min(sx(x, e), sx(y, e)),
            "uminp": lambda x, y, e: min(x, y),
            "addp": lambda x, y, e: x + y}

CASES = [(mn, arr) for mn, (_, _, _, arrs) in THREE_SAME.items() for arr in arrs]


@pytest.mark.parametrize("mn,arr", CASES, ids=[f"{m}.{a}" for m, a in CASES])
def test_three_same_against_reference(mn, arr):
    U, opcode, ref, _ = THREE_SAME[mn]
    Q, e = ARR[arr]
    n = (64 << Q) // e
    word = ts_word(U, opcode, arr)
    check_text(word, f"{mn} v0.{arr}, v1.{arr}, v2.{arr}")
    rng = rng_for(mn, arr)
    for _ in range(4):
        v0, v1 = edge_vector(rng, e), edge_vector(rng, e)
        v2 = vec(shift_lanes(rng, e, 128 // e), e) if "sh" in mn else edge_vector(rng, e)
        a, b, d = elems(v1, e, n), elems(v2, e, n), elems(v0, e, n)
        if ref == "p":
            cat = a + b
            want = [PAIRWISE[mn](cat[2 * i], cat[2 * i + 1], e) for i in range(n)]
        else:
            want = [ref(x, y, z, e) for x, y, z in zip(a, b, d)]
        assert run(word, v0=v0, v1=v1, v2=v2).get("v0") == vec(want, e), (mn, arr)


LOGICAL = {"and": (0, 0, lambda n, m, d: n & m), "bic": (0, 1, lambda n, m, d: n & ~m),
           "orr": (0, 2, lambda n, m, d: n | m), "orn": (0, 3, lambda n, m, d: n | ~m),
           "eor": (1, 0, lambda n, m, d: n ^ m),
           "bsl": (1, 1, lambda n, m, d: (n & d) | (m & ~d)),
           "bit": (1, 2, lambda n, m, d: (n & m) | (d & ~m)),
           "bif": (1, 3, lambda n, m, d: (n & ~m) | (d & m))}


@pytest.mark.parametrize("mn", list(LOGICAL))
@pytest.mark.parametrize("arr", ["8b", "16b"])
def test_logical(mn, arr):
    U, size, ref = LOGICAL[mn]
    Q = ARR[arr][0]
    word = word_of(three_same, Q=Q, U=U, size=size, Rm=2, opcode=3, Rn=1, Rd=0)
    check_text(word, f"{mn} v0.{arr}, v1.{arr}, v2.{arr}")
    v0, v1, v2 = 0xF0F0_0000_FFFF_1234_5678_9ABC_DEF0_0F0F, 0x0123_4567_89AB_CDEF_FEDC_BA98_7654_3210, \
        0xFF00_FF00_00FF_00FF_AAAA_5555_0F0F_F0F0
    width = 64 << Q
    want = ref(v1, v2, v0) & mask(width)
    assert run(word, v0=v0, v1=v1, v2=v2).get("v0") == want


def test_orr_same_register_is_mov():
    word = word_of(three_same, Q=1, U=0, size=2, Rm=7, opcode=3, Rn=7, Rd=3)
    check_text(word, "mov v3.16b, v7.16b")
    assert run(word, v7=0x1234 << 100).get("v3") == 0x1234 << 100


def test_hand_vectors():
    # add v0.4s: lane-wise, 0xffffffff + 1 wraps to 0
    w = ts_word(0, 16, "4s")
    out = run(w, v1=vec([1, 2, 3, 0xFFFFFFFF], 32), v2=vec([10, 20, 30, 1], 32)).get("v0")
    assert out == vec([11, 22, 33, 0], 32)
    # sqadd 8b: 0x7f + 1 saturates to 0x7f, 0x80 + 0xff (-128 + -1) to 0x80; upper half zeroed
    w = ts_word(0, 1, "8b")
    out = run(w, v0=M128, v1=vec([0x7F, 0x80, 5] + [0] * 13, 8),
              v2=vec([1, 0xFF, 0xFE] + [0] * 13, 8)).get("v0")
    assert out == vec([0x7F, 0x80, 3], 8)
    # uqsub 16b: 3 - 5 saturates to 0
    assert run(ts_word(1, 5, "16b"), v1=3, v2=5).get("v0") == 0
    # sqdmulh 4h: (-0x8000) * (-0x8000) * 2 >> 16 = 0x8000 saturates to 0x7fff
    assert run(ts_word(0, 22, "4h"), v1=0x8000, v2=0x8000).get("v0") == 0x7FFF
    # sqrdmulh 4h: 2 * 0x4000 * 0x0001 = 0x8000, + 0x8000 rounds to 1
    assert run(ts_word(1, 22, "4h"), v1=0x4000, v2=1).get("v0") == 1
    # srshl 2d by -1: 3 >> 1 with rounding = 2; -3 -> -1; urshl 4s 0x80000000 by -32 -> 1
    out = run(ts_word(0, 10, "2d"), v1=vec([3, -3], 64), v2=vec([0xFF, 0xFF], 64)).get("v0")
    assert out == vec([2, -1], 64)
    assert run(ts_word(1, 10, "4s"), v1=0x80000000, v2=0xE0).get("v0") == 1
    # sshl 4s by +31 of 1 gives 0x80000000; by -40 of a negative gives -1; uqshl by 1 of 0x80 sat
    out = run(ts_word(0, 8, "4s"), v1=vec([1, 0x80000000], 32), v2=vec([31, 0xD8], 32)).get("v0")
    assert out == vec([0x80000000, 0xFFFFFFFF], 32)
    assert run(ts_word(1, 9, "8b"), v1=0x80, v2=1).get("v0") == 0xFF
    # pmul 16b: 0x03 * 0x03 = x^2 + 1 = 0x05; 0x80 * 0x02 = x^8 truncated to 0
    out = run(ts_word(1, 19, "16b"), v1=vec([3, 0x80], 8), v2=vec([3, 2], 8)).get("v0")
    assert out == vec([5, 0], 8)
    # addp 4s: [1,2,3,4],[10,20,30,40] -> [3,7,30,70]
    out = run(ts_word(0, 23, "4s"), v1=vec([1, 2, 3, 4], 32), v2=vec([10, 20, 30, 40], 32))
    assert out.get("v0") == vec([3, 7, 30, 70], 32)


M128 = mask(128)


@pytest.mark.parametrize("U,opcode,size,Q", [
    (0, 16, 3, 0),     # add .1d: reserved
    (0, 19, 3, 1),     # mul .2d: reserved
    (1, 19, 1, 1),     # pmul .8h: reserved
    (0, 22, 0, 1),     # sqdmulh .16b: reserved
    (1, 23, 0, 1),     # U=1 opcode 10111: unallocated
])
def test_three_same_reserved(U, opcode, size, Q):
    with pytest.raises(Unallocated):
        decode(word_of(three_same, Q=Q, U=U, size=size, Rm=2, opcode=opcode, Rn=1, Rd=0))


def test_three_same_fp_unimplemented():
    with pytest.raises(Unimplemented, match="floating-point"):
        decode(0x4E22D420)                           # fadd v0.4s, v1.4s, v2.4s


# ---- three different ------------------------------------------------------------------
def td_word(U, opcode, size, Q, d=0, n=1, m=2):
    return word_of(three_diff, Q=Q, U=U, size=size, Rm=m, opcode=opcode, Rn=n, Rd=d)


THREE_DIFF = {  # mnemonic -> (U, opcode, kind, reference(a, b, d, e), sizes)
    "saddl": (0, 0, "long", lambda a, b, d, e: sx(a, e) + sx(b, e), (0, 1, 2)),
    "uaddl": (1, 0, "long", lambda a, b, d, e: a + b, (0, 1, 2)),
    "saddw": (0, 1, "wide", lambda a, b, d, e: a + sx(b, e), (0, 1, 2)),
    "uaddw": (1, 1, "wide", lambda a, b, d, e: a + b, (0, 1, 2)),
    "ssubl": (0, 2, "long", lambda a, b, d, e: sx(a, e) - sx(b, e), (0, 1, 2)),
    "usubl": (1, 2, "long", lambda a, b, d, e: a - b, (0, 1, 2)),
    "ssubw": (0, 3, "wide", lambda a, b, d, e: a - sx(b, e), (0, 1, 2)),
    "usubw": (1, 3, "wide", lambda a, b, d, e: a - b, (0, 1, 2)),
    "addhn": (0, 4, "narrow", lambda a, b, d, e: (a + b) >> e, (0, 1, 2)),
    "raddhn": (1, 4, "narrow", lambda a, b, d, e: (a + b + (1 << (e - 1))) >> e, (0, 1, 2)),
    "sabal": (0, 5, "long", lambda a, b, d, e: d + abs(sx(a, e) - sx(b, e)), (0, 1, 2)),
    "uabal": (1, 5, "long", lambda a, b, d, e: d + abs(a - b), (0, 1, 2)),
    "subhn": (0, 6, "narrow", lambda a, b, d, e: (a - b) >> e, (0, 1, 2)),
    "rsubhn": (1, 6, "narrow", lambda a, b, d, e: (a - b + (1 << (e - 1))) >> e, (0, 1, 2)),
    "sabdl": (0, 7, "long", lambda a, b, d, e: abs(sx(a, e) - sx(b, e)), (0, 1, 2)),
    "uabdl": (1, 7, "long", lambda a, b, d, e: abs(a - b), (0, 1, 2)),
    "smlal": (0, 8, "long", lambda a, b, d, e: d + sx(a, e) * sx(b, e), (0, 1, 2)),
    "umlal": (1, 8, "long", lambda a, b, d, e: d + a * b, (0, 1, 2)),
    "sqdmlal": (0, 9, "long", lambda a, b, d, e:
                sat_s(sx(d, 2 * e) + sat_s(2 * sx(a, e) * sx(b, e), 2 * e), 2 * e), (1, 2)),
    "smlsl": (0, 10, "long", lambda a, b, d, e: d - sx(a, e) * sx(b, e), (0, 1, 2)),
    "umlsl": (1, 10, "long", lambda a, b, d, e: d - a * b, (0, 1, 2)),
    "sqdmlsl": (0, 11, "long", lambda a, b, d, e:
                sat_s(sx(d, 2 * e) - sat_s(2 * sx(a, e) * sx(b, e), 2 * e), 2 * e), (1, 2)),
    "smull": (0, 12, "long", lambda a, b, d, e: sx(a, e) * sx(b, e), (0, 1, 2)),
    "umull": (1, 12, "long", lambda a, b, d, e: a * b, (0, 1, 2)),
    "sqdmull": (0, 13, "long", lambda a, b, d, e: sat_s(2 * sx(a, e) * sx(b, e), 2 * e), (1, 2)),
    "pmull": (0, 14, "long", lambda a, b, d, e: clmul(a, b), (0, 3)),
}
TD_CASES = [(mn, size, Q) for mn, v in THREE_DIFF.items() for size in v[4] for Q in (0, 1)]
LETTER = {8: "b", 16: "h", 32: "s", 64: "d", 128: "q"}


@pytest.mark.parametrize("mn,size,Q", TD_CASES, ids=[f"{m}.{s}.{q}" for m, s, q in TD_CASES])
def test_three_different_against_reference(mn, size, Q):
    U, opcode, kind, ref, _ = THREE_DIFF[mn]
    e = 8 << size
    n = 64 // e
    wide = f"{n}{LETTER[2 * e]}"
    narrow = f"{n << Q}{LETTER[e]}"
    text = {"long": (wide, narrow, narrow), "wide": (wide, wide, narrow),
            "narrow": (narrow, wide, wide)}[kind]
    word = td_word(U, opcode, size, Q)
    check_text(word, f"{mn}{'2' if Q else ''} v0.{text[0]}, v1.{text[1]}, v2.{text[2]}")
    rng = rng_for(mn, size, Q)
    for _ in range(4):
        v0, v1, v2 = (edge_vector(rng, e) for _ in range(3))
        out = run(word, v0=v0, v1=v1, v2=v2).get("v0")
        if kind == "narrow":
            lanes = [ref(a, b, 0, e) for a, b in zip(elems(v1, 2 * e), elems(v2, 2 * e))]
            got = vec(lanes, e)
            want = (got << 64 | (v0 & mask(64))) if Q else got
        else:
            a = elems(v1, 2 * e) if kind == "wide" else elems(v1 >> (64 * Q), e, n)
            b = elems(v2 >> (64 * Q), e, n)
            want = vec([ref(x, y, z, e) for x, y, z in zip(a, b, elems(v0, 2 * e))], 2 * e)
        assert out == want & M128, mn


def test_pmull_64_known_products():
    w1, w2 = td_word(0, 14, 3, 0), td_word(0, 14, 3, 1)
    check_text(w1, "pmull v0.1q, v1.1d, v2.1d")
    check_text(w2, "pmull2 v0.1q, v1.2d, v2.2d")
    ones = mask(64)
    # (x^63 + ... + 1)^2 over GF(2) = the even powers x^0, x^2, ..., x^126
    assert run(w1, v1=ones, v2=ones).get("v0") == int("55" * 16, 16)
    # x^63 * x^63 = x^126; pmull2 takes the upper doublewords
    assert run(w2, v1=1 << 127, v2=(1 << 127) | 5).get("v0") == 1 << 126
    # GHASH-style: H = 0xc2 << 56 (GCM's reduction constant) times x^63 + x + 1
    h, x = 0xC200000000000000, 0x8000000000000003
    want = (h << 63) ^ (h << 1) ^ h
    assert run(w1, v1=h, v2=x).get("v0") == want
    assert run(w1, v1=h, v2=x).get("v0") == clmul(h, x)


def test_three_different_hand_vectors():
    # uaddl2 v0.8h, v1.16b, v2.16b: upper bytes 0xff + 0xff = 0x1fe
    w = td_word(1, 0, 0, 1)
    assert run(w, v1=M128, v2=M128).get("v0") == vec([0x1FE] * 8, 16)
    # addhn v0.8b: high bytes of 0x1234 + 0x0100 = 0x13; addhn2 keeps v0's low half
    w = td_word(0, 4, 0, 0)
    assert run(w, v0=M128, v1=0x1234, v2=0x0100).get("v0") == 0x13
    w = td_word(0, 4, 0, 1)
    assert run(w, v0=0xAB, v1=0x1234, v2=0x0100).get("v0") == 0x13 << 64 | 0xAB
    # sqdmull v0.4s, v1.4h, v2.4h: -0x8000 * -0x8000 * 2 saturates to 0x7fffffff
    assert run(td_word(0, 13, 1, 0), v1=0x8000, v2=0x8000).get("v0") == 0x7FFFFFFF


@pytest.mark.parametrize("U,opcode,size", [(0, 0, 3), (0, 9, 0), (1, 9, 1), (0, 14, 1),
                                           (1, 14, 0), (0, 15, 0)])
def test_three_different_reserved(U, opcode, size):
    with pytest.raises(Unallocated):
        decode(td_word(U, opcode, size, 1))
