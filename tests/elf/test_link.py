"""Linking: GOT-relative relocations with a synthesised GOT, several objects in one
image with symbols resolved across them, and whole archives that load."""
from __future__ import annotations

import struct
import subprocess

import pytest
from tooling import need_tool

from lnsym.backends.runner import run_routine
from lnsym.elf.image import load_image
from lnsym.elf.relocs import patch_relocation
from lnsym.errors import ElfError
from lnsym.machine.disasm import capstone_text

GOT_ASM = """
    .text
    .globl get
get:                                  // x0 = &ext_sym, x1 = &local_obj, x2 = local_obj[0]
    adrp x0, :got:ext_sym
    ldr  x0, [x0, :got_lo12:ext_sym]
    adrp x1, :got:local_obj
    ldr  x1, [x1, :got_lo12:local_obj]
    ldr  x2, [x1]
    adrp x3, :got:local_obj           // a second reference shares the entry
    ldr  x3, [x3, :got_lo12:local_obj]
    ret
    .data
    .balign 8
local_obj: .quad 0x1122334455667788
"""

CALLER_ASM = """
    .text
    .globl twice
twice:                                // x0 = helper(x0) + helper(helper(x0)) + shared_word
    stp x29, x30, [sp, #-32]!
    str x19, [sp, #16]
    bl  helper
    mov x19, x0
    bl  helper
    add x0, x0, x19
    adrp x1, :got:shared_word
    ldr  x1, [x1, :got_lo12:shared_word]
    ldr  x1, [x1]
    add x0, x0, x1
    ldr x19, [sp, #16]
    ldp x29, x30, [sp], #32
    ret
"""

CALLEE_ASM = """
    .text
    .globl helper
    .type helper, %function
helper:                               // x0 * 3
    add x0, x0, x0, lsl #1
    ret
    .data
    .globl shared_word
    .balign 8
shared_word: .quad 1000
"""


def _assemble(tmp_path, name, text):
    gas = need_tool("aarch64-linux-gnu-as")
    (tmp_path / f"{name}.s").write_text(text)
    subprocess.run([gas, "-o", str(tmp_path / f"{name}.o"), str(tmp_path / f"{name}.s")],
                   check=True)
    return tmp_path / f"{name}.o"


def test_got_relocations_load_addresses_through_a_synthesised_got(tmp_path):
    im = load_image(_assemble(tmp_path, "got", GOT_ASM))
    got = next(s for s in im.segments if s.name == "got")
    assert not got.writable and not got.executable and len(got.data) == 16
    entries = struct.unpack("<2Q", got.data)
    assert set(entries) == {im.externs["ext_sym"], im.symbol("local_obj").addr}
    get = im.symbol("get").addr
    assert capstone_text(int.from_bytes(im.read(get, 4), "little"), get) \
        == f"adrp x0, #{got.addr & ~0xfff:#x}"
    run = run_routine(im, "get")
    assert run.state.x[0] == im.externs["ext_sym"]
    assert run.state.x[1] == run.state.x[3] == im.symbol("local_obj").addr
    assert run.state.x[2] == 0x1122334455667788


def test_got_relocation_types_compute_from_the_entry():
    ldr = bytearray(struct.pack("<I", 0xf9400000))              # ldr x0, [x0]
    patch_relocation(ldr, 0, 0x10000, 312, 0, 0, "t.o", got=0x23458)
    assert capstone_text(int.from_bytes(ldr, "little"), 0x10000) == "ldr x0, [x0, #0x458]"
    ldr = bytearray(struct.pack("<I", 0xf9400000))
    patch_relocation(ldr, 0, 0x10000, 313, 0, 0, "t.o", got=0x23458 + 0x4000,
                     got_base=0x23000)                           # LD64_GOTPAGE_LO15
    assert capstone_text(int.from_bytes(ldr, "little"), 0x10000) == "ldr x0, [x0, #0x4458]"
    lit = bytearray(struct.pack("<I", 0x58000000))               # ldr x0, <literal>
    patch_relocation(lit, 0, 0x10000, 309, 0, 0, "t.o", got=0x10100)
    assert capstone_text(int.from_bytes(lit, "little"), 0x10000) == "ldr x0, #0x10100"
    with pytest.raises(ElfError, match="not 8-byte aligned"):
        patch_relocation(ldr, 0, 0x10000, 312, 0, 0, "t.o", got=0x23454)


def test_two_objects_link_into_one_image(tmp_path):
    a = _assemble(tmp_path, "caller", CALLER_ASM)
    b = _assemble(tmp_path, "callee", CALLEE_ASM)
    im = load_image([a, b])
    assert not im.externs                                      # everything resolved
    names = {s.name for s in im.segments}
    assert {"caller.o:.text", "callee.o:.text", "callee.o:.data", "got"} <= names
    assert im.symbol("helper").section == "callee.o:.text"
    assert im.symbol("helper").kind == "func"
    run = run_routine(im, "twice", {"x0": 7})
    assert run.state.x[0] == 21 + 63 + 1000
    alone = load_image(a)                                      # unresolved without b
    assert set(alone.externs) == {"helper", "shared_word"}


def test_link_errors_are_one_sentence(tmp_path):
    b = _assemble(tmp_path, "callee", CALLEE_ASM)
    (tmp_path / "dup").mkdir()
    b2 = _assemble(tmp_path / "dup", "callee", CALLEE_ASM)
    with pytest.raises(ElfError, match="'helper' is defined in both"):
        load_image([b, b2])
    exe = tmp_path / "x.elf"
    subprocess.run([need_tool("aarch64-linux-gnu-ld"), "-o", str(exe), "-e", "helper",
                    str(b)], check=True)
    with pytest.raises(ElfError, match="only objects .* can be linked together"):
        load_image([b, exe])


def test_same_short_name_objects_stay_distinct(tmp_path):
    a = _assemble(tmp_path, "caller", CALLER_ASM)
    (tmp_path / "other").mkdir()
    b = _assemble(tmp_path / "other", "caller", CALLEE_ASM)   # same file name, other code
    im = load_image([a, b])
    assert len({s.name for s in im.segments}) == len(im.segments)
    assert run_routine(im, "twice", {"x0": 1}).state.x[0] == 3 + 9 + 1000


def test_run_calls_chains_routines_on_one_memory(tmp_path):
    from lnsym.backends.runner import run_calls
    im = load_image([_assemble(tmp_path, "caller", CALLER_ASM),
                     _assemble(tmp_path, "callee", CALLEE_ASM)])
    run = run_calls(im, [("helper", {"x0": 5}), ("helper", {}), ("twice", {"x1": 0})])
    assert run.state.x[0] == 45 * 3 + 45 * 9 + 1000          # twice(helper(helper(5)))
    with pytest.raises(Exception, match="at least one"):
        run_calls(im, [])
