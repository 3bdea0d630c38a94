"""Helpers for the CLI tests: run ``lnsym`` in-process, check its one-sentence errors,
and build small objects and archives to mutate."""
from __future__ import annotations

import re
import subprocess

from tooling import need_tool

from lnsym.cli.main import main as lnsym_main

ASM = """
    .text
    .globl ok
    .type ok, %function
ok: add x0, x0, #1
    ret
    .size ok, .-ok
    .globl spin
    .type spin, %function
spin: add x1, x1, #1
    b spin
    .size spin, .-spin
    .data
    .globl table
table: .quad 1, 2
    .bss
    .globl scratch
scratch: .zero 64
"""

# An exception class name leaking into a message (ValueError, KeyError, ...).
EXCEPTION_NAME = re.compile(r"\b(Traceback|[A-Z][A-Za-z]*(Error|Exception)|KeyError|"
                            r"StopIteration)\b")


def assemble(directory, source: str = ASM, name: str = "t"):
    as_ = need_tool("aarch64-linux-gnu-as")
    (directory / f"{name}.s").write_text(source)
    subprocess.run([as_, str(directory / f"{name}.s"), "-o", str(directory / f"{name}.o")],
                   check=True)
    return directory / f"{name}.o"


def ar_member(name: bytes, data: bytes, size: bytes | None = None) -> bytes:
    """One ``ar`` member: a 60-byte header (``size`` overrides the size field) and data."""
    size = str(len(data)).encode() if size is None else size
    hdr = (name.ljust(16) + b"0".ljust(12) + b"0".ljust(6) + b"0".ljust(6)
           + b"644".ljust(8) + size.ljust(10) + b"`\n")
    assert len(hdr) == 60
    return hdr + data + (b"\n" if len(data) & 1 else b"")


def archive(*members: bytes) -> bytes:
    return b"!<arch>\n" + b"".join(members)


def call(capsys, argv) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of one in-process run (argparse's exits included)."""
    try:
        rc = lnsym_main([str(a) for a in argv])
    except SystemExit as e:
        rc = e.code
    out, err = capsys.readouterr()
    return rc, out, err


def check_message(err: str) -> str:
    """stderr is one line 'lnsym: ...' naming no Python exception."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    msg = lines[0]
    assert msg.startswith("lnsym: ") and len(msg) < 400, msg
    assert not EXCEPTION_NAME.search(msg), msg
    return msg


def fails(capsys, argv, code=None, *words) -> str:
    """Run the CLI; the exit status is non-zero (``code`` if given) and stderr one
    sentence naming ``words``."""
    rc, _, err = call(capsys, argv)
    assert rc != 0, err
    if code is not None:
        assert rc == code, err
    msg = check_message(err)
    for w in words:
        assert w in msg, msg
    return msg
