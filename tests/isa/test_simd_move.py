"""Known-answer tests for Advanced SIMD data movement: DUP, INS/MOV, UMOV/SMOV, scalar DUP,
ZIP/UZP/TRN, EXT, TBL/TBX, MOVI/MVNI/ORR/BIC/FMOV (vector, immediate) and FMOV (general)."""
import pytest

from isa_specs.pseudocode.simd_imm import AdvSIMDExpandImm
from lnsym.backends.snippet import run_words
from lnsym.machine.decoder import decode
from lnsym.machine.disasm import capstone_text, normalise

M128 = (1 << 128) - 1
# v1 = bytes 0x00..0x0f, v2 = bytes 0x10..0x1f (byte i at bits 8i+7..8i)
V1 = int.from_bytes(bytes(range(16)), "little")
V2 = int.from_bytes(bytes(range(16, 32)), "little")


def vec(values, esize):
    return sum((v & ((1 << esize) - 1)) << (esize * i) for i, v in enumerate(values))


def elems(value, esize, n):
    return [value >> (esize * i) & ((1 << esize) - 1) for i in range(n)]


def run(word, **regs):
    st, _ = run_words([word], regs=regs)
    return st


def v0(word, **regs):
    return run(word, **regs).get("v0")


WORDS = [0x4e1c0420, 0x0e130462, 0x4e180420, 0x4e040c20, 0x4e020c20, 0x4e080c20, 0x4e010fe0,
         0x6e180420, 0x6e1f1c20, 0x4e0c1c60, 0x4e081c60, 0x4e1e1c60, 0x0e033c20, 0x0e1e3c20,
         0x0e0c3c20, 0x4e183c20, 0x4e062c20, 0x0e1f2c20, 0x4e1c2c20, 0x5e180420, 0x5e070420,
         0x5e140420, 0x5e1e0420, 0x4e823820, 0x4e827820, 0x4ec23820, 0x4ec27820, 0x0e021820,
         0x4e425820, 0x4ec22820, 0x4ec26820, 0x4e022820, 0x0e426820, 0x6e024020, 0x6e020020,
         0x6e027820, 0x2e021820, 0x4e020020, 0x0e0223e0, 0x4e021020, 0x4e0263c0, 0x4e045025,
         0x0f04e4e0, 0x4f07e420, 0x4f000760, 0x6f00e400, 0x6f05e520, 0x2f00e4a0, 0x0f002760,
         0x4f004760, 0x4f006760, 0x0f008760, 0x4f00a760, 0x4f00c760, 0x0f00d760, 0x6f000760,
         0x2f00a760, 0x6f00d760, 0x4f007760, 0x4f009760, 0x6f009760, 0x2f003760, 0x4f03f600,
         0x6f07f400, 0x0f01f7e0, 0x1e270020, 0x1e260001, 0x9e670020, 0x9e660001, 0x9eaf0020,
         0x9eae0001]


@pytest.mark.parametrize("word", WORDS, ids=hex)
def test_disassembly_matches_capstone(word):
    assert normalise(decode(word).disasm()) == normalise(capstone_text(word))


# -- copy ------------------------------------------------------------------------------
def test_dup_element():
    assert v0(0x4e1c0420, v1=V1) == vec([0x0f0e0d0c] * 4, 32)         # dup v0.4s, v1.s[3]
    assert run(0x0e130462, v3=V1, v2=M128).get("v2") == 0x0909090909090909  # dup v2.8b, v3.b[9]
    assert v0(0x4e180420, v1=V1) == (V1 >> 64) * ((1 << 64) + 1)        # dup v0.2d, v1.d[1]


def test_dup_general():
    assert v0(0x4e040c20, x1=0x1122334455667788) == vec([0x55667788] * 4, 32)
    assert v0(0x4e020c20, x1=0xABCD) == vec([0xABCD] * 8, 16)
    assert v0(0x4e080c20, x1=0x1122334455667788) == 0x1122334455667788_1122334455667788
    assert v0(0x4e010fe0, v0=M128) == 0                                  # dup v0.16b, wzr


def test_ins_element_and_general():
    lo = 0x0123456789ABCDEF
    assert v0(0x6e180420, v0=lo, v1=V1) == (V1 & (2**64 - 1)) << 64 | lo  # mov v0.d[1], v1.d[0]
    assert v0(0x6e1f1c20, v0=0, v1=V1) == 0x03 << 120                   # mov v0.b[15], v1.b[3]
    assert v0(0x4e0c1c60, v0=M128, x3=0x1_2345_6789) == M128 ^ (0xFFFFFFFF << 32) | 0x23456789 << 32
    assert v0(0x4e081c60, v0=M128, x3=5) == M128 ^ (2**64 - 1) | 5      # mov v0.d[0], x3
    assert v0(0x4e1e1c60, v0=0, x3=0xBEEF) == 0xBEEF << 112             # mov v0.h[7], w3


def test_umov_and_mov_to_general():
    assert run(0x0e033c20, v1=V1, x0=-1).get("x0") == 0x01               # umov w0, v1.b[1]
    assert run(0x0e1e3c20, v1=V1 | 0xFFFF << 112).get("x0") == 0xFFFF    # umov w0, v1.h[7]
    assert run(0x0e0c3c20, v1=V1).get("x0") == 0x07060504               # mov w0, v1.s[1]
    assert run(0x4e183c20, v1=V1).get("x0") == 0x0f0e0d0c0b0a0908       # mov x0, v1.d[1]


def test_smov():
    assert run(0x4e062c20, v1=0x8001 << 16).get("x0") == 0xFFFF_FFFF_FFFF_8001  # smov x0, v1.h[1]
    assert run(0x0e1f2c20, v1=0x80 << 120).get("x0") == 0xFFFF_FF80            # smov w0, v1.b[15]
    assert run(0x4e1c2c20, v1=0x7FFF_FFFF << 96).get("x0") == 0x7FFF_FFFF      # smov x0, v1.s[3]


def test_scalar_dup():
    assert v0(0x5e180420, v0=M128, v1=V1) == 0x0f0e0d0c0b0a0908          # mov d0, v1.d[1]
    assert v0(0x5e070420, v1=V1) == 3                                    # mov b0, v1.b[3]
    assert v0(0x5e140420, v1=V1) == 0x0b0a0908                           # mov s0, v1.s[2]
    assert v0(0x5e1e0420, v1=V1) == 0x0f0e                               # mov h0, v1.h[7]


# -- permute ---------------------------------------------------------------------------
def test_zip():
    a, b = elems(V1, 32, 4), elems(V2, 32, 4)
    assert v0(0x4e823820, v1=V1, v2=V2) == vec([a[0], b[0], a[1], b[1]], 32)
    assert v0(0x4e827820, v1=V1, v2=V2) == vec([a[2], b[2], a[3], b[3]], 32)
    assert v0(0x4ec23820, v1=V1, v2=V2) == (V2 & 2**64 - 1) << 64 | V1 & 2**64 - 1
    assert v0(0x4ec27820, v1=V1, v2=V2) == (V2 >> 64) << 64 | V1 >> 64


def test_uzp():
    # uzp1 v0.8b: even bytes of v2:v1 (low halves only)
    assert v0(0x0e021820, v1=V1, v2=V2) == vec([0, 2, 4, 6, 16, 18, 20, 22], 8)
    a, b = elems(V1, 16, 8), elems(V2, 16, 8)
    assert v0(0x4e425820, v1=V1, v2=V2) == vec(a[1::2] + b[1::2], 16)


def test_trn():
    assert v0(0x4ec22820, v1=V1, v2=V2) == (V2 & 2**64 - 1) << 64 | V1 & 2**64 - 1
    assert v0(0x4ec26820, v1=V1, v2=V2) == (V2 >> 64) << 64 | V1 >> 64
    assert v0(0x4e022820, v1=V1, v2=V2) == vec([x for p in range(8) for x in (2 * p, 16 + 2 * p)], 8)
    a, b = elems(V1, 16, 4), elems(V2, 16, 4)
    assert v0(0x0e426820, v1=V1, v2=V2) == vec([a[1], b[1], a[3], b[3]], 16)


# -- EXT -------------------------------------------------------------------------------
def test_ext_every_boundary():
    base = 0x6e020020          # ext v0.16b, v1.16b, v2.16b, #imm4
    for k in range(16):
        expected = vec(list(range(k, 16)) + list(range(16, 16 + k)), 8)
        assert v0(base | k << 11, v1=V1, v2=V2) == expected, k
    for k in range(8):         # ext v0.8b, v1.8b, v2.8b, #k
        expected = vec(list(range(k, 8)) + list(range(16, 16 + k)), 8)
        assert v0(0x2e020020 | k << 11, v1=V1, v2=V2, v0=M128) == expected, k


# -- TBL / TBX ---------------------------------------------------------------------------
def test_tbl_one_register_out_of_range_gives_zero():
    idx = vec([15, 0, 16, 255, 3, 7, 200, 1, 2, 4, 8, 9, 10, 17, 14, 5], 8)
    table = vec([0xA0 + i for i in range(16)], 8)
    expected = vec([0xAF, 0xA0, 0, 0, 0xA3, 0xA7, 0, 0xA1, 0xA2, 0xA4, 0xA8, 0xA9, 0xAA, 0,
                    0xAE, 0xA5], 8)
    assert v0(0x4e020020, v1=table, v2=idx, v0=M128) == expected


def test_tbx_keeps_out_of_range_lanes():
    idx = vec([15, 0, 16, 255] * 4, 8)
    table = vec([0xA0 + i for i in range(16)], 8)
    old = vec([0x55] * 16, 8)
    assert v0(0x4e021020, v1=table, v2=idx, v0=old) == vec([0xAF, 0xA0, 0x55, 0x55] * 4, 8)


def test_tbl_two_registers_wrap_64_bit():
    # tbl v0.8b, {v31.16b, v0.16b}, v2.8b: table = v31 (bytes 0..15) then v0 (16..31)
    idx = vec([0, 16, 31, 32, 15, 17, 64, 1], 8)
    st = run(0x0e0223e0, v31=V1, v0=V2, v2=idx | M128 ^ (2**64 - 1))
    assert st.get("v0") == vec([0, 16, 31, 0, 15, 17, 0, 1], 8)


def test_tbl_four_and_tbx_three_registers():
    regs = {"v30": V1, "v31": V2, "v0": V1 + vec([32] * 16, 8), "v1": V1 + vec([48] * 16, 8)}
    idx = vec([0, 17, 33, 63, 64, 127, 48, 32, 16, 1, 2, 3, 47, 31, 15, 62], 8)
    expected = vec([0, 17, 33, 63, 0, 0, 48, 32, 16, 1, 2, 3, 47, 31, 15, 62], 8)
    assert v0(0x4e0263c0, v2=idx, **regs) == expected
    # tbx v5.16b, {v1.16b-v3.16b}, v4.16b: 48 table bytes
    idx = vec([47, 48, 0, 100] * 4, 8)
    st = run(0x4e045025, v1=V1, v2=V2, v3=V1 + vec([32] * 16, 8), v4=idx, v5=vec([0xEE] * 16, 8))
    assert st.get("v5") == vec([47, 0xEE, 0, 0xEE] * 4, 8)


# -- modified immediate -------------------------------------------------------------------
def test_movi_forms():
    assert v0(0x0f04e4e0, v0=M128) == 0x8787878787878787                 # movi v0.8b, #0x87
    assert v0(0x4f07e420) == vec([0xE1] * 16, 8)
    assert v0(0x4f000760) == vec([0x1B] * 4, 32)
    assert v0(0x6f00e400, v0=M128) == 0                                  # movi v0.2d, #0
    assert v0(0x6f05e520) == 0xff00ff00ff0000ff_ff00ff00ff0000ff
    assert v0(0x2f00e4a0, v0=M128) == 0x0000_0000_00ff_00ff              # movi d0, #0xff00ff
    assert v0(0x0f002760) == 0x00001B00_00001B00
    assert v0(0x4f004760) == vec([0x1B0000] * 4, 32)
    assert v0(0x4f006760) == vec([0x1B000000] * 4, 32)
    assert v0(0x0f008760) == 0x001B_001B_001B_001B
    assert v0(0x4f00a760) == vec([0x1B00] * 8, 16)
    assert v0(0x4f00c760) == vec([0x1BFF] * 4, 32)                       # msl #8
    assert v0(0x0f00d760) == 0x001BFFFF_001BFFFF                         # msl #16


def test_mvni_orr_bic():
    assert v0(0x6f000760) == vec([0xFFFFFFE4] * 4, 32)                   # mvni v0.4s, #0x1b
    assert v0(0x2f00a760, v0=M128) == vec([0xE4FF] * 4, 16)             # mvni v0.4h, lsl #8
    assert v0(0x6f00d760) == vec([0xFFE40000] * 4, 32)                   # mvni msl #16
    assert v0(0x4f007760, v0=V1) == V1 | vec([0x1B000000] * 4, 32)
    assert v0(0x4f009760, v0=V1) == V1 | vec([0x1B] * 8, 16)
    assert v0(0x6f009760, v0=M128) == vec([0xFFE4] * 8, 16)              # bic v0.8h, #0x1b
    assert v0(0x2f003760, v0=M128) == 0xFFFFE4FF_FFFFE4FF                # bic .2s clears top


def test_fmov_vector_immediate():
    assert v0(0x4f03f600) == vec([0x3F800000] * 4, 32)                   # 1.0
    assert v0(0x6f07f400) == vec([0xBFE0000000000000] * 2, 64)           # -0.5
    assert v0(0x0f01f7e0, v0=M128) == vec([0x41F80000] * 2, 32)          # 31.0


def test_adv_simd_expand_imm_byte_mask():
    assert AdvSIMDExpandImm(1, 0b1110, 0b10100101) == 0xFF00FF0000FF00FF
    assert AdvSIMDExpandImm(0, 0b1100, 0xAB) == 0x0000ABFF_0000ABFF


# -- FMOV (general) ------------------------------------------------------------------------
def test_fmov_general():
    x = 0x1122334455667788
    assert v0(0x1e270020, x1=x, v0=M128) == 0x55667788                   # fmov s0, w1
    assert run(0x1e260001, v0=V1, x1=-1).get("x1") == 0x03020100         # fmov w1, s0
    assert v0(0x9e670020, x1=x, v0=M128) == x                            # fmov d0, x1
    assert run(0x9e660001, v0=V1).get("x1") == 0x0706050403020100        # fmov x1, d0
    assert v0(0x9eaf0020, x1=x, v0=V1) == x << 64 | V1 & (2**64 - 1)     # fmov v0.d[1], x1
    assert run(0x9eae0001, v0=V1).get("x1") == 0x0f0e0d0c0b0a0908        # fmov x1, v0.d[1]
