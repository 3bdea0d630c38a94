"""OpenSSL's KeccakF1600_ce computes FIPS 202 Keccak-f[1600]: its round loop by induction.

Routine: ``KeccakF1600_ce`` from libcrypto.a:libcrypto-lib-keccak1600-armv8.o
(listing: listings/KeccakF1600_ce.lst), an internal routine with its own
convention: lane i = x + 5y of the state is the low 64 bits of V<i>
(i = 0..24) on entry and on return; x9, x10 and v25-v31 are scratch.

Preconditions
  v0..v24: low halves the lanes A0..A24 (symbolic), high halves symbolic junk;
  every other register symbolic.
Postcondition
  the low 64 bits of v0..v24 hold Keccak-f[1600](A) (FIPS 202 §3.4,
  proofs/specs/keccak.py); x19-x29 and sp preserved, no memory written.

Why not the plain strategy: symbolic execution of all 24 rounds drowns -- every
ρ rotation is a concat of two slices and every θ/χ XOR is pushed below them,
so the lane terms of later rounds split into ever more fragments
(docs/stuck-goals.md).  Instead, induction over the round index k
(``lnsym.proof.induction``, the loop head and back edge from the control-flow
graph): the fold is over the table of round constants the loop reads
(``ConstantTable``), not over input blocks, and the invariant is derived:

    after k rounds (0 ≤ k ≤ 24), at the loop head: the lanes hold
    Rnd(..Rnd(A, RC[0]).., RC[k-1]), the round-constant pointer x10 = iotas + 8k,
    the counter x9 = 24 - k, and the frame its entry value.

Every 128-bit lane register computes the round on both 64-bit halves (the
ι constant is replicated by ``ld1r``), so the high halves are folded too
(seed: the junk ``v<i>_hi``); only the low halves are the postcondition.
Base (entry -> head), step (one round from fresh lanes, fresh round constant
at iotas + 8k, k + 1 < 24: back to the head with the invariant at k + 1) and
exit (k + 1 = 24: the last round, then the return with keccak_f's lanes and the
whole frame) are checked on the prover ladder and by z3; the table is checked
to hold FIPS 202's RC[0..23], each table step to be Rnd(., i_r), and
keccak_f is Rnd iterated for i_r = 0..n_r-1 with n_r = 24 = the loop bound.
"""
from __future__ import annotations

import time

from lnsym.backends.cfg import loops
from lnsym.backends.concrete import ExecutionError
from lnsym.backends.symbolic import Region
from lnsym.errors import UserError
from lnsym.machine.memory import MemoryFault
from lnsym.proof.all_lengths import AllLengths
from lnsym.proof.goal import Goal
from lnsym.proof.induction import FoldStatement, Induction
from lnsym.proof.loops import ConstantTable
from lnsym.proof.routine import RUN_ERRORS, Output, RoutineProof, Setup, error_report, le_bytes
from lnsym.proof.session import Session
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import concat, const, var
from proofs.listing import load_listing
from proofs.specs import keccak

LISTING = load_listing("KeccakF1600_ce")
ROUNDS = keccak.n_r


def loop_offsets(image, symbol: str = "KeccakF1600_ce") -> tuple:
    """(loop head, back edge) as offsets from ``symbol``: the outermost loop of its
    control-flow graph (KeccakF1600_ce has one: the round loop)."""
    found = loops(image, symbol)
    if not found:
        raise ValueError(f"{symbol} has no loop (no back edge)")
    lp = max(found, key=lambda lp: (lp.back_edge - lp.head, -lp.head))
    base = image.symbol(symbol).addr
    return lp.head - base, lp.back_edge - base


def lanes(prefix: str) -> list:
    return [var(f"{prefix}{i}", 64) for i in range(25)]


def round_spec(A: list, rc) -> list:
    """FIPS 202 Rnd (§3.3) with the ι constant as a term: ι(χ(π(ρ(θ(A))))) where ι XORs rc."""
    B = keccak.chi(keccak.pi(keccak.rho(keccak.theta(A))))
    return [B[0] ^ rc] + B[1:]


def le_word(block: list):
    """The little-endian word of a table entry's bytes."""
    return concat(*reversed(block))


class KeccakF1600Ce(AllLengths, RoutineProof):
    name = "KeccakF1600_ce"
    member = "libcrypto-lib-keccak1600-armv8.o"
    symbol = "KeccakF1600_ce"
    listing = LISTING
    spec = "FIPS 202 §3.3-§3.4 Keccak-f[1600] (proofs/specs/keccak.py)"
    preserved_v_low64 = ()            # v8-v15 hold lanes: an internal calling convention
    all_lengths = True                # always the induction (over the 24 rounds)
    bounded_search = ()

    def title(self):
        return f"{self.name} (round loop by induction)"

    # -- the statement ------------------------------------------------------------------------
    def setup(self, image):
        self.A, self.H = lanes("A"), [var(f"v{i}_hi", 64) for i in range(25)]
        return Setup({f"v{i}": concat(self.H[i], self.A[i]) for i in range(25)}, [])

    def postcondition(self, st, setup):
        out = keccak.keccak_f(self.A)
        return [Output(f"lane {i}", ("reg", f"v{i}", 63, 0), out[i]) for i in range(25)]

    def fold_statement(self, image) -> FoldStatement:
        """Fold(0) = (A, the high halves), Fold(k+1) = Rnd on both with the table's entry
        k as ι's constant; the table must be FIPS 202's RC[0..23]; the lanes at the
        return are Fold(24)'s low halves."""
        self.setup(image)

        def step(S, block):
            rc = le_word(block)
            return round_spec(list(S[:25]), rc) + round_spec(list(S[25:]), rc)

        def outputs(S):
            return [Output(f"lane {i}", ("reg", f"v{i}", 63, 0), S[i]) for i in range(25)]
        table = ConstantTable(tuple(rc.to_bytes(8, "little") for rc in keccak.RC))
        return FoldStatement(self.A + self.H, step, "iotas", 8, outputs, table=table)

    def spec_steps(self, stmt: FoldStatement) -> list:
        """The fold is keccak_f: the statement's step with table entry i_r is FIPS 202's
        Rnd(., i_r) on the lanes (the same hash-consed terms, on symbolic lanes), and
        keccak_f iterates Rnd for i_r = 0..n_r-1 with n_r = the table's length, the loop
        bound (FIPS 202 Algorithm 7, as proofs/specs/keccak.py writes it)."""
        S, T = lanes("S"), lanes("T")
        out = []
        for i, entry in enumerate(stmt.table.entries):
            t0 = time.perf_counter()
            got = stmt.step(S + T, [const(b, 8) for b in entry])[:25]
            same = i < keccak.n_r and all(a is b for a, b in zip(got, keccak.Rnd(S, i)))
            out.append(ObligationResult(f"spec: step with table entry {i} = Rnd(., {i})",
                                        "proved" if same else "stuck", "structural",
                                        time.perf_counter() - t0))
        out.append(ObligationResult(f"spec: keccak_f iterates Rnd n_r = {keccak.n_r} times, "
                                    f"the loop bound {stmt.table.count}", "proved"
                                    if keccak.n_r == stmt.table.count else "stuck",
                                    "structural", 0.0))
        return out

    def constant_data(self, image) -> set:
        """The round-constant table the loop reads (24 entries of 8 bytes), where the
        induction finds it; for the listing (the plain run does not finish)."""
        ind = Induction(self, image, self.fold_statement(image), 60.0)
        ind.shape()
        start = ind.anchor.params[0]
        return set(range(start, start + 8 * ROUNDS))

    def automatic(self, timeout: float = 60.0, object_spec=None):
        """The plain strategy: symbolic execution to the return, then the prover."""
        return RoutineProof.check(self, object_spec, timeout=timeout)

    # -- the proof ----------------------------------------------------------------------------
    def check(self, object_spec=None, patches=None, timeout=60.0, replay=True):
        """The induction (``AllLengths.check``), after the run from the entry to the loop
        head: an error there (an access below SP, a store to code) is the routine's."""
        t0 = time.perf_counter()
        s = Session(self, object_spec, patches)
        try:
            s.run(to=loop_offsets(s.image, self.symbol)[0])
        except ValueError:                  # no loop: the induction says so
            pass
        except RUN_ERRORS as e:
            if isinstance(e, UserError):
                raise
            return error_report(self.title(), e, s.state.steps, self.listing_diffs(s.image),
                                {"total": time.perf_counter() - t0}, s.image)
        report = AllLengths.check(self, object_spec, patches, timeout, replay)
        spec = self.spec_steps(self.fold_statement(s.image))
        report.results += spec
        if report.status == "proved" and any(r.status != "proved" for r in spec):
            report.status = "stuck"
        report.trusted_base.append("keccak_f(A) = Rnd(..Rnd(A, 0).., 23): FIPS 202 Algorithm 7 "
                                   "as proofs/specs/keccak.py defines it (n_r = 24 checked)")
        report.seconds["total"] = time.perf_counter() - t0
        return report

    def _bounded_counterexample(self, report, object_spec, patches, timeout, results):
        """The loop bound is concrete, so the one bounded instance is the routine itself:
        a failed induction is refuted by running it concretely (lnsym, then QEMU) on
        inputs taken from the failed obligations' models (the lanes at the loop head as
        the routine's input), then on fixed lanes."""
        s = Session(self, object_spec, patches)
        candidates = self._candidate_inputs(results)
        for env in candidates:
            try:
                ex = s.explain(env)
            except (ExecutionError, MemoryFault) as e:     # no outputs to compare
                report.replay += f"\nthe concrete run from the entry stops: {e}"
                continue
            if ex.confirmed:
                report.status = "refuted"
                self.confirmed = True
                report.replay = (f"{report.replay}\ncounterexample (run concretely from the "
                                 f"entry):\n{ex}")
                return
        report.replay += (f"\nno concrete counterexample among {len(candidates)} input(s): "
                          f"the induction is stuck, not refuted")

    def _candidate_inputs(self, results) -> list:
        seeds = {f"{v.params[0]}@k": v.params[0] for v in self.A + self.H}
        out = []
        for r in results:
            if r.status == "refuted" and r.counterexample:
                out.append({seeds.get(name, name): val for name, val in r.counterexample.items()
                            if "@" not in name or name in seeds})
        sample = {a.params[0]: (0x9E3779B97F4A7C15 * (i + 1)) % (1 << 64)
                  for i, a in enumerate(self.A)}
        return out[:3] + [sample, {}]

    # -- counterexamples: concrete spec values and per-round checkpoints ------------------------
    def spec_values(self, value) -> list:
        out = keccak.keccak_f([const(value(a), 64) for a in self.A])
        return [(f"lane {i}", ("reg", f"v{i}", 63, 0), out[i].params[0]) for i in range(25)]

    def checkpoints(self, session, value) -> list:
        """The lanes at each arrival at the loop head (after r rounds) and at the return."""
        from lnsym.proof.cex import Checkpoint
        head, _ = loop_offsets(session.image, self.symbol)
        M = (1 << 64) - 1
        S = [const(value(a), 64) for a in self.A]
        cps = []
        for r in range(ROUNDS + 1):
            cps.append(Checkpoint(f"lanes after {r} round(s)", head if r < ROUNDS else None,
                                  r if r < ROUNDS else 0,
                                  lambda cpu, mem: [cpu.v[i] & M for i in range(25)],
                                  [t.params[0] for t in S]))
            if r < ROUNDS:
                S = keccak.Rnd(S, r)
        return cps

    # -- the console (lnsym prove KeccakF1600_ce --interactive) ------------------------------
    def first_goal(self, s) -> Goal:
        """One round from the loop head on fresh lanes A and a fresh round constant rc (read
        through x10 from a symbolic 8-byte region), to the back edge, against
        χ∘π∘ρ∘θ(A) with rc XORed into lane 0 (the whole routine's goal is what the
        induction avoids building)."""
        head, back = loop_offsets(s.image, self.symbol)
        A, rc, rcp = lanes("A"), var("rc", 64), var("rc_ptr", 64)
        regs = {f"v{i}": concat(var(f"h{i}", 64), A[i]) for i in range(25)}
        regs["x10"] = rcp
        table = Region("rc", rcp, 0, 8, init=lambda off: le_bytes(rc, off), writable=False)
        body = s.segment(head, regs, tag="round", memory=[table])
        body = s.last_segment.run(to=back)
        return Goal("one round = Rnd(A) with ι constant rc",
                    concat(*[body.lane(f"v{i}") for i in range(25)]), concat(*round_spec(A, rc)))
