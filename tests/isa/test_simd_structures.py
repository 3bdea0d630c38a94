"""Known-answer tests for the Advanced SIMD structure loads and stores (LD1-LD4, ST1-ST4,
single-lane forms, LD1R-LD4R).  Expected values follow the Arm ARM's element order:
memory is little-endian, LDn/STn (de-)interleave element by element."""
import pytest

from lnsym.backends.snippet import run_words
from lnsym.machine.decoder import decode
from lnsym.machine.disasm import normalise
from lnsym.machine.memory import Memory

BUF = 0x10000
DATA = bytes(range(256))


def le(b: bytes) -> int:
    return int.from_bytes(b, "little")


def elems(value: int, esize: int, n: int) -> list:
    return [value >> (esize * i) & ((1 << esize) - 1) for i in range(n)]


def vec(values, esize: int) -> int:
    return sum(v << (esize * i) for i, v in enumerate(values))


def load(word, regs=None):
    mem = Memory()
    mem.load(BUF, DATA)
    return run_words([word], regs=regs, memory=mem)


def store(word, regs):
    mem = Memory()
    mem.map(BUF, 0x1000)
    st, mem = run_words([word], regs=regs, memory=mem)
    return st, mem


WORDS = {
    0x4cdf2820: "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [x1], #64",
    0x4c407000: "ld1 {v0.16b}, [x0]",
    0x0c407000: "ld1 {v0.8b}, [x0]",
    0x4cc2ac1f: "ld1 {v31.2d, v0.2d}, [x0], x2",
    0x0c404000: "ld3 {v0.8b, v1.8b, v2.8b}, [x0]",
    0x4cdf87e4: "ld2 {v4.8h, v5.8h}, [sp], #32",
    0x4c400800: "ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x0]",
    0x4c9f0000: "st4 {v0.16b, v1.16b, v2.16b, v3.16b}, [x0], #64",
    0x0c008800: "st2 {v0.2s, v1.2s}, [x0]",
    0x4c00a800: "st1 {v0.4s, v1.4s}, [x0]",
    0x0c856c02: "st1 {v2.1d, v3.1d, v4.1d}, [x0], x5",
    0x0d409060: "ld1 {v0.s}[1], [x3]",
    0x4ddf1c60: "ld1 {v0.b}[15], [x3], #1",
    0x4de44866: "ld2 {v6.h, v7.h}[5], [x3], x4",
    0x4d40a460: "ld3 {v0.d, v1.d, v2.d}[1], [x3]",
    0x4d009060: "st1 {v0.s}[3], [x3]",
    0x4dbf2460: "st4 {v0.b, v1.b, v2.b, v3.b}[9], [x3], #4",
    0x4ddfcc20: "ld1r {v0.2d}, [x1], #8",
    0x0d40c020: "ld1r {v0.8b}, [x1]",
    0x0dffe420: "ld4r {v0.4h, v1.4h, v2.4h, v3.4h}, [x1], #8",
    0x4de9c83e: "ld2r {v30.4s, v31.4s}, [x1], x9",
}


@pytest.mark.parametrize("word", sorted(WORDS), ids=hex)
def test_disassembly(word):
    assert normalise(decode(word).disasm()) == normalise(WORDS[word])


def test_ld1_four_registers_post_index():
    st, _ = load(0x4cdf2820, {"x1": BUF})
    for r in range(4):
        assert st.get(f"v{r}") == le(DATA[16 * r:16 * r + 16])
    assert st.get("x1") == BUF + 64


def test_ld1_one_register_128_and_64():
    st, _ = load(0x4c407000, {"x0": BUF + 3})
    assert st.get("v0") == le(DATA[3:19])
    st, _ = load(0x0c407000, {"x0": BUF + 5, "v0": (1 << 128) - 1})
    assert st.get("v0") == le(DATA[5:13])           # the upper 64 bits are cleared


def test_ld1_register_list_wraps_and_post_index_register():
    st, _ = load(0x4cc2ac1f, {"x0": BUF, "x2": 0x30})
    assert st.get("v31") == le(DATA[0:16])
    assert st.get("v0") == le(DATA[16:32])
    assert st.get("x0") == BUF + 0x30


def test_ld3_deinterleaves_bytes():
    st, _ = load(0x0c404000, {"x0": BUF})
    for r in range(3):
        assert st.get(f"v{r}") == vec([3 * e + r for e in range(8)], 8)


def test_ld2_halfwords_sp_base():
    st, _ = load(0x4cdf87e4, {"sp": BUF + 2})
    halves = elems(le(DATA[2:34]), 16, 16)
    assert st.get("v4") == vec(halves[0::2], 16)
    assert st.get("v5") == vec(halves[1::2], 16)
    assert st.get("sp") == BUF + 2 + 32


def test_ld4_words():
    st, _ = load(0x4c400800, {"x0": BUF})
    words = elems(le(DATA[0:64]), 32, 16)
    for r in range(4):
        assert st.get(f"v{r}") == vec(words[r::4], 32)
    assert st.get("x0") == BUF                       # no writeback


def test_st4_interleaves_bytes():
    regs = {f"v{r}": vec([0x10 * r + e for e in range(16)], 8) for r in range(4)}
    regs["x0"] = BUF
    st, mem = store(0x4c9f0000, regs)
    expected = bytes(0x10 * r + e for e in range(16) for r in range(4))
    assert mem.read_bytes(BUF, 64) == expected
    assert st.get("x0") == BUF + 64


def test_st2_words_64_bit():
    st, mem = store(0x0c008800, {"x0": BUF, "v0": 0xFFFF_0000_0000_0000_1111_1111_2222_2222,
                                 "v1": 0x3333_3333_4444_4444})
    assert mem.read_bytes(BUF, 16) == (0x2222_2222).to_bytes(4, "little") + \
        (0x4444_4444).to_bytes(4, "little") + (0x1111_1111).to_bytes(4, "little") + \
        (0x3333_3333).to_bytes(4, "little")
    assert mem.read_bytes(BUF + 16, 8) == bytes(8)   # nothing beyond 16 bytes


def test_st1_two_and_three_registers():
    a, b = le(DATA[0:16]), le(DATA[16:32])
    _, mem = store(0x4c00a800, {"x0": BUF, "v0": a, "v1": b})
    assert mem.read_bytes(BUF, 32) == DATA[0:32]
    regs = {"x0": BUF, "x5": 7, "v2": le(DATA[0:16]), "v3": le(DATA[16:32]),
            "v4": le(DATA[32:48])}
    st, mem = store(0x0c856c02, regs)
    assert mem.read_bytes(BUF, 24) == DATA[0:8] + DATA[16:24] + DATA[32:40]
    assert st.get("x0") == BUF + 7


def test_ld1_lane_keeps_other_lanes():
    old = 0x0123456789ABCDEF_FEDCBA9876543210
    st, _ = load(0x0d409060, {"x3": BUF + 8, "v0": old})
    assert st.get("v0") == old & ~(0xFFFFFFFF << 32) | le(DATA[8:12]) << 32
    assert st.get("x3") == BUF + 8


def test_ld1_byte_lane_15_post_index():
    st, _ = load(0x4ddf1c60, {"x3": BUF + 0x41})
    assert st.get("v0") == 0x41 << 120
    assert st.get("x3") == BUF + 0x42


def test_ld2_halfword_lane_post_index_register():
    st, _ = load(0x4de44866, {"x3": BUF, "x4": -4})
    assert st.get("v6") == 0x0100 << 80
    assert st.get("v7") == 0x0302 << 80
    assert st.get("x3") == BUF - 4


def test_ld3_doubleword_lane():
    st, _ = load(0x4d40a460, {"x3": BUF, "v1": 5})
    assert st.get("v0") == le(DATA[0:8]) << 64
    assert st.get("v1") == le(DATA[8:16]) << 64 | 5
    assert st.get("v2") == le(DATA[16:24]) << 64


def test_st1_and_st4_lanes():
    _, mem = store(0x4d009060, {"x3": BUF, "v0": 0xDDCCBBAA << 96})
    assert mem.read_bytes(BUF, 8) == bytes([0xAA, 0xBB, 0xCC, 0xDD, 0, 0, 0, 0])
    regs = {f"v{r}": (0xA0 + r) << 72 for r in range(4)}
    regs["x3"] = BUF
    st, mem = store(0x4dbf2460, regs)
    assert mem.read_bytes(BUF, 5) == bytes([0xA0, 0xA1, 0xA2, 0xA3, 0])
    assert st.get("x3") == BUF + 4


def test_ld1r_replicates():
    st, _ = load(0x4ddfcc20, {"x1": BUF + 8})
    d = le(DATA[8:16])
    assert st.get("v0") == d << 64 | d
    assert st.get("x1") == BUF + 16
    st, _ = load(0x0d40c020, {"x1": BUF + 0x7f, "v0": -1})
    assert st.get("v0") == 0x7f7f7f7f7f7f7f7f        # 64-bit form clears the top half


def test_ld4r_and_ld2r():
    st, _ = load(0x0dffe420, {"x1": BUF})
    for r in range(4):
        h = le(DATA[2 * r:2 * r + 2])
        assert st.get(f"v{r}") == vec([h] * 4, 16)
    assert st.get("x1") == BUF + 8
    st, _ = load(0x4de9c83e, {"x1": BUF, "x9": 0x100})
    assert st.get("v30") == vec([le(DATA[0:4])] * 4, 32)
    assert st.get("v31") == vec([le(DATA[4:8])] * 4, 32)
    assert st.get("x1") == BUF + 0x100
