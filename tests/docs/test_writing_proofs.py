"""docs/writing-proofs.md, run exactly as written: the proof file, the CLI lines,
and the Python blocks (in a directory holding only the proof file)."""
from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

from lnsym.cli.main import main

DOC = Path(__file__).parents[2] / "docs" / "writing-proofs.md"


def blocks() -> dict:
    """{'file: my_proofs.py': text, 'shell: cli': text, 'python: api': text, ...}"""
    text = DOC.read_text()
    found = re.findall(r"<!-- (\w+: [\w.]+) -->\n```\w*\n(.*?)```", text, re.DOTALL)
    return dict(found)


@pytest.fixture
def workdir(tmp_path, monkeypatch, libgcrypt_lib):
    b = blocks()
    (tmp_path / "my_proofs.py").write_text(b["file: my_proofs.py"])
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("my_proofs", None)


def test_the_page_has_the_blocks_the_test_runs():
    assert set(blocks()) == {"file: my_proofs.py", "shell: cli", "python: api",
                             "python: mutant", "python: calls"}


def test_cli_lines_prove_the_example(workdir, capsys):
    lines = [ln for ln in blocks()["shell: cli"].splitlines() if ln.strip()]
    assert lines[0] == "lnsym prove my_proofs.py"
    assert main(shlex.split(lines[0])[1:] + ["--no-progress"]) == 0
    out = capsys.readouterr()
    rows = [ln.split()[0] for ln in out.out.splitlines()
            if ln.startswith("gcry_aes_enc") and " PROVED " in ln]
    assert rows == ["gcry_aes_enc_128", "gcry_aes_enc", "gcry_aes_enc", "gcry_aes_enc"]
    assert "no listing" in out.err and "listing: none recorded" in out.out
    assert main(shlex.split(lines[1])[1:] + ["--no-progress"]) == 0
    assert (workdir / "listings" / "gcry_aes_enc_128.lst").is_file()
    assert (workdir / "listings" / "gcry_aes_enc.lst").is_file()
    assert "listing: none recorded" not in capsys.readouterr().out


@pytest.mark.parametrize("block", ["python: api", "python: mutant", "python: calls"])
def test_python_blocks_run(workdir, capsys, block):
    scope: dict = {}
    exec(compile(blocks()[block], f"writing-proofs.md [{block}]", "exec"), scope)  # noqa: S102
    if block == "python: api":
        first = capsys.readouterr().out.splitlines()[0]
        assert first == "gcry_aes_enc_128 proved 45"
        assert scope["report"].status == "proved"
    if block == "python: mutant":
        assert scope["report"].status == "refuted"
