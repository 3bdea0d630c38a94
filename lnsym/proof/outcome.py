"""The outcome of a set of proof reports as a number: the exit code of ``lnsym prove``.

``exit_code(reports)``: 2 if a proof's own setup was bad input, else 1 if any
report is refuted (a counterexample), else 4 if a run could not be completed
(status ``error``), else 3 if something is stuck, else 0 (every report
PROVED).  Python callers act on it as the CLI does::

    from lnsym.proof.outcome import exit_code
    sys.exit(exit_code([MyProof().check()]))
"""
from __future__ import annotations

PROVED, REFUTED, BAD_INPUT, STUCK, ERROR = 0, 1, 2, 3, 4
EXIT_CODES = {"proved": PROVED, "refuted": REFUTED, "stuck": STUCK, "error": ERROR}


def exit_code(reports) -> int:
    reports = list(reports)
    if any(getattr(r, "bad_input", False) for r in reports):
        return BAD_INPUT
    statuses = {r.status for r in reports}
    for status in ("refuted", "error", "stuck"):
        if status in statuses:
            return EXIT_CODES[status]
    if statuses - {"proved"}:
        return STUCK                  # an unknown status is never success
    return PROVED
