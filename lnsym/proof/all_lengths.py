"""The all-lengths proof of a routine: its report, trusted base and counterexamples.

``AllLengths`` is the mixin a ``RoutineProof`` takes to be proved for every block
count: it runs the induction of ``lnsym.proof.induction`` on the statement its
``fold_statement(image)`` gives, words the row and the trusted base
(``trusted_lines``), and, when the induction fails, looks for a bounded instance
that refutes it and replays that counterexample (concretely and under QEMU).
"""
from __future__ import annotations

import time

from lnsym.backends.symbolic import SymbolicError
from lnsym.elf.image import load_image
from lnsym.errors import UserError
from lnsym.proof.finish_cut import cut_trust
from lnsym.proof.induction import FoldStatement, Induction
from lnsym.proof.loops import LoopShapeError
from lnsym.proof.routine import ProofReport, patched
from lnsym.prover import prove_all
from lnsym.prover.engine import ObligationResult


def trusted_lines(stmt: FoldStatement) -> list:
    import z3
    if stmt.table is not None:
        return [f"induction over the loop iterations k (base, step, exit checked above): "
                f"Fold(0) = seed, Fold(k+1) = step(Fold(k), table entry k), result = "
                f"Fold({stmt.table.count}); the loop bound {stmt.table.count} is concrete and "
                f"the table's entries are checked against the spec's",
                f"z3 {z3.get_version_string()} (QF_UFBV), deciding branches, addresses and "
                f"the counter and pointer side conditions under k + 1 < {stmt.table.count} "
                f"(step) and k + 1 = {stmt.table.count} (exit) (arithmetic ones read exactly "
                f"over the integers: lnsym/terms/smt_int.py)"]
    tail = f" + {stmt.tail_bytes}" if stmt.tail_bytes else ""
    result = "finish(Fold(num), tail)" if stmt.finish is not None else "Fold(num)"
    least, zero = (0, "; num = 0 skips the loop (zero, checked above)") \
        if stmt.zero_iterations else (1, "")
    return ["induction over the loop iterations k (base, step, exit checked above): "
            f"Fold(0) = seed, Fold(k+1) = step(Fold(k), block k), result = {result}{zero}",
            f"precondition: {least} ≤ num < 2^{stmt.bound_bits}; the input region of "
            f"{stmt.block_bytes}·num{tail} bytes does not wrap",
            f"z3 {z3.get_version_string()} (QF_UFBV), deciding branches, addresses and the "
            f"counter and pointer side conditions under those hypotheses (arithmetic "
            f"ones read exactly over the integers: lnsym/terms/smt_int.py)"] + [
        f"precondition (stated): {what}" for _, what in stmt.facts] + [
        f"block counter {v.params[0]} advances by {s} per iteration (read as "
        f"{v.params[0]} + {s}·k at iteration k, checked by base and step)"
        for v, s in (stmt.counters or {}).items()]


class AllLengths:
    """Mixin for a ``RoutineProof`` whose ``fold_statement(image)`` states it for every
    block count; ``params['all_lengths']`` selects it, otherwise the bounded proof runs."""

    bounded_search = (1, 2, 3, 4)      # block counts tried for a concrete counterexample
    induction_class = Induction        # a subclass adds obligations (lnsym.proof.streams)

    def bounded_params(self, num: int) -> dict:
        """The bounded proof's parameters for the count ``num`` (a statement over
        groups, or with a tail after the loop, maps num to its block count)."""
        return {**self.params, "all_lengths": False, "blocks": num}

    @property
    def all_lengths(self) -> bool:
        return bool(self.params.get("all_lengths"))

    def fold_statement(self, image) -> FoldStatement:       # pragma: no cover - abstract
        raise NotImplementedError

    def check(self, object_spec=None, patches=None, timeout=60.0, replay=True):
        if not self.all_lengths:
            return super().check(object_spec, patches, timeout, replay)
        t0 = time.perf_counter()
        image = patched(load_image(object_spec or self.object_spec()), patches or {})
        diffs = self.listing_diffs(image)
        stmt = self.fold_statement(image)
        times = {"load": time.perf_counter() - t0}
        results, shape, detail, steps = self._induction(image, stmt, timeout, times)
        status = "proved"
        if any(r.status != "proved" for r in results):
            status = "stuck"
        # the setup's stated assumptions (e.g. OPENSSL_armcap_P = 0) are listed
        trusted = self.trusted_base(results, self.setup(image)) + trusted_lines(stmt) + \
            cut_trust(stmt)
        report = ProofReport(self.title(), status, steps, times, results, trusted, diffs)
        if status != "proved":
            report.replay = detail
            if replay:
                self._bounded_counterexample(report, object_spec, patches, timeout, results)
        times["solver"] = sum(r.solver_seconds for r in results)
        times["total"] = time.perf_counter() - t0
        return report

    def _induction(self, image, stmt, timeout, times):
        t1 = time.perf_counter()
        try:
            ind = self.induction_class(self, image, stmt, timeout)
            shape = ind.shape()
        except (LoopShapeError, SymbolicError) as e:
            r = ObligationResult("base: derive the loop invariant", "stuck", "induction", 0.0,
                                 detail=str(e).splitlines()[0])
            return [r], None, f"induction stuck before the step (base): {e}", 0
        results = ind.base(shape)
        if stmt.table is not None:
            results += stmt.table.check(image, ind.anchor.params[0], stmt.block_bytes,
                                        shape.memory)
        obs, decided = [], []
        phases = ("step", "exit", "zero") if stmt.zero_iterations else ("step", "exit")
        for phase in phases:                # one prover run: they share the body's terms
            try:
                o, d = getattr(ind, phase)(shape)
                obs += o
                decided += d
            except (LoopShapeError, SymbolicError) as e:
                decided.append(ObligationResult(f"{phase}: symbolic execution", "stuck",
                                                "induction", 0.0, detail=str(e).splitlines()[0]))
        results += prove_all(obs, timeout=timeout) + decided
        times["induction"] = time.perf_counter() - t1
        failed = sorted({r.name.split(":")[0] for r in results if r.status != "proved"})
        detail = ""
        if failed:
            detail = (f"induction: {'/'.join(failed)} not proved\n" + shape.describe())
        self._loop_steps = ind.base_steps + ind.steps
        return results, shape, detail, ind.base_steps + ind.steps

    def _bounded_counterexample(self, report, object_spec, patches, timeout, results):
        """A failed induction is refuted only by a concrete block count whose bounded
        proof is refuted and replayed; the side conditions' models say where to look."""
        hinted = [r.counterexample.get("num") for r in results
                  if r.status == "refuted" and r.counterexample and "num" in r.counterexample]
        # num = 1 is base then exit: when only the step failed it holds, so start at 2
        failed = {r.name.split(":")[0] for r in results if r.status != "proved"}
        search = [n for n in self.bounded_search if n > 1 or failed != {"step"}]
        counts = sorted({n for n in hinted if n and n <= 16} | set(search))   # smallest first
        per_block = max(getattr(self, "_loop_steps", 0), 2000)
        tried = []
        for n in counts:
            params = self.bounded_params(n)
            label = f"num = {n}" + (f" ({params['blocks']} blocks)" if params["blocks"] != n
                                    else "")
            bounded = type(self)(**params)
            bounded.max_steps = 4 * per_block * (n + 1)     # a mutant may never return
            try:
                rep = bounded.check(object_spec, patches, timeout, replay=True)
            except (SymbolicError, UserError) as e:
                tried.append(f"{label}: {str(e).splitlines()[0]}")
                continue
            tried.append(f"{label}: {rep.status}")
            if rep.status == "refuted":
                confirmed = getattr(bounded, "confirmed", False)
                report.status = "refuted" if confirmed else report.status
                report.results += [ObligationResult(f"bounded {label}: {r.name}", r.status,
                                                    r.method, r.seconds, r.counterexample,
                                                    r.residual, r.detail)
                                   for r in rep.failed[:3]]
                qemu, self.qemu_confirmed = _under_qemu(bounded, object_spec, patches, rep)
                at = label if params["blocks"] != n else f"{label} block(s)"
                report.replay = (f"{report.replay}\ncounterexample at {at} "
                                 f"(bounded proof refuted):\n{rep.replay}\n{qemu}")
                report.counterexample_blocks = params["blocks"]
                self.confirmed = confirmed
                return
        report.replay += ("\nno concrete counterexample among the bounded instances (" +
                          "; ".join(tried) + "): the induction is stuck, not refuted")


def _under_qemu(bounded, object_spec, patches, rep) -> tuple:
    """The bounded refutation's counterexample run under QEMU too (``lnsym.proof.cex``)."""
    from lnsym.proof.cex import confirm_under_qemu
    image = patched(load_image(object_spec or bounded.object_spec()), patches or {})
    return confirm_under_qemu(bounded, image, rep.results)


__all__ = ["AllLengths", "trusted_lines"]
