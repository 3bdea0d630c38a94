"""Conformance: every implemented class against QEMU, and the checker catching a wrong semantics."""
from __future__ import annotations

import pytest

from conformance import cosim, report
from conformance.generate import NoValidWord, enc_key, generate_case, pristine_scratch
from isa_specs import all_encodings
from lnsym.machine import lift as lift_mod
from lnsym.machine.decoder import find_encoding

SEED = 20260101


@pytest.fixture
def tools(qemu, cross_gcc):
    return qemu, cross_gcc


def test_generated_words_belong_to_their_encoding():
    """Model-only: generated cases are valid words of the encoding, and deterministic."""
    pristine = pristine_scratch(SEED)
    for enc in all_encodings():
        try:
            a = generate_case(SEED, enc, 3, pristine)
        except NoValidWord:
            continue
        assert find_encoding(a.word) is enc
        b = generate_case(SEED, enc, 3, pristine)
        assert (a.word, a.state, a.entry) == (b.word, b.state, b.entry)
        assert a.state.x[28] == 0 and a.model is not None


def test_every_class_agrees_with_qemu(tools):
    res = cosim.run(SEED, 25, cosim.select_encodings(None), jobs=2)
    shown = "\n\n".join(report.describe(m) for m in res.mismatches[:5])
    assert res.failed == 0, shown
    checked = [r for r in res.results.values() if not r.excluded]
    assert sum(r.passed > 0 for r in checked) >= 0.9 * len(checked)


def _flip_c(nzcv):
    from lnsym.machine.asl import Const
    return nzcv ^ Const(0b0010, 4)


def test_mutation_flipped_carry_is_caught(tools, monkeypatch):
    import isa_specs.dpi.add_sub_imm as mod
    real = mod.AddWithCarry
    monkeypatch.setattr(mod, "AddWithCarry", lambda x, y, c: (real(x, y, c)[0],
                                                              _flip_c(real(x, y, c)[1])))
    monkeypatch.setattr(lift_mod, "_cache", {})
    encs = cosim.select_encodings("isa_specs.dpi.add_sub_imm:decode_add_sub_imm")
    res = cosim.run(SEED, 200, encs, jobs=1)
    assert res.failed > 0
    # only the flag-setting forms (ADDS/SUBS/CMP/CMN) can differ, and only in NZCV
    for m in res.mismatches:
        assert [d[0] for d in m.diffs] == ["nzcv"]
    text = report.describe(res.mismatches[0])
    assert "MISMATCH case" in text and "nzcv" in text and "capstone:" in text
    assert f"--replay {res.mismatches[0].case.id}" in text


def test_mutation_swapped_lanes_is_caught(tools, monkeypatch):
    """A vector instruction whose result has its two 64-bit halves swapped."""
    encs = [e for e in all_encodings() if e.module.endswith("simd.three_same")]
    assert encs, "the three-same SIMD class is missing"
    import importlib
    importlib.import_module(encs[0].module)
    from lnsym.machine.lift import LiftState
    orig = LiftState.set_V

    def swapped(self, n, value):
        from lnsym.terms.bv import concat, extract, zero_extend
        v = zero_extend(value, 128)
        orig(self, n, concat(extract(v, 63, 0), extract(v, 127, 64)))
    monkeypatch.setattr(LiftState, "set_V", swapped)
    monkeypatch.setattr(lift_mod, "_cache", {})
    res = cosim.run(SEED, 50, encs, jobs=1)
    assert res.failed > 0
    assert any(d[0].startswith("v") for m in res.mismatches for d in m.diffs)


def test_replay_reproduces_a_case(tools):
    enc = cosim.select_encodings("isa_specs.dpi.add_sub_imm:decode_add_sub_imm")[0]
    case, real, diffs = cosim.replay(f"{SEED}:{enc_key(enc)}:7")
    assert diffs == []
    assert case.word == generate_case(SEED, enc, 7).word
    assert real.slot == 1 and real.fault is None


def test_mutation_wrong_store_is_caught(tools, monkeypatch):
    """Stores that write the value plus one: the scratch-memory comparison must see it."""
    from lnsym.machine.lift import LiftState
    from lnsym.terms.bv import add, const
    orig = LiftState.set_Mem
    monkeypatch.setattr(LiftState, "set_Mem",
                        lambda self, a, size, v: orig(self, a, size, add(v, const(1, v.width))))
    monkeypatch.setattr(lift_mod, "_cache", {})
    encs = cosim.select_encodings("isa_specs.ldst.ldst_reg_unsigned_imm:*")
    assert encs, "the unsigned-offset load/store class is missing"
    res = cosim.run(SEED, 60, encs, jobs=1)
    assert res.failed > 0
    assert any(d[0].startswith("mem[") for m in res.mismatches for d in m.diffs)
