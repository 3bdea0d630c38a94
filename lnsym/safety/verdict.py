"""The verdict both safety observers give: 'no' with the first finding, 'unknown'
with the first reason the run could not settle, else 'yes'."""
from __future__ import annotations


class Verdict:
    """Mixin: an observer with ``findings`` and ``incomplete`` lists says its verdict.
    Subclasses say how a finding reads (``finding_text``) and what 'yes' reads as."""

    def finding_text(self, f) -> str:
        return f"{f.kind} at {f.pc:#x}"

    def yes_text(self) -> str:
        return "yes"

    @property
    def verdict(self) -> str:
        if self.findings:
            return "no"
        return "unknown" if self.incomplete else "yes"

    def summary(self) -> str:
        """'yes ...', 'no (first finding)' or 'unknown (first reason)'."""
        if self.findings:
            return f"no ({self.finding_text(self.findings[0])})"
        if self.incomplete:
            return f"unknown ({self.incomplete[0]})"
        return self.yes_text()
