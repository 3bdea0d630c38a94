"""The coverage check of a length split, as the every-length tests state it."""
from __future__ import annotations

from lnsym.proof.cases import Case, N, coverage
from lnsym.terms.bv import const, eq


def assert_split_coverage(short: int, group: int, covers_residue, dropped: int) -> list:
    """z3 proves that n = 1..short and the residues n mod ``group`` cover every
    1 ≤ n < 2^58; without n = short that count is named uncovered, and without the
    residue ``dropped`` an uncovered n of that residue is found.  Returns the cases."""
    bounded = [Case(f"n = {n}", eq(N, const(n, 64)), None) for n in range(1, short + 1)]
    loops = [Case(f"r = {r}", covers_residue(r), None) for r in range(group)]
    assert coverage(bounded + loops, 58).status == "proved"
    missing = coverage(bounded[:-1] + loops, 58)
    assert missing.status == "refuted" and missing.detail == f"no case covers n = {short}"
    no_r = coverage(bounded + loops[:dropped] + loops[dropped + 1:], 58)
    assert no_r.status == "refuted" and int(no_r.detail.split()[-1]) % group == dropped
    return bounded + loops
