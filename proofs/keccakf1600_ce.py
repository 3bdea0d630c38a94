"""Proof script: OpenSSL's KeccakF1600_ce computes FIPS 202 Keccak-f[1600].

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

Why a script: the automatic strategy (symbolic execution of all 24 rounds,
then the prover) drowns -- every ρ rotation is a concat of two slices and
every θ/χ XOR is pushed below them, so the lane terms of later rounds split
into ever more fragments (see docs/stuck-goals.md for the measurement).  The
script instead cuts the loop at its head (+0x10: the target of the listing's
back edge, ``LOOP``) and:

1. proves a *round lemma* once: the loop body (+0x10 .. +0x11c, up to the
   ``subs``) on fresh lanes A and a fresh round constant rc (read through
   x10 from a symbolic 8-byte region) equals χ∘π∘ρ∘θ(A) with rc XORed into
   lane 0 -- Rnd of FIPS 202 with the round constant as a variable
   (cached on disk, keyed by its statement and the semantics' sources);
2. for each round r = 0..23 runs a *segment* from the loop head with fresh
   lanes L_r, x9 = 24 - r, x10 = iotas + 8r (everything else fresh), uses
   the lemma instance rc := the table word, and checks the result is
   Rnd(L_r, r), the counter/pointer/branch go to round r+1 (or return after
   round 23), x19-x29/sp are untouched and nothing is stored (the frame of the
   whole routine, entry to return, is checked by ``ScriptedProof.check``:
   segments start from the loop head's frame invariant);
3. proves the entry code reaches the loop head with x9 = 24, x10 = iotas
   and the lanes untouched.  Composition is the cut-point rule: every
   segment fact holds for all values of its fresh variables, so by
   induction over the loop the lanes at the return are
   Rnd(..Rnd(A, 0).., 23), which is keccak_f(A) by its definition (FIPS 202
   Algorithm 7; proofs/specs/keccak.py keccak_f iterates Rnd for
   i_r = 0..n_r-1, n_r = 24: checked as a goal).  The composed term itself
   is never built -- it is exactly what explodes.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.goal import Goal, Result
from lnsym.proof.lemma import Lemma, LemmaRefuted
from lnsym.proof.routine import CALLEE_SAVED, Output, RoutineProof, Setup, le_bytes
from lnsym.proof.session import ScriptedProof
from lnsym.terms.bv import concat, const, var
from proofs.listing import adr_target, back_edges, load_listing
from proofs.specs import keccak

LISTING = load_listing("KeccakF1600_ce")


def loop_offsets(listing) -> tuple:
    """(loop head, end of the body) from the listing's one back edge: the head is its
    target (+0x10, the first eor3 of θ); the body ends before the instruction that
    sets the flags it tests (+0x11c, ``subs x9, x9, #1``; the round's last state
    update is the eor before it)."""
    (branch, head), = back_edges(listing)
    text = {off: t for off, _w, t in listing}
    if not text[branch - 4].startswith("subs x9, x9, #1"):
        raise ValueError(f"KeccakF1600_ce listing: +{branch - 4:#x} is {text[branch - 4]!r}, "
                         f"not the round counter's subs")
    return head, branch - 4


LOOP, BODY_END = loop_offsets(LISTING)
ROUNDS = 24


def lanes(prefix: str) -> list:
    return [var(f"{prefix}{i}", 64) for i in range(25)]


def round_spec(A: list, rc) -> list:
    """FIPS 202 Rnd (§3.3) with the ι constant as a term: ι(χ(π(ρ(θ(A))))) where ι XORs rc."""
    B = keccak.chi(keccak.pi(keccak.rho(keccak.theta(A))))
    return [B[0] ^ rc] + B[1:]


def _iota_table(s) -> int:
    """The iota table's address: x10 at the first arrival at the loop head (a fresh
    session of the same proof, so ``s`` itself stays at the entry)."""
    from lnsym.proof.session import Session
    t = Session(s.proof) if s.state.steps else s
    v = Session.__new__(Session)
    v.__dict__.update(t.__dict__)
    v.state = t.initial_copy()
    return v.run(to=LOOP).reg("x10").params[0]


class KeccakF1600Ce(ScriptedProof, RoutineProof):
    name = "KeccakF1600_ce"
    member = "libcrypto-lib-keccak1600-armv8.o"
    symbol = "KeccakF1600_ce"
    listing = LISTING
    spec = "FIPS 202 §3.3-§3.4 Keccak-f[1600] (proofs/specs/keccak.py)"
    preserved_v_low64 = ()            # v8-v15 hold lanes: an internal calling convention
    script_trust = ("the proof script proofs/keccakf1600_ce.py: cut-point composition over the "
                    f"loop head +{LOOP:#x} (the back edge's target; each round proven for all "
                    "lanes), keccak_f = Rnd iterated for i_r = 0..23 by its definition")

    # -- the statement (also what the automatic strategy proves) ------------------------------
    def setup(self, image):
        self.A = lanes("A")
        return Setup({f"v{i}": concat(var(f"v{i}_hi", 64), self.A[i]) for i in range(25)}, [])

    def postcondition(self, st, setup):
        out = keccak.keccak_f(self.A)
        return [Output(f"lane {i}", ("reg", f"v{i}", 63, 0), out[i]) for i in range(25)]

    def constant_data(self, image) -> set:
        """The iota table (24 round constants of 8 bytes) the loop reads from x10,
        which the adr at +0x4 sets; for the listing (the plain run does not finish)."""
        table = adr_target(image, self.symbol, 0x4)
        return set(range(table, table + 8 * 24))

    def automatic(self, timeout: float = 60.0, object_spec=None):
        """The plain strategy: symbolic execution to the return, then the prover."""
        return RoutineProof.check(self, object_spec, timeout=timeout)

    # -- counterexamples: concrete spec values and per-round checkpoints ------------------------
    def spec_values(self, value) -> list:
        out = keccak.keccak_f([const(value(a), 64) for a in self.A])
        return [(f"lane {i}", ("reg", f"v{i}", 63, 0), out[i].params[0]) for i in range(25)]

    def checkpoints(self, session, value) -> list:
        """The lanes at each arrival at the loop head (after r rounds) and at the return."""
        from lnsym.proof.cex import Checkpoint
        M = (1 << 64) - 1
        S = [const(value(a), 64) for a in self.A]
        cps = []
        for r in range(ROUNDS + 1):
            cps.append(Checkpoint(f"lanes after {r} round(s)", LOOP if r < ROUNDS else None,
                                  r if r < ROUNDS else 0,
                                  lambda cpu, mem: [cpu.v[i] & M for i in range(25)],
                                  [t.params[0] for t in S]))
            if r < ROUNDS:
                S = keccak.Rnd(S, r)
        return cps

    def explain(self, s, results) -> str:
        """The first refuted goal's counterexample, as inputs of the whole routine."""
        bad = next((r for r in results if r.status == "refuted" and r.counterexample), None)
        if bad is None:
            return "no counterexample"
        env = dict(bad.counterexample)
        # a round goal's lanes L{r}_i (or the lemma's A_i) become the routine's inputs
        for k, v in list(env.items()):
            head, _, idx = k.rpartition("_") if k.startswith("L") else (None, None, None)
            if head is not None and idx.isdigit():
                env[f"A{idx}"] = v
        return f"counterexample for '{bad.goal.name}':\n" + str(s.explain(env))

    # -- the script ---------------------------------------------------------------------------
    def round_lemma(self, s) -> Lemma:
        A, rc, rcp = lanes("A"), var("rc", 64), var("rc_ptr", 64)
        regs = {f"v{i}": concat(var(f"h{i}", 64), A[i]) for i in range(25)}
        regs["x10"] = rcp
        table = Region("rc", rcp, 0, 8, init=lambda off: le_bytes(rc, off), writable=False)
        st = s.segment(LOOP, regs, tag="lemma", memory=[table])
        s.last_segment.run(to=BODY_END)
        return Lemma("keccak-round", [st.lane(f"v{i}") for i in range(25)], round_spec(A, rc))

    def round_goal(self, s, r: int, iotas: int):
        """(goal, segment view, segment session, lanes L, body outputs): round r of the loop
        run from its head on fresh lanes L{r}_i (x9 = 24 - r, x10 = iotas + 8r) to the end
        of its body, against Rnd(L, r)."""
        L = lanes(f"L{r}_")
        regs = {f"v{i}": concat(var(f"v{i}_hi@{r}", 64), L[i]) for i in range(25)}
        regs["x9"] = const(ROUNDS - r, 64)
        regs["x10"] = const(iotas + 8 * r, 64)
        seg = s.segment(LOOP, regs, tag=f"r{r}")
        sub = s.last_segment
        body = sub.run(to=BODY_END)
        out = [body.lane(f"v{i}") for i in range(25)]
        g = Goal(f"round {r}: lanes = Rnd(L, {r})", concat(*out), concat(*keccak.Rnd(L, r)))
        return g, seg, sub, L, out

    def first_goal(self, s) -> Goal:
        """For ``--interactive``: round 0 of the loop (the whole routine's goal cannot be
        built: see the module docstring)."""
        return self.round_goal(s, 0, _iota_table(s))[0]

    def script(self, s, say) -> list:
        results = []
        timeout = getattr(self, "timeout", 60.0)

        def check(goal):
            r = goal.prove(timeout)
            results.append(r)
            if r.status != "proved":
                say(f"  {r!r}")
            return r

        # 1. the round lemma, proven once (or found in the cache)
        lemma = self.round_lemma(s)
        try:
            lemma.prove(timeout)
        except LemmaRefuted as e:
            g = Goal(f"round lemma, lane {e.index}", lemma.lhs[e.index], lemma.rhs[e.index])
            say(f"round lemma refuted: {e}")
            return [Result(g, "refuted", "lemma", 0.0, e.counterexample, str(e))]
        say(f"round lemma: {lemma.how}")

        # 2. entry -> loop head: x9 = 24, x10 = the iota table, lanes untouched
        head = s.run(to=LOOP)
        iotas = head.reg("x10")
        check(Goal("entry: x9 = 24", head.reg("x9"), const(ROUNDS, 64)))
        if iotas.op != "const":
            raise AssertionError("x10 is not a constant address at the loop head")
        iotas = iotas.params[0]
        A0 = [head.lane(f"v{i}") for i in range(25)]
        check(Goal("entry: lanes untouched", concat(*A0), concat(*self.A)))

        # 3. each round, on fresh lanes
        steps = head.steps
        for r in range(ROUNDS):
            g, seg, sub, L, out = self.round_goal(s, r, iotas)
            rc = int.from_bytes(s.image.read(iotas + 8 * r, 8), "little")
            g = g.use(lemma, {**{f"A{i}": L[i] for i in range(25)}, "rc": rc})
            check(g)
            end = sub.run() if r == ROUNDS - 1 else sub.run(to=LOOP)
            steps += end.steps
            check(Goal(f"round {r}: x9 = {ROUNDS - r - 1}", end.reg("x9"), const(ROUNDS - r - 1, 64)))
            if r < ROUNDS - 1:
                check(Goal(f"round {r}: x10 = iotas + {8 * (r + 1)}", end.reg("x10"),
                           const(iotas + 8 * (r + 1), 64)))
            ends = end.pc is None if r == ROUNDS - 1 else end.pc == s.address(LOOP)
            check(Goal(f"round {r}: next pc is the {'return' if r == ROUNDS - 1 else 'loop head'}",
                       const(int(ends), 1), const(1, 1)))
            frame = [end.reg(loc) for loc in CALLEE_SAVED] + [end.reg("x30")]
            check(Goal(f"round {r}: x19-x29, sp, x30 untouched", concat(*frame),
                       concat(*[seg.st.initial[loc] for loc in CALLEE_SAVED], seg.st.initial["x30"])))
            written = sum(len(reg.bytes) for reg in sub.state.mem.regions)
            check(Goal(f"round {r}: no memory written", const(written, 32), const(0, 32)))
            # the lanes after the body are unchanged by subs/b.ne(/ret)
            check(Goal(f"round {r}: lanes unchanged after the body",
                       concat(*[end.lane(f"v{i}") for i in range(25)]), concat(*out)))
        self.script_steps = steps
        say(f"{ROUNDS} rounds checked against the lemma ({steps} instructions in all)")
        # composition (the cut-point rule): the entry reaches the loop head with the
        # lanes A; round r maps the lanes at its head by Rnd(., r) for *all* lanes and
        # hands x9/x10 to round r+1; after round 23 the routine returns.  Hence the
        # lanes at the return are Rnd(..Rnd(A, 0).., 23) = keccak_f(A), FIPS 202
        # Algorithm 7 as written in proofs/specs/keccak.py keccak_f (checked below:
        # keccak_f is that iteration, evaluated on sample lanes).
        check(Goal("composition: keccak_f iterates Rnd for i_r = 0..23 (n_r = 24)",
                   const(keccak.n_r, 8), const(ROUNDS, 8)))
        return results
