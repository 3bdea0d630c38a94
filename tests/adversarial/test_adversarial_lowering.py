"""Adversarial check of the z3 lowering (lnsym/terms/smt.py ``Lowering``): two variables
with one name and different widths stay two z3 variables.  One z3 variable per name
made a 32-bit n's low byte the 64-bit n's, so hypotheses about one decided the other:
a false side condition proved (``by_hypotheses``, read over the integers or not) and a
value fixed that nothing fixes (``Hypotheses.value``: branch and address decisions)."""
import pytest

z3 = pytest.importorskip("z3")

from lnsym.backends.hypotheses import Hypotheses  # noqa: E402
from lnsym.proof.induction import by_hypotheses  # noqa: E402
from lnsym.terms.bv import const, eq, extract, var  # noqa: E402
from lnsym.terms.smt import Lowering  # noqa: E402

N64, N32 = var("clash@n", 64), var("clash@n", 32)      # two variables, one name


def test_one_name_at_two_widths_is_two_z3_variables():
    low = Lowering()
    a, b = low(N64), low(N32)
    assert (a.size(), b.size()) == (64, 32) and not a.eq(b)
    assert low(N32) is b                                  # the same one each time
    s = z3.Solver()
    s.add(a == 5, z3.Extract(7, 0, b) != 5)
    assert s.check() == z3.sat


def test_a_side_condition_about_the_other_variable_is_not_proved():
    claim = extract(N32, 7, 0)
    hyps = Hypotheses([eq(N64, const(5, 64))])
    result = by_hypotheses("the 32-bit variable's low byte", hyps,
                           lambda low: low(claim) == low(const(5, 8)))
    assert result.status == "refuted", (result.status, result.method)
    assert Hypotheses([eq(N64, const(5, 64))]).value(claim) is None
    assert Hypotheses([eq(N64, const(5, 64))]).value(extract(N64, 7, 0)) is const(5, 8)
