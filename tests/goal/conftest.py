"""Goal-API tests: every lemma cache write goes to a per-test directory."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def lemma_dir(tmp_path, monkeypatch):
    d = tmp_path / "lemmas"
    monkeypatch.setenv("LNSYM_LEMMA_DIR", str(d))
    return d
