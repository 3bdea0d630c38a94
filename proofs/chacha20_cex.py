"""Counterexamples of the ChaCha20 every-length proofs (``proofs.chacha20_all``,
``proofs.chacha20_neon_all``): a failed phase is only stuck; it becomes refuted when a
bounded proof at one of the lengths that phase runs at is refuted and its
counterexample replays concretely (and under QEMU, ``lnsym.proof.cex``)."""
from __future__ import annotations

from lnsym.backends.symbolic import SymbolicError
from lnsym.elf.image import load_image
from lnsym.proof.routine import patched
from lnsym.prover.engine import ObligationResult

TAIL = "tail r = "


def phase_list(phases: list) -> str:
    """The failed phases in words, each kind of tail as one list of r."""
    tails: dict = {}
    words = []
    for p in phases:
        if TAIL in p:
            kind, r = p.split(TAIL)
            tails.setdefault(kind, []).append(int(r))
        else:
            words.append(p)
    for kind, rs in tails.items():
        rs.sort()
        more = ", ..." if len(rs) > 8 else ""
        words.append(f"{kind}{TAIL}{', '.join(map(str, rs[:8]))}{more} ({len(rs)} of 63)")
    return ", ".join(words)


class BoundedSearch:
    """Mixin: ``bounded_counterexample`` tries ``bounded_class(length=n)`` at the
    ``candidate_lengths`` of the failed phases, smallest first."""
    confirmed = False
    bounded_class = None

    @staticmethod
    def candidate_lengths(phases: list) -> list:
        """The smallest lengths at which each failed phase of ChaCha20_ctr32's scalar
        induction runs, smallest first."""
        lengths = set()
        for phase in phases:
            if phase.startswith(TAIL):
                lengths.add(int(phase[len(TAIL):]))
            elif phase in ("base", "tail entry", "cases"):     # (1 byte may not return)
                lengths |= {1, 2, 64}
            elif phase == "exit":
                lengths.add(64)
            else:                                    # the step: a second pass
                lengths |= {65, 128}
        return sorted(lengths)

    def bounded_counterexample(self, report, object_spec, patches, timeout, phases):
        """A failed induction is refuted only by a bounded proof at a concrete length
        whose counterexample replays concretely."""
        from lnsym.proof.cex import confirm_under_qemu
        tried = []
        for n in self.candidate_lengths(phases):
            bounded = self.bounded_class(length=n, no_wrap=self.params.get("no_wrap", True))
            try:
                rep = bounded.check(object_spec, patches, timeout, replay=True)
            except SymbolicError as e:
                tried.append(f"len = {n}: {str(e).splitlines()[0]}")
                continue
            tried.append(f"len = {n}: {rep.status}")
            if rep.status != "refuted":
                continue
            self.confirmed = getattr(bounded, "confirmed", False)
            report.status = "refuted" if self.confirmed else report.status
            report.results += [ObligationResult(f"bounded len = {n}: {r.name}", r.status,
                                                r.method, r.seconds, r.counterexample,
                                                r.residual, r.detail) for r in rep.failed[:3]]
            image = patched(load_image(object_spec or self.object_spec()), patches or {})
            qemu, _ = confirm_under_qemu(bounded, image, rep.results)
            report.replay += (f"\ncounterexample at len = {n} bytes (bounded proof refuted):\n"
                              f"{rep.replay}\n{qemu}")
            report.counterexample_length = n
            return
        report.replay += ("\nno concrete counterexample among the bounded instances ("
                          + "; ".join(tried) + "): the induction is stuck, not refuted")
