"""Obligations proved once per process (lnsym.prover.reuse): the same terms are
reused only inside sharing(), only when proved, and never under preconditions."""
from __future__ import annotations

from lnsym.prover import Obligation, prove_all, reuse
from lnsym.terms.bv import const, eq, var


def _sum_swapped():
    a, b = var("reuse_a", 16), var("reuse_b", 16)
    return Obligation("first", (a + b) * const(3, 16), a * const(3, 16) + b * const(3, 16))


def test_same_terms_are_proved_once_inside_sharing():
    ob = _sum_swapped()
    with reuse.sharing():
        first, = prove_all([ob])
        again, = prove_all([Obligation("second", ob.impl, ob.spec)])
    assert first.status == again.status == "proved"
    assert reuse.REUSED not in first.method and first.method != "structural"
    assert again.method.startswith(first.method) and "'first'" in again.detail
    assert again.name == "second"


def test_outside_sharing_nothing_is_reused():
    ob = _sum_swapped()
    with reuse.sharing():
        prove_all([ob])
    r, = prove_all([Obligation("outside", ob.impl, ob.spec)])
    assert r.status == "proved" and reuse.REUSED not in r.method


def test_a_refuted_obligation_is_tried_again_and_stays_refuted():
    a = var("reuse_c", 16)
    wrong = Obligation("wrong", a + const(1, 16), a)
    with reuse.sharing():
        first, again = prove_all([wrong, Obligation("wrong again", wrong.impl, wrong.spec)])
    assert first.status == again.status == "refuted"
    assert reuse.REUSED not in again.method


def test_obligations_under_preconditions_are_not_shared():
    a = var("reuse_d", 8)
    ob = Obligation("under", a & const(0x0F, 8), a)
    with reuse.sharing():
        under, = prove_all([ob], preconditions=[eq(a & const(0xF0, 8), const(0, 8))])
        plain, = prove_all([Obligation("plain", ob.impl, ob.spec)])
    assert under.status == "proved"              # true for the inputs the precondition allows
    assert plain.status == "refuted"             # not for every input: nothing reused



def test_structural_proofs_are_not_remembered():
    a = var("reuse_e", 8)
    with reuse.sharing():
        first, again = prove_all([Obligation("x", a, a), Obligation("y", a, a)])
    assert first.method == again.method == "structural"


def test_proved_answers_only_for_proofs_inside_sharing():
    ob = _sum_swapped()
    with reuse.sharing():
        prove_all([ob])
        assert reuse.proved(ob.impl, ob.spec)
        assert not reuse.proved(ob.spec, ob.impl)           # the pair as proved, no more
    assert not reuse.proved(ob.impl, ob.spec)


def test_cached_computes_once_inside_sharing_and_every_time_outside():
    calls = []

    def compute():
        calls.append(1)
        return var("reuse_e", 8) + const(len(calls), 8)
    with reuse.sharing():
        first = reuse.cached(("reuse test", 1), compute)
        assert reuse.cached(("reuse test", 1), compute) is first and len(calls) == 1
        reuse.cached(("reuse test", 2), compute)
        assert len(calls) == 2
    outside = reuse.cached(("reuse test", 1), compute)
    assert len(calls) == 3 and outside is not first


def test_cached_keeps_only_what_keep_accepts():
    answers = iter([(False, "model"), (True, None), (False, "again")])
    with reuse.sharing():
        first = reuse.cached(("reuse keep", 1), lambda: next(answers), keep=lambda a: a[0])
        second = reuse.cached(("reuse keep", 1), lambda: next(answers), keep=lambda a: a[0])
        third = reuse.cached(("reuse keep", 1), lambda: next(answers), keep=lambda a: a[0])
    assert (first, second, third) == ((False, "model"), (True, None), (True, None))


def test_an_equation_proved_from_some_facts_holds_where_they_are_all_stated():
    """holds_under: a proof from facts f is reused under any list that states every fact
    of f (and more), never under one missing one, and never outside sharing()."""
    x = var("under_x", 8)
    impl, spec = x, const(7, 8)
    f1, f2 = eq(x, const(7, 8)), eq(var("under_y", 8), const(1, 8))
    assert not reuse.holds_under(impl, spec, [f1])
    with reuse.sharing():
        reuse.remember_under(impl, spec, frozenset([f1]))
        assert reuse.holds_under(impl, spec, [f2, f1])
        assert not reuse.holds_under(impl, spec, [f2])
        assert not reuse.holds_under(spec, impl, [f1])       # the same pair, as stated
    assert not reuse.holds_under(impl, spec, [f1, f2])


def test_known_is_what_cached_kept():
    key = ("test known", var("known_x", 8))
    with reuse.sharing():
        assert reuse.known(key) is None
        assert reuse.cached(key, lambda: 5) == 5 and reuse.known(key) == 5
    assert reuse.known(key) is None                           # outside sharing()
