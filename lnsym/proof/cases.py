"""A statement for every length, proved by cases over the length.

A routine whose control flow depends on the length (a wide loop for long inputs,
a separate path for short ones, tails of 1..3 blocks after the loop) is proved
for every block count ``1 ≤ n < 2^bound_bits`` as a few *cases*, each a proof of
its own:

* a bounded proof for one concrete ``n`` (the short paths);
* an all-lengths induction (``lnsym.proof.induction``) for every ``n`` of a
  residue class, e.g. ``n = 4·(num + 1) + r`` with ``1 ≤ num < 2^56``.

Each case says which ``n`` it covers as a 1-bit term over the 64-bit variable
``n``.  The split itself is checked, not assumed: z3 shows that every ``n`` in
the range satisfies some case's term (``CaseSplit.coverage``).  The report is
PROVED only when the coverage and every case are; the first case refuted (in
the order given, so the smallest counterexample first) or ending in an error
decides the report.  The split and its check are listed in the trusted base.

The cases share their proofs (``lnsym.prover.reuse``): an obligation whose terms
an earlier case (or an earlier phase) proved is reported with that proof's
method, e.g. the loop step every residue's induction re-runs.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from lnsym.backends.hypotheses import Hypotheses
from lnsym.elf.image import load_image
from lnsym.proof.routine import ProofReport, patched
from lnsym.prover import gf2, reuse
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import BV, add, and_, const, eq, mul, or_, uge, ult, urem, var

N = var("n", 64)          # the block count the case split is over


@dataclass
class Case:
    label: str            # "n = 4·(num + 1) + 1, 1 ≤ num < 2^56"
    covers: BV            # 1-bit term over N: the block counts this case proves
    proof: object         # a RoutineProof (bounded or all-lengths) for those counts


def coverage(cases: list, bound_bits: int) -> ObligationResult:
    """z3: every 1 ≤ n < 2^bound_bits is covered by some case."""
    from lnsym.proof.induction import by_hypotheses
    hyps = Hypotheses([uge(N, const(1, 64)), ult(N, const(1 << bound_bits, 64))])
    covered = or_(*[c.covers for c in cases]) if len(cases) > 1 else cases[0].covers
    result = by_hypotheses(f"cases: every 1 ≤ n < 2^{bound_bits} is covered by a case", hyps,
                           lambda low: low(covered) == 1)
    if result.status == "refuted" and result.counterexample:
        result.detail = f"no case covers n = {result.counterexample.get('n')}"
    return result


def residue_class(group: int, r: int, num_bits: int) -> BV:
    """n = group·(num + 1) + r with 0 ≤ num < 2^num_bits (r < group)."""
    return and_(eq(urem(N, const(group, 64)), const(r, 64)), uge(N, const(group, 64)),
                ult(N, const(group * ((1 << num_bits) + 1), 64)))


def residue_split(short: int, group: int, num_bits: int, bounded, induction) -> list:
    """The cases of a routine with a loop over ``group`` blocks a pass: ``bounded(n)``
    for n = 1..short, then ``induction(r)`` for each n = group·(num + 1) + r, r < group."""
    return ([Case(f"n = {n}", eq(N, const(n, 64)), bounded(n)) for n in range(1, short + 1)]
            + [Case(f"n = {group}·(num + 1) + {r}, 0 ≤ num < 2^{num_bits}",
                    residue_class(group, r, num_bits), induction(r)) for r in range(group)])


class ResidueCase:
    """Mixin for the all-lengths case n = group_blocks·(num + 1) + r of a routine whose
    wide loop takes ``group_blocks`` blocks a pass (r = params['tail_blocks'], the blocks
    after the last group); its bounded instances (counterexamples) have ``blocks`` = n."""
    group_blocks = 1                    # blocks per pass of the loop inducted over
    bounded_search = (0, 1, 2)          # num = 0 is group + r blocks (the loop skipped)

    @property
    def tail_blocks(self) -> int:
        return int(self.params.get("tail_blocks", 0))

    def title(self):
        if self.all_lengths:
            return (f"{self.name} (n = {self.group_blocks}·(num + 1) + {self.tail_blocks}, "
                    f"0 ≤ num < 2^{self.bound_bits})")
        return super().title()

    def bounded_params(self, num: int) -> dict:
        return {**self.params, "all_lengths": False,
                "blocks": self.group_blocks * (num + 1) + self.tail_blocks}

    def group_count(self) -> BV:
        """The block count of this case as a term over num: group·(num + 1) + r."""
        from lnsym.proof.loops import NUM
        return add(mul(const(self.group_blocks, 64), NUM),
                   const(self.group_blocks + self.tail_blocks, 64))


def _merge(lines: list, more: list) -> None:
    lines += [t for t in more if t not in lines]


class CaseSplit:
    """Mixin for a proof whose ``cases()`` cover every block count; ``derived()``
    may add results argued from the proved cases (run only when all are proved)."""

    bound_bits = 58
    split_over = "the block count n"    # what n counts, in the trusted-base line

    def cases(self) -> list:            # pragma: no cover - abstract
        raise NotImplementedError

    def premises(self) -> list:
        """(label, proof) proved before the cases and needed by ``derived`` (e.g. the
        routine called first in a composition); each must be PROVED too."""
        return []

    def derived(self, results: list) -> tuple:
        """(results, trusted-base lines) derived from the proved premises and cases."""
        return [], []

    def check(self, object_spec=None, patches=None, timeout=60.0, replay=True):
        t0 = time.perf_counter()
        image = patched(load_image(object_spec or self.object_spec()), patches or {})
        diffs = self.listing_diffs(image)
        cases = self.cases()
        results = [coverage(cases, self.bound_bits)]
        trusted, unstated, steps = [], [], 0
        status, report_extra, per_case = "proved", {}, {}
        premises = [Case(label, const(0, 1), proof) for label, proof in self.premises()]
        algebra = gf2.GF2()                     # and their products' GF(2) normal forms
        for case in premises + cases:
            with reuse.sharing(), gf2.sharing(algebra):   # the cases re-prove one loop step
                rep = case.proof.check(object_spec, patches, timeout, replay)
            per_case[f"case {case.label}"] = rep.seconds.get("total", 0.0)
            steps += rep.steps
            results += [ObligationResult(f"[{case.label}] {r.name}", r.status, r.method,
                                         r.seconds, r.counterexample, r.residual, r.detail,
                                         r.solver_seconds) for r in rep.results]
            _merge(trusted, rep.trusted_base)
            _merge(unstated, rep.unstated)
            if rep.status in ("refuted", "error"):
                status = rep.status
                report_extra = {"replay": f"case {case.label}:\n{rep.replay}",
                                "error": rep.error, "error_detail": rep.error_detail}
                self.confirmed = getattr(case.proof, "confirmed", False)
                blocks = getattr(rep, "counterexample_blocks", None)
                self.counterexample_blocks = blocks or case.proof.params.get("blocks")
                break
            if rep.status != "proved":
                status = "stuck"
                report_extra.setdefault("replay", f"case {case.label}:\n{rep.replay}")
        if status == "proved" and results[0].status != "proved":
            status = "stuck"
        if status == "proved":
            more, lines = self.derived(results)
            results += more
            _merge(trusted, lines)
            if any(r.status != "proved" for r in more):
                status = "stuck"
        _merge(trusted, [f"case split over {self.split_over}: {'; '.join(c.label for c in cases)}"
                         f" (coverage of 1 ≤ n < 2^{self.bound_bits} checked by z3 above)"])
        times = {**per_case, "total": time.perf_counter() - t0,
                 "solver": sum(r.solver_seconds for r in results)}
        report = ProofReport(self.title(), status, steps, times, results, trusted, diffs,
                             unstated=unstated)
        for key, value in report_extra.items():
            setattr(report, key, value or getattr(report, key))
        if status == "refuted":
            report.counterexample_blocks = self.counterexample_blocks
        return report


__all__ = ["Case", "CaseSplit", "N", "ResidueCase", "coverage", "residue_class",
           "residue_split"]
