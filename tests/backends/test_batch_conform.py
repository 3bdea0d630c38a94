"""``lnsym conform --model batch``: the batch backend as the model side of cosimulation.

Without QEMU: on generated cases of every encoding class, the batch model's outcome
(two identical lanes through the numpy code paths) equals the summary-evaluation
model's.  With QEMU: a short ``lnsym conform --model batch`` run has no mismatch.
"""
from __future__ import annotations

import json

import pytest

from conformance.cosim import all_case_classes
from conformance.generate import NoValidWord, generate_case, pristine_scratch
from conformance.model import compare, run_case
from lnsym.cli.main import main

CASES_PER_CLASS = 3


def test_batch_model_equals_eval_model_on_every_class():
    seed = 5
    pristine = pristine_scratch(seed)
    checked = 0
    for enc in all_case_classes():
        if not hasattr(enc, "fields"):   # instruction sequences are generated elsewhere
            continue
        for j in range(CASES_PER_CLASS):
            try:
                case = generate_case(seed, enc, j, pristine, "eval")
            except NoValidWord:          # classes lnsym does not implement (MTE)
                break
            out = run_case(case, pristine, "batch")
            assert compare(out, case.model, pristine) == [], (case.name, out.fault)
            checked += 1
    assert checked > 250


def test_batch_model_reports_a_wrong_result(monkeypatch):
    """A corrupted batch register write is seen as a difference, not hidden."""
    from conformance import batch_model
    seed = 5
    pristine = pristine_scratch(seed)
    enc = next(e for e in all_case_classes() if "add_sub_imm" in e.module)
    case = generate_case(seed, enc, 0, pristine, "eval")
    real_set = batch_model.initial_regs

    def skewed(values, lanes):
        regs = real_set(values, lanes)
        regs["x1"] = tuple(x ^ 1 for x in regs["x1"])
        return regs
    monkeypatch.setattr(batch_model, "initial_regs", skewed)
    diffs = compare(run_case(case, pristine, "batch"), case.model, pristine)
    assert diffs


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_conform_with_the_batch_model(qemu, cross_gcc, cache, capsys):
    argv = ["conform", "--classes", "isa_specs.simd.crypto_aes:*", "--count", "20",
            "--model", "batch", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cases"] >= 20 and out["mismatches"] == 0
