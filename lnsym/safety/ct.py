"""The constant-time property, checked by observing a symbolic run.

``CTObserver`` is attached to a ``SymState`` (``SymState.observers`` or
``lnsym.backends.symbolic.observing``) and sees every executed instruction:

(a) every memory address and every next-PC term (the instantiated branch
    condition) must be independent of the secrets (``lnsym.safety.secrets``:
    syntactically, else a random-simulation witness, else z3 self-composition);
(b) every instruction with a secret operand must be on Arm's DIT list
    (``lnsym.safety.dit``); those that are make the result depend on
    PSTATE.DIT = 1, which the trusted base says.

A violation is a ``Finding`` with the instruction, the term, the secrets in it
and, when found, a pair of secret assignments (same public inputs) under which
the term differs.  The verdict is 'yes' only if the run completed with no
finding and nothing left undecided (see ``incomplete``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lnsym.machine.lift import LOCATION_WIDTHS
from lnsym.safety.dit import DIT_SOURCE, on_dit_list
from lnsym.safety.secrets import SecretPolicy, Taint, independence, z3_version
from lnsym.safety.verdict import Verdict
from lnsym.terms.bv import BV, var
from lnsym.terms.pretty import pretty

BRANCH_CLASSES = ("branch.",)


@dataclass
class Finding:
    kind: str                    # 'branch', 'address', 'non-DIT', 'undecided'
    pc: int
    word: int
    explanation: str
    term: BV | None = None
    secrets: list = field(default_factory=list)
    how: str = ""
    pair: tuple | None = None    # (env_a, env_b)
    values: tuple | None = None  # the term under env_a, env_b
    occurrence: int = 0          # executions of this pc before this one
    replay: str = ""             # the concrete replay's verdict, when one was run
    confirmed: bool | None = None  # did the concrete replay show the difference?

    def text(self) -> str:
        from lnsym.machine.disasm import capstone_text
        return capstone_text(self.word, self.pc) or f"{self.word:08x}"

    def differing_secrets(self) -> dict:
        """name -> (value a, value b) for the secrets the pair sets differently."""
        if not self.pair:
            return {}
        a, b = self.pair
        return {k: (a[k], b[k]) for k in sorted(a) if k in b and a[k] != b[k]}

    def describe(self, max_term_lines: int = 8) -> str:
        lines = [f"{self.pc:#x}: {self.text()} -- {self.explanation}"]
        if self.secrets:
            shown = ", ".join(self.secrets[:8]) + (" ..." if len(self.secrets) > 8 else "")
            lines.append(f"  depends on secret(s): {shown}")
        if self.term is not None:
            lines.append("  term: " + pretty(self.term, max_lines=max_term_lines)
                         .replace("\n", "\n        "))
        if self.pair:
            diff = self.differing_secrets()
            pairs = ", ".join(f"{k}={a:#x}/{b:#x}" for k, (a, b) in list(diff.items())[:6])
            lines.append(f"  secret pair ({self.how}): {pairs}"
                         + (" ..." if len(diff) > 6 else ""))
            lines.append(f"  gives {self.values[0]:#x} vs {self.values[1]:#x}")
        if self.replay:
            lines.append("  " + self.replay)
        return "\n".join(lines)


class CTObserver(Verdict):
    def __init__(self, st, policy: SecretPolicy | None = None):
        self.policy = policy or SecretPolicy()
        self.policy.add_anchors(_anchor_names(st))
        self.taint = Taint(self.policy)
        self.findings: list = []
        self.incomplete: list = []       # reasons a clean run is still not 'yes'
        self.dit_pcs: set = set()        # listed instructions with a secret operand
        self.counts: Counter = Counter()
        self.solver_used = False
        self.steps = 0
        self._reads: dict = {}
        self._flagged: set = set()

    # -- the observer interface --------------------------------------------------
    def step(self, st, ev) -> None:
        self.steps += 1
        occurrence = self.counts[ev.pc]
        self.counts[ev.pc] += 1
        for kind, addr, size, _ in ev.accesses:
            if self.taint(addr):
                self._check(ev, "address", addr, occurrence,
                            f"the {'load' if kind == 'r' else 'store'} address depends on secrets")
        nxt = ev.next_pc
        if nxt.op != "const" and self.taint(nxt):
            self._check(ev, "branch", nxt, occurrence,
                        "the branch condition (next PC) depends on secrets")
        self._check_dit(ev, occurrence)

    def _check(self, ev, kind, term, occurrence, explanation) -> None:
        if (ev.pc, kind) in self._flagged:
            return
        ind = independence(term, self.taint)
        if ind.how.startswith("z3"):
            self.solver_used = True
        if ind.independent:
            return
        self._flagged.add((ev.pc, kind))
        if ind.independent is None:
            explanation += "; independence undecided: " + ind.how
            kind = "undecided"
        self.findings.append(Finding(kind, ev.pc, ev.word, explanation, term,
                                     self.taint.secrets_in(term), ind.how, ind.pair,
                                     ind.values, occurrence))

    def _check_dit(self, ev, occurrence) -> None:
        reads = self._reads.get(ev.word)
        if reads is None:
            reads = self._reads[ev.word] = tuple(var(loc, LOCATION_WIDTHS[loc])
                                                 for loc in sorted(ev.summary.reads)
                                                 if loc != "pc")
        if not any(self.taint(ev.inputs[r]) for r in reads if r in ev.inputs):
            return
        from lnsym.safety.dit import encoding_class
        if encoding_class(ev.word).startswith(BRANCH_CLASSES):
            return                       # a secret branch condition is checked under (a)
        if on_dit_list(ev.word, ev.summary.inst):
            self.dit_pcs.add(ev.pc)
        elif (ev.pc, "non-DIT") not in self._flagged:
            self._flagged.add((ev.pc, "non-DIT"))
            secret_ops = [r.params[0] for r in reads if r in ev.inputs and self.taint(ev.inputs[r])]
            self.findings.append(Finding(
                "non-DIT", ev.pc, ev.word,
                f"operand(s) {', '.join(secret_ops)} depend on secrets and the instruction "
                f"({encoding_class(ev.word)}) is not on the DIT list", None,
                sorted({s for r in secret_ops for s in self.taint.secrets_in(ev.inputs[var(
                    r, LOCATION_WIDTHS[r])])})[:16], occurrence=occurrence))

    # -- the result ------------------------------------------------------------------
    def finding_text(self, f) -> str:
        return f"{f.kind} at {f.pc:#x}: {f.text()}"

    def trusted_base(self) -> list:
        lines = [f"constant time: {self.policy.describe()}; every branch condition and "
                 f"memory address shown independent of the secrets "
                 f"({'syntactically and by z3 self-composition' if self.solver_used else 'syntactically'})",
                 "constant time: no speculative execution modelled; caches and other "
                 "micro-architectural state not modelled beyond 'addresses are public'"]
        if self.solver_used:
            lines.append(f"z3 {z3_version()} (QF_BV), self-composition queries of the "
                         f"constant-time check")
        if self.dit_pcs:
            lines.append(f"constant time: {len(self.dit_pcs)} instruction(s) with secret "
                         f"operands, all on the DIT list ({DIT_SOURCE}); their timing is "
                         f"data-independent only with PSTATE.DIT = 1")
        return lines


def _anchor_names(st) -> set:
    """Names of the variables in region anchors (pointers are public)."""
    from lnsym.terms.bv import variables
    anchors = [r.anchor for r in st.mem.regions if r.anchor.op != "const"]
    return {v.params[0] for v in variables(*anchors)} if anchors else set()
