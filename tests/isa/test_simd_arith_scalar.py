"""Known-answer tests: Advanced SIMD scalar integer forms (three same, three different,
two-register misc, pairwise, shift by immediate).  A scalar result zeroes the rest of
the 128-bit register."""
import pytest
from simd_ref import (
    SIZE,
    check_text,
    edge_lanes,
    mask,
    rng_for,
    run,
    sat_s,
    sat_u,
    sx,
    word_of,
)

from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.simd import scalar_shift_imm as SSI
from isa_specs.simd.scalar_pairwise import decode_simd_scalar_pairwise as pairwise
from isa_specs.simd.scalar_three_different import (
    decode_simd_scalar_three_different as s3d,
)
from isa_specs.simd.scalar_three_same import decode_simd_scalar_three_same as s3s
from isa_specs.simd.scalar_two_reg_misc import decode_simd_scalar_two_reg_misc as s2m
from lnsym.machine.decoder import decode

M128 = mask(128)
R = {8: "b", 16: "h", 32: "s", 64: "d"}
BHSD = (8, 16, 32, 64)


def _shl(x, sh, rnd):
    if sh >= 0:
        return x << sh
    return (x + ((1 << (-sh - 1)) if rnd else 0)) >> -sh


def _sh(unsigned, rnd, sat):
    def f(a, b, e):
        r = _shl(a if unsigned else sx(a, e), sx(b, 8), rnd)
        return (sat_u(r, e) if unsigned else sat_s(r, e)) if sat else r
    return f


def _cm(pred):
    return lambda a, b, e: mask(e) if pred(a, b, e) else 0


SCALAR_SAME = {  # mnemonic -> (U, opcode, reference(a, b, e), sizes)
    "sqadd": (0, 1, lambda a, b, e: sat_s(sx(a, e) + sx(b, e), e), BHSD),
    "uqadd": (1, 1, lambda a, b, e: sat_u(a + b, e), BHSD),
    "sqsub": (0, 5, lambda a, b, e: sat_s(sx(a, e) - sx(b, e), e), BHSD),
    "uqsub": (1, 5, lambda a, b, e: sat_u(a - b, e), BHSD),
    "cmgt": (0, 6, _cm(lambda a, b, e: sx(a, e) > sx(b, e)), (64,)),
    "cmhi": (1, 6, _cm(lambda a, b, e: a > b), (64,)),
    "cmge": (0, 7, _cm(lambda a, b, e: sx(a, e) >= sx(b, e)), (64,)),
    "cmhs": (1, 7, _cm(lambda a, b, e: a >= b), (64,)),
    "sshl": (0, 8, _sh(False, False, False), (64,)),
    "ushl": (1, 8, _sh(True, False, False), (64,)),
    "sqshl": (0, 9, _sh(False, False, True), BHSD),
    "uqshl": (1, 9, _sh(True, False, True), BHSD),
    "srshl": (0, 10, _sh(False, True, False), (64,)),
    "urshl": (1, 10, _sh(True, True, False), (64,)),
    "sqrshl": (0, 11, _sh(False, True, True), BHSD),
    "uqrshl": (1, 11, _sh(True, True, True), BHSD),
    "add": (0, 16, lambda a, b, e: a + b, (64,)),
    "sub": (1, 16, lambda a, b, e: a - b, (64,)),
    "cmtst": (0, 17, _cm(lambda a, b, e: a & b != 0), (64,)),
    "cmeq": (1, 17, _cm(lambda a, b, e: a == b), (64,)),
    "sqdmulh": (0, 22, lambda a, b, e: sat_s((2 * sx(a, e) * sx(b, e)) >> e, e), (16, 32)),
    "sqrdmulh": (1, 22, lambda a, b, e:
                 sat_s((2 * sx(a, e) * sx(b, e) + (1 << (e - 1))) >> e, e), (16, 32)),
}
S3S = [(mn, e) for mn, v in SCALAR_SAME.items() for e in v[3]]


@pytest.mark.parametrize("mn,e", S3S, ids=[f"{m}.{e}" for m, e in S3S])
def test_scalar_three_same(mn, e):
    U, opcode, ref, _ = SCALAR_SAME[mn]
    word = word_of(s3s, U=U, size=SIZE[e], Rm=2, opcode=opcode, Rn=1, Rd=0)
    check_text(word, f"{mn} {R[e]}0, {R[e]}1, {R[e]}2")
    rng = rng_for(mn, e)
    for _ in range(6):
        a, b = edge_lanes(rng, e, 2)
        if "sh" in mn:
            b = rng.randrange(-e - 3, e + 4) & 0xFF
        hi = rng.getrandbits(128) & ~mask(e)          # upper bits must not leak in
        assert run(word, v0=M128, v1=hi | a, v2=hi | b).get("v0") == ref(a, b, e) & mask(e)


def test_scalar_three_same_hand():
    w = word_of(s3s, U=0, size=3, Rm=2, opcode=16, Rn=1, Rd=0)          # add d0, d1, d2
    assert run(w, v1=(5 << 64) | 2**64 - 1, v2=3).get("v0") == 2
    w = word_of(s3s, U=0, size=0, Rm=2, opcode=1, Rn=1, Rd=0)          # sqadd b0, b1, b2
    assert run(w, v1=0x70, v2=0x70).get("v0") == 0x7F
    w = word_of(s3s, U=1, size=3, Rm=2, opcode=10, Rn=1, Rd=0)         # urshl d0, d1, d2
    assert run(w, v1=2**64 - 1, v2=0xC0).get("v0") == 1                 # by -64 rounds up


@pytest.mark.parametrize("U,size,opcode,exc", [
    (0, 2, 16, Unallocated), (0, 0, 22, Unallocated), (0, 1, 0, Unallocated),
    (0, 1, 0b11011, Unimplemented)])
def test_scalar_three_same_reserved(U, size, opcode, exc):
    with pytest.raises(exc):
        decode(word_of(s3s, U=U, size=size, Rm=2, opcode=opcode, Rn=1, Rd=0))


@pytest.mark.parametrize("mn,opcode", [("sqdmlal", 9), ("sqdmlsl", 11), ("sqdmull", 13)])
@pytest.mark.parametrize("e", [16, 32])
def test_scalar_three_different(mn, opcode, e):
    word = word_of(s3d, U=0, size=SIZE[e], Rm=2, opcode=opcode, Rn=1, Rd=0)
    check_text(word, f"{mn} {R[2 * e]}0, {R[e]}1, {R[e]}2")
    rng = rng_for(mn, e)
    for _ in range(6):
        a, b = edge_lanes(rng, e, 2)
        d = edge_lanes(rng, 2 * e, 1)[0]
        p = sat_s(2 * sx(a, e) * sx(b, e), 2 * e)
        want = {9: sat_s(sx(d, 2 * e) + p, 2 * e), 11: sat_s(sx(d, 2 * e) - p, 2 * e),
                13: p}[opcode]
        assert run(word, v0=d | 1 << 100, v1=a, v2=b).get("v0") == want & mask(2 * e)
    # -0x8000 * -0x8000 * 2 = 2^31 saturates; then + 5 stays saturated
    if e == 16:
        assert run(word, v0=5, v1=0x8000, v2=0x8000).get("v0") == {
            9: 0x7FFFFFFF, 11: (5 - 0x7FFFFFFF) & mask(32), 13: 0x7FFFFFFF}[opcode]


MISC = {  # mnemonic -> (U, opcode, reference(x, d, e), sizes, suffix)
    "suqadd": (0, 3, lambda x, d, e: sat_s(sx(d, e) + x, e), BHSD, ""),
    "usqadd": (1, 3, lambda x, d, e: sat_u(d + sx(x, e), e), BHSD, ""),
    "sqabs": (0, 7, lambda x, d, e: sat_s(abs(sx(x, e)), e), BHSD, ""),
    "sqneg": (1, 7, lambda x, d, e: sat_s(-sx(x, e), e), BHSD, ""),
    "cmgt": (0, 8, lambda x, d, e: mask(e) if sx(x, e) > 0 else 0, (64,), ", #0"),
    "cmge": (1, 8, lambda x, d, e: mask(e) if sx(x, e) >= 0 else 0, (64,), ", #0"),
    "cmeq": (0, 9, lambda x, d, e: mask(e) if x == 0 else 0, (64,), ", #0"),
    "cmle": (1, 9, lambda x, d, e: mask(e) if sx(x, e) <= 0 else 0, (64,), ", #0"),
    "cmlt": (0, 10, lambda x, d, e: mask(e) if sx(x, e) < 0 else 0, (64,), ", #0"),
    "abs": (0, 11, lambda x, d, e: abs(sx(x, e)), (64,), ""),
    "neg": (1, 11, lambda x, d, e: -x, (64,), ""),
}
S2M = [(mn, e) for mn, v in MISC.items() for e in v[3]]


@pytest.mark.parametrize("mn,e", S2M, ids=[f"{m}.{e}" for m, e in S2M])
def test_scalar_two_reg_misc(mn, e):
    U, opcode, ref, _, suffix = MISC[mn]
    word = word_of(s2m, U=U, size=SIZE[e], opcode=opcode, Rn=1, Rd=0)
    check_text(word, f"{mn} {R[e]}0, {R[e]}1{suffix}")
    rng = rng_for(mn, e)
    for _ in range(6):
        x, d = edge_lanes(rng, e, 2)
        out = run(word, v0=d | (M128 & ~mask(e)), v1=x | 1 << 127).get("v0")
        assert out == ref(x, d, e) & mask(e)


@pytest.mark.parametrize("mn,U,opcode,ref", [
    ("sqxtn", 0, 0x14, lambda x, e: sat_s(sx(x, 2 * e), e)),
    ("uqxtn", 1, 0x14, lambda x, e: sat_u(x, e)),
    ("sqxtun", 1, 0x12, lambda x, e: sat_u(sx(x, 2 * e), e))])
def test_scalar_saturating_narrow(mn, U, opcode, ref):
    rng = rng_for(mn)
    for e in (8, 16, 32):
        word = word_of(s2m, U=U, size=SIZE[e], opcode=opcode, Rn=1, Rd=0)
        check_text(word, f"{mn} {R[e]}0, {R[2 * e]}1")
        for x in edge_lanes(rng, 2 * e, 6):
            assert run(word, v0=M128, v1=x).get("v0") == ref(x, e) & mask(e)


def test_scalar_addp():
    word = word_of(pairwise, U=0, size=3, opcode=0x1B, Rn=1, Rd=0)
    check_text(word, "addp d0, v1.2d")
    assert run(word, v0=M128, v1=(7 << 64) | 2**64 - 1).get("v0") == 6
    with pytest.raises(Unallocated):
        decode(word_of(pairwise, U=0, size=2, opcode=0x1B, Rn=1, Rd=0))
    with pytest.raises(Unimplemented):
        decode(word_of(pairwise, U=1, size=0, opcode=0x0D, Rn=1, Rd=0))   # faddp


def ssi_word(U, opcode, esize, shift, right, d=0, n=1):
    value = (2 * esize - shift) if right else (esize + shift)
    immh, immb = value >> 3, value & 7
    fn = {8: SSI.decode_simd_scalar_shift_imm_b, 16: SSI.decode_simd_scalar_shift_imm_h,
          32: SSI.decode_simd_scalar_shift_imm_s, 64: SSI.decode_simd_scalar_shift_imm_d}[esize]
    fields = dict(U=U, immb=immb, opcode=opcode, Rn=n, Rd=d)
    if esize != 8:
        fields["immh_lo"] = immh & (esize // 8 - 1)
    return word_of(fn, **fields)


def _rsh(x, sh):
    return (x + (1 << (sh - 1))) >> sh


SHIFTS_D = {  # d-register forms: mnemonic -> (U, opcode, right?, reference(x, d, sh))
    "sshr": (0, 0, True, lambda x, d, sh: sx(x, 64) >> sh),
    "ushr": (1, 0, True, lambda x, d, sh: x >> sh),
    "ssra": (0, 2, True, lambda x, d, sh: d + (sx(x, 64) >> sh)),
    "usra": (1, 2, True, lambda x, d, sh: d + (x >> sh)),
    "srshr": (0, 4, True, lambda x, d, sh: _rsh(sx(x, 64), sh)),
    "urshr": (1, 4, True, lambda x, d, sh: _rsh(x, sh)),
    "srsra": (0, 6, True, lambda x, d, sh: d + _rsh(sx(x, 64), sh)),
    "ursra": (1, 6, True, lambda x, d, sh: d + _rsh(x, sh)),
    "sri": (1, 8, True, lambda x, d, sh: (d & ~(mask(64) >> sh)) | (x >> sh)),
    "shl": (0, 10, False, lambda x, d, sh: x << sh),
    "sli": (1, 10, False, lambda x, d, sh: (d & ~(mask(64) << sh)) | (x << sh)),
}


@pytest.mark.parametrize("mn", list(SHIFTS_D))
def test_scalar_shift_imm_d(mn):
    U, opcode, right, ref = SHIFTS_D[mn]
    rng = rng_for(mn)
    for sh in ((1, 64, 33) if right else (0, 63, 17)):
        word = ssi_word(U, opcode, 64, sh, right)
        check_text(word, f"{mn} d0, d1, #{sh}")
        for _ in range(3):
            x, d = edge_lanes(rng, 64, 2)
            assert run(word, v0=d | 1 << 100, v1=x | 1 << 90).get("v0") == ref(x, d, sh) & mask(64)
    with pytest.raises(Unallocated):                  # only the d form exists
        decode(ssi_word(U, opcode, 32, 1, right))


SAT_SHIFTS = {  # mnemonic -> (U, opcode, kind, reference(x, sh, e))
    "sqshl": (0, 14, "left", lambda x, sh, e: sat_s(sx(x, e) << sh, e)),
    "uqshl": (1, 14, "left", lambda x, sh, e: sat_u(x << sh, e)),
    "sqshlu": (1, 12, "left", lambda x, sh, e: sat_u(sx(x, e) << sh, e)),
    "sqshrn": (0, 0x12, "narrow", lambda x, sh, e: sat_s(sx(x, 2 * e) >> sh, e)),
    "uqshrn": (1, 0x12, "narrow", lambda x, sh, e: sat_u(x >> sh, e)),
    "sqrshrn": (0, 0x13, "narrow", lambda x, sh, e: sat_s(_rsh(sx(x, 2 * e), sh), e)),
    "uqrshrn": (1, 0x13, "narrow", lambda x, sh, e: sat_u(_rsh(x, sh), e)),
    "sqshrun": (1, 0x10, "narrow", lambda x, sh, e: sat_u(sx(x, 2 * e) >> sh, e)),
    "sqrshrun": (1, 0x11, "narrow", lambda x, sh, e: sat_u(_rsh(sx(x, 2 * e), sh), e)),
}


@pytest.mark.parametrize("mn", list(SAT_SHIFTS))
def test_scalar_saturating_shifts(mn):
    U, opcode, kind, ref = SAT_SHIFTS[mn]
    rng = rng_for(mn)
    for e in (BHSD if kind == "left" else (8, 16, 32)):
        src = e if kind == "left" else 2 * e
        for sh in ((0, e - 1, 3) if kind == "left" else (1, e, 3)):
            word = ssi_word(U, opcode, e, sh, kind == "narrow")
            check_text(word, f"{mn} {R[e]}0, {R[src]}1, #{sh}")
            for x in edge_lanes(rng, src, 3):
                assert run(word, v0=M128, v1=x).get("v0") == ref(x, sh, e) & mask(e), (mn, e, sh)


def test_scalar_shift_imm_unallocated():
    with pytest.raises(Unallocated):
        decode(ssi_word(0, 0x10, 16, 1, True))        # shrn has no scalar form
    with pytest.raises(Unallocated):
        decode(ssi_word(0, 0x14, 16, 1, False))       # nor sshll
    with pytest.raises(Unimplemented):
        decode(ssi_word(0, 0x1F, 32, 1, True))        # fcvtzs (fixed point)
