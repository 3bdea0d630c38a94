"""ELF loading: layout, relocations (checked against GNU ld), symbols, bad input."""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys

import pytest
from tooling import need_tool

from lnsym.elf.image import PAGE, REL_BASE, load_image, patch_relocation
from lnsym.errors import ElfError, SymbolNotFound, UserError
from lnsym.machine.disasm import capstone_text
from lnsym.machine.memory import Memory

SHA256 = "libcrypto-lib-sha256-armv8.o"

# One instruction or datum per AArch64 relocation type lnsym applies.
RELOC_ASM = """
    .text
    .globl f
    .type f, %function
f:
    adrp x0, ext_sym                      // ADR_PREL_PG_HI21
    add x0, x0, :lo12:ext_sym             // ADD_ABS_LO12_NC
    adrp x1, :pg_hi21_nc:data_obj         // ADR_PREL_PG_HI21_NC
    ldrb w2, [x1, :lo12:data_obj]         // LDST8_ABS_LO12_NC
    ldrh w2, [x1, :lo12:data_obj]         // LDST16_ABS_LO12_NC
    ldr w2, [x1, :lo12:data_obj]          // LDST32_ABS_LO12_NC
    ldr x2, [x1, :lo12:data_obj]          // LDST64_ABS_LO12_NC
    ldr q2, [x1, :lo12:data_obj]          // LDST128_ABS_LO12_NC
    bl ext_func                           // CALL26
    b ext_func                            // JUMP26
    b.eq ext_func                         // CONDBR19
    tbz x0, #3, ext_func                  // TSTBR14
    adr x3, data_obj                      // ADR_PREL_LO21
    ret
    .size f, .-f
label0:                                   // a size-0 local label: extent up to 'g'
    nop
    nop
    .globl g
    .type g, %function
g:  ret
    .size g, .-g

    .data
    .balign 16
    .globl data_obj
data_obj:
    .quad 0x1122334455667788, 0
    .quad ext_sym + 8                     // ABS64
    .word ext_sym                         // ABS32
    .word f - .                           // PREL32
    .xword ext_sym - .                    // PREL64
    .bss
    .balign 64
buf: .zero 100
"""


@pytest.fixture(scope="module")
def reloc_obj(tmp_path_factory):
    gas = need_tool("aarch64-linux-gnu-as")
    d = tmp_path_factory.mktemp("reloc")
    (d / "r.s").write_text(RELOC_ASM)
    subprocess.run([gas, "-o", str(d / "r.o"), str(d / "r.s")], check=True)
    return d / "r.o"


def test_relocatable_layout_and_symbols(reloc_obj):
    im = load_image(reloc_obj)
    text = next(s for s in im.segments if s.name == ".text")
    data = next(s for s in im.segments if s.name == ".data")
    bss = next(s for s in im.segments if s.name == ".bss")
    assert text.addr == REL_BASE and text.executable and not text.writable
    assert data.addr % 16 == 0 and data.addr >= text.end and data.writable
    assert bss.addr % 64 == 0 and bss.data == bytes(100)
    assert set(im.externs) == {"ext_sym", "ext_func"}
    for a in im.externs.values():
        assert a % PAGE == 0 and im.segment_at(a).name == "extern"
        assert im.symbol("ext_sym").kind == "extern"
    f = im.symbol("f")
    assert (f.kind, f.binding, f.section, f.size) == ("func", "global", ".text", 14 * 4)
    assert im.symbol("buf").binding == "local"
    # size-0 local label: extent inferred up to the next symbol
    addr, code = im.code("label0")
    assert addr == f.addr + 56 and code == bytes.fromhex("1f2003d5") * 2
    assert [s.name for s in im.functions()] == ["f", "g"]
    assert im.entry is None


def test_relocations_match_gnu_ld(reloc_obj, tmp_path):
    """Link the object with GNU ld at the same addresses; the bytes must agree."""
    ld = need_tool("aarch64-linux-gnu-ld")
    im = load_image(reloc_obj)
    seg = {s.name: s for s in im.segments}
    out = tmp_path / "r.elf"
    subprocess.run([ld, "-o", str(out), "-e", "f", "--no-relax", "-z", "norelro",
                    f"--section-start=.text={seg['.text'].addr:#x}",
                    f"--section-start=.data={seg['.data'].addr:#x}",
                    f"--section-start=.bss={seg['.bss'].addr:#x}",
                    *[f"--defsym={n}={a:#x}" for n, a in im.externs.items()],
                    str(reloc_obj)], check=True)
    linked = load_image(out)
    for name in (".text", ".data"):
        assert linked.read(seg[name].addr, len(seg[name].data)) == seg[name].data, name
    assert linked.entry == im.symbol("f").addr and linked.symbol("g").addr == im.symbol("g").addr


def test_relocated_words_disassemble_to_targets(reloc_obj):
    im = load_image(reloc_obj)
    f, ext, fn = im.symbol("f").addr, im.externs["ext_sym"], im.externs["ext_func"]
    obj = im.symbol("data_obj").addr

    def text(i):
        (w,) = struct.unpack("<I", im.read(f + 4 * i, 4))
        return capstone_text(w, f + 4 * i)

    assert text(0) == f"adrp x0, #{ext & ~0xfff:#x}"
    assert text(1) == f"add x0, x0, #{ext & 0xfff:#x}" or (ext & 0xfff == 0)
    assert text(2) == f"adrp x1, #{obj & ~0xfff:#x}"
    assert text(6) == f"ldr x2, [x1, #{obj & 0xfff:#x}]"
    assert text(8) == f"bl #{fn:#x}" and text(9) == f"b #{fn:#x}"
    assert text(10) == f"b.eq #{fn:#x}" and text(11) == f"tbz w0, #3, #{fn:#x}"
    assert text(12) == f"adr x3, #{obj:#x}"
    abs64, abs32, prel32, prel64 = struct.unpack("<QIiq", im.read(obj + 16, 24))
    assert abs64 == ext + 8 and abs32 == ext
    assert prel32 == f - (obj + 28) and prel64 == ext - (obj + 32)


def test_patch_relocation_checks():
    buf = bytearray(struct.pack("<I", 0x54000000))         # b.eq .
    with pytest.raises(ElfError, match="R_AARCH64_CONDBR19 .* overflows"):
        patch_relocation(buf, 0, 0x10000, 280, 0x10000 + (1 << 20), 0, "t.o")
    patch_relocation(buf, 0, 0x10000, 280, 0x10000 + (1 << 20) - 4, 0, "t.o")
    assert capstone_text(int.from_bytes(buf, "little"), 0x10000) == "b.eq #0x10fffc"
    buf = bytearray(struct.pack("<I", 0xf9400000))          # ldr x0, [x0]
    with pytest.raises(ElfError, match="not 8-byte aligned"):
        patch_relocation(buf, 0, 0, 286, 0x1004, 0, "t.o")
    with pytest.raises(ElfError, match="R_AARCH64_ADR_GOT_PAGE .* needs a GOT entry"):
        patch_relocation(buf, 0, 0, 311, 0x1000, 0, "t.o")
    buf = bytearray(4)
    with pytest.raises(ElfError, match="R_AARCH64_ABS32 .* overflows"):
        patch_relocation(buf, 0, 0, 258, 1 << 32, 0, "t.o")


def test_unknown_relocation_in_object(tmp_path):
    gas = need_tool("aarch64-linux-gnu-as")
    (tmp_path / "g.s").write_text("movz x0, #:tprel_g1:sym\n")
    subprocess.run([gas, "-o", str(tmp_path / "g.o"), str(tmp_path / "g.s")], check=True)
    with pytest.raises(ElfError, match="R_AARCH64_TLSLE_MOVW_TPREL_G1.* does not implement"):
        load_image(tmp_path / "g.o")


def test_openssl_sha256_member(openssl_lib):
    im = load_image(f"{openssl_lib}:{SHA256}")
    armcap = im.externs["OPENSSL_armcap_P"]
    assert armcap % PAGE == 0 and im.symbol("OPENSSL_armcap_P").kind == "extern"
    entry = im.symbol("sha256_block_data_order")
    assert (entry.addr, entry.size, entry.binding) == (REL_BASE, 3652, "global")
    words = struct.unpack("<4I", im.read(REL_BASE, 16))
    # objdump -dr: 0: adrp x16, OPENSSL_armcap_P (ADR_PREL_PG_HI21);
    #              4: ldr w16, [x16] (LDST32_ABS_LO12_NC); c: b.ne sha256_block_armv8
    assert capstone_text(words[0], REL_BASE) == f"adrp x16, #{armcap & ~0xfff:#x}"
    assert capstone_text(words[1], REL_BASE + 4) == f"ldr w16, [x16, #{armcap & 0xfff:#x}]" \
        or (armcap & 0xfff == 0 and capstone_text(words[1]) == "ldr w16, [x16]")
    armv8 = im.symbol("sha256_block_armv8")
    assert capstone_text(words[3], REL_BASE + 12) == f"b.ne #{armv8.addr:#x}"
    addr, code = im.code("sha256_block_armv8")
    assert addr == REL_BASE + 0x1000 and len(code) == 492
    assert code[:4] == bytes.fromhex("fd7bbfa9")            # stp x29, x30, [sp, #-16]!
    assert im.is_data(REL_BASE + 0xe80) and not im.is_data(addr)
    mem = Memory()
    im.load_into(mem)
    assert mem.read_bytes(addr, 492) == code
    mem.write(armcap, 4, 0x10)                                # externs are writable storage
    assert mem.read(armcap, 4) == 0x10


def test_objdump_agrees_on_unrelocated_words(openssl_lib, tmp_path):
    """Every word objdump shows without a relocation is loaded unchanged."""
    objdump = need_tool("aarch64-linux-gnu-objdump")
    im = load_image(f"{openssl_lib}:{SHA256}")
    from lnsym.elf.archive import open_archive
    obj = tmp_path / SHA256
    obj.write_bytes(open_archive(openssl_lib).member(SHA256).data)
    out = subprocess.run([objdump, "-dr", str(obj)], check=True, capture_output=True,
                         text=True).stdout
    relocated = {int(ln.split(":")[0], 16) for ln in out.splitlines() if "R_AARCH64" in ln}
    checked = 0
    for ln in out.splitlines():
        parts = ln.split("\t")
        if len(parts) >= 2 and parts[0].strip().endswith(":") and len(parts[1].strip()) == 8:
            off = int(parts[0].strip()[:-1], 16)
            if off not in relocated:
                assert im.read(REL_BASE + off, 4) == int(parts[1], 16).to_bytes(4, "little")
                checked += 1
    assert checked > 1900


# -- bad input ---------------------------------------------------------------------------

@pytest.fixture
def good_obj(reloc_obj):
    return reloc_obj.read_bytes()


@pytest.mark.parametrize("cut", [20, 63, 100, 700, -40])
def test_truncated(tmp_path, good_obj, cut):
    p = tmp_path / "t.o"
    p.write_bytes(good_obj[:cut])
    with pytest.raises(ElfError, match="truncated"):
        load_image(p)


def test_corrupted_header(tmp_path, good_obj):
    bad = bytearray(good_obj)
    bad[0x28:0x30] = struct.pack("<Q", 0x7fff_ffff_0000)   # e_shoff far outside the file
    (tmp_path / "c.o").write_bytes(bad)
    with pytest.raises(ElfError, match="truncated or corrupted"):
        load_image(tmp_path / "c.o")


def test_not_elf(tmp_path):
    (tmp_path / "n.o").write_text("hello, not an object\n")
    with pytest.raises(ElfError, match="is not an ELF file"):
        load_image(tmp_path / "n.o")


def test_x86_elf():
    exe = os.path.realpath(shutil.which("ls") or sys.executable)
    with pytest.raises(ElfError, match="not AArch64"):
        load_image(exe)


def test_missing_file_member_symbol(tmp_path, reloc_obj):
    with pytest.raises(UserError, match="cannot read"):
        load_image(tmp_path / "nope.o")
    ar = need_tool("aarch64-linux-gnu-ar")
    lib = tmp_path / "libx.a"
    subprocess.run([ar, "rc", str(lib), str(reloc_obj)], check=True)
    assert load_image(f"{lib}:r.o").symbol("f").size == 56
    with pytest.raises(UserError, match=r"no member 'q\.o'.*close names: r\.o"):
        load_image(f"{lib}:q.o")
    with pytest.raises(UserError, match="is an archive"):
        load_image(lib)
    with pytest.raises(SymbolNotFound, match="no symbol 'data_ob'.*data_obj"):
        load_image(reloc_obj).symbol("data_ob")


def test_executable_segments(tmp_path):
    gcc = need_tool("aarch64-linux-gnu-gcc")
    (tmp_path / "s.s").write_text(".globl _start\n_start: mov x0, #1\n adr x1, msg\n ret\n"
                                  ".data\nmsg: .quad _start\n")
    exe = tmp_path / "s"
    subprocess.run([gcc, "-static", "-nostdlib", "-o", str(exe), str(tmp_path / "s.s")],
                   check=True)
    im = load_image(exe)
    start = im.symbol("_start")
    assert im.entry == start.addr and im.segment_at(start.addr).executable
    assert im.read(start.addr, 4) == bytes.fromhex("200080d2")     # mov x0, #1
    assert struct.unpack("<Q", im.read(im.symbol("msg").addr, 8))[0] == start.addr
    assert im.externs == {}


def test_shared_object_dynamic_relocations(tmp_path):
    gcc = need_tool("aarch64-linux-gnu-gcc")
    (tmp_path / "s.s").write_text(".globl fn\n.type fn,%function\nfn: ret\n.size fn,.-fn\n"
                                  ".data\nlptr: .quad fn\n.quad extf\n")
    so = tmp_path / "s.so"
    subprocess.run([gcc, "-shared", "-nostdlib", "-fPIC", "-o", str(so), str(tmp_path / "s.s")],
                   check=True)
    im = load_image(so)
    data = next(s for s in im.segments if s.writable and s.name != "extern")
    fn_ptr, ext_ptr = struct.unpack("<2Q", data.data[-16:])      # R_AARCH64_ABS64 each
    assert fn_ptr == im.symbol("fn").addr and ext_ptr == im.externs["extf"]
