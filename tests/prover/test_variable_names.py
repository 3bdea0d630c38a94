"""The prover never confuses two variables: a user variable named like a cut point
or a generalised leaf, or two variables sharing a name at different widths.

Each statement below is false only when 64 bits of ``r`` are all ones, so random
simulation does not see it; before the fix the GF(2) rungs called them proved."""
from lnsym.prover import Obligation, gf2, prove_all
from lnsym.terms.bv import and_, clmul, extract, lookup, not_, sign_extend, var, xor, zero_extend
from lnsym.terms.evaluate import evaluate

a, b, r, e, f, g = (var(n, 64) for n in "abrefg")


def bit(x, i):
    return extract(x, i, i)


def rare():
    """1 only when r is all ones."""
    t = bit(r, 0)
    for i in range(1, 64):
        t = and_(t, bit(r, i))
    return t


def test_a_variable_named_cut_is_not_a_cut_point():
    cut = var("cut", 64)
    ab = and_(bit(a, 0), bit(b, 0))
    spec = zero_extend(xor(and_(ab, bit(e, 1)), bit(clmul(e, f), 3)), 8)
    impl = zero_extend(xor(and_(ab, bit(e, 1)), bit(clmul(e, f), 3),
                           and_(xor(bit(cut, 0), ab), rare())), 8)
    env = {"a": 1, "b": 1, "r": (1 << 64) - 1, "e": 2, "f": 0, "cut": 0}
    assert evaluate(impl, env) != evaluate(spec, env)
    assert gf2.prove_gf2(spec, impl, gf2.GF2()) is not True
    assert [x.status for x in prove_all([Obligation("o", impl, spec)])] != ["proved"]


def test_same_name_at_two_widths_is_not_decided():
    a8 = var("a", 8)
    c = bit(clmul(e, f), 3)
    impl = zero_extend(c, 8)
    spec = zero_extend(xor(c, and_(xor(bit(a8, 0), bit(a, 0)), rare())), 8)
    assert gf2.prove_gf2(impl, spec, gf2.GF2()) is not True
    res = prove_all([Obligation("o", impl, spec)])[0]
    assert res.status == "stuck" and "'a'" in res.detail


def test_a_variable_named_like_a_generalised_leaf_is_not_that_leaf():
    a8, user = var("a", 8), var("opaque#0", 8)
    table = tuple((i * 7 + 3) % 256 for i in range(256))
    leaf = lookup(table, a8, 8)
    c = extract(clmul(e, f), 7, 0)
    gate = sign_extend(and_(rare(), not_(bit(g, 0))), 8)
    impl = xor(c, leaf)
    spec = xor(c, leaf, and_(xor(leaf, user), gate))
    env = {"a": 0, "r": (1 << 64) - 1, "e": 0, "f": 0, "opaque#0": 0, "g": 0}
    assert evaluate(impl, env) != evaluate(spec, env)
    assert [x.status for x in prove_all([Obligation("o", impl, spec)])] != ["proved"]


def test_equal_terms_still_prove_with_those_names():
    cut = var("cut", 64)
    t = zero_extend(xor(bit(clmul(e, f), 3), and_(bit(cut, 0), bit(a, 0))), 8)
    u = zero_extend(xor(and_(bit(a, 0), bit(cut, 0)), bit(clmul(f, e), 3)), 8)
    assert [x.status for x in prove_all([Obligation("o", t, u)])] == ["proved"]


def test_names_of_two_widths_are_tracked_placeholders_aside():
    """The name-clash check walks an obligation only once some name has had two widths;
    template placeholders (substituted before any term leaves them) do not count."""
    from lnsym.terms.bv import names_of_two_widths, placeholder
    placeholder("tracked_p", 8), placeholder("tracked_p", 16)
    assert "tracked_p" not in names_of_two_widths()
    var("tracked_v", 8)
    assert "tracked_v" not in names_of_two_widths()
    var("tracked_v", 16)
    assert "tracked_v" in names_of_two_widths()


def test_a_name_given_a_second_width_later_is_caught_in_terms_walked_before():
    """The clash walk keeps each node's clashing variables while the set of such names
    stays the same; a name that gets its second width later is looked for again."""
    from lnsym.prover.engine import _name_clash
    var("early_clash", 8), var("early_clash", 16)          # the walk is on
    x8 = var("late_clash", 8)
    c = bit(clmul(e, f), 3)
    impl, spec = zero_extend(c, 8), zero_extend(xor(c, and_(bit(x8, 0), rare())), 8)
    assert _name_clash(impl, spec) == ""
    x16 = var("late_clash", 16)
    both = zero_extend(xor(c, and_(xor(bit(x8, 0), bit(x16, 0)), rare())), 8)
    assert "'late_clash'" in _name_clash(impl, both)
    assert _name_clash(impl, spec) == ""                    # one width in this one
