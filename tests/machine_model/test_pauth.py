"""Pointer authentication: the term operators (concrete model, normal form, SMT with
an uninterpreted ComputePAC), the PAC hints in every backend and mode, and the
conformance classes against QEMU with PAuth on."""
from __future__ import annotations

import random

import pytest
import z3

from conformance import cosim
from conformance import pauth as pauth_classes
from lnsym.backends.snippet import run_words
from lnsym.backends.symbolic import SymMemory, SymState
from lnsym.machine.lift import lift
from lnsym.terms import pauth as P
from lnsym.terms.bv import concat, const, var
from lnsym.terms.evaluate import evaluate
from lnsym.terms.smt import Lowering

PACIASP, AUTIASP, XPACLRI = 0xD503233F, 0xD50323BF, 0xD50320FF
PACIA1716, AUTIA1716, AUTIB1716 = 0xD503211F, 0xD503219F, 0xD50321DF


def lower_pointers(rng, n):
    for _ in range(n):
        ext = rng.getrandbits(7) if rng.random() < 0.3 else 0
        yield rng.getrandbits(8) << 56 | ext << 48 | rng.getrandbits(48)


def test_concrete_model_round_trip_strip_and_error_pointer():
    rng = random.Random(1)
    for x in lower_pointers(rng, 300):
        m = rng.getrandbits(64)
        p = P.add_pac_int(x, m, "IA")
        assert p & ~P.FIELD == x & ~P.FIELD                  # only the PAC field changes
        back = P.auth_int(p, m, "IA", 1)
        canonical = x >> 48 & 0xFF == 0
        assert back == (x if canonical else P.strip_int(x) | 1 << 53)
        assert P.strip_int(p) == P.strip_int(x) == x & ~(0xFF << 48)
    # QEMU 7.2 -cpu max: AUTIA1716 of an unsigned pointer (measured)
    assert P.auth_int(0x7FFF12345678, 0x42, "IA", 1) == 0x00207FFF12345678


def test_term_normal_form_agrees_with_the_concrete_model():
    x, m = var("x", 64), var("m", 64)
    rt = P.pac_auth(P.pac_add(x, m, "IB"), m, "IB")
    assert rt.op == "ite"                                     # rewritten, no opaque node left
    opaque = P.pac_auth(var("p", 64), m, "IB")
    rng = random.Random(2)
    for xv in lower_pointers(rng, 200):
        mv = rng.getrandbits(64)
        assert evaluate(rt, {"x": xv, "m": mv}) == P.auth_int(P.add_pac_int(xv, mv, "IB"), mv,
                                                              "IB", 2)
        pv = P.add_pac_int(xv, mv, "IB")
        assert evaluate(opaque, {"p": pv, "m": mv}) == P.auth_int(pv, mv, "IB", 2)
        assert evaluate(P.strip(var("p", 64)), {"p": pv}) == P.strip_int(pv)
    # a canonical pointer (top byte free, extension zero) comes back exactly
    top, low = var("top", 8), var("low", 48)
    canon = concat(top, const(0, 8), low)
    assert P.pac_auth(P.pac_add(canon, m, "IA"), m, "IA") is canon
    assert P.pac_auth(P.pac_add(canon, m, "IA"), m, "IB").op == "pac_auth"     # other key


def test_smt_knows_nothing_about_the_key():
    x, m = var("x", 64), var("m", 64)
    low = Lowering()
    s = z3.Solver()
    # the concrete stand-in key gives pac_add(0, 0) some field; z3 must not prove it
    value = P.add_pac_int(0, 0, "IA")
    s.add(low(P._mk("pac_add", 64, (x, m), ("IA",))) != value, low(x) == 0, low(m) == 0)
    assert s.check() == z3.sat
    # but what the architecture fixes is proved for every key: bits outside the field
    s = z3.Solver()
    signed = low(P._mk("pac_add", 64, (x, m), ("IA",)))
    s.add(z3.Extract(55, 55, low(x)) == 0,
          z3.Extract(63, 56, signed) != z3.Extract(63, 56, low(x)))
    assert s.check() == z3.unsat
    # and the round trip of the opaque nodes (no rewrite) is the identity when canonical
    s = z3.Solver()
    rt = P._mk("pac_auth", 64, (P._mk("pac_add", 64, (x, m), ("IA",)), m), ("IA", 1))
    s.add(z3.Extract(55, 48, low(x)) == 0, low(rt) != low(x))
    assert s.check() == z3.unsat


def run_symbolic(words, regs):
    code = {0x1000 + 4 * i: w for i, w in enumerate(words)}
    st = SymState(code.__getitem__, SymMemory(), 0x1000, regs)
    for _ in words:
        st.pc = st.step().params[0]
    return st


def test_autiasp_after_paciasp_is_the_identity_for_a_return_address():
    ret = concat(var("top", 8), const(0, 8), var("low", 48))     # a user-space code address
    st = run_symbolic([PACIASP, AUTIASP], {"x30": ret})
    assert st.regs["x30"] is ret
    # any x30: the identity exactly when canonical, else the error pointer
    st = run_symbolic([PACIASP, AUTIASP], {})
    x30 = st.initial["x30"]
    assert st.regs["x30"] is P.pac_auth(P.pac_add(x30, st.initial["sp"], "IA"),
                                        st.initial["sp"], "IA")
    # a changed SP (another modifier) is not proved to authenticate
    st = run_symbolic([PACIASP, 0x910043FF, AUTIASP], {"x30": ret})    # add sp, sp, #16
    assert st.regs["x30"].op == "pac_auth"
    st = run_symbolic([PACIASP, XPACLRI], {"x30": ret})
    assert st.regs["x30"] is ret


def test_pauth_off_hints_are_nops_and_on_they_sign():
    regs = {"x17": 0x7FFF12345678, "x16": 0x42}
    off, _ = run_words([PACIA1716], regs=dict(regs), pauth="off")
    on, _ = run_words([PACIA1716], regs=dict(regs))
    assert off.get("x17") == 0x7FFF12345678
    assert on.get("x17") == P.add_pac_int(0x7FFF12345678, 0x42, "IA") != 0x7FFF12345678
    both, _ = run_words([PACIA1716, AUTIA1716], regs=dict(regs))
    assert both.get("x17") == 0x7FFF12345678
    wrong, _ = run_words([PACIA1716, AUTIB1716], regs=dict(regs))
    assert wrong.get("x17") in (0x7FFF12345678, 0x7FFF12345678 | 2 << 53)
    assert lift(PACIA1716, pauth="off").writes == {}
    with pytest.raises(ValueError, match="pauth"):
        lift(PACIA1716, pauth="maybe")


def test_pauth_classes_agree_with_qemu(qemu, cross_gcc):
    res = cosim.run(7, 150, pauth_classes.CLASSES, jobs=1)
    assert res.cases == 150 * len(pauth_classes.CLASSES)
    assert res.failed == 0, [(m.case.id, m.diffs) for m in res.mismatches[:3]]


def test_register_forms_sign_authenticate_strip_and_are_undefined_without_pauth():
    from isa_specs.errors import DecodeError
    pacda, autda, xpacd = 0xDAC108C5, 0xDAC118C5, 0xDAC147E5    # pacda/autda x5, x6; xpacd x5
    regs = {"x5": 0x0012_3456_789A_BCDE & ~(0x7F << 48), "x6": 0x77}
    signed, _ = run_words([pacda], regs=dict(regs))
    assert signed.get("x5") == P.add_pac_int(regs["x5"], 0x77, "DA")
    back, _ = run_words([pacda, autda], regs=dict(regs))
    assert back.get("x5") == regs["x5"]
    stripped, _ = run_words([pacda, xpacd], regs=dict(regs))
    assert stripped.get("x5") == regs["x5"]
    st = run_symbolic([0xDAC107E3, 0xDAC117E3], {"x3": concat(var("t", 8), const(0, 8),
                                                              var("l", 48))})
    assert st.regs["x3"] is concat(var("t", 8), const(0, 8), var("l", 48))   # pacib/autib x3, sp
    with pytest.raises(DecodeError, match="UNDEFINED without FEAT_PAuth"):
        run_words([pacda], regs=dict(regs), pauth="off")


def test_authenticating_branches():
    from isa_specs.errors import DecodeError
    from lnsym.backends.snippet import CODE_BASE
    from lnsym.machine.memory import Memory
    target = CODE_BASE + 0x40
    mem = Memory()
    mem.load(target, (0xD503201F).to_bytes(4, "little"))            # a nop to land on
    # pacia x1, x2; braa x1, x2: lands on the target (run_words stops there)
    st, _ = run_words([0xDAC10041, 0xD71F0822], regs={"x1": target, "x2": 5}, memory=mem)
    assert st.pc == target
    # paciasp; retaa: symbolically the return address comes back exactly
    ret = concat(const(0, 16), var("r", 48))
    code = {0x1000: PACIASP, 0x1004: 0xD65F0BFF}
    sym = SymState(code.__getitem__, SymMemory(), 0x1000, {"x30": ret})
    sym.pc = sym.step().params[0]
    assert sym.step() is ret
    with pytest.raises(DecodeError, match="UNDEFINED without FEAT_PAuth"):
        run_words([0xD65F0BFF], regs={"x30": target}, pauth="off")
    # signed with key B (pacib), authenticated with key A: to the error pointer (bit 53)
    from lnsym.backends.concrete import CpuState, Executor
    mem.load(CODE_BASE, b"".join(w.to_bytes(4, "little") for w in (0xDAC10441, 0xD71F0822)))
    cpu = CpuState()
    cpu.set("x1", target)
    cpu.set("x2", 5)
    cpu.pc = CODE_BASE
    ex = Executor(mem)
    ex.step(cpu)
    ex.step(cpu)
    assert cpu.pc == target | 1 << 53
