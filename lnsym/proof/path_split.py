"""``PathSplit``: a routine proof proved once per path of its data-dependent branches.

Put it before ``RoutineProof`` (or a contract) in the bases.  ``check`` explores
the paths (``lnsym.proof.paths.explore``), proves the routine on each under its
branch conditions, and gives one report: PROVED only when every path is proved
and z3 shows the paths' conditions cover every input.  Each obligation's name
says its path.  With ``rewrite_sums`` the spec's sums are first rewritten as the
code's terms under the path's facts (``SumLeaves``); a routine with no symbolic
branch is one path with no facts, proved the same way.
"""
from __future__ import annotations

from dataclasses import replace

from lnsym.backends.symbolic import SymbolicBranch
from lnsym.elf.image import load_image
from lnsym.proof.paths import BranchSite, covers, explore, fact_terms
from lnsym.proof.sum_leaves import SumLeaves
from lnsym.proof.routine import RETURN, RUN_ERRORS, ProofReport, patched
from lnsym.terms.bv import const
from lnsym.terms.evaluate import evaluate
from lnsym.terms.pretty import short

ORDER = ("refuted", "error", "stuck", "proved")      # the first that occurs is the status


class PathSplit:
    rewrite_sums = True
    path_facts: dict = {}

    # -- one path --------------------------------------------------------------------
    def setup(self, image):
        """The proof's setup with this path's branch conditions as preconditions on
        input values: a counterexample must take this path (z3 is asked for one under
        them, and only such a one is replayed).  The trusted base does not list them
        as assumptions: the paths are the cases of a split whose coverage is checked."""
        s = super().setup(image)
        if self.path_facts:
            s = replace(s, preconditions=[*s.preconditions, *fact_terms(self.path_facts)])
        return s

    def start(self, image):
        st, setup = super().start(image)
        st.assumptions.update({c: const(v, c.width) for c, v in self.path_facts.items()})
        return st, setup

    def execute(self, image):
        """The path's run: the one ``check`` made while exploring, under the same facts
        and image, if it kept it (each is used once); otherwise run now."""
        kept = self.__dict__.get("_explored", {}).pop(frozenset(self.path_facts.items()), None)
        if kept is None:
            return super().execute(image)
        self.last_state = kept[0]
        return kept

    def postcondition(self, st, setup):
        outs = super().postcondition(st, setup)
        if not self.rewrite_sums:
            return outs
        impl = [self.output_term(st, o.where) for o in outs]
        leaves = SumLeaves(self.path_facts, impl)
        specs = leaves.rewrite([o.spec for o in outs], impl)
        self.sums_rewritten = leaves.proven
        return [replace(o, spec=s) for o, s in zip(outs, specs)]

    def trusted_base(self, results, setup=None) -> list:
        if setup is not None and self.path_facts:
            conds = set(fact_terms(self.path_facts))
            setup = replace(setup, preconditions=[t for t in setup.preconditions
                                                  if t not in conds])
        base = super().trusted_base(results, setup)
        if getattr(self, "sums_rewritten", 0):
            import z3
            base.append(f"z3 {z3.get_version_string()}: {self.sums_rewritten} sum(s) of the "
                        f"spec shown equal to the code's terms (under the path's branch "
                        f"conditions, if any) before the ladder")
        return base

    # -- every path ------------------------------------------------------------------
    def check(self, object_spec=None, patches=None, timeout: float = 60.0, replay: bool = True):
        image = patched(load_image(object_spec or self.object_spec()), patches or {})
        where: dict = {}
        self._explored = {}                  # facts -> (state, setup) of a finished run

        def run(facts):
            self.path_facts = facts
            st, setup = self.start(image)
            st.run(RETURN, self.max_steps)
            self._explored[frozenset(facts.items())] = (st, setup)
        try:
            paths = explore(run, where)
        except (SymbolicBranch, *RUN_ERRORS):
            paths, self._explored = [{}], {}  # the one run reports what stopped it
        finally:
            self.path_facts = {}
        if paths == [{}]:
            return super().check(object_spec, patches, timeout, replay)
        reports = []
        for facts in paths:
            self.path_facts = facts
            try:
                reports.append((facts, outside_facts(
                    super().check(object_spec, patches, timeout, replay), facts)))
            finally:
                self.path_facts = {}
        return merged(self.title(), reports, where, covers(paths))


def path_label(facts: dict, where: dict) -> str:
    """'path 0x.. taken (-> 0x..), ...': each branch and where this path goes there."""
    return "path " + ", ".join(where[c].describe(v) if isinstance(where.get(c), BranchSite)
                               else f"{where.get(c, 0):#x} condition = {v}"
                               for c, v in facts.items())


def outside_facts(report: ProofReport, facts: dict) -> ProofReport:
    """A refutation whose counterexample breaks the path's facts is no refutation: the
    input takes another path.  Such results become stuck."""
    terms = fact_terms(facts)
    for i, r in enumerate(report.results):
        cex = r.counterexample
        if r.status != "refuted" or cex is None:
            continue
        if not all(evaluate(t, lambda n: cex.get(n, 0)) == 1 for t in terms):
            report.results[i] = replace(r, status="stuck", counterexample=None,
                                        detail="a difference only outside this path's "
                                               "conditions (not a counterexample)")
    if report.status == "refuted" and not any(r.status == "refuted" for r in report.results):
        report.status, report.replay = "stuck", ""
    return report


def merged(title: str, reports: list, where: dict, covered: bool) -> ProofReport:
    results, trusted, seconds, replays = [], [], {}, []
    for facts, rep in reports:
        label = path_label(facts, where)
        results += [replace(r, name=f"[{label}] {r.name}") for r in rep.results]
        trusted += [t for t in rep.trusted_base if t not in trusted]
        for k, v in rep.seconds.items():
            seconds[k] = seconds.get(k, 0.0) + v
        if rep.replay:
            replays.append(f"[{label}] {rep.replay}")
    status = next(s for s in ORDER if s == "proved" or any(rep.status == s for _, rep in reports))
    if status == "proved" and not covered:
        status = "stuck"
    conds = "; ".join(f"{where.get(c, 0):#x}: {short(c)}" for c in
                      dict.fromkeys(c for f, _ in reports for c in f))
    trusted.append(f"path split: {len(reports)} paths on the branch conditions {conds}; "
                   f"z3 shows they cover every input" if covered else
                   "path split: the paths' conditions were NOT shown to cover every input")
    first = reports[0][1]
    err = next((rep for _, rep in reports if rep.status == "error"), None)
    out = ProofReport(title, status, max(rep.steps for _, rep in reports), seconds, results,
                      trusted, first.listing_diffs, "\n".join(replays))
    if err is not None:
        out.error, out.error_detail = err.error, err.error_detail
    out.unstated = [u for _, rep in reports for u in rep.unstated]
    return out
