"""Constant time (CT) and memory safety (MEM) alongside any symbolic run.

``SafetyCollector`` is an observer factory: inside ``collector.watching()``
every ``SymState`` the run creates (one for a routine proof, one per segment
for a proof script) gets a ``CTObserver`` and a ``MemObserver``.  The
``SafetyResult`` merges them: a finding in any state is a 'no', anything not
shown is 'unknown', and no run at all is 'n/a'.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

from lnsym.backends.symbolic import observing
from lnsym.safety.ct import CTObserver
from lnsym.safety.memory import MemObserver, guard_finding
from lnsym.safety.secrets import SecretPolicy


class _Both:
    __slots__ = ("ct", "mem", "clock")

    def __init__(self, ct, mem, clock):
        self.ct, self.mem, self.clock = ct, mem, clock

    def step(self, st, ev):
        t = time.perf_counter()
        self.ct.step(st, ev)
        self.mem.step(st, ev)
        self.clock[0] += time.perf_counter() - t


@dataclass
class SafetyResult:
    ct: str                              # yes / no / unknown / n/a
    mem: str
    ct_summary: str
    mem_summary: str
    ct_findings: list = field(default_factory=list)
    mem_findings: list = field(default_factory=list)
    trusted_base: list = field(default_factory=list)
    stack_depth: int = 0
    dit_pcs: list = field(default_factory=list)
    steps: int = 0

    def as_json(self) -> dict:
        return {"ct": self.ct, "ct_summary": self.ct_summary, "mem": self.mem,
                "mem_summary": self.mem_summary, "stack_depth": self.stack_depth,
                "ct_findings": [_ct_json(f) for f in self.ct_findings],
                "mem_findings": [{"kind": f.kind, "pc": hex(f.pc), "detail": f.detail,
                                  "text": f.describe()} for f in self.mem_findings],
                "dit_dependent": [hex(p) for p in self.dit_pcs],
                "trusted_base": self.trusted_base}


# the iteration index and the block count of an all-lengths proof (lnsym.proof.loops)
LOOP_COUNTS = ("k", "num")


class SafetyCollector:
    def __init__(self, public=(), public_prefixes=(), secret=(), secret_prefixes=()):
        self._policy_args = (tuple(public) + LOOP_COUNTS, tuple(public_prefixes),
                             tuple(secret), tuple(secret_prefixes))
        self.ct: list = []
        self.mem: list = []
        self.clock = [0.0]            # seconds spent in the observers

    def policy(self) -> SecretPolicy:
        policy = SecretPolicy(*self._policy_args)
        policy.labels.update({"k": "an all-lengths proof's loop index k",
                              "num": "its block count num"})
        return policy

    def __call__(self, st):
        ct, mem = CTObserver(st, self.policy()), MemObserver(st)
        self.ct.append(ct)
        self.mem.append(mem)
        return _Both(ct, mem, self.clock)

    @property
    def seconds(self) -> float:
        return self.clock[0]

    @contextlib.contextmanager
    def watching(self):
        with observing(self):
            yield self

    def result(self, stopped: str = "") -> SafetyResult:
        """The merged verdicts; ``stopped`` says why the run did not complete (a
        finding before that point still counts, but nothing is 'yes')."""
        ran = [i for i, o in enumerate(self.ct) if o.steps]
        if not ran and stopped:
            ran = list(range(len(self.ct)))       # stopped at its first instruction
        cts, mems = [self.ct[i] for i in ran], [self.mem[i] for i in ran]
        if not cts:
            return SafetyResult("n/a", "n/a", "n/a (no symbolic run)", "n/a (no symbolic run)")
        ct_findings = [f for o in cts for f in o.findings]
        mem_findings = [f for o in mems for f in o.findings]
        guard = guard_finding(stopped) if stopped else None
        if guard is not None:
            mem_findings.append(guard)
        late = [f"the run stopped: {stopped}"] if stopped else []
        ct_incomplete = [r for o in cts for r in o.incomplete] + late
        mem_incomplete = [r for o in mems for r in o.incomplete] + late
        depth = max(m.depth for m in mems)
        ct, ct_sum = _merge(ct_findings, ct_incomplete,
                            lambda f: f"{f.kind} at {f.pc:#x}: {f.text()}", "yes")
        mem, mem_sum = _merge(mem_findings, mem_incomplete, lambda f: f"{f.kind} at {f.pc:#x}",
                              f"yes (stack {depth} bytes)")
        trusted = []
        if ct == "yes":
            for o in cts:
                trusted += [t for t in o.trusted_base() if t not in trusted]
        if mem == "yes":
            trusted.append(mems[0].trusted_base()[0].rsplit(";", 1)[0]
                           + f"; stack depth {depth} bytes")
        dit = sorted({p for o in cts for p in o.dit_pcs})
        return SafetyResult(ct, mem, ct_sum, mem_sum, ct_findings, mem_findings, trusted,
                            depth, dit, sum(o.steps for o in cts))


def _ct_json(f) -> dict:
    from lnsym.terms.pretty import pretty
    pair = f.differing_secrets()
    return {"kind": f.kind, "pc": hex(f.pc), "instruction": f.text(),
            "explanation": f.explanation, "secrets": f.secrets,
            "term": pretty(f.term, max_lines=20) if f.term is not None else None,
            "how": f.how, "pair": {k: [hex(a), hex(b)] for k, (a, b) in pair.items()},
            "values": [hex(v) for v in f.values] if f.values else None,
            "replay": f.replay, "confirmed": f.confirmed, "text": f.describe()}


def _merge(findings, incomplete, first, yes):
    if findings:
        return "no", f"no ({first(findings[0])})"
    if incomplete:
        return "unknown", f"unknown ({incomplete[0]})"
    return "yes", yes
