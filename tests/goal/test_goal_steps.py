"""Goal steps on terms built directly: split, show, abstract, case split, solve, export."""
from __future__ import annotations

import z3

from lnsym.machine.asl import ROL, ROR
from lnsym.proof.goal import Goal
from lnsym.terms.bv import add, concat, const, eq, extract, ite, udiv, var

x, y, z = var("x", 32), var("y", 32), var("z", 32)


def test_words_lanes_bits_and_slice():
    g = Goal("g", concat(x, y), concat(x, y ^ const(0, 32)))
    ws = g.words(32)
    assert [w.name for w in ws] == ["g.w0", "g.w1"]
    assert all(w.closed for w in ws)
    assert len(Goal("h", x, x).bits()) == 32
    assert g.lanes(16)[3].lhs is extract(x, 31, 16)
    s = Goal("h", x, y).slice(7, 0)
    assert s.lhs is extract(x, 7, 0) and s.width == 8


def test_show_names_shared_subterms():
    shared = add(x, y)
    g = Goal("g", shared ^ z, ROL(shared, 3))
    text = g.show()
    assert "%1 = (x + y)" in text.replace(" + ", " + ")
    assert text.count("x + y") == 1               # printed once, used on both sides
    assert "lhs = " in text and "rhs = " in text
    g.name_term(shared, "s")
    assert "s ^ z" in g.show() or "z ^ s" in g.show()


def test_prove_and_refute_with_counterexample():
    ok = Goal("rot", ROL(x, 5), ROR(x, 27)).prove(5)
    assert ok.status == "proved" and bool(ok)
    bad = Goal("bad", add(x, y), x ^ y).prove(5)
    assert bad.status == "refuted"
    lhs, rhs = Goal("bad", add(x, y), x ^ y).evaluate(bad.counterexample)
    assert lhs != rhs
    # the solver rung: simulation cannot see a difference at one point only
    rare = Goal("rare", ite(eq(x, const(0x12345678, 32)), y, z), z)
    r = rare.prove(5)
    assert r.status == "refuted" and r.counterexample["x"] == 0x12345678
    assert rare.counterexample()["x"] == 0x12345678


def test_case_split_on_one_bit_condition():
    c = extract(x, 0, 0)
    g = Goal("g", ite(c, y, z), ite(c, y, z ^ const(0, 32)))
    g1, g0 = g.cases(c)
    assert g1.assumptions == ((c, 1),) and g0.assumptions == ((c, 0),)
    assert g1.lhs is y and g0.lhs is z
    # a goal true only under its assumption: provable there, false without it
    h = Goal("h", ite(c, y, z), y)
    h1, h0 = h.cases(c)
    assert h1.prove(5).status == "proved"
    assert h0.prove(5).status == "refuted"
    assert h.prove(5).status == "refuted"


def test_abstract_common_subterms():
    big = udiv(x, add(y, z))
    g = Goal("g", add(big, big) ^ ROL(y, 3), (big << 1) ^ ROL(y, 3))
    assert not g.closed
    common = g.common()
    assert big in common and ROL(y, 3) in common
    a = g.abstract_common()
    assert big not in _nodes(a.lhs) and a.size() < g.size()
    assert a.prove(5).status == "proved"
    # abstraction is sound but may lose facts: x+x = 2x needs to know x
    h = Goal("h", add(x, x) ^ z, (x << 1) ^ z).abstract(x)
    assert h.prove(5).status == "proved"


def test_smtlib_export_is_the_negated_goal(tmp_path):
    g = Goal("g", ROL(x, 5), ROR(x, 27))
    text = g.smtlib(tmp_path / "g.smt2")
    assert (tmp_path / "g.smt2").read_text() == text
    s = z3.Solver()
    s.from_string(text)
    assert s.check() == z3.unsat
    bad = Goal("b", ROL(x, 5), ROR(x, 26), ((extract(y, 0, 0), 1),))
    s = z3.Solver()
    s.from_string(bad.smtlib())
    assert s.check() == z3.sat


def _nodes(t):
    seen, stack = set(), [t]
    while stack:
        u = stack.pop()
        if u not in seen:
            seen.add(u)
            stack.extend(u.args)
    return seen
