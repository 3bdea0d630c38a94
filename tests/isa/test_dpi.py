"""Known-answer tests: data processing (immediate) -- logical, move wide, bitfield, extract, ADR/ADRP."""
import pytest
from helpers_dp import M32, M64, flags, run, text, word

from isa_specs.dpi.add_sub_imm import decode_add_sub_imm
from isa_specs.dpi.add_sub_imm_tags import decode_add_sub_imm_tags
from isa_specs.dpi.bitfield import decode_bitfield
from isa_specs.dpi.extract import decode_extract
from isa_specs.dpi.logical_imm import decode_logical_imm
from isa_specs.dpi.move_wide import decode_move_wide
from isa_specs.dpi.pc_rel import decode_pc_rel
from isa_specs.errors import Unallocated, Unimplemented
from isa_specs.pseudocode.bitmasks import DecodeBitMasks
from lnsym.backends.snippet import CODE_BASE, run_words
from lnsym.machine.decoder import decode


# -- add/sub immediate --------------------------------------------------------------------
def test_adds_imm_signed_overflow():
    w = word(decode_add_sub_imm, sf=0, op=0, S=1, imm12=1, Rn=1, Rd=0)     # adds w0, w1, #1
    st = run(w, x1=0x7FFFFFFF)
    assert st.get("x0") == 0x80000000
    assert st.get("nzcv") == flags(1, 0, 0, 1)


def test_subs_imm_borrow_and_cmp():
    w = word(decode_add_sub_imm, sf=1, op=1, S=1, imm12=5, Rn=1, Rd=31)    # cmp x1, #5
    assert text(w) == "cmp x1, 5"
    assert run(w, x1=3).get("nzcv") == flags(1, 0, 0, 0)     # borrow: C clear
    assert run(w, x1=5).get("nzcv") == flags(0, 1, 1, 0)
    w = word(decode_add_sub_imm, sf=1, op=0, S=0, sh=1, imm12=1, Rn=31, Rd=31)  # add sp, sp, #1, lsl 12
    assert run(w, sp=0x1000).get("sp") == 0x2000


def test_add_sub_tags_unimplemented():
    with pytest.raises(Unimplemented):
        decode(word(decode_add_sub_imm_tags, sf=1, op=0, S=0, uimm6=1, Rn=1, Rd=2))


# -- logical immediate ---------------------------------------------------------------------
def test_decode_bit_masks():
    assert DecodeBitMasks(1, 0b000111, 0, True, 64)[0] == 0xFF
    assert DecodeBitMasks(0, 0b111100, 0, True, 64)[0] == 0x5555555555555555
    assert DecodeBitMasks(0, 0b000000, 1, True, 32)[0] == 0x80000000
    with pytest.raises(Unallocated):
        DecodeBitMasks(1, 0b111111, 0, True, 64)      # all-ones element is reserved


def test_and_orr_eor_imm():
    x = 0x0123456789ABCDEF
    w = word(decode_logical_imm, sf=1, opc=0, N=1, imms=7, Rn=1, Rd=0)      # and x0, x1, #0xff
    assert text(w) == "and x0, x1, 255"
    assert run(w, x1=x).get("x0") == 0xEF
    w = word(decode_logical_imm, sf=1, opc=1, N=0, imms=0b111100, Rn=1, Rd=0)   # orr #0x5555..
    assert run(w, x1=x).get("x0") == x | 0x5555555555555555
    w = word(decode_logical_imm, sf=0, opc=2, N=0, immr=1, imms=0, Rn=1, Rd=0)  # eor w0, w1, #1<<31
    assert run(w, x1=x).get("x0") == (x & M32) ^ 0x80000000


def test_and_imm_to_sp():
    w = word(decode_logical_imm, sf=1, opc=0, N=1, immr=60, imms=59, Rn=1, Rd=31)   # and sp, x1, #~0xf
    assert text(w) == f"and sp, x1, {M64 - 15}"
    assert run(w, x1=0x12345).get("sp") == 0x12340


def test_ands_tst_flags():
    w = word(decode_logical_imm, sf=1, opc=3, N=1, imms=7, Rn=1, Rd=31)     # tst x1, #0xff
    assert text(w) == "tst x1, 255"
    assert run(w, x1=0x100, nzcv=0b0011).get("nzcv") == flags(0, 1, 0, 0)
    w = word(decode_logical_imm, sf=0, opc=3, N=0, immr=1, imms=0, Rn=1, Rd=2)   # ands w2, w1, #1<<31
    st = run(w, x1=0xFFFFFFFF)
    assert st.get("x2") == 0x80000000 and st.get("nzcv") == flags(1, 0, 0, 0)


def test_mov_bitmask_alias():
    w = word(decode_logical_imm, sf=1, opc=1, N=0, imms=0b111100, Rn=31, Rd=3)
    assert text(w) == f"mov x3, {0x5555555555555555}"
    assert run(w).get("x3") == 0x5555555555555555
    # capstone shows MOV even where the Arm ARM would prefer MOVZ (MoveWidePreferred)
    w = word(decode_logical_imm, sf=0, opc=1, N=0, imms=0, Rn=31, Rd=31)      # orr wsp, wzr, #1
    assert text(w) == "mov wsp, 1"
    assert run(w, sp=M64).get("sp") == 1


# -- move wide -----------------------------------------------------------------------------
def test_movz_movk_movn():
    w = word(decode_move_wide, sf=1, opc=2, hw=1, imm16=0x1234, Rd=0)
    assert text(w) == f"mov x0, {0x12340000}"
    assert run(w, x0=M64).get("x0") == 0x12340000
    w = word(decode_move_wide, sf=1, opc=3, hw=3, imm16=0xBEEF, Rd=0)        # movk x0, #0xbeef, lsl 48
    assert text(w) == f"movk x0, {0xBEEF}, lsl 48"
    assert run(w, x0=0x1111222233334444).get("x0") == 0xBEEF222233334444
    w = word(decode_move_wide, sf=1, opc=0, hw=0, imm16=0, Rd=0)             # movn x0, #0
    assert text(w) == "mov x0, -1"
    assert run(w).get("x0") == M64
    w = word(decode_move_wide, sf=0, opc=0, hw=1, imm16=0x8000, Rd=0)        # movn w0, #0x8000, lsl 16
    assert run(w, x0=M64).get("x0") == 0x7FFFFFFF
    w = word(decode_move_wide, sf=0, opc=3, hw=0, imm16=0xABCD, Rd=0)        # movk w0: top cleared
    assert run(w, x0=0xFFFFFFFF12345678).get("x0") == 0x1234ABCD


def test_move_wide_unallocated():
    with pytest.raises(Unallocated):
        decode(word(decode_move_wide, sf=0, opc=2, hw=2, Rd=0))


# -- bitfield ------------------------------------------------------------------------------
X = 0xF123456789ABCDEF

BITFIELD = [
    # (fields, disassembly, x1, old x0, expected x0)
    (dict(sf=1, opc=0, N=1, immr=4, imms=63), "asr x0, x1, 4", X, 0, 0xFF123456789ABCDE),
    (dict(sf=1, opc=2, N=1, immr=60, imms=59), "lsl x0, x1, 4", X, 0, 0x123456789ABCDEF0),
    (dict(sf=1, opc=2, N=1, immr=4, imms=63), "lsr x0, x1, 4", X, 0, 0x0F123456789ABCDE),
    (dict(sf=0, opc=2, immr=31, imms=30), "lsl w0, w1, 1", X, 0, 0x13579BDE),
    (dict(sf=1, opc=0, N=1, immr=0, imms=7), "sxtb x0, w1", X, 0, M64 - 0x10),
    (dict(sf=1, opc=0, N=1, immr=0, imms=15), "sxth x0, w1", X, 0, 0xFFFFFFFFFFFFCDEF),
    (dict(sf=1, opc=0, N=1, immr=0, imms=31), "sxtw x0, w1", X, 0, 0xFFFFFFFF89ABCDEF),
    (dict(sf=0, opc=0, immr=0, imms=7), "sxtb w0, w1", X, 0, 0xFFFFFFEF),
    (dict(sf=0, opc=2, immr=0, imms=7), "uxtb w0, w1", X, M64, 0xEF),
    (dict(sf=0, opc=2, immr=0, imms=15), "uxth w0, w1", X, M64, 0xCDEF),
    (dict(sf=1, opc=0, N=1, immr=56, imms=3), "sbfiz x0, x1, 8, 4", X, 0, 0xFFFFFFFFFFFFFF00),
    (dict(sf=1, opc=0, N=1, immr=8, imms=15), "sbfx x0, x1, 8, 8", X, 0, M64 - 0x32),
    (dict(sf=1, opc=2, N=1, immr=56, imms=7), "ubfiz x0, x1, 8, 8", X, M64, 0xEF00),
    (dict(sf=1, opc=2, N=1, immr=8, imms=15), "ubfx x0, x1, 8, 8", X, M64, 0xCD),
    (dict(sf=1, opc=1, N=1, immr=56, imms=7), "bfi x0, x1, 8, 8", X, M64, 0xFFFFFFFFFFFFEFFF),
    (dict(sf=1, opc=1, N=1, immr=8, imms=15), "bfxil x0, x1, 8, 8", X, M64, 0xFFFFFFFFFFFFFFCD),
    (dict(sf=0, opc=1, immr=24, imms=3, Rn=31), "bfc w0, 8, 4", X, M64, 0xFFFFF0FF),
]


@pytest.mark.parametrize("fields,asm,x1,x0,expected", BITFIELD, ids=[b[1] for b in BITFIELD])
def test_bitfield_aliases(fields, asm, x1, x0, expected):
    fields = {"Rn": 1, "Rd": 0, **fields}
    w = word(decode_bitfield, **fields)
    assert text(w) == asm
    assert run(w, x0=x0, x1=x1).get("x0") == expected


def test_bitfield_unallocated():
    with pytest.raises(Unallocated):
        decode(word(decode_bitfield, sf=1, opc=0, N=0, Rn=1))
    with pytest.raises(Unallocated):
        decode(word(decode_bitfield, sf=0, opc=0, imms=32, Rn=1))


# -- extract -------------------------------------------------------------------------------
def test_extr_and_ror():
    w = word(decode_extract, sf=1, N=1, Rm=2, imms=16, Rn=1, Rd=0)
    assert text(w) == "extr x0, x1, x2, 16"
    assert run(w, x1=0x1111222233334444, x2=0x5555666677778888).get("x0") == 0x4444555566667777
    w = word(decode_extract, sf=0, N=0, Rm=1, imms=8, Rn=1, Rd=0)
    assert text(w) == "ror w0, w1, 8"
    assert run(w, x1=0xFFFFFFFF12345678).get("x0") == 0x78123456


# -- PC-relative -----------------------------------------------------------------------------
def test_adr_adrp():
    w = word(decode_pc_rel, op=0, immlo=3, immhi=(1 << 19) - 1, Rd=0)      # adr x0, . - 1
    assert run(w).get("x0") == CODE_BASE - 1
    assert text(w) == f"adr x0, {CODE_BASE - 1}"
    w = word(decode_pc_rel, op=1, immlo=1, immhi=0, Rd=5)                  # adrp x5, page + 0x1000
    pc = 0x400ABC
    st, _ = run_words([0xD503201F] * ((pc - CODE_BASE) // 4) + [w])           # nops, then adrp
    assert st.get("x5") == 0x401000
    assert text(w, pc) == f"adrp x5, {0x401000}"
