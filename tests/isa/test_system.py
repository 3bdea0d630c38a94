"""Known-answer tests for the system instructions: the HINT space and barriers have no
architectural effect in this model (every register and memory byte unchanged, PC + 4),
MRS/MSR move NZCV to/from bits 31:28, and everything outside the model is rejected
with a reason (exception generating, other system registers, SYS, MSR immediate).
``WORDS`` (at the end) holds the GNU assembler's word for each source text.
"""
import pytest

from isa_specs.errors import Unallocated, Unimplemented
from lnsym.backends.snippet import CODE_BASE, run_words
from lnsym.machine.decoder import decode
from lnsym.machine.disasm import normalise
from lnsym.machine.memory import Memory

BUF = 0x10000
REGS = {**{f"x{i}": (0x0101010101010101 * (i + 1)) & ((1 << 64) - 1) for i in range(31)},
        "sp": BUF + 0x800, "nzcv": 0b1010,
        **{f"v{i}": (0x0123456789ABCDEF * (i + 3)) << 64 | i for i in range(32)}}


def w(text: str) -> int:
    word = WORDS[text]
    assert normalise(decode(word, CODE_BASE).disasm(CODE_BASE)) == normalise(text)
    return word


def run_one(word: int, regs=REGS):
    mem = Memory()
    mem.load(BUF, bytes(range(256)) * 16)
    st, mem = run_words([word], regs=regs, memory=mem, pauth="off")
    return st, mem


def assert_no_effect(word: int):
    st, mem = run_one(word)
    expected = dict(REGS, pc=CODE_BASE + 4)
    assert st.as_dict() == expected
    assert mem.read_bytes(BUF, 0x1000) == bytes(range(256)) * 16


@pytest.mark.parametrize("imm", range(128))
def test_every_hint_has_no_effect(imm):
    word = 0xD503201F | imm << 5            # HINT #imm: CRm:op2 = imm (Arm ARM C6.2 HINT)
    assert_no_effect(word)


NAMED_HINTS = ("nop", "yield", "wfe", "wfi", "sev", "sevl", "esb", "psb csync", "csdb",
               "bti", "bti c", "bti j", "bti jc", "paciasp", "autiasp", "pacibsp", "autibsp",
               "paciaz", "autiaz", "xpaclri", "pacia1716", "autia1716", "pacib1716",
               "autib1716")


@pytest.mark.parametrize("text", NAMED_HINTS)
def test_named_hints_disassemble_and_do_nothing(text):
    # PAC hints with pointer authentication disabled (run_one: pauth="off") leave
    # X17/X30/SP unchanged; with it enabled: tests/machine_model/test_pauth.py
    assert_no_effect(w(text))


BARRIERS = ("dmb ish", "dmb ishld", "dsb sy", "dsb ish", "isb", "clrex", "sb", "ssbb",
            "pssbb", "dmb oshst")


@pytest.mark.parametrize("text", BARRIERS)
def test_barriers_have_no_effect(text):
    assert_no_effect(w(text))


@pytest.mark.parametrize("x1,nzcv", [(0xA000_0000, 0b1010), (0xFFFF_FFFF_0FFF_FFFF, 0),
                                     (0x0000_0000_F000_0000, 0b1111),
                                     (0x1234_5678_5000_0000, 0b0101)])
def test_msr_nzcv_takes_bits_31_28(x1, nzcv):
    st, _ = run_one(w("msr nzcv, x1"), {"x1": x1, "nzcv": 0b0110})
    assert st.get("nzcv") == nzcv and st.get("x1") == x1


@pytest.mark.parametrize("nzcv", range(16))
def test_mrs_nzcv(nzcv):
    st, _ = run_one(w("mrs x2, nzcv"), {"x2": (1 << 64) - 1, "nzcv": nzcv})
    assert st.get("x2") == nzcv << 28 and st.get("nzcv") == nzcv


@pytest.mark.parametrize("text,reason", [
    ("svc #0", "exception generating"), ("brk #0x3e8", "exception generating"),
    ("hlt #0", "exception generating"), ("hvc #1", "exception generating"),
    ("mrs x0, fpcr", "FPCR"), ("msr fpsr, x0", "FPSR"), ("mrs x0, tpidr_el0", "TPIDR_EL0"),
    ("mrs x0, cntvct_el0", "not modelled"), ("msr daifset, #2", "MSR (immediate)"),
    ("dc zva, x0", "SYS"), ("ic ivau, x1", "SYS"),
])
def test_outside_the_model_is_unimplemented_with_reason(text, reason):
    with pytest.raises(Unimplemented, match=reason.replace("(", r"\(").replace(")", r"\)")):
        decode(WORDS[text])


def test_unallocated_exception_encoding():
    with pytest.raises(Unallocated):
        decode(0xD4000000)                   # opc == 000, LL == 00: unallocated


# GNU as output for each source text (aarch64-linux-gnu-as -march=armv8.5-a+lse+rcpc)
WORDS = {
    "autia1716": 0xd503219f,
    "autiasp": 0xd50323bf,
    "autiaz": 0xd503239f,
    "autib1716": 0xd50321df,
    "autibsp": 0xd50323ff,
    "brk #0x3e8": 0xd4207d00,
    "bti": 0xd503241f,
    "bti c": 0xd503245f,
    "bti j": 0xd503249f,
    "bti jc": 0xd50324df,
    "clrex": 0xd5033f5f,
    "csdb": 0xd503229f,
    "dc zva, x0": 0xd50b7420,
    "dmb ish": 0xd5033bbf,
    "dmb ishld": 0xd50339bf,
    "dmb oshst": 0xd50332bf,
    "dsb ish": 0xd5033b9f,
    "dsb sy": 0xd5033f9f,
    "esb": 0xd503221f,
    "hlt #0": 0xd4400000,
    "hvc #1": 0xd4000022,
    "ic ivau, x1": 0xd50b7521,
    "isb": 0xd5033fdf,
    "mrs x0, cntvct_el0": 0xd53be040,
    "mrs x0, fpcr": 0xd53b4400,
    "mrs x0, tpidr_el0": 0xd53bd040,
    "mrs x2, nzcv": 0xd53b4202,
    "msr daifset, #2": 0xd50342df,
    "msr fpsr, x0": 0xd51b4420,
    "msr nzcv, x1": 0xd51b4201,
    "nop": 0xd503201f,
    "pacia1716": 0xd503211f,
    "paciasp": 0xd503233f,
    "paciaz": 0xd503231f,
    "pacib1716": 0xd503215f,
    "pacibsp": 0xd503237f,
    "psb csync": 0xd503223f,
    "pssbb": 0xd503349f,
    "sb": 0xd50330ff,
    "sev": 0xd503209f,
    "sevl": 0xd50320bf,
    "ssbb": 0xd503309f,
    "svc #0": 0xd4000001,
    "wfe": 0xd503205f,
    "wfi": 0xd503207f,
    "xpaclri": 0xd50320ff,
    "yield": 0xd503203f,
}

# capstone's text where it differs from the source (PC-relative targets at CODE_BASE ...)
TEXT_AS_PRINTED = {
}
