"""Each malformed input of issue 18, reproduced: one sentence, a non-zero exit, no hang."""
from __future__ import annotations

import json

import pytest
from cli_check import ar_member, archive, assemble, call, check_message, fails

from conformance.trace import LOCS
from lnsym.errors import UserError
from lnsym.numbers import parse_count, parse_int, parse_seconds


@pytest.fixture(scope="module")
def obj(tmp_path_factory):
    return assemble(tmp_path_factory.mktemp("bad_inputs"))


# -- archives (issue items 1, 2, 9) ---------------------------------------------------------

@pytest.mark.parametrize("size, words", [
    (b"-60", ("size '-60'",)),                  # used to loop for ever
    (b"8_960", ("size '8_960'",)),
    ("١٢".encode(), ("not a decimal number",)),
    (b"9999999999", ("claims 9999999999 bytes",)),
])
def test_archive_member_size(obj, tmp_path, capsys, size, words):
    bad = tmp_path / "neg.a"
    bad.write_bytes(archive(ar_member(b"a.o/", obj.read_bytes(), size)))
    fails(capsys, ["disasm", f"{bad}:a.o"], 2, "not a valid ar archive", *words)


@pytest.mark.parametrize("name, words", [
    (b"#1/abc", ("BSD name '#1/abc'",)),
    (b"#1/99999", ("longer than the member",)),
])
def test_archive_bsd_name(obj, tmp_path, capsys, name, words):
    bad = tmp_path / "bsd.a"
    bad.write_bytes(archive(ar_member(name, obj.read_bytes())))
    fails(capsys, ["disasm", f"{bad}:a.o"], 2, *words)


def test_archive_bsd_name_valid(obj, tmp_path, capsys):
    good = tmp_path / "bsd.a"
    good.write_bytes(archive(ar_member(b"#1/4", b"x.o\0" + obj.read_bytes())))
    rc, out, _ = call(capsys, ["disasm", f"{good}:x.o", "--symbol", "ok"])
    assert rc == 0 and "add" in out


# -- trace files (item 3) -------------------------------------------------------------------

def _trace(path, header=None, states=2, extra=None, raw=None):
    if raw is not None:
        path.write_bytes(raw)
        return path
    lines = [json.dumps({"lnsym_trace": 1, "symbol": "ok", **(header or {})})]
    first = {"pc": "0x10000", **{k: "0x0" for k in LOCS}}
    lines.append(json.dumps({**first, **(extra or {})}))
    lines += [json.dumps({"pc": "0x10004"})] * (states - 1)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("kwargs, words", [
    ({"raw": b'{"lnsym_trace": 1}\n\xff\xfe\n'}, ("not UTF-8",)),
    ({"header": {"regs": {"x0": "zz"}}}, ("x0 is 'zz'",)),
    ({"header": {"regs": ["x0"]}}, ("regs is not an object",)),
    ({"header": {"regs": 5}}, ("regs is not an object",)),
    ({"header": {"regs": {"q9": "0x1"}}}, ("unknown register 'q9'",)),
    ({"header": {"mem": [["0x100000", "zz"]]}}, ("not hex bytes",)),
    ({"header": {"mem": [["0x100000"]]}}, ("not an [address, hex bytes] pair",)),
    ({"raw": b'{"lnsym_trace": 1}\n{"pc": Infinity}\n'}, ("Infinity",)),
    ({"raw": b'{"lnsym_trace": 1}\n{"pc": 1e400}\n'}, ("not a 0x-hex string",)),
    ({"extra": {"pc": -16}}, ("does not fit in 64 bits",)),
    ({"extra": {"x0": 2 ** 70}}, ("does not fit in 64 bits",)),
    ({"extra": {"v0": "0x1" + "0" * 50}}, ("does not fit in 128 bits",)),
    ({"extra": {"x0": 1.5}}, ("not a 0x-hex string",)),
    ({"extra": {"x0": True}}, ("not a 0x-hex string",)),
    ({"states": 1}, ("needs at least two",)),
])
def test_malformed_trace(obj, tmp_path, capsys, kwargs, words):
    path = _trace(tmp_path / "t.trace", **kwargs)
    msg = fails(capsys, ["trace", obj, "--symbol", "ok", "--check", path], 2, *words)
    assert "first divergence" not in msg


def test_wellformed_trace_replays(obj, tmp_path, capsys):
    path = _trace(tmp_path / "t.trace", header={"regs": {"x0": "0x29"}})
    rc, out, _ = call(capsys, ["trace", obj, "--symbol", "ok", "--check", path])
    assert rc == 1 and "first divergence at instruction 0" in out   # x0 is 0x2a, not 0


# -- ELF and coverage (items 4, 5, 6, 11) ---------------------------------------------------

def _section_header(data: bytes, name: bytes) -> int:
    """Offset of the section header named ``name`` (via the section-name table)."""
    shoff = int.from_bytes(data[0x28:0x30], "little")
    shnum = int.from_bytes(data[0x3c:0x3e], "little")
    strndx = int.from_bytes(data[0x3e:0x40], "little")
    stroff = int.from_bytes(data[shoff + strndx * 64 + 0x18:shoff + strndx * 64 + 0x20],
                            "little")
    for i in range(shnum):
        at = shoff + i * 64
        off = int.from_bytes(data[at:at + 4], "little")
        if data[stroff + off:stroff + off + len(name) + 1] == name + b"\0":
            return at
    raise AssertionError(name)


def test_huge_bss_is_refused_before_allocating(obj, tmp_path, capsys):
    data = bytearray(obj.read_bytes())
    at = _section_header(bytes(data), b".bss")
    data[at + 0x20:at + 0x28] = (1 << 30).to_bytes(8, "little")
    bad = tmp_path / "bss.o"
    bad.write_bytes(bytes(data))
    fails(capsys, ["coverage", bad], 2, "zero-filled storage")


def test_no_section_name_table(obj, tmp_path, capsys):
    data = bytearray(obj.read_bytes())
    data[0x3e:0x40] = b"\0\0"
    bad = tmp_path / "shstrndx.o"
    bad.write_bytes(bytes(data))
    rc, out, err = call(capsys, ["coverage", bad])
    assert rc != 0 and "100.00%" not in out
    check_message(err)


def test_coverage_of_nothing_is_not_100_percent(tmp_path, capsys):
    src = ("    .text\n    .globl f\n    .type f, %function\nf:\n$d:\n    .word 0\n"
           "    .size f, .-f\n")
    o = assemble(tmp_path, src, "data_only")
    rc, out, err = call(capsys, ["coverage", o])
    assert rc == 1 and "n/a" in out and "100.00%" not in out
    assert "have no instructions" in check_message(err)


def test_coverage_counts_a_repeated_symbol_once(obj, capsys):
    rc, out, _ = call(capsys, ["coverage", obj, "--symbol", "ok", "--symbol", "ok", "--json"])
    rep = json.loads(out)
    assert rc == 0 and [r["routine"] for r in rep["routines"]] == ["ok"]
    assert rep["total"]["instructions"] == 2


# -- arguments (items 7, 8, 9, 10) ----------------------------------------------------------

@pytest.mark.parametrize("pc, words", [
    ("0x10000000000000000", ("64-bit address",)),
    ("-4", ("64-bit address",)),
    ("0x1002", ("multiple of 4",)),
    ("١٢", ("not a decimal or 0x-hex number",)),
])
def test_decode_pc(capsys, pc, words):
    fails(capsys, ["decode", "0x94000001", "--pc", pc], 2, "--pc", *words)


def test_run_symbol_without_code(obj, capsys):
    fails(capsys, ["run", obj, "--symbol", "table"], 2, "not code", "nothing to run")


def test_dump_names_the_unmapped_end(obj, capsys):
    msg = fails(capsys, ["run", obj, "--symbol", "ok", "--dump", "0x10000:99999999999"], 2)
    assert "0x10000 " not in msg and "is not mapped" in msg and "0x10000.." in msg


def test_run_says_it_stopped_at_max_steps(obj, capsys):
    fails(capsys, ["run", obj, "--symbol", "spin", "--max-steps", "100"], 1,
          "stopped at --max-steps 100")


@pytest.mark.parametrize("argv, words", [
    (["prove", "--blocks", "١٢"], ("--blocks",)),
    (["prove", "--blocks", ""], ("--blocks",)),
    (["prove", "--timeout", "-1"], ("--timeout",)),
    (["prove", "--timeout", "inf"], ("--timeout",)),
    (["conform", "--classes", ""], ("--classes",)),
    (["conform", "--replay", ""], ("--replay",)),
    (["run", "ok", "--max-steps", "1_000"], ("--max-steps",)),
])
def test_bad_option_values(capsys, argv, words):
    fails(capsys, argv, 2, *words)


def test_numbers_are_ascii_only():
    assert parse_int("0x1F") == 31 and parse_int("-12") == -12 and parse_int(" 7 ") == 7
    assert parse_seconds("0.5", "t") == 0.5 and parse_count("3", "n") == 3
    for bad in ("١٢", "1_000", "0x", "", "1e3", "+-1", "0b101", "١"):
        with pytest.raises(UserError):
            parse_int(bad)
    for bad in ("-1", "0", "nan", "inf", "1e400", "١", ""):
        with pytest.raises(UserError):
            parse_seconds(bad, "t")


def test_too_many_undefined_symbols(tmp_path, capsys):
    """Each undefined symbol gets 4 KiB of storage: 17,000 of them would be 68 MiB."""
    refs = "".join(f"    .quad ext{i}\n" for i in range(17_000))
    o = assemble(tmp_path, "    .data\n" + refs, "many_externs")
    fails(capsys, ["coverage", o], 2, "17000 undefined symbols")
