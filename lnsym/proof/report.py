"""A proof's report: its status, obligations, trusted base and replay."""
from __future__ import annotations

from dataclasses import dataclass, field

from lnsym.elf.image import Image

STATUSES = ("proved", "refuted", "stuck", "error")


@dataclass
class ProofReport:
    name: str
    status: str                 # one of STATUSES (see the module docstring)
    steps: int
    seconds: dict               # phase -> seconds
    results: list               # ObligationResult
    trusted_base: list
    listing_diffs: list
    replay: str = ""
    error: str = ""             # status "error": one sentence naming the instruction
    error_detail: str = ""      # and anything after it (e.g. a next-PC term)
    # what the statement leaves open (an empty postcondition, written bytes of a
    # may-change region that no output constrains): a PROVED says nothing about them
    unstated: list = field(default_factory=list)

    @property
    def failed(self):
        return [r for r in self.results if r.status != "proved"]


def error_report(title: str, e: Exception, steps: int, diffs: list, seconds: dict,
                 image: Image | None = None):
    """The ``ProofReport`` of a run that could not be completed (an error raised with
    the instruction's address gets its word and disassembly from ``image``)."""
    lines = str(e).strip().splitlines() or [type(e).__name__]
    pc = getattr(e, "pc", None)
    if pc is not None and image is not None and image.segment_at(pc) is not None:
        from lnsym.backends.guards import describe
        word = int.from_bytes(image.read(pc, 4), "little")
        lines[0] = lines[0].replace(describe(pc), describe(pc, word), 1)
    return ProofReport(title, "error", steps, seconds, [], [], diffs,
                       error=lines[0], error_detail="\n".join(lines[1:]))


