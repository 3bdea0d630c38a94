"""The README's worked example (one SHA-256 block with ``lnsym run`` and through the
Python API) runs as written and matches ``hashlib``."""
from __future__ import annotations

import hashlib
import re
import shlex
import struct
from pathlib import Path

import pytest
from cli_check import call

README = Path(__file__).resolve().parents[2] / "README.md"


def _block(lang: str, marker: str) -> str:
    for body in re.findall(rf"```{lang}\n(.*?)```", README.read_text(), re.S):
        if marker in body:
            return body
    raise AssertionError(f"no ```{lang} block with {marker!r} in the README")


@pytest.mark.openssl
def test_readme_run_command(openssl_lib, capsys):
    argv = shlex.split(_block("sh", "lnsym run sha256_block_armv8").replace("\\\n", " "))
    assert argv[0] == "lnsym"
    rc, out, err = call(capsys, argv[1:])
    assert rc == 0, err
    dumped = re.search(r"\[0x100000:32\] ([0-9a-f]{64})", out).group(1)
    words = struct.unpack("<8I", bytes.fromhex(dumped))
    assert struct.pack(">8I", *words) == hashlib.sha256(b"abc").digest()
    assert "returned after 123 instructions" in out
    assert dumped in README.read_text()                      # the README quotes it


@pytest.mark.openssl
def test_readme_python_api(openssl_lib, capsys):
    exec(compile(_block("python", "run_routine("), "README.md", "exec"), {})
    assert capsys.readouterr().out.strip() == "123 instructions"
