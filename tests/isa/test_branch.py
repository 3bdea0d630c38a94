"""Known-answer tests for the branches (B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR, BLR,
RET), run through lnsym.snippet.run_words from CODE_BASE.

Each snippet's observable result is which ``add`` instructions ran and the link
register; B.cond is checked for all 16 conditions against all 16 NZCV values with
the condition table of the Arm ARM (C1.2.4) written out independently below.
``WORDS`` (at the end) holds the GNU assembler's word for each source text.
"""
import pytest

from isa_specs.errors import DecodeError, Unimplemented
from lnsym.backends.snippet import CODE_BASE, run_words
from lnsym.machine.decoder import decode
from lnsym.machine.disasm import normalise

M64 = (1 << 64) - 1


def w(text: str) -> int:
    word = WORDS[text]
    canon = TEXT_AS_PRINTED.get(text, text)
    assert normalise(decode(word, CODE_BASE).disasm(CODE_BASE)) == normalise(canon)
    return word


def run(texts, regs=None):
    return run_words([w(t) for t in texts], regs=regs)[0]


SKIP2 = ["add x0, x0, #1", "add x1, x1, #1"]     # the branch at CODE_BASE jumps over x0's add


def test_b_forward():
    st = run(["b .+8"] + SKIP2)
    assert (st.get("x0"), st.get("x1")) == (0, 1)


def test_b_backward_loop():
    st = run(["add x0, x0, #1", "subs x1, x1, #1", "b.ne .-8"], {"x1": 5})
    assert st.get("x0") == 5 and st.get("x1") == 0


def test_bl_links_return_address():
    st = run(["bl .+8"] + SKIP2)
    assert st.get("x30") == CODE_BASE + 4 and (st.get("x0"), st.get("x1")) == (0, 1)


def test_branch_leaving_snippet_sets_pc():
    st = run(["b .+0x100"])
    assert st.pc == CODE_BASE + 0x100
    st = run(["bl .-0x1000"])
    assert st.pc == CODE_BASE - 0x1000 and st.get("x30") == CODE_BASE + 4


def _holds(cond: str, nzcv: int) -> bool:
    n, z, c, v = (nzcv >> 3) & 1, (nzcv >> 2) & 1, (nzcv >> 1) & 1, nzcv & 1
    return {"eq": z == 1, "ne": z == 0, "hs": c == 1, "lo": c == 0, "mi": n == 1,
            "pl": n == 0, "vs": v == 1, "vc": v == 0, "hi": c == 1 and z == 0,
            "ls": not (c == 1 and z == 0), "ge": n == v, "lt": n != v,
            "gt": z == 0 and n == v, "le": not (z == 0 and n == v), "al": True,
            "nv": True}[cond]


COND_BRANCHES = ("b.eq .+8", "b.ne .+8", "b.hs .+8", "b.lo .+8", "b.mi .+8", "b.pl .+8",
                 "b.vs .+8", "b.vc .+8", "b.hi .+8", "b.ls .+8", "b.ge .+8", "b.lt .+8",
                 "b.gt .+8", "b.le .+8", "b.al .+8", "b.nv .+8")


@pytest.mark.parametrize("text", COND_BRANCHES)
def test_b_cond_all_flags(text):
    cond = text[2:4]
    for nzcv in range(16):
        st = run([text] + SKIP2, {"nzcv": nzcv})
        assert st.get("x0") == (0 if _holds(cond, nzcv) else 1), (cond, nzcv)
        assert st.get("x1") == 1 and st.get("nzcv") == nzcv


BACKWARD = ["b .+12", "add x0, x0, #1", "b .+8"]    # then a branch back to the add


def test_b_cond_backward_target():
    assert run(BACKWARD + ["b.eq .-8"], {"nzcv": 0b0100}).get("x0") == 1
    assert run(BACKWARD + ["b.eq .-8"], {"nzcv": 0b1011}).get("x0") == 0


@pytest.mark.parametrize("text,regs,taken", [
    ("cbz x1, .+8", {"x1": 0}, True),
    ("cbz x1, .+8", {"x1": 1 << 63}, False),
    ("cbz w1, .+8", {"x1": 1 << 32}, True),          # only W1 is tested
    ("cbnz w1, .+8", {"x1": 1 << 32}, False),
    ("cbnz x1, .+8", {"x1": 1 << 32}, True),
    ("tbz x1, #63, .+8", {"x1": M64 >> 1}, True),
    ("tbz x1, #63, .+8", {"x1": 1 << 63}, False),
    ("tbnz x1, #63, .+8", {"x1": 1 << 63}, True),
    ("tbnz w1, #3, .+8", {"x1": 8}, True),
    ("tbnz w1, #3, .+8", {"x1": M64 ^ 8}, False),
    ("tbz w1, #0, .+8", {"x1": 2}, True),
    ("tbnz x1, #32, .+8", {"x1": 1 << 32}, True),
])
def test_compare_and_test_branches(text, regs, taken):
    st = run([text] + SKIP2, regs)
    assert st.get("x0") == (0 if taken else 1) and st.get("x1") == regs["x1"] + 1


def test_cbnz_backward_loop():
    st = run(["add x0, x0, #1", "sub x2, x2, #1", "cbnz x2, .-8"], {"x2": 3})
    assert st.get("x0") == 3


def test_tbz_backward():
    assert run(BACKWARD + ["tbz x3, #5, .-8"], {"x3": M64 ^ 32}).get("x0") == 1
    assert run(BACKWARD + ["tbz x3, #5, .-8"], {"x3": 32}).get("x0") == 0


def test_br_blr_ret():
    st = run(["br x5"] + SKIP2, {"x5": CODE_BASE + 8})
    assert (st.get("x0"), st.get("x1")) == (0, 1) and st.get("x30") == 0
    st = run(["blr x5"] + SKIP2, {"x5": CODE_BASE + 8})
    assert st.get("x30") == CODE_BASE + 4 and st.get("x0") == 0
    st = run(["ret"] + SKIP2, {"x30": CODE_BASE + 8})
    assert st.get("x0") == 0 and st.get("x1") == 1
    st = run(["ret x1"] + SKIP2, {"x1": CODE_BASE + 8, "x30": CODE_BASE + 4})
    assert st.get("x0") == 0


def test_blr_x30_reads_target_before_linking():
    st = run(["blr x30"] + SKIP2, {"x30": CODE_BASE + 8})
    assert st.get("x0") == 0 and st.get("x30") == CODE_BASE + 4


def test_ret_to_outside():
    st = run(["ret"], {"x30": 0x1234560})
    assert st.pc == 0x1234560


def test_exception_return_unimplemented():
    with pytest.raises(Unimplemented):
        decode(WORDS["eret"])


@pytest.mark.parametrize("text", ["retaa", "retab", "braa x1, x2", "blraaz x3"])
def test_pointer_auth_branches_decode(text):
    # semantics: tests/machine_model/test_pauth.py
    assert decode(WORDS[text]).disasm() == text


@pytest.mark.parametrize("pc", [0, 0x10000, 0xFFFFFFFFFFFFF000])
def test_target_disassembly_is_absolute(pc):
    from lnsym.machine.disasm import capstone_text
    for text in ("b .+8", "bl .-0x1000", "b.lo .+0x40", "cbz w1, .+8", "tbnz w1, #3, .-8"):
        word = WORDS[text]
        if pc == 0xFFFFFFFFFFFFF000 and text.startswith("bl ."):
            continue
        assert normalise(decode(word, pc).disasm(pc)) == normalise(capstone_text(word, pc))


def test_bc_cond_not_decoded_as_b_cond():
    with pytest.raises(DecodeError):
        decode(0x54000050)              # BC.EQ (FEAT_HBC, o0 == 1)


# GNU as output for each source text (aarch64-linux-gnu-as -march=armv8.5-a+lse+rcpc)
WORDS = {
    "add x0, x0, #1": 0x91000400,
    "add x1, x1, #1": 0x91000421,
    "b .+0x100": 0x14000040,
    "b .+12": 0x14000003,
    "b .+8": 0x14000002,
    "b.al .+8": 0x5400004e,
    "b.eq .+8": 0x54000040,
    "b.eq .-8": 0x54ffffc0,
    "b.ge .+8": 0x5400004a,
    "b.gt .+8": 0x5400004c,
    "b.hi .+8": 0x54000048,
    "b.hs .+8": 0x54000042,
    "b.le .+8": 0x5400004d,
    "b.lo .+0x40": 0x54000203,
    "b.lo .+8": 0x54000043,
    "b.ls .+8": 0x54000049,
    "b.lt .+8": 0x5400004b,
    "b.mi .+8": 0x54000044,
    "b.ne .+8": 0x54000041,
    "b.ne .-8": 0x54ffffc1,
    "b.nv .+8": 0x5400004f,
    "b.pl .+8": 0x54000045,
    "b.vc .+8": 0x54000047,
    "b.vs .+8": 0x54000046,
    "bl .": 0x94000000,
    "bl .+8": 0x94000002,
    "bl .-0x1000": 0x97fffc00,
    "blr x30": 0xd63f03c0,
    "blr x5": 0xd63f00a0,
    "blraaz x3": 0xd63f087f,
    "br x5": 0xd61f00a0,
    "braa x1, x2": 0xd71f0822,
    "cbnz w1, .+8": 0x35000041,
    "cbnz x1, .+8": 0xb5000041,
    "cbnz x2, .-8": 0xb5ffffc2,
    "cbz w1, .+8": 0x34000041,
    "cbz x1, .+8": 0xb4000041,
    "eret": 0xd69f03e0,
    "ret": 0xd65f03c0,
    "ret x1": 0xd65f0020,
    "retaa": 0xd65f0bff,
    "retab": 0xd65f0fff,
    "sub x2, x2, #1": 0xd1000442,
    "subs x1, x1, #1": 0xf1000421,
    "tbnz w1, #3, .+8": 0x37180041,
    "tbnz w1, #3, .-8": 0x371fffc1,
    "tbnz x1, #32, .+8": 0xb7000041,
    "tbnz x1, #63, .+8": 0xb7f80041,
    "tbz w1, #0, .+8": 0x36000041,
    "tbz x1, #63, .+8": 0xb6f80041,
    "tbz x3, #5, .-8": 0x362fffc3,
}

# capstone's text where it differs from the source (PC-relative targets at CODE_BASE ...)
TEXT_AS_PRINTED = {
    "b .+0x100": "b #0x400100",
    "b .+12": "b #0x40000c",
    "b .+8": "b #0x400008",
    "b.al .+8": "b.al #0x400008",
    "b.eq .+8": "b.eq #0x400008",
    "b.eq .-8": "b.eq #0x3ffff8",
    "b.ge .+8": "b.ge #0x400008",
    "b.gt .+8": "b.gt #0x400008",
    "b.hi .+8": "b.hi #0x400008",
    "b.hs .+8": "b.hs #0x400008",
    "b.le .+8": "b.le #0x400008",
    "b.lo .+0x40": "b.lo #0x400040",
    "b.lo .+8": "b.lo #0x400008",
    "b.ls .+8": "b.ls #0x400008",
    "b.lt .+8": "b.lt #0x400008",
    "b.mi .+8": "b.mi #0x400008",
    "b.ne .+8": "b.ne #0x400008",
    "b.ne .-8": "b.ne #0x3ffff8",
    "b.nv .+8": "b.nv #0x400008",
    "b.pl .+8": "b.pl #0x400008",
    "b.vc .+8": "b.vc #0x400008",
    "b.vs .+8": "b.vs #0x400008",
    "bl .": "bl #0x400000",
    "bl .+8": "bl #0x400008",
    "bl .-0x1000": "bl #0x3ff000",
    "cbnz w1, .+8": "cbnz w1, #0x400008",
    "cbnz x1, .+8": "cbnz x1, #0x400008",
    "cbnz x2, .-8": "cbnz x2, #0x3ffff8",
    "cbz w1, .+8": "cbz w1, #0x400008",
    "cbz x1, .+8": "cbz x1, #0x400008",
    "tbnz w1, #3, .+8": "tbnz w1, #3, #0x400008",
    "tbnz w1, #3, .-8": "tbnz w1, #3, #0x3ffff8",
    "tbnz x1, #32, .+8": "tbnz x1, #0x20, #0x400008",
    "tbnz x1, #63, .+8": "tbnz x1, #0x3f, #0x400008",
    "tbz w1, #0, .+8": "tbz w1, #0, #0x400008",
    "tbz x1, #63, .+8": "tbz x1, #0x3f, #0x400008",
    "tbz x3, #5, .-8": "tbz w3, #5, #0x3ffff8",
}
