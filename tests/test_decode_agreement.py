"""Random words and the SHA routines' words decode like capstone or are rejected by name.

Runs ``agreement`` of ``scripts/decode-agreement.py`` (the full 100,000-word
report is ``.venv/bin/python scripts/decode-agreement.py``) on a 20,000-word
fixed-seed sample.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from isa_specs.errors import DecodeError
from lnsym.machine.decoder import decode

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "decode-agreement.py"


@pytest.fixture(scope="module")
def da():
    spec = importlib.util.spec_from_file_location("decode_agreement", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod          # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_random_words_agree_with_capstone(da):
    words = da.random_words(20_000, seed=2024)
    res = da.agreement(words)
    assert res.total == 20_000
    assert res.disagreements == [], res.report()
    assert res.agree + res.known_wrong + res.rejected == res.total
    assert res.agree > 2_000        # the sample does exercise the decoder


def test_rejections_are_decode_errors_naming_the_word(da):
    rejected = 0
    for pc, word in da.random_words(2_000, seed=7):
        try:
            decode(word, pc)
        except DecodeError as e:
            rejected += 1
            assert f"{word:#010x}" in str(e)
    assert rejected > 0


def test_a_rejection_not_naming_the_word_is_a_disagreement(da, monkeypatch):
    def bad_decode(word, address=None):
        raise DecodeError("no")
    monkeypatch.setattr(da, "decode", bad_decode)
    res = da.agreement([(0, 0x8B020020)])
    assert len(res.disagreements) == 1


@pytest.mark.openssl
def test_sha_routine_words_agree(da, openssl_lib):
    words = da.routine_words(openssl_lib)
    assert len(words) > 1000
    res = da.agreement(words)
    assert res.disagreements == [], res.report()
    assert res.agree == len(words)
