"""Known-answer tests: Advanced SIMD vector x indexed element and its scalar forms.

Hand-derived vectors for each mnemonic, then every integer mnemonic in every allocated
arrangement and index against the unbounded-integer reference of simd_ref.py.  Words
come from the assembler syntax (checked against capstone and lnsym's disassembly).
"""
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
    sx,
    vec,
)

from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.simd.indexed_element import decode_simd_indexed_element as vec_idx
from isa_specs.simd.indexed_element import decode_simd_scalar_indexed_element as sc_idx
from lnsym.machine.decoder import decode

# mnemonic -> (U, opcode, kind)
OPS = {
    "mul": (0, 0b1000, "same"), "mla": (1, 0b0000, "same"), "mls": (1, 0b0100, "same"),
    "sqdmulh": (0, 0b1100, "same"), "sqrdmulh": (0, 0b1101, "same"),
    "sqrdmlah": (1, 0b1101, "same"), "sqrdmlsh": (1, 0b1111, "same"),
    "smull": (0, 0b1010, "long"), "umull": (1, 0b1010, "long"),
    "smlal": (0, 0b0010, "long"), "umlal": (1, 0b0010, "long"),
    "smlsl": (0, 0b0110, "long"), "umlsl": (1, 0b0110, "long"),
    "sqdmull": (0, 0b1011, "long"), "sqdmlal": (0, 0b0011, "long"),
    "sqdmlsl": (0, 0b0111, "long"),
}
SCALAR = ("sqdmulh", "sqrdmulh", "sqrdmlah", "sqrdmlsh", "sqdmull", "sqdmlal", "sqdmlsl")


def fields(e, m, index):
    """(L, M, Rm4, H) for element ``index`` of V<m> with e-bit elements."""
    if e == 16:
        assert m < 16
        return index >> 1 & 1, index & 1, m, index >> 2
    return index & 1, m >> 4, m & 15, index >> 1


def word(name, arr, index, d=0, n=1, m=2, part=0):
    U, opcode, kind = OPS[name]
    Q, e = ARR[arr] if kind == "same" else (part, {"4s": 16, "2d": 32}[arr])
    L, M, Rm, H = fields(e, m, index)
    return vec_idx.encodings[0].assemble(Q=Q, U=U, size=SIZE[e], L=L, M=M, Rm=Rm,
                                         opcode=opcode, H=H, Rn=n, Rd=d)


def scalar_word(name, e, index, d=0, n=1, m=2):
    U, opcode, _ = OPS[name]
    L, M, Rm, H = fields(e, m, index)
    return sc_idx.encodings[0].assemble(U=U, size=SIZE[e], L=L, M=M, Rm=Rm, opcode=opcode,
                                        H=H, Rn=n, Rd=d)


# -- the reference, lane by lane (a, b: e-bit patterns, acc: the accumulator lane) ------
def ref_same(name, a, b, acc, e):
    sa, sb = sx(a, e), sx(b, e)
    if name == "mul":
        return a * b
    if name == "mla":
        return acc + a * b
    if name == "mls":
        return acc - a * b
    rnd = 1 << (e - 1)
    if name == "sqdmulh":
        return sat_s((2 * sa * sb) >> e, e)
    if name == "sqrdmulh":
        return sat_s((2 * sa * sb + rnd) >> e, e)
    sign = 1 if name == "sqrdmlah" else -1
    return sat_s(((sx(acc, e) << e) + sign * 2 * sa * sb + rnd) >> e, e)


def ref_long(name, a, b, acc, e):
    if name.startswith("sq"):
        p = sat_s(2 * sx(a, e) * sx(b, e), 2 * e)
        if name == "sqdmull":
            return p
        sign = 1 if name == "sqdmlal" else -1
        return sat_s(sx(acc, 2 * e) + sign * p, 2 * e)
    x, y = (a, b) if name[0] == "u" else (sx(a, e), sx(b, e))
    if name.endswith("mull"):
        return x * y
    return acc + x * y if name.endswith("mlal") else acc - x * y


# -- hand-derived values ----------------------------------------------------------------------
def test_mul_by_element_hand():
    w = word("mul", "4s", 3)
    check_text(w, "mul v0.4s, v1.4s, v2.s[3]")
    st = run(w, v1=vec([1, 2, 3, 0xFFFFFFFF], 32), v2=vec([9, 9, 9, 5], 32))
    assert elems(st.v[0], 32) == [5, 10, 15, 0xFFFFFFFB]


def test_mla_mls_halfwords_hand():
    w = word("mla", "8h", 5, d=3, n=4, m=15)
    check_text(w, "mla v3.8h, v4.8h, v15.h[5]")
    st = run(w, v3=vec([1] * 8, 16), v4=vec(range(8), 16), v15=vec([0, 0, 0, 0, 0, 7], 16))
    assert elems(st.v[3], 16) == [1 + 7 * i for i in range(8)]
    w = word("mls", "4h", 0, d=3, n=4, m=15)            # 64-bit: the upper half is zeroed
    check_text(w, "mls v3.4h, v4.4h, v15.h[0]")
    st = run(w, v3=vec([100] * 8, 16), v4=vec([1, 2, 3, 4, 9, 9, 9, 9], 16), v15=3)
    assert elems(st.v[3], 16) == [97, 94, 91, 88, 0, 0, 0, 0]


def test_sqdmulh_sqrdmulh_hand():
    w = word("sqdmulh", "4s", 1)
    check_text(w, "sqdmulh v0.4s, v1.4s, v2.s[1]")
    # 2 * 2^30 * 2^30 >> 32 = 2^29; 2 * -2^31 * 2^30 >> 32 = -2^30; 2 * 3 * 2^30 >> 32 = 1
    st = run(w, v1=vec([0x40000000, 0x80000000, 3, 0], 32), v2=vec([0, 0x40000000], 32))
    assert elems(st.v[0], 32) == [0x20000000, 0xC0000000, 1, 0]
    # -2^31 * -2^31 doubled is 2^63: saturates
    st = run(w, v1=vec([0x80000000] * 4, 32), v2=vec([0, 0x80000000], 32))
    assert elems(st.v[0], 32) == [0x7FFFFFFF] * 4
    w = word("sqrdmulh", "8h", 7)
    check_text(w, "sqrdmulh v0.8h, v1.8h, v2.h[7]")
    # 2 * 3 * 0x4000 = 0x18000; + 0x8000 rounds to 0x20000 >> 16 = 2 (sqdmulh gives 1)
    st = run(w, v1=vec([3] * 8, 16), v2=0x4000 << 112)
    assert elems(st.v[0], 16) == [2] * 8


def test_sqrdmlah_sqrdmlsh_hand():
    w = word("sqrdmlah", "4s", 1)
    check_text(w, "sqrdmlah v0.4s, v1.4s, v2.s[1]")
    st = run(w, v0=vec([10, 0x7FFFFFFF, 0, 0], 32), v1=vec([3, 1 << 30, 0, 0], 32),
             v2=vec([0, 1 << 30], 32))
    # 10 + round(2*3*2^30 / 2^32) = 10 + 2; 0x7FFFFFFF + 2^29 saturates
    assert elems(st.v[0], 32) == [12, 0x7FFFFFFF, 0, 0]
    w = scalar_word("sqrdmlsh", 16, 1)
    check_text(w, "sqrdmlsh h0, h1, v2.h[1]")
    st = run(w, v0=0xFFFF_0005, v1=0x4000, v2=0x4000_0000)
    # (5 << 16) - 2 * 2^14 * 2^14 + 2^15 >> 16 = 5 - 2^13; the upper bits are cleared
    assert st.v[0] == (5 - 0x2000) & 0xFFFF


def test_long_by_element_hand():
    w = word("smull", "2d", 3, part=1)
    check_text(w, "smull2 v0.2d, v1.4s, v2.s[3]")
    st = run(w, v1=vec([7, 7, 0xFFFFFFFF, 2], 32), v2=vec([0, 0, 0, 0xFFFFFFFE], 32))
    assert elems(st.v[0], 64) == [2, mask(64) - 3]          # -1 * -2, 2 * -2
    w = word("umull", "4s", 1)
    check_text(w, "umull v0.4s, v1.4h, v2.h[1]")
    st = run(w, v1=vec([0xFFFF, 2, 3, 4, 9, 9, 9, 9], 16), v2=0xFFFF0000)
    assert elems(st.v[0], 32) == [0xFFFE0001, 0x1FFFE, 0x2FFFD, 0x3FFFC]
    w = word("umlal", "4s", 6, part=1)
    check_text(w, "umlal2 v0.4s, v1.8h, v2.h[6]")
    st = run(w, v0=vec([1, 2, 3, 4], 32), v1=vec([0, 0, 0, 0, 1, 2, 3, 4], 16), v2=10 << 96)
    assert elems(st.v[0], 32) == [11, 22, 33, 44]
    w = word("smlsl", "2d", 0)
    check_text(w, "smlsl v0.2d, v1.2s, v2.s[0]")
    st = run(w, v0=vec([0, 5], 64), v1=vec([3, 0xFFFFFFFF], 32), v2=4)
    assert elems(st.v[0], 64) == [mask(64) - 11, 9]         # 0 - 12, 5 - (-4)


def test_saturating_long_hand():
    w = word("sqdmull", "4s", 1)
    check_text(w, "sqdmull v0.4s, v1.4h, v2.h[1]")
    st = run(w, v1=vec([0x8000, 3, 0, 0], 16), v2=0x8000_0000)
    assert elems(st.v[0], 32) == [0x7FFFFFFF, 0xFFFD0000, 0, 0]   # sat; 2*3*-32768
    w = word("sqdmlal", "2d", 1, part=1)
    check_text(w, "sqdmlal2 v0.2d, v1.4s, v2.s[1]")
    st = run(w, v0=vec([(1 << 63) - 1, 1], 64), v1=vec([0, 0, 1, 2], 32), v2=5 << 32)
    assert elems(st.v[0], 64) == [(1 << 63) - 1, 21]              # saturated, 1 + 20
    w = scalar_word("sqdmlsl", 16, 7)
    check_text(w, "sqdmlsl s0, h1, v2.h[7]")
    st = run(w, v0=100, v1=0xAAAA_0003, v2=4 << 112)
    assert st.v[0] == 76                                          # 100 - 2*3*4
    w = scalar_word("sqdmull", 32, 3)
    check_text(w, "sqdmull d0, s1, v2.s[3]")
    st = run(w, v1=0x8000_0000, v2=0x8000_0000 << 96)
    assert st.v[0] == (1 << 63) - 1


def test_scalar_high_hand():
    w = scalar_word("sqdmulh", 32, 3)
    check_text(w, "sqdmulh s0, s1, v2.s[3]")
    st = run(w, v0=mask(128), v1=0x40000000, v2=0x20000000 << 96)
    assert st.v[0] == 0x10000000
    w = scalar_word("sqrdmulh", 16, 7)
    check_text(w, "sqrdmulh h0, h1, v2.h[7]")
    st = run(w, v1=0x8000, v2=0x8000 << 112)
    assert st.v[0] == 0x7FFF


def test_dot_products_hand():
    w = vec_idx.encodings[0].assemble(Q=1, U=0, size=2, L=1, M=0, Rm=2, opcode=0b1110,
                                      H=1, Rn=1, Rd=0)
    check_text(w, "sdot v0.4s, v1.16b, v2.4b[3]")
    group = vec([1, 0xFF, 2, 0x80], 8)                   # 1, -1, 2, -128
    st = run(w, v0=vec([1000, 0, 0, 0], 32), v1=vec([1, 2, 3, 4] * 4, 8), v2=group << 96)
    lane = 1 - 2 + 6 - 512
    assert elems(st.v[0], 32) == [(1000 + lane) & mask(32)] + [lane & mask(32)] * 3
    w = vec_idx.encodings[0].assemble(Q=0, U=1, size=2, L=1, M=1, Rm=0, opcode=0b1110,
                                      H=0, Rn=1, Rd=0)
    check_text(w, "udot v0.2s, v1.8b, v16.4b[1]")
    st = run(w, v0=vec([0, 0, 7, 7], 32), v1=vec([0xFF] * 16, 8), v16=0xFFFFFFFF << 32)
    assert elems(st.v[0], 32) == [4 * 0xFE01, 4 * 0xFE01, 0, 0]


# -- every mnemonic x arrangement x index against the reference -------------------------------
SAME_CASES = [(name, arr, idx) for name in OPS if OPS[name][2] == "same"
              for arr in ("4h", "8h", "2s", "4s")
              for idx in ((0, 5, 7) if ARR[arr][1] == 16 else (0, 3))]
LONG_CASES = [(name, arr, part, idx) for name in OPS if OPS[name][2] == "long"
              for arr in ("4s", "2d") for part in (0, 1)
              for idx in ((1, 6) if arr == "4s" else (0, 3))]


@pytest.mark.parametrize("name,arr,index", SAME_CASES)
def test_same_against_reference(name, arr, index):
    Q, e = ARR[arr]
    w = word(name, arr, index, d=3, n=4, m=13)
    tn = arr
    check_text(w, f"{name} v3.{tn}, v4.{tn}, v13.{'hs'[e == 32]}[{index}]")
    rng = rng_for("idx", name, arr, index)
    for _ in range(8):
        a, b, acc = edge_vector(rng, e), edge_vector(rng, e), edge_vector(rng, e)
        st = run(w, v3=acc, v4=a, v13=b)
        lanes = (64 << Q) // e
        be = elems(b, e)[index]
        expected = [ref_same(name, x, be, c, e) & mask(e)
                    for x, c in zip(elems(a, e, lanes), elems(acc, e, lanes))]
        assert elems(st.v[3], e) == expected + [0] * (128 // e - lanes), (hex(a), hex(b))


@pytest.mark.parametrize("name,arr,part,index", LONG_CASES)
def test_long_against_reference(name, arr, part, index):
    e = {"4s": 16, "2d": 32}[arr]
    w = word(name, arr, index, d=3, n=4, m=13, part=part)
    narrow = f"{(64 << part) // e}{'hs'[e == 32]}"
    check_text(w, f"{name}{'2' if part else ''} v3.{arr}, v4.{narrow}, "
                  f"v13.{'hs'[e == 32]}[{index}]")
    rng = rng_for("idxl", name, arr, part, index)
    for _ in range(8):
        a, b, acc = edge_vector(rng, e), edge_vector(rng, e), edge_vector(rng, 2 * e)
        st = run(w, v3=acc, v4=a, v13=b)
        src = elems(a, e)[part * (64 // e):][:64 // e]
        be = elems(b, e)[index]
        expected = [ref_long(name, x, be, c, e) & mask(2 * e)
                    for x, c in zip(src, elems(acc, 2 * e))]
        assert elems(st.v[3], 2 * e) == expected


@pytest.mark.parametrize("name", SCALAR)
@pytest.mark.parametrize("e", [16, 32])
def test_scalar_against_reference(name, e):
    long = OPS[name][2] == "long"
    index = 7 if e == 16 else 2
    w = scalar_word(name, e, index, d=3, n=4, m=13)
    sfx = {16: "h", 32: "s", 64: "d"}
    check_text(w, f"{name} {sfx[2 * e if long else e]}3, {sfx[e]}4, v13.{sfx[e]}[{index}]")
    rng = rng_for("idxs", name, e)
    for _ in range(12):
        a, b, acc = edge_vector(rng, e), edge_vector(rng, e), edge_vector(rng, 2 * e)
        st = run(w, v3=acc, v4=a, v13=b)
        a0, be = elems(a, e)[0], elems(b, e)[index]
        if long:
            assert st.v[3] == ref_long(name, a0, be, acc & mask(2 * e), e) & mask(2 * e)
        else:
            assert st.v[3] == ref_same(name, a0, be, acc & mask(e), e) & mask(e)


# -- decode: reserved sizes are unallocated, floating point is not modelled ------------------
def test_decode_errors():
    with pytest.raises(Unallocated):              # MUL by element, size=00
        decode(vec_idx.encodings[0].assemble(Q=1, U=0, size=0, L=0, M=0, Rm=2,
                                             opcode=0b1000, H=0, Rn=1, Rd=0))
    with pytest.raises(Unallocated):              # SDOT needs size=10
        decode(vec_idx.encodings[0].assemble(Q=1, U=0, size=1, L=0, M=0, Rm=2,
                                             opcode=0b1110, H=0, Rn=1, Rd=0))
    with pytest.raises(Unallocated):              # no scalar MUL
        decode(sc_idx.encodings[0].assemble(U=0, size=1, L=0, M=0, Rm=2, opcode=0b1000,
                                            H=0, Rn=1, Rd=0))
    for w in (0x4FA21020, 0x5FC29820):            # fmla v0.4s, v1.4s, v2.s[1]; fmul d0, d1, v2.d[1]
        with pytest.raises(Unimplemented):
            decode(w)


# -- against QEMU (qemu-aarch64 -cpu max): random words on random and edge-lane states -------
def test_indexed_element_random_words_match_qemu(qemu, cross_gcc, monkeypatch):
    import conformance.generate as G
    from conformance.cosim import run as cosim
    from conformance.cosim import select_encodings
    encs = select_encodings("simd.indexed_element")
    assert len(encs) == 2
    res = cosim(20261122, 150, encs, jobs=1)
    assert res.cases >= 300 and res.failed == 0, [(hex(m.case.word), m.diffs[:3])
                                                  for m in res.mismatches[:10]]
    rng_lanes = rng_for("qemu-edge")
    monkeypatch.setattr(G, "_rand_vs", lambda rng: [edge_vector(rng_lanes, rng.choice(
        (16, 32))) for _ in range(32)])
    res = cosim(20261123, 150, encs, jobs=1)
    assert res.failed == 0, [(hex(m.case.word), m.diffs[:3]) for m in res.mismatches[:10]]
