"""Known-answer tests: Advanced SIMD two-register misc, shift by immediate and across lanes
(integer, vector forms), against hand vectors and the unbounded-integer reference."""
import pytest
from simd_ref import (
    ARR,
    SIZE,
    check_text,
    edge_vector,
    elems,
    mask,
    rng_for,
    run,
    sat_s,
    sat_u,
    sx,
    vec,
    word_of,
)

from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.simd import shift_imm as SI
from isa_specs.simd.across_lanes import decode_simd_across_lanes as across
from isa_specs.simd.two_reg_misc import decode_simd_two_reg_misc as misc
from lnsym.machine.decoder import decode

M128 = mask(128)
ALL = ("8b", "16b", "4h", "8h", "2s", "4s", "2d")
NOD = ALL[:-1]


def misc_word(U, opcode, arr, d=0, n=1):
    Q, e = ARR[arr]
    return word_of(misc, Q=Q, U=U, size=SIZE[e], opcode=opcode, Rn=n, Rd=d)


def _rev(c):
    def f(lanes, e):
        k = c // e
        return [x for i in range(0, len(lanes), k) for x in reversed(lanes[i:i + k])]
    return f


def _cm(pred):
    return lambda x, d, e: mask(e) if pred(sx(x, e)) else 0


def _cls(x, e):
    s = sx(x, e)
    return e - 1 - (s if s >= 0 else ~s).bit_length()


LANEWISE = {  # mnemonic -> (U, opcode, reference(x, d, e), arrangements, suffix)
    "cls": (0, 4, lambda x, d, e: _cls(x, e), NOD, ""),
    "clz": (1, 4, lambda x, d, e: e - x.bit_length(), NOD, ""),
    "cnt": (0, 5, lambda x, d, e: bin(x).count("1"), ("8b", "16b"), ""),
    "sqabs": (0, 7, lambda x, d, e: sat_s(abs(sx(x, e)), e), ALL, ""),
    "sqneg": (1, 7, lambda x, d, e: sat_s(-sx(x, e), e), ALL, ""),
    "cmgt": (0, 8, _cm(lambda v: v > 0), ALL, ", #0"),
    "cmge": (1, 8, _cm(lambda v: v >= 0), ALL, ", #0"),
    "cmeq": (0, 9, _cm(lambda v: v == 0), ALL, ", #0"),
    "cmle": (1, 9, _cm(lambda v: v <= 0), ALL, ", #0"),
    "cmlt": (0, 10, _cm(lambda v: v < 0), ALL, ", #0"),
    "abs": (0, 11, lambda x, d, e: abs(sx(x, e)), ALL, ""),
    "neg": (1, 11, lambda x, d, e: -x, ALL, ""),
    "suqadd": (0, 3, lambda x, d, e: sat_s(sx(d, e) + x, e), ALL, ""),
    "usqadd": (1, 3, lambda x, d, e: sat_u(d + sx(x, e), e), ALL, ""),
}
CASES = [(mn, arr) for mn, v in LANEWISE.items() for arr in v[3]]


@pytest.mark.parametrize("mn,arr", CASES, ids=[f"{m}.{a}" for m, a in CASES])
def test_two_reg_misc_lanewise(mn, arr):
    U, opcode, ref, _, suffix = LANEWISE[mn]
    Q, e = ARR[arr]
    n = (64 << Q) // e
    word = misc_word(U, opcode, arr)
    check_text(word, f"{mn} v0.{arr}, v1.{arr}{suffix}")
    rng = rng_for(mn, arr)
    for _ in range(4):
        v0, v1 = edge_vector(rng, e), edge_vector(rng, e)
        want = [ref(x, d, e) for x, d in zip(elems(v1, e, n), elems(v0, e, n))]
        assert run(word, v0=v0, v1=v1).get("v0") == vec(want, e), mn


@pytest.mark.parametrize("mn,U,opcode,c,arrs", [
    ("rev64", 0, 0, 64, NOD), ("rev32", 1, 0, 32, ("8b", "16b", "4h", "8h")),
    ("rev16", 0, 1, 16, ("8b", "16b"))])
def test_rev(mn, U, opcode, c, arrs):
    for arr in arrs:
        Q, e = ARR[arr]
        word = misc_word(U, opcode, arr)
        check_text(word, f"{mn} v0.{arr}, v1.{arr}")
        v1 = int.from_bytes(bytes(range(16)), "little")
        lanes = elems(v1, e, (64 << Q) // e)
        assert run(word, v1=v1).get("v0") == vec(_rev(c)(lanes, e), e)
    # rev64 v0.16b of bytes 0..15 gives 7..0, 15..8
    assert run(misc_word(0, 0, "16b"), v1=v1).get("v0") == int.from_bytes(
        bytes([7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8]), "little")


def test_not_rbit_cnt_hand():
    v1 = 0x0123456789ABCDEF_F0E1D2C3B4A59687
    word = word_of(misc, Q=1, U=1, size=0, opcode=5, Rn=1, Rd=0)
    check_text(word, "mvn v0.16b, v1.16b")
    assert run(word, v1=v1).get("v0") == ~v1 & M128
    word = word_of(misc, Q=0, U=1, size=1, opcode=5, Rn=1, Rd=0)
    check_text(word, "rbit v0.8b, v1.8b")
    assert run(word, v1=0x0180_0F_01).get("v0") == 0x8001_F0_80
    assert run(misc_word(0, 5, "8b"), v1=0xFF_0F_01_00).get("v0") == 0x08_04_01_00


@pytest.mark.parametrize("U", [0, 1])
@pytest.mark.parametrize("acc", [False, True])
def test_add_long_pairwise(U, acc):
    mn = ("s" if not U else "u") + ("adalp" if acc else "addlp")
    rng = rng_for(mn)
    for arr in NOD:
        Q, e = ARR[arr]
        word = misc_word(U, 6 if acc else 2, arr)
        check_text(word, f"{mn} v0.{(32 << Q) // e}{'hsd'[SIZE[e]]}, v1.{arr}")
        v0, v1 = edge_vector(rng, 2 * e), edge_vector(rng, e)
        x = elems(v1, e, (64 << Q) // e)
        val = (lambda t: t) if U else (lambda t: sx(t, e))
        sums = [val(x[2 * i]) + val(x[2 * i + 1]) for i in range(len(x) // 2)]
        if acc:
            sums = [s + d for s, d in zip(sums, elems(v0, 2 * e))]
        assert run(word, v0=v0, v1=v1).get("v0") == vec(sums, 2 * e)


NARROW = {"xtn": (0, 0x12, lambda x, e: x), "sqxtun": (1, 0x12, lambda x, e: sat_u(sx(x, 2 * e), e)),
          "sqxtn": (0, 0x14, lambda x, e: sat_s(sx(x, 2 * e), e)),
          "uqxtn": (1, 0x14, lambda x, e: sat_u(x, e))}


@pytest.mark.parametrize("mn", list(NARROW))
def test_narrowing_moves(mn):
    U, opcode, ref = NARROW[mn]
    rng = rng_for(mn)
    for arr in NOD:
        Q, e = ARR[arr]
        word = misc_word(U, opcode, arr)
        check_text(word, f"{mn}{'2' if Q else ''} v0.{arr}, v1.{64 // e}{'hsd'[SIZE[e]]}")
        v0, v1 = edge_vector(rng, 2 * e), edge_vector(rng, 2 * e)
        got = vec([ref(x, e) for x in elems(v1, 2 * e)], e)
        want = (got << 64 | v0 & mask(64)) if Q else got
        assert run(word, v0=v0, v1=v1).get("v0") == want


def test_shll():
    word = misc_word(1, 0x13, "16b")
    check_text(word, "shll2 v0.8h, v1.16b, #8")
    assert run(word, v1=0xAB << 64).get("v0") == 0xAB00
    word = misc_word(1, 0x13, "2s")
    check_text(word, "shll v0.2d, v1.2s, #32")
    assert run(word, v1=0xFFFFFFFF_80000001).get("v0") == 0xFFFFFFFF_00000000_80000001_00000000


@pytest.mark.parametrize("U,opcode,arr,exc", [
    (0, 0, "2d", Unallocated), (1, 0, "4s", Unallocated), (0, 1, "8h", Unallocated),
    (0, 5, "4h", Unallocated), (0, 11, "1d", Unallocated), (1, 1, "8b", Unallocated),
    (0, 0x18, "4s", Unimplemented)])
def test_two_reg_misc_reserved(U, opcode, arr, exc):
    Q, size = (0, 3) if arr == "1d" else (ARR[arr][0], SIZE[ARR[arr][1]])
    with pytest.raises(exc):
        decode(word_of(misc, Q=Q, U=U, size=size, opcode=opcode, Rn=1, Rd=0))


# ---- shift by immediate -------------------------------------------------------------
def si_word(U, opcode, esize, shift, Q, right, d=0, n=1):
    value = (2 * esize - shift) if right else (esize + shift)
    immh, immb = value >> 3, value & 7
    fn = {8: SI.decode_simd_shift_imm_b, 16: SI.decode_simd_shift_imm_h,
          32: SI.decode_simd_shift_imm_s, 64: SI.decode_simd_shift_imm_d}[esize]
    lo = immh & (0b111 if esize == 64 else 0b11 if esize == 32 else 0b1 if esize == 16 else 0)
    fields = dict(Q=Q, U=U, immb=immb, opcode=opcode, Rn=n, Rd=d)
    if esize != 8:
        fields["immh_lo"] = lo
    return word_of(fn, **fields)


def _rsh(x, sh, rnd):
    return (x + ((1 << (sh - 1)) if rnd else 0)) >> sh


SAME = {  # mnemonic -> (U, opcode, right?, reference(x, d, sh, e))
    "sshr": (0, 0, True, lambda x, d, sh, e: sx(x, e) >> sh),
    "ushr": (1, 0, True, lambda x, d, sh, e: x >> sh),
    "ssra": (0, 2, True, lambda x, d, sh, e: d + (sx(x, e) >> sh)),
    "usra": (1, 2, True, lambda x, d, sh, e: d + (x >> sh)),
    "srshr": (0, 4, True, lambda x, d, sh, e: _rsh(sx(x, e), sh, True)),
    "urshr": (1, 4, True, lambda x, d, sh, e: _rsh(x, sh, True)),
    "srsra": (0, 6, True, lambda x, d, sh, e: d + _rsh(sx(x, e), sh, True)),
    "ursra": (1, 6, True, lambda x, d, sh, e: d + _rsh(x, sh, True)),
    "sri": (1, 8, True, lambda x, d, sh, e: (d & ~(mask(e) >> sh)) | (x >> sh)),
    "shl": (0, 10, False, lambda x, d, sh, e: x << sh),
    "sli": (1, 10, False, lambda x, d, sh, e: (d & ~(mask(e) << sh)) | (x << sh)),
    "sqshlu": (1, 12, False, lambda x, d, sh, e: sat_u(sx(x, e) << sh, e)),
    "sqshl": (0, 14, False, lambda x, d, sh, e: sat_s(sx(x, e) << sh, e)),
    "uqshl": (1, 14, False, lambda x, d, sh, e: sat_u(x << sh, e)),
}
SI_CASES = [(mn, arr) for mn in SAME for arr in ALL]


@pytest.mark.parametrize("mn,arr", SI_CASES, ids=[f"{m}.{a}" for m, a in SI_CASES])
def test_shift_imm_same_size(mn, arr):
    U, opcode, right, ref = SAME[mn]
    Q, e = ARR[arr]
    rng = rng_for(mn, arr)
    shifts = [1, e, rng.randrange(1, e + 1)] if right else [0, e - 1, rng.randrange(e)]
    for sh in shifts:
        word = si_word(U, opcode, e, sh, Q, right)
        check_text(word, f"{mn} v0.{arr}, v1.{arr}, #{sh}")
        v0, v1 = edge_vector(rng, e), edge_vector(rng, e)
        n = (64 << Q) // e
        want = [ref(x, d, sh, e) for x, d in zip(elems(v1, e, n), elems(v0, e, n))]
        assert run(word, v0=v0, v1=v1).get("v0") == vec(want, e), (mn, arr, sh)


NARROW_SHIFTS = {  # mnemonic -> (U, opcode, reference(x, sh, e) on the 2e-bit source)
    "shrn": (0, 0x10, lambda x, sh, e: x >> sh),
    "rshrn": (0, 0x11, lambda x, sh, e: _rsh(x, sh, True)),
    "sqshrun": (1, 0x10, lambda x, sh, e: sat_u(sx(x, 2 * e) >> sh, e)),
    "sqrshrun": (1, 0x11, lambda x, sh, e: sat_u(_rsh(sx(x, 2 * e), sh, True), e)),
    "sqshrn": (0, 0x12, lambda x, sh, e: sat_s(sx(x, 2 * e) >> sh, e)),
    "uqshrn": (1, 0x12, lambda x, sh, e: sat_u(x >> sh, e)),
    "sqrshrn": (0, 0x13, lambda x, sh, e: sat_s(_rsh(sx(x, 2 * e), sh, True), e)),
    "uqrshrn": (1, 0x13, lambda x, sh, e: sat_u(_rsh(x, sh, True), e)),
}


@pytest.mark.parametrize("mn", list(NARROW_SHIFTS))
def test_shift_imm_narrow(mn):
    U, opcode, ref = NARROW_SHIFTS[mn]
    rng = rng_for(mn)
    for arr in NOD:
        Q, e = ARR[arr]
        for sh in (1, e, rng.randrange(1, e + 1)):
            word = si_word(U, opcode, e, sh, Q, True)
            check_text(word, f"{mn}{'2' if Q else ''} v0.{arr}, v1.{64 // e}{'hsd'[SIZE[e]]}, #{sh}")
            v0, v1 = edge_vector(rng, 2 * e), edge_vector(rng, 2 * e)
            got = vec([ref(x, sh, e) for x in elems(v1, 2 * e)], e)
            want = (got << 64 | v0 & mask(64)) if Q else got
            assert run(word, v0=v0, v1=v1).get("v0") == want, (mn, arr, sh)


@pytest.mark.parametrize("U", [0, 1])
def test_shift_imm_long(U):
    mn = "ushll" if U else "sshll"
    rng = rng_for(mn)
    for arr in NOD:
        Q, e = ARR[arr]
        for sh in (0, e - 1):
            word = si_word(U, 0x14, e, sh, Q, False)
            check_text(word, f"{mn}{'2' if Q else ''} v0.{64 // e}{'hsd'[SIZE[e]]}, v1.{arr}, #{sh}")
            v1 = edge_vector(rng, e)
            x = elems(v1 >> (64 * Q), e, 64 // e)
            want = [(t if U else sx(t, e)) << sh for t in x]
            assert run(word, v1=v1).get("v0") == vec(want, 2 * e)


def test_shift_imm_hand_vectors():
    # shl v0.2d, v1.2d, #3
    word = si_word(0, 10, 64, 3, 1, False)
    check_text(word, "shl v0.2d, v1.2d, #3")
    assert run(word, v1=vec([1, 1 << 61], 64)).get("v0") == vec([8, 0], 64)
    # ushr v0.4s, #32 gives 0; sshr #32 gives the sign; urshr #1 of 3 rounds to 2
    assert run(si_word(1, 0, 32, 32, 1, True), v1=M128).get("v0") == 0
    assert run(si_word(0, 0, 32, 32, 1, True), v1=vec([5, 0x80000000], 32)).get("v0") \
        == vec([0, 0xFFFFFFFF], 32)
    assert run(si_word(1, 4, 8, 1, 1, True), v1=vec([3, 0xFF, 1], 8)).get("v0") \
        == vec([2, 0x80, 1], 8)
    # sri v0.8b, v1.8b, #4: high nibble of v0 kept, low nibble = v1 >> 4
    assert run(si_word(1, 8, 8, 4, 0, True), v0=0xA5, v1=0x3C).get("v0") == 0xA3


@pytest.mark.parametrize("U,opcode,esize,Q,right,exc", [
    (0, 0, 64, 0, True, Unallocated),        # sshr .1d
    (0, 0x10, 64, 1, True, Unallocated),     # shrn from .2d? (immh=1xxx)
    (0, 0x1C, 32, 1, True, Unimplemented),   # scvtf (fixed point)
    (0, 0x08, 8, 1, True, Unallocated),      # U=0 opcode 01000
])
def test_shift_imm_reserved(U, opcode, esize, Q, right, exc):
    with pytest.raises(exc):
        decode(si_word(U, opcode, esize, 1, Q, right))


# ---- across lanes ---------------------------------------------------------------------
ACROSS = {"saddlv": (0, 3, True, lambda xs, e: sum(sx(x, e) for x in xs)),
          "uaddlv": (1, 3, True, lambda xs, e: sum(xs)),
          "smaxv": (0, 10, False, lambda xs, e: max(sx(x, e) for x in xs)),
          "umaxv": (1, 10, False, lambda xs, e: max(xs)),
          "sminv": (0, 26, False, lambda xs, e: min(sx(x, e) for x in xs)),
          "uminv": (1, 26, False, lambda xs, e: min(xs)),
          "addv": (0, 27, False, lambda xs, e: sum(xs))}


@pytest.mark.parametrize("mn", list(ACROSS))
def test_across_lanes(mn):
    U, opcode, long, ref = ACROSS[mn]
    rng = rng_for(mn)
    for arr in ("8b", "16b", "4h", "8h", "4s"):
        Q, e = ARR[arr]
        word = word_of(across, Q=Q, U=U, size=SIZE[e], opcode=opcode, Rn=1, Rd=0)
        r = 2 * e if long else e
        check_text(word, f"{mn} {'bhsd'[SIZE[r]]}0, v1.{arr}")
        v1 = edge_vector(rng, e)
        want = ref(elems(v1, e, (64 << Q) // e), e) & mask(r)
        assert run(word, v0=M128, v1=v1).get("v0") == want
    # addv b0 of bytes 1..16 = 136; uaddlv h0 of 16 x 0xff = 0xff0
    assert run(word_of(across, Q=1, U=0, size=0, opcode=27, Rn=1, Rd=0),
               v1=int.from_bytes(bytes(range(1, 17)), "little")).get("v0") == 136
    assert run(word_of(across, Q=1, U=1, size=0, opcode=3, Rn=1, Rd=0),
               v1=M128).get("v0") == 0xFF0


@pytest.mark.parametrize("Q,size,opcode", [(0, 2, 27), (1, 3, 27), (1, 0, 5)])
def test_across_lanes_reserved(Q, size, opcode):
    with pytest.raises(Unallocated):
        decode(word_of(across, Q=Q, U=0, size=size, opcode=opcode, Rn=1, Rd=0))
