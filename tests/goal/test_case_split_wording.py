"""A case split's trusted-base line names what n counts (``CaseSplit.split_over``):
block counts by default, a length in bytes where a proof says so."""
from __future__ import annotations

from lnsym.proof.cases import Case, CaseSplit, N
from lnsym.proof.routine import ProofReport
from lnsym.terms.bv import const, uge, ult


class _Proved:
    """A case whose own proof is given: the split's coverage and wording are tested."""
    def check(self, object_spec=None, patches=None, timeout=60.0, replay=True):
        return ProofReport("case", "proved", 0, {"total": 0.0}, [], ["the case's base"], [])


class _Split(CaseSplit):
    bound_bits = 8

    def object_spec(self):
        return None

    def listing_diffs(self, image):
        return []

    def title(self):
        return "split"

    def cases(self):
        return [Case("n < 16", ult(N, const(16, 64)), _Proved()),
                Case("n ≥ 16", uge(N, const(16, 64)), _Proved())]


def _line(split) -> str:
    report = split.check()
    assert report.status == "proved"
    return next(t for t in report.trusted_base if t.startswith("case split over"))


def test_the_split_line_names_what_n_counts(monkeypatch):
    from lnsym.proof import cases
    monkeypatch.setattr(cases, "load_image", lambda spec: None)   # the cases are given
    assert _line(_Split()).startswith("case split over the block count n: n < 16; n ≥ 16")

    class InBytes(_Split):
        split_over = "the length in bytes n"
    assert _line(InBytes()).startswith("case split over the length in bytes n: n < 16")
