"""Known-answer tests: data processing (register) -- add/sub, logical, conditional, 1/2/3 source."""
import zlib

import pytest
from helpers_dp import M32, M64, flags, run, text, word

from isa_specs.dpreg.add_sub_carry import decode_add_sub_carry
from isa_specs.dpreg.add_sub_extended import decode_add_sub_extended_reg
from isa_specs.dpreg.add_sub_shifted import decode_add_sub_shifted_reg
from isa_specs.dpreg.cond_compare import (
    decode_cond_compare_imm,
    decode_cond_compare_reg,
)
from isa_specs.dpreg.cond_select import decode_cond_select
from isa_specs.dpreg.dp_1src import decode_dp_1src
from isa_specs.dpreg.dp_2src import decode_dp_2src
from isa_specs.dpreg.dp_3src import decode_dp_3src
from isa_specs.dpreg.logical_shifted import decode_logical_shifted_reg
from isa_specs.errors import Unallocated, Unimplemented
from lnsym.machine.decoder import decode

EQ, NE, GE, LT, AL = 0, 1, 10, 11, 14


# -- add/sub shifted register ------------------------------------------------------------------
def test_add_shifted_and_adds_carry():
    w = word(decode_add_sub_shifted_reg, sf=1, op=0, S=0, shift=0, Rm=2, imm6=4, Rn=1, Rd=0)
    assert text(w) == "add x0, x1, x2, lsl 4"
    assert run(w, x1=1, x2=2).get("x0") == 33
    w = word(decode_add_sub_shifted_reg, sf=1, op=0, S=1, shift=0, Rm=2, Rn=1, Rd=0)   # adds
    st = run(w, x1=M64, x2=1)
    assert st.get("x0") == 0 and st.get("nzcv") == flags(0, 1, 1, 0)


def test_subs_shifted_overflow_neg_cmp_cmn():
    w = word(decode_add_sub_shifted_reg, sf=0, op=1, S=1, shift=2, Rm=2, imm6=1, Rn=1, Rd=0)
    assert text(w) == "subs w0, w1, w2, asr 1"
    st = run(w, x1=0x80000000, x2=2)                       # INT_MIN - 1: V set, no borrow
    assert st.get("x0") == 0x7FFFFFFF and st.get("nzcv") == flags(0, 0, 1, 1)
    w = word(decode_add_sub_shifted_reg, sf=1, op=1, S=0, shift=1, Rm=2, imm6=4, Rn=31, Rd=0)
    assert text(w) == "neg x0, x2, lsr 4"
    assert run(w, x2=0x100).get("x0") == M64 - 0xF
    w = word(decode_add_sub_shifted_reg, sf=1, op=1, S=1, Rm=2, Rn=1, Rd=31)
    assert text(w) == "cmp x1, x2"
    assert run(w, x1=1, x2=2).get("nzcv") == flags(1, 0, 0, 0)
    w = word(decode_add_sub_shifted_reg, sf=1, op=0, S=1, Rm=2, Rn=1, Rd=31)
    assert text(w) == "cmn x1, x2"
    assert run(w, x1=1 << 63, x2=1 << 63).get("nzcv") == flags(0, 1, 1, 1)
    with pytest.raises(Unallocated):
        decode(word(decode_add_sub_shifted_reg, sf=1, shift=3, Rm=2, Rn=1))


# -- add/sub extended register -------------------------------------------------------------------
def test_add_extended_forms():
    w = word(decode_add_sub_extended_reg, sf=1, op=0, S=0, Rm=2, option=0b110, imm3=2, Rn=1, Rd=0)
    assert text(w) == "add x0, x1, w2, sxtw 2"
    assert run(w, x1=100, x2=0xFFFFFFFF).get("x0") == 96
    w = word(decode_add_sub_extended_reg, sf=1, op=0, S=0, Rm=2, option=0b000, Rn=1, Rd=0)
    assert text(w) == "add x0, x1, w2, uxtb"
    assert run(w, x1=1, x2=0x1FF).get("x0") == 0x100
    w = word(decode_add_sub_extended_reg, sf=1, op=1, S=0, Rm=2, option=0b011, imm3=3, Rn=31, Rd=31)
    assert text(w) == "sub sp, sp, x2, lsl 3"
    assert run(w, sp=0x1000, x2=2).get("sp") == 0x1000 - 16
    w = word(decode_add_sub_extended_reg, sf=0, op=0, S=0, Rm=2, option=0b001, Rn=31, Rd=3)
    assert text(w) == "add w3, wsp, w2, uxth"
    assert run(w, sp=0xFFFFFFFF00000010, x2=0x12345).get("x3") == 0x2355


def test_subs_extended_and_cmp():
    w = word(decode_add_sub_extended_reg, sf=1, op=1, S=1, Rm=2, option=0b100, Rn=1, Rd=31)
    assert text(w) == "cmp x1, w2, sxtb"
    assert run(w, x1=M64, x2=0xFF).get("nzcv") == flags(0, 1, 1, 0)     # -1 - (-1)
    with pytest.raises(Unallocated):
        decode(word(decode_add_sub_extended_reg, sf=1, Rm=2, imm3=5, Rn=1))


# -- add/sub with carry ----------------------------------------------------------------------------
def test_adc_sbc_ngc():
    adc = word(decode_add_sub_carry, sf=1, op=0, S=0, Rm=2, Rn=1, Rd=0)
    assert run(adc, x1=5, x2=6, nzcv=0b0010).get("x0") == 12
    assert run(adc, x1=5, x2=6, nzcv=0).get("x0") == 11
    adcs = word(decode_add_sub_carry, sf=0, op=0, S=1, Rm=2, Rn=1, Rd=0)
    st = run(adcs, x1=M32, x2=0, nzcv=0b0010)
    assert st.get("x0") == 0 and st.get("nzcv") == flags(0, 1, 1, 0)
    sbcs = word(decode_add_sub_carry, sf=1, op=1, S=1, Rm=2, Rn=1, Rd=0)
    st = run(sbcs, x1=5, x2=5, nzcv=0)                      # 5 - 5 - 1 = -1, borrow
    assert st.get("x0") == M64 and st.get("nzcv") == flags(1, 0, 0, 0)
    ngc = word(decode_add_sub_carry, sf=1, op=1, S=0, Rm=2, Rn=31, Rd=0)
    assert text(ngc) == "ngc x0, x2"
    assert run(ngc, x2=7, nzcv=0b0010).get("x0") == M64 - 6
    ngcs = word(decode_add_sub_carry, sf=0, op=1, S=1, Rm=2, Rn=31, Rd=0)
    assert text(ngcs) == "ngcs w0, w2"
    assert run(ngcs, x2=0, nzcv=0b0010).get("nzcv") == flags(0, 1, 1, 0)


# -- logical shifted register ----------------------------------------------------------------------
A, B = 0xF0F0F0F0F0F0F0F0, 0x0123456789ABCDEF
LOGICAL = [
    (dict(opc=0, N=0), "and x0, x1, x2", A & B),
    (dict(opc=0, N=1), "bic x0, x1, x2", A & ~B & M64),
    (dict(opc=1, N=0), "orr x0, x1, x2", A | B),
    (dict(opc=1, N=1), "orn x0, x1, x2", (A | ~B) & M64),
    (dict(opc=2, N=0), "eor x0, x1, x2", A ^ B),
    (dict(opc=2, N=1), "eon x0, x1, x2", A ^ ~B & M64),
    (dict(opc=0, N=0, shift=3, imm6=8), "and x0, x1, x2, ror 8", A & 0xEF0123456789ABCD),
    (dict(opc=1, N=0, Rn=31), "mov x0, x2", B),
    (dict(opc=1, N=1, Rn=31, shift=1, imm6=4), "mvn x0, x2, lsr 4", ~(B >> 4) & M64),
]


@pytest.mark.parametrize("fields,asm,expected", LOGICAL, ids=[x[1] for x in LOGICAL])
def test_logical_shifted(fields, asm, expected):
    w = word(decode_logical_shifted_reg, **{"sf": 1, "Rm": 2, "Rn": 1, "Rd": 0, **fields})
    assert text(w) == asm
    assert run(w, x1=A, x2=B).get("x0") == expected


def test_ands_bics_tst_flags():
    w = word(decode_logical_shifted_reg, sf=1, opc=3, N=0, Rm=2, Rn=1, Rd=31)
    assert text(w) == "tst x1, x2"
    assert run(w, x1=A, x2=~A & M64, nzcv=0b1011).get("nzcv") == flags(0, 1, 0, 0)
    w = word(decode_logical_shifted_reg, sf=0, opc=3, N=1, Rm=2, Rn=1, Rd=0)     # bics w0
    st = run(w, x1=0x80000001, x2=1, nzcv=0b0011)
    assert st.get("x0") == 0x80000000 and st.get("nzcv") == flags(1, 0, 0, 0)


# -- conditional select ---------------------------------------------------------------------------
def test_csel_both_paths():
    w = word(decode_cond_select, sf=1, op=0, Rm=2, cond=EQ, op2=0, Rn=1, Rd=0)
    assert text(w) == "csel x0, x1, x2, eq"
    assert run(w, x1=1, x2=2, nzcv=0b0100).get("x0") == 1
    assert run(w, x1=1, x2=2, nzcv=0).get("x0") == 2


def test_csinc_csinv_csneg_and_aliases():
    base = dict(sf=1, Rm=2, cond=GE, Rn=1, Rd=0)
    w = word(decode_cond_select, **{**base, "op2": 1})
    assert text(w) == "csinc x0, x1, x2, ge"
    assert run(w, x1=1, x2=7, nzcv=0b1000).get("x0") == 8                     # N != V: false
    w = word(decode_cond_select, **{**base, "op": 1})
    assert run(w, x1=1, x2=7, nzcv=0b1001).get("x0") == 1                     # N == V: true
    assert run(w, x1=1, x2=7, nzcv=0b0001).get("x0") == M64 - 7
    w = word(decode_cond_select, **{**base, "op": 1, "op2": 1})
    assert run(w, x1=1, x2=7, nzcv=0b0001).get("x0") == M64 - 6
    cset = word(decode_cond_select, sf=0, op2=1, Rm=31, Rn=31, cond=NE, Rd=0)
    assert text(cset) == "cset w0, eq"
    assert run(cset, nzcv=0b0100, x0=M64).get("x0") == 1
    assert run(cset, nzcv=0).get("x0") == 0
    csetm = word(decode_cond_select, sf=1, op=1, Rm=31, Rn=31, cond=NE, Rd=0)
    assert text(csetm) == "csetm x0, eq"
    assert run(csetm, nzcv=0b0100).get("x0") == M64
    cinc = word(decode_cond_select, sf=1, op2=1, Rm=1, Rn=1, cond=LT, Rd=0)
    assert text(cinc) == "cinc x0, x1, ge"
    assert run(cinc, x1=9, nzcv=0).get("x0") == 10
    cinv = word(decode_cond_select, sf=1, op=1, Rm=1, Rn=1, cond=LT, Rd=0)
    assert text(cinv) == "cinv x0, x1, ge"
    assert run(cinv, x1=9, nzcv=0b1000).get("x0") == 9
    cneg = word(decode_cond_select, sf=1, op=1, op2=1, Rm=1, Rn=1, cond=EQ, Rd=0)
    assert text(cneg) == "cneg x0, x1, ne"
    assert run(cneg, x1=9, nzcv=0).get("x0") == M64 - 8


# -- conditional compare --------------------------------------------------------------------------
def test_ccmp_both_paths():
    w = word(decode_cond_compare_reg, sf=1, op=1, S=1, Rm=2, cond=EQ, Rn=1, nzcv=0b0010)
    assert text(w) == "ccmp x1, x2, 2, eq"
    assert run(w, x1=1, x2=2, nzcv=0b0100).get("nzcv") == flags(1, 0, 0, 0)   # compared
    assert run(w, x1=1, x2=2, nzcv=0).get("nzcv") == 0b0010                   # flags field
    w = word(decode_cond_compare_imm, sf=0, op=1, S=1, imm5=31, cond=AL, Rn=1, nzcv=0)
    assert text(w) == "ccmp w1, 31, 0, al"
    assert run(w, x1=31).get("nzcv") == flags(0, 1, 1, 0)


def test_ccmn():
    w = word(decode_cond_compare_imm, sf=1, op=0, S=1, imm5=1, cond=NE, Rn=1, nzcv=0b1111)
    assert text(w) == "ccmn x1, 1, 15, ne"
    assert run(w, x1=M64, nzcv=0).get("nzcv") == flags(0, 1, 1, 0)
    assert run(w, x1=M64, nzcv=0b0100).get("nzcv") == 0b1111
    w = word(decode_cond_compare_reg, sf=1, op=0, S=1, Rm=2, cond=NE, Rn=1, nzcv=0)
    assert run(w, x1=1 << 62, x2=1 << 62).get("nzcv") == flags(1, 0, 0, 1)
    with pytest.raises(Unallocated):
        decode(word(decode_cond_compare_reg, sf=1, op=0, S=0, Rm=2, Rn=1))


# -- data-processing (1 source) ---------------------------------------------------------------------
V = 0x0123456789ABCDEF
ONE_SOURCE = [
    (dict(sf=1, opcode=0), "rbit x0, x1", V, 0xF7B3D591E6A2C480),
    (dict(sf=0, opcode=0), "rbit w0, w1", V, 0xF7B3D591),
    (dict(sf=1, opcode=1), "rev16 x0, x1", V, 0x23016745AB89EFCD),
    (dict(sf=0, opcode=1), "rev16 w0, w1", V, 0xAB89EFCD),
    (dict(sf=1, opcode=2), "rev32 x0, x1", V, 0x67452301EFCDAB89),
    (dict(sf=1, opcode=3), "rev x0, x1", V, 0xEFCDAB8967452301),
    (dict(sf=0, opcode=2), "rev w0, w1", V, 0xEFCDAB89),
    (dict(sf=1, opcode=4), "clz x0, x1", V, 7),
    (dict(sf=1, opcode=4), "clz x0, x1", 0, 64),
    (dict(sf=0, opcode=4), "clz w0, w1", 1 << 40, 32),
    (dict(sf=1, opcode=5), "cls x0, x1", V, 6),
    (dict(sf=1, opcode=5), "cls x0, x1", M64, 63),
    (dict(sf=1, opcode=5), "cls x0, x1", 0xFF00000000000000, 7),
    (dict(sf=0, opcode=5), "cls w0, w1", 0, 31),
]


@pytest.mark.parametrize("fields,asm,x1,expected", ONE_SOURCE,
                         ids=[f"{x[1]}={x[2]:#x}" for x in ONE_SOURCE])
def test_dp_1src(fields, asm, x1, expected):
    w = word(decode_dp_1src, Rn=1, Rd=0, **fields)
    assert text(w) == asm
    assert run(w, x1=x1, x0=M64).get("x0") == expected


def test_dp_1src_pac_forms_decode_and_z_forms_need_rn_31():
    # semantics: tests/machine_model/test_pauth.py
    assert text(word(decode_dp_1src, sf=1, opcode2=1, opcode=0, Rn=1, Rd=0)) == "pacia x0, x1"
    with pytest.raises(Unallocated):
        decode(word(decode_dp_1src, sf=1, opcode2=1, opcode=8, Rn=1, Rd=0))     # paciza, Rn != 31
    with pytest.raises(Unallocated):
        decode(word(decode_dp_1src, sf=0, opcode=3, Rn=1, Rd=0))


# -- data-processing (2 source) ---------------------------------------------------------------------
def _dp2(sf, opcode):
    return word(decode_dp_2src, sf=sf, opcode=opcode, Rm=2, Rn=1, Rd=0)


def test_udiv_sdiv():
    udiv, sdiv = _dp2(1, 0b10), _dp2(1, 0b11)
    assert text(udiv) == "udiv x0, x1, x2" and text(sdiv) == "sdiv x0, x1, x2"
    assert run(udiv, x1=100, x2=7).get("x0") == 14
    assert run(udiv, x1=100, x2=0, x0=5).get("x0") == 0                # by zero: 0
    assert run(sdiv, x1=M64 - 99, x2=7).get("x0") == M64 - 13          # -100/7 = -14 (toward 0)
    assert run(sdiv, x1=1 << 63, x2=M64).get("x0") == 1 << 63          # INT_MIN / -1
    assert run(sdiv, x1=M64, x2=0, x0=5).get("x0") == 0
    sdiv32 = _dp2(0, 0b11)
    assert run(sdiv32, x1=0x80000000, x2=0xFFFFFFFF).get("x0") == 0x80000000
    assert run(sdiv32, x1=7, x2=0xFFFFFFFE).get("x0") == 0xFFFFFFFD      # 7 / -2 = -3


SHIFTS = [
    (1, 0b1000, "lsl x0, x1, x2", 0x8000000000000001, 65, 2),          # amount mod 64 = 1
    (1, 0b1001, "lsr x0, x1, x2", 0x8000000000000001, 63, 1),
    (1, 0b1010, "asr x0, x1, x2", 0x8000000000000000, 60, 0xFFFFFFFFFFFFFFF8),
    (1, 0b1011, "ror x0, x1, x2", 0x0123456789ABCDEF, 8, 0xEF0123456789ABCD),
    (1, 0b1011, "ror x0, x1, x2", 0x0123456789ABCDEF, 64, 0x0123456789ABCDEF),
    (0, 0b1011, "ror w0, w1, w2", 0x12345678, 36, 0x81234567),
    (0, 0b1000, "lsl w0, w1, w2", 0xFFFFFFFF, 31, 0x80000000),
    (0, 0b1010, "asr w0, w1, w2", 0x80000000, 31, 0xFFFFFFFF),
]


@pytest.mark.parametrize("sf,opcode,asm,x1,x2,expected", SHIFTS,
                         ids=[f"{x[2]}:{x[4]}" for x in SHIFTS])
def test_variable_shifts(sf, opcode, asm, x1, x2, expected):
    w = _dp2(sf, opcode)
    assert text(w) == asm
    assert run(w, x1=x1, x2=x2).get("x0") == expected


def _crc_asl(acc: int, val: int, size: int, poly: int) -> int:
    """The ASL literally: BitReverse, Poly32Mod2 (MSB first), BitReverse."""
    def rev(x, n):
        return int(f"{x:0{n}b}"[::-1], 2)
    data = (rev(acc, 32) << size) ^ (rev(val, size) << 32)
    for i in range(size + 31, 31, -1):
        if data >> i & 1:
            data ^= poly << (i - 32)
    return rev(data & M32, 32)


@pytest.mark.parametrize("sz", [0, 1, 2, 3])
@pytest.mark.parametrize("c", [0, 1])
def test_crc32(sz, c):
    size = 8 << sz
    w = word(decode_dp_2src, sf=int(sz == 3), opcode=0b010000 | c << 2 | sz, Rm=2, Rn=1, Rd=0)
    acc, val = 0x89ABCDEF, 0xFEDCBA9876543210 & ((1 << size) - 1)
    poly = 0x1EDC6F41 if c else 0x04C11DB7
    assert run(w, x1=acc | 0xFFFF << 32, x2=val | (M64 << size & M64)).get("x0") == \
        _crc_asl(acc, val, size, poly)


def test_crc32_standard_check_value():
    w = word(decode_dp_2src, sf=0, opcode=0b010000, Rm=2, Rn=0, Rd=0)    # crc32b w0, w0, w2
    assert text(w) == "crc32b w0, w0, w2"
    acc = M32
    for b in b"123456789":
        acc = run(w, x0=acc, x2=b).get("x0")
    assert acc ^ M32 == zlib.crc32(b"123456789") == 0xCBF43926


def test_dp_2src_unimplemented():
    with pytest.raises(Unimplemented):
        decode(_dp2(1, 0b001100))       # pacga
    with pytest.raises(Unimplemented):
        decode(_dp2(1, 0))              # subp


# -- data-processing (3 source) ---------------------------------------------------------------------
def _dp3(op31, o0, Ra=3, sf=1):
    return word(decode_dp_3src, sf=sf, op31=op31, o0=o0, Rm=2, Ra=Ra, Rn=1, Rd=0)


def test_madd_msub_mul_mneg():
    assert text(_dp3(0, 0)) == "madd x0, x1, x2, x3"
    assert run(_dp3(0, 0), x1=6, x2=7, x3=100).get("x0") == 142
    assert run(_dp3(0, 1), x1=6, x2=7, x3=100).get("x0") == 58
    assert text(_dp3(0, 0, Ra=31)) == "mul x0, x1, x2"
    assert run(_dp3(0, 0, Ra=31), x1=1 << 63, x2=3).get("x0") == 1 << 63
    assert text(_dp3(0, 1, Ra=31, sf=0)) == "mneg w0, w1, w2"
    assert run(_dp3(0, 1, Ra=31, sf=0), x1=0x10000, x2=0x10001).get("x0") == (-0x100010000) & M32


def test_widening_multiplies():
    assert text(_dp3(1, 0, Ra=31)) == "smull x0, w1, w2"
    assert run(_dp3(1, 0, Ra=31), x1=M64, x2=5).get("x0") == M64 - 4          # -1 * 5
    assert run(_dp3(5, 0, Ra=31), x1=M64, x2=5).get("x0") == 5 * M32          # uses W regs
    assert text(_dp3(5, 1)) == "umsubl x0, w1, w2, x3"
    assert run(_dp3(5, 1), x1=2, x2=3, x3=10).get("x0") == 4
    assert text(_dp3(1, 1, Ra=31)) == "smnegl x0, w1, w2"
    assert run(_dp3(1, 1, Ra=31), x1=0xFFFFFFFE, x2=3).get("x0") == 6         # -(-2*3)
    assert text(_dp3(5, 1, Ra=31)) == "umnegl x0, w1, w2"
    assert run(_dp3(1, 0), x1=0x80000000, x2=0x80000000, x3=1).get("x0") == (1 << 62) + 1


def test_smulh_umulh():
    assert text(_dp3(2, 0, Ra=31)) == "smulh x0, x1, x2"
    assert run(_dp3(2, 0, Ra=31), x1=M64, x2=M64).get("x0") == 0                # (-1)(-1) = 1
    assert run(_dp3(6, 0, Ra=31), x1=M64, x2=M64).get("x0") == M64 - 1          # (2^64-1)^2
    assert run(_dp3(2, 0, Ra=31), x1=1 << 63, x2=2).get("x0") == M64            # -2^64 >> 64
    with pytest.raises(Unallocated):
        decode(_dp3(1, 0, sf=0))


# -- flag manipulation (FEAT_FlagM) ------------------------------------------------------------------
def test_rmif_setf():
    from isa_specs.dpreg.flag_manip import decode_rmif, decode_setf
    w = word(decode_rmif, sf=1, op=0, S=1, imm6=4, Rn=1, mask=0b1001)
    assert text(w) == "rmif x1, 4, 9"
    assert run(w, x1=0x60, nzcv=0b0110).get("nzcv") == 0b0110            # bits 3:0 of 0x6 -> N=0, V=0
    assert run(w, x1=0xF0, nzcv=0b0110).get("nzcv") == 0b1111
    setf8 = word(decode_setf, S=1, sz=0, Rn=1, mask=0b1101)
    assert text(setf8) == "setf8 w1"
    assert run(setf8, x1=0x80, nzcv=0b0010).get("nzcv") == flags(1, 0, 1, 1)
    assert run(setf8, x1=0x100, nzcv=0).get("nzcv") == flags(0, 1, 0, 1)
    setf16 = word(decode_setf, S=1, sz=1, Rn=1, mask=0b1101)
    assert run(setf16, x1=0x18000, nzcv=0).get("nzcv") == flags(1, 0, 0, 0)
