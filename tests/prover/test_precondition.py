"""Obligations under a stated precondition (lnsym.prover.precondition): a counter
packed with a nonce word in one 64-bit register, as OpenSSL's ChaCha20 keeps it,
equals the RFC's words only while the 32-bit counter does not wrap."""
from __future__ import annotations

import pytest

from lnsym.errors import UserError
from lnsym.prover.engine import Obligation, prove_all
from lnsym.prover.precondition import Precondition
from lnsym.terms.bv import add, concat, const, eq, extract, ite, rotr, uge, ugt, var, xor

CTR, N0, K = var("ctr", 32), var("n0", 32), var("k", 32)
PACKED = add(concat(N0, CTR), const(5, 64))           # add x28, x28, #5
HIGH, LOW = extract(PACKED, 63, 32), extract(PACKED, 31, 0)
NO_WRAP = uge(const((1 << 32) - 6, 32), CTR)           # counter + 6 blocks <= 2^32


def _mix(word):
    """Some rounds over a word, so that the difference sits deep inside the term."""
    for r in (16, 12, 8, 7):
        word = rotr(xor(add(word, K), const(0x61707865, 32)), r)
    return word


def _one(impl, spec, pre):
    return prove_all([Obligation("o", impl, spec)], timeout=20, preconditions=pre)[0]


def test_proved_only_under_the_precondition():
    impl, spec = _mix(HIGH), _mix(N0)
    bad = _one(impl, spec, None)
    assert bad.status == "refuted"
    assert bad.counterexample["ctr"] >= (1 << 32) - 5      # the wrap
    good = _one(impl, spec, [NO_WRAP])
    assert good.status == "proved", good.detail
    assert good.method.endswith("under precondition")
    assert _one(_mix(LOW), _mix(add(CTR, const(5, 32))), [NO_WRAP]).status == "proved"


def test_counterexample_satisfies_the_precondition():
    # wrong at one counter value the precondition allows: random simulation misses it,
    # z3 (told the precondition) finds it, and the model satisfies the precondition
    rare = const(0xFFFFFFF0, 32)
    impl = _mix(ite(eq(CTR, rare), xor(HIGH, const(1, 32)), HIGH))
    r = _one(impl, _mix(N0), [NO_WRAP])
    assert r.status == "refuted", (r.method, r.detail)
    assert r.counterexample["ctr"] == 0xFFFFFFF0
    assert Precondition([NO_WRAP]).holds(r.counterexample)


def test_inputs_violating_the_precondition_are_no_counterexample():
    # differs exactly where the precondition fails (counter >= 2^32 - 5): never refuted
    pre = [uge(const((1 << 32) - 6, 32), CTR)]
    impl = ite(ugt(CTR, const((1 << 32) - 6, 32)), xor(N0, K), N0)
    r = _one(impl, N0, pre)
    assert r.status == "proved", (r.status, r.method, r.counterexample)
    assert _one(impl, N0, None).status == "refuted"


def test_holds():
    pre = Precondition([NO_WRAP])
    assert pre.holds({"ctr": (1 << 32) - 6})
    assert not pre.holds({"ctr": (1 << 32) - 5})
    assert pre.holds({})                      # a missing input is 0, as in a replay


def test_unsatisfiable_precondition_is_refused():
    with pytest.raises(UserError, match="unsatisfiable"):
        Precondition([eq(CTR, const(1, 32)), eq(CTR, const(2, 32))])


def test_precondition_is_one_bit():
    with pytest.raises(ValueError):
        Precondition([CTR])
