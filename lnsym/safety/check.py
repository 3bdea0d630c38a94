"""``lnsym ct``: constant time and memory safety of a routine with no functional spec.

The routine runs symbolically from its symbol to its return on the regions of
a ``Contract``, with a ``CTObserver`` and a ``MemObserver`` attached, in *ct
mode*: where the executor would stop, ``CTRecovery`` records and continues.

* A load from an address it cannot place (a secret table index) yields a fresh
  variable, secret by default (so taint flows on); the observer has already
  judged the address.  MEM records the access as not shown in bounds.
* A store to such an address is dropped: later loads may then see stale
  values, so a clean run is reported 'unknown', never 'yes'.
* A branch on secret data follows the direction the first secret of the
  finding's pair takes.  A branch on *public* symbolic data is decided from
  the precondition that regions are disjoint (``cmp ap, bp``) or stops the run
  ('unknown'): a public input the contract leaves symbolic must be fixed.

Nothing computed in ct mode is a functional result.  Each finding with a pair
of secrets is replayed concretely (``lnsym.safety.replay``).
"""
from __future__ import annotations

from dataclasses import dataclass

from lnsym.backends.concrete import ExecutionError
from lnsym.backends.runner import RETURN_SENTINEL
from lnsym.backends.symbolic import Region, SymbolicBranch, SymMemory, SymState, no_wrap
from lnsym.elf.image import Image
from lnsym.proof.routine import STACK_BYTES, image_regions
from lnsym.safety.collector import SafetyCollector, SafetyResult
from lnsym.safety.contract import Contract
from lnsym.terms.bv import const, var
from lnsym.terms.evaluate import evaluate
from lnsym.terms.pretty import pretty


class CTRecovery:
    """Handles what stops a proof run, for the constant-time analysis only."""

    def __init__(self, ct, mem):
        self.ct, self.mem = ct, mem
        self.fresh = 0
        self.disjointness_decisions = 0    # pointer branches fixed by the precondition

    def unresolved(self, st, pc, kind, addr, size, value, error):
        if kind == "w":
            reason = f"store at {pc:#x} to an address not placed in a region was not modelled"
            if reason not in self.ct.incomplete:
                self.ct.incomplete.append(reason)
            return None
        self.fresh += 1
        return var(f"load@{pc:#x}#{self.fresh}", 8 * size)

    def branch(self, st, pc, nxt) -> int:
        pair = next((f.pair for f in self.ct.findings if f.pc == pc and f.pair), None)
        if pair is None and not self.ct.taint(nxt):
            decided = decide_by_disjointness(st.mem, nxt)
            if decided is not None:
                self.disjointness_decisions += 1
                return decided
        if pair is None:        # public (or undecided) symbolic next PC: stop, never guess
            raise SymbolicBranch(f"the branch at {pc:#x} depends on symbolic data the contract "
                                 f"does not fix (next PC: {pretty(nxt, max_lines=3)})")
        return evaluate(nxt, lambda name: pair[0].get(name, 0))


def decide_by_disjointness(mem, t, timeout_s: float = 5.0):
    """The value of a next-PC term over region anchors alone if the contract's
    precondition -- regions are disjoint and do not wrap -- fixes it (e.g.
    ``cmp ap, bp`` for two declared regions), else None.  z3 decides."""
    import z3

    from lnsym.terms.bv import variables
    from lnsym.terms.smt import Lowering, solver_for, unique_value
    regions = [r for r in mem.regions if r.anchor.op == "var" and r.hi > r.lo]
    anchors = {r.anchor for r in regions}
    if not variables(t) or not variables(t) <= anchors:
        return None
    low = Lowering()
    value = low(t)
    s = solver_for(low, timeout_s)
    span = {}
    for r in regions:
        s.add(*no_wrap(low, r))
        a = z3.ZeroExt(1, low(r.anchor))
        span[r.name] = (a + r.lo if r.lo >= 0 else a - (-r.lo), a + r.hi)
    names = list(span)
    for i, x in enumerate(names):
        for y in names[i + 1:]:
            s.add(z3.Or(z3.ULE(span[x][1], span[y][0]), z3.ULE(span[y][1], span[x][0])))
    return unique_value(s, value)


RETURN = const(RETURN_SENTINEL, 64)


@dataclass
class CTRun:
    result: SafetyResult
    state: SymState
    contract: Contract
    stopped: str = ""          # why the run stopped early, if it did


def build_state(image: Image, symbol: str, contract: Contract) -> SymState:
    mem = SymMemory()
    sp0 = var("sp_0", 64)
    mem.add(Region("stack", sp0, -STACK_BYTES, 0))
    regs = {"sp": sp0, "x30": RETURN}      # a concrete user-space address: public
    for d in contract.regions:
        ptr = var(d.name, 64)
        fixed = contract.fields.get(d.name, {})
        mem.add(Region(d.name, ptr, 0, d.size, writable=d.writable,
                       init=lambda off, n=d.name, f=fixed: (const(f[off], 8) if off in f
                                                           else var(f"{n}[{off}]", 8))))
        regs[d.reg] = ptr
    for r in image_regions(image):
        mem.add(r)
    regs.update({reg: const(v, 64) for reg, v in contract.values.items()})
    regs.update({reg: var(name, 64) for reg, name in contract.aliases.items()})

    def fetch(pc):
        return int.from_bytes(image.read(pc, 4), "little")
    return SymState(fetch, mem, image.symbol(symbol).addr, regs)


def check_ct(image: Image, symbol: str, contract: Contract, max_steps: int = 200_000,
             replay: bool = True) -> CTRun:
    collector = SafetyCollector(public=contract.public_names(),
                                public_prefixes=contract.public_prefixes())
    st = build_state(image, symbol, contract)
    both = collector(st)
    st.observers.append(both)
    st.recovery = CTRecovery(both.ct, both.mem)
    stopped = ""
    try:
        st.run(RETURN, max_steps)          # (a constant: PAC/AUT of it fold)
    except ExecutionError as e:        # includes the machine-model guards (below SP, ...)
        stopped = str(e)
    run = CTRun(collector.result(stopped), st, contract, stopped)
    if st.recovery.disjointness_decisions and run.result.ct == "yes":
        from lnsym.safety.secrets import z3_version
        run.result.trusted_base.append(
            f"z3 {z3_version()} (QF_BV), deciding {st.recovery.disjointness_decisions} "
            f"branch(es) on pointers from the contract's precondition that regions are "
            f"disjoint and do not wrap")
    if replay:
        from lnsym.safety.replay import replay_findings
        replay_findings(image, symbol, run)
    return run
