"""A proof variable named like the induction's own variables is refused, not confused."""
import pytest

from lnsym.backends.symbolic import Region
from lnsym.errors import UserError
from lnsym.proof.induction import FoldStatement, _check_reserved_names
from lnsym.proof.routine import Setup
from lnsym.terms.bv import var


def statement(seed):
    return FoldStatement(seed=seed, step=None, input_region="inp", block_bytes=64,
                         outputs=None)


@pytest.mark.parametrize("name", ["k", "H0@k", "x5@step"])
def test_reserved_variable_names_are_refused(name):
    setup = Setup({"x0": var("ctx", 64), "x3": var(name, 64)}, [])
    with pytest.raises(UserError, match="reserved"):
        _check_reserved_names(setup, statement([var("H0", 32)]))


def test_reserved_names_in_region_bytes_are_refused():
    region = Region("ctx", var("ctx", 64), 0, 8, init=lambda off: var(f"s@{off}", 8))
    with pytest.raises(UserError, match="'s@0'"):
        _check_reserved_names(Setup({}, [region]), statement([]))


def test_ordinary_names_pass():
    region = Region("ctx", var("ctx", 64), 0, 32, init=lambda off: var(f"ctx[{off}]", 8))
    _check_reserved_names(Setup({"x2": var("num", 64)}, [region]), statement([var("H0", 32)]))
