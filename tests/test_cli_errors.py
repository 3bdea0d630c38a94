"""Bad input to ``lnsym run``: one clear sentence on stderr, no traceback, non-zero exit."""
from __future__ import annotations

import subprocess

import pytest
from tooling import need_tool

from lnsym.cli.main import main as lnsym_main

ASM = """
    .text
    .globl fp
    .type fp, %function
fp: fadd d0, d1, d2              // floating point: not modelled by lnsym
    ret
    .size fp, .-fp
    .globl jump
    .type jump, %function
jump: br x0
    .size jump, .-jump
    .globl spin
    .type spin, %function
spin: add x1, x1, #1
    b spin
    .size spin, .-spin
    .globl ok
    .type ok, %function
ok: add x0, x0, #1
    ret
    .size ok, .-ok
"""


@pytest.fixture(scope="module")
def obj(tmp_path_factory):
    as_ = need_tool("aarch64-linux-gnu-as")
    d = tmp_path_factory.mktemp("cli_errors")
    (d / "t.s").write_text(ASM)
    subprocess.run([as_, str(d / "t.s"), "-o", str(d / "t.o")], check=True)
    return d / "t.o"


def fails(capsys, argv, code=None, *words) -> str:
    """Run the CLI; check the exit status and that stderr is one sentence naming ``words``."""
    rc = lnsym_main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert rc != 0
    if code is not None:
        assert rc == code, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    msg = lines[0]
    assert msg.startswith("lnsym: ") and len(msg) < 300
    for w in words:
        assert w in msg, msg
    return msg


def test_the_fixture_object_runs(obj, capsys):
    assert lnsym_main(["run", str(obj), "--symbol", "ok", "--reg", "x0=41", "--json"]) == 0
    assert '"x0": "0x2a"' in capsys.readouterr().out


def test_truncated_elf(obj, tmp_path, capsys):
    bad = tmp_path / "trunc.o"
    bad.write_bytes(obj.read_bytes()[:100])
    fails(capsys, ["run", bad, "--symbol", "ok"], 2, "truncated")
    tiny = tmp_path / "tiny.o"
    tiny.write_bytes(obj.read_bytes()[:40])
    fails(capsys, ["run", tiny, "--symbol", "ok"], 2, "truncated")


def test_corrupted_elf_header(obj, tmp_path, capsys):
    data = bytearray(obj.read_bytes())
    data[0x28:0x30] = b"\xff" * 8                      # e_shoff far beyond the file
    bad = tmp_path / "corrupt.o"
    bad.write_bytes(bytes(data))
    fails(capsys, ["run", bad, "--symbol", "ok"], 2, str(bad), "corrupted")
    data = bytearray(obj.read_bytes())
    data[0x12:0x14] = (62).to_bytes(2, "little")      # e_machine = EM_X86_64
    bad.write_bytes(bytes(data))
    fails(capsys, ["run", bad, "--symbol", "ok"], 2, "not AArch64")
    bad.write_bytes(b"not an elf file at all\n")
    fails(capsys, ["run", bad, "--symbol", "ok"], 2, "not an ELF file")


def test_missing_file_and_directory(tmp_path, capsys):
    fails(capsys, ["run", tmp_path / "nope.o", "--symbol", "ok"], 2, "cannot read")
    fails(capsys, ["run", tmp_path, "--symbol", "ok"], 2, "cannot read")


def test_missing_symbol(obj, capsys):
    fails(capsys, ["run", obj, "--symbol", "okk"], 2, "no symbol 'okk'", "close matches")


@pytest.mark.openssl
def test_missing_archive_member(openssl_lib, capsys):
    fails(capsys, ["run", f"{openssl_lib}:no-such-member.o", "--symbol", "f"], 2,
          "no member 'no-such-member.o'")


@pytest.mark.openssl
def test_missing_symbol_in_archive_member(openssl_lib, capsys):
    fails(capsys, ["run", f"{openssl_lib}:libcrypto-lib-sha256-armv8.o", "--symbol",
                   "sha256_block_data_ordr"], 2, "sha256_block_data_order")


def test_unimplemented_instruction_reached(obj, capsys):
    fails(capsys, ["run", obj, "--symbol", "fp"], 1, "unimplemented", "0x1e622820", "fadd")


def test_jump_outside_mapped_memory(obj, capsys):
    fails(capsys, ["run", obj, "--symbol", "jump", "--reg", "x0=0x1234"], 1, "unmapped", "0x1234")
    fails(capsys, ["run", obj, "--symbol", "jump", "--reg", "x0=0x10002"], 1, "misaligned")


def test_memory_fault(obj, capsys):
    fails(capsys, ["run", obj, "--symbol", "ok", "--dump", "0x5:3"], 2, "--dump", "0x5")


@pytest.mark.parametrize("reg, words", [
    ("q0=1", ("unknown register 'q0'",)),
    ("x31=1", ("unknown register 'x31'",)),
    ("pc=0", ("unknown register 'pc'",)),
    ("x0", ("REG=VALUE",)),
    ("x0=", ("REG=VALUE",)),
    ("x0=0xzz", ("'0xzz'", "number")),
    ("x0=12abc", ("'12abc'", "number")),
    ("x0=0x10000000000000000", ("64 bits",)),
    ("x0=-1", ("64 bits",)),
    ("w0=0x100000000", ("unknown register 'w0'",)),
    ("nzcv=16", ("4 bits",)),
    ("v0=0x1" + "0" * 32, ("128 bits",)),
])
def test_malformed_reg(obj, capsys, reg, words):
    fails(capsys, ["run", obj, "--symbol", "ok", "--reg", reg], 2, "--reg", *words)


@pytest.mark.parametrize("mem, words", [
    ("0x100000=abc", ("even number of hex digits",)),
    ("0x100000=zz", ("hex digits",)),
    ("0x100000", ("ADDR=HEXBYTES",)),
    ("0x100000=", ("no bytes",)),
    ("nosuchsym=00", ("no symbol 'nosuchsym'",)),
    ("0xffffffffffffffff=0011", ("64-bit address space",)),
])
def test_malformed_mem(obj, capsys, mem, words):
    fails(capsys, ["run", obj, "--symbol", "ok", "--mem", mem], 2, *words)


@pytest.mark.parametrize("dump, words", [
    ("0x100000", ("ADDR:LEN",)),
    ("0x100000:0", ("positive",)),
    ("0x100000:x", ("number",)),
])
def test_malformed_dump(obj, capsys, dump, words):
    fails(capsys, ["run", obj, "--symbol", "ok", "--dump", dump], 2, "--dump", *words)


def test_max_steps_exceeded(obj, capsys):
    fails(capsys, ["run", obj, "--symbol", "spin", "--max-steps", "1000"], 1,
          "did not return within 1000 instructions")
    fails(capsys, ["run", obj, "--symbol", "spin", "--max-steps", "0"], 2, "--max-steps")
    fails(capsys, ["run", obj, "--symbol", "spin", "--max-steps", "lots"], 2, "--max-steps")
