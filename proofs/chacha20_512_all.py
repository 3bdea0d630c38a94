"""Proof: ChaCha20_ctr32's NEON path for every length from 512 bytes (ChaCha20_512_neon).

Statement: with OPENSSL_armcap_P's NEON bit set (the other bits free), for every
512 ≤ len ≤ 2^38 with counter + ⌈len/64⌉ ≤ 2^32, ``ChaCha20_ctr32(out, inp, len,
key, counter)`` writes out[i] = inp[i] XOR key-stream byte i (RFC 8439 §2.4.1),
partial last block included, and returns with the frame of ``proofs.chacha20_neon``.

Control flow (listings/ChaCha20_512_neon.lst): ChaCha20_ctr32 branches to
ChaCha20_neon, which branches to ChaCha20_512_neon+0x24 after its own prologue;
that saves d8..d15 below a 0xc0-byte scratch frame (sp = sp_0 − 0x120) and reaches
the 512-byte loop's head (+0x84) with x2 = len − 512.  A pass makes 8 blocks: two
scalar ones (counter + 8k, then ``add x28, x28, #1``) and six in NEON registers
(v3..v6 + lane 0 offsets), stores them, ``add x28, x28, #7``, and branches back
(+0x1068, ``b.hs``) while 512 bytes remain.  After the last pass the remainder
r = len − 512·num in [0, 512) goes to the return (r = 0), to ChaCha20_neon's loop
head (r ≥ 192, sp = sp_0 − 0xa0 with d8, d9 saved at [sp]: ChaCha20_neon's own
frame) or to ChaCha20_ctr32's loop head (r < 192, d8, d9 restored).

The proof is an induction over the passes k with len symbolic, as
``proofs.chacha20_all`` for the scalar loop: at the head after k passes x0 = out +
512k, x1 = inp + 512k, x2 = len − 512 − 512k, x28 = n0 : (counter + 8k), lane 0
of v3..v6 advanced by 8k, what a pass writes before reading it free (including the
four stack slots [sp + 0x30, sp + 0x70) holding v3..v6); each pass sees its own
512-byte window of out and inp at +512k.  Obligations: base (the entry reaches the
head at k = 0); the pass (512(k + 1) ≤ len: out[512k, 512k + 512) = inp XOR blocks
counter + 8k .. + 7, to the loop's branch, with x28's carry-free ``+ 1`` decided by
z3 under the precondition); the back edge (512(k + 2) ≤ len: the head state at
k + 1); after the last pass (len − 512(k + 1) < 512): the return with the frame
(r = 0), or a cut at ChaCha20_neon's or ChaCha20_ctr32's loop head whose state is
checked (pointers out + 512(k + 1), x2 = r, x28 = n0 : c with c = counter +
8(k + 1), v3's lane 0 = c, the lane offsets 1..4, the frame registers).  From each
cut the rest is ``proofs.chacha20_neon_all``'s cases run with the origin moved
(out, inp, len, counter → out + 512(k + 1), inp + 512(k + 1), r, c): the 11 cases
of 192 ≤ r < 512, and the scalar loop's 7 cases of 1 ≤ r < 192 (three passes at
most), each to the return or to a tail cut; the tails are proved once per r =
1..63 on free key-stream words.
"""
from __future__ import annotations

import re

from lnsym.backends.hypotheses import Hypotheses, HypothesisMemory
from lnsym.backends.symbolic import Region, SymbolicError, SymState
from lnsym.proof.loops import K, copy_memory
from lnsym.proof.routine import RETURN
from lnsym.prover import Obligation
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import add, concat, const, eq, extract, mul, neg, ule, ult, var
from proofs.chacha20_all import LEN, LEN_BITS, SCRATCH, ChaCha20Ctr32AllLengths, satisfiable
from proofs.chacha20_neon_all import HEAD, ChaCha20NeonLengths, lane_offsets
from proofs.listing import load_listing
from proofs.specs import chacha20

HEAD512, SECOND_BLOCK, BRANCH = 0x84, 0x80C, 0x1068     # in ChaCha20_512_neon
CTR32_HEAD, CTR32_BACK = 0x54, 0x2D4                    # in ChaCha20_ctr32
PASS512 = 512
SP_AT_HEAD = -0x120           # sp − sp_0 in the loop (ChaCha20_neon's 0x60, then 0xc0)
FREE_SLOTS = range(SP_AT_HEAD + 0x30, SP_AT_HEAD + 0x70)   # v3..v6, stored then reloaded
LOOP_SCRATCH = SCRATCH + tuple(f"v{i}" for i in range(8, 32))
COUNTER_ROWS = ("v3", "v4", "v5", "v6")
SCALAR_PASS = 64


def stuck(label: str):
    raise SymbolicError(f"{label}: the cut before them was not reached")


def at_k(anchor, k, stride=PASS512):
    return add(anchor, mul(const(stride, 64), k))


class ChaCha20Neon512Lengths(ChaCha20NeonLengths):
    """ChaCha20_ctr32 with the NEON bit set, every 512 ≤ len ≤ 2^38."""
    may_change = ("out", "out@k", "out@tail")

    def title(self):
        return (f"{self.name} via ChaCha20_ctr32 and ChaCha20_512_neon (every length 512 ≤ "
                f"len ≤ 2^{LEN_BITS}, counter + ⌈len/64⌉ ≤ 2^32; NEON path: "
                f"OPENSSL_armcap_P bit 0 set)")

    def other_listings(self) -> tuple:
        return (*super().other_listings(), ("ChaCha20_512_neon", load_listing("ChaCha20_512_neon")))

    def facts(self) -> list:
        return [*ChaCha20Ctr32AllLengths.facts(self), ule(const(PASS512, 64), LEN)]

    def passes(self, *more) -> list:
        """Pass k runs (512(k + 1) ≤ len; k < 2^29 as len ≤ 2^38), and ``more``."""
        return [ult(K, const(1 << (LEN_BITS - 9), 64)),
                ule(at_k(const(PASS512, 64), K), LEN), *more]

    def block(self, k, j: int):
        """The block counter of block j of pass k: counter + 8k + j (mod 2^32)."""
        return add(self.counter, mul(const(8, 32), extract(k, 31, 0)), const(j, 32))

    # -- states ------------------------------------------------------------------------
    def head512(self, k, tag: str) -> dict:
        """The registers at the 512-byte loop's head after k passes."""
        regs = {loc: (var(f"{loc}@{tag}", t.width) if loc in LOOP_SCRATCH else t)
                for loc, t in self.base512.items()}
        regs.update({"x0": at_k(var("out", 64), k), "x1": at_k(var("inp", 64), k),
                     "x2": add(LEN, neg(at_k(const(PASS512, 64), k))),
                     "x28": concat(self.nonce[0], self.block(k, 0))})
        for loc in COUNTER_ROWS:
            row = self.base512[loc]
            regs[loc] = concat(extract(row, 127, 32),
                               add(extract(row, 31, 0), mul(const(8, 32), extract(k, 31, 0))))
        return regs

    def fresh_memory(self, mem, hyps: Hypotheses, tag: str):
        """A copy of ``mem`` under ``hyps`` with the loop's free stack slots fresh."""
        out = copy_memory(mem, into=HypothesisMemory(hyps))
        stack = out.region("stack")
        for off in FREE_SLOTS:
            stack.bytes[off] = var(f"stack[{off}]@{tag}", 8)
        return out

    def pass_state(self, hyps: Hypotheses) -> SymState:
        mem = self.fresh_memory(self.head_memory512, hyps, "k")
        mem.add(Region("out@k", at_k(var("out", 64), K), 0, PASS512,
                       init=lambda off: var(f"out@k[{off}]", 8)))
        mem.add(Region("inp@k", at_k(var("inp", 64), K), 0, PASS512,
                       init=lambda off: var(f"inp@k[{off}]", 8), writable=False))
        return SymState(self.fetch, mem, self.p512 + HEAD512, self.head512(K, "k"))

    def unchanged(self, phase: str, hyps: Hypotheses, st: SymState, before) -> list:
        """As the scalar proof's, with the free stack slots left out."""
        results = super().unchanged(phase, hyps, st, before)
        return [r for r in results if not any(f"stack[{off:#x}]" in r.name for off in FREE_SLOTS)]

    # -- the 512-byte loop --------------------------------------------------------------
    def base(self, image) -> list:
        """From ChaCha20_ctr32's entry to ChaCha20_512_neon's loop head (len ≥ 512)."""
        hyps, st = self.run_from_entry(image, self.p512 + HEAD512,
                                       "ChaCha20_512_neon's loop head")
        self.head_memory512, self.base512 = st.mem, dict(st.regs)
        want = self.head512(const(0, 64), "0")
        return [self.same(f"base: {loc} at k = 0", hyps, st.regs[loc], want[loc])
                for loc in ("x0", "x1", "x2", "x28", *COUNTER_ROWS)] + [
                self.same("base: sp", hyps, st.regs["sp"],
                          add(var("sp_0", 64), const(SP_AT_HEAD % (1 << 64), 64)))]

    def pass512(self) -> tuple:
        """512(k + 1) ≤ len: pass k writes out[512k, 512k + 512) and reaches the branch."""
        hyps = satisfiable(Hypotheses([*self.facts(), *self.passes()]))
        st = self.pass_state(hyps)
        st.run(RETURN, self.max_steps, stop_at=self.p512 + SECOND_BLOCK)
        self.steps += st.steps
        if st.pc != self.p512 + SECOND_BLOCK:
            raise SymbolicError("pass: the run does not reach the second scalar block")
        decided = [self.same("pass: x28 + 1 for the second scalar block", hyps, st.regs["x28"],
                             concat(self.nonce[0], self.block(K, 1)))]
        st.regs["x28"] = concat(self.nonce[0], self.block(K, 1))      # checked just above
        steps = st.steps
        st.run(RETURN, self.max_steps, stop_at=self.p512 + BRANCH)
        self.steps += st.steps - steps
        if st.pc != self.p512 + BRANCH:
            raise SymbolicError("pass: the run does not reach the loop's branch")
        self.after_pass = st
        stream = [b for j in range(8)
                  for b in chacha20.serialize(chacha20.chacha20_block(self.key, self.block(K, j),
                                                                      self.nonce))]
        out, inp = st.mem.region("out@k"), st.mem.region("inp@k")
        obs = [Obligation(f"pass: out[512k + {i}]", out.byte(i), inp.initial(i) ^ stream[i])
               for i in range(PASS512)]
        return obs, decided + self.unchanged("pass", hyps, st, self.head_memory512)

    def resume(self, label: str, more: list) -> tuple:
        """The state at the loop's branch after pass k, under the pass's facts and
        ``more`` (stronger than the pass's: its terms hold there)."""
        if not hasattr(self, "after_pass"):
            raise SymbolicError(f"{label}: the pass did not reach the loop's branch")
        hyps = satisfiable(Hypotheses([*self.facts(), *self.passes(*more)]))
        mem = copy_memory(self.after_pass.mem, into=HypothesisMemory(hyps))
        return hyps, SymState(self.fetch, mem, self.after_pass.pc, dict(self.after_pass.regs))

    def back_edge(self) -> tuple:
        """512(k + 2) ≤ len: the branch goes back in the head state at k + 1."""
        hyps, st = self.resume("back edge", [ule(at_k(const(2 * PASS512, 64), K), LEN)])
        nxt = st.step()
        want = self.head512(add(K, const(1, 64)), "k")
        decided = [self.same("back edge: taken", hyps, nxt, const(self.p512 + HEAD512, 64))]
        decided += [self.same(f"back edge: {loc} at k + 1", hyps, st.regs[loc], want[loc])
                    for loc in want if loc not in LOOP_SCRATCH]
        return [], decided + self.unchanged("back edge", hyps, st, self.head_memory512)

    def rest(self):
        """r = len − 512(k + 1), the remainder after the last pass k."""
        return add(LEN, neg(at_k(const(PASS512, 64), K)))

    def last(self, *more) -> list:
        return [ult(LEN, at_k(const(2 * PASS512, 64), K)), *more]

    def after_loop(self, label: str, more: list, stop: int | None) -> tuple:
        hyps, st = self.resume(label, self.last(*more))
        st.run(RETURN, self.max_steps, stop_at=stop)
        self.steps += st.steps
        if stop is not None and st.pc != stop:
            raise SymbolicError(f"{label}: the run does not reach {stop:#x}")
        return hyps, st

    def done(self) -> tuple:
        """len = 512(k + 1): the routine returns with the frame."""
        _hyps, st = self.after_loop("after the loop, r = 0", [eq(self.rest(), const(0, 64))],
                                    None)
        return self.frame("after the loop, r = 0", st), []

    def cut(self, label: str, more: list, stop: int, lanes: bool) -> tuple:
        """r ≥ 192 (ChaCha20_neon's head) or 1 ≤ r < 192 (ChaCha20_ctr32's): the state at
        the cut, then the remainder's origin moved there."""
        hyps, st = self.after_loop(label, more, stop)
        k1 = add(K, const(1, 64))
        c = self.block(k1, 0)
        want = {"x0": at_k(var("out", 64), k1), "x1": at_k(var("inp", 64), k1),
                "x2": self.rest(), "x28": concat(self.nonce[0], c),
                "sp": add(var("sp_0", 64), const(-0xA0 % (1 << 64), 64))}
        if lanes:
            want["v3"] = concat(extract(self.base512["v3"], 127, 32), c)
            want["v8"] = lane_offsets(1)
        decided = [self.same(f"{label}: {loc} at the cut", hyps, st.regs[loc], t)
                   for loc, t in want.items()]
        regs = {**st.regs, **want}                     # checked just above
        self.cuts[label] = (regs, st.mem)
        if not lanes:     # the tails are proved from the other cut's memory: the same bytes
            other = self.cuts.get("after the loop, r ≥ 192")
            if other is None:
                raise SymbolicError(f"{label}: the cut at ChaCha20_neon's head was not reached")
            decided += self.unchanged(label, hyps, st, other[1])
        return [], decided

    # -- the remainder ------------------------------------------------------------------
    def remainder(self, lanes: bool) -> str | None:
        """Move the cases' origin to the state after the last pass (the phase that
        could not run, if its cut did not)."""
        k1 = add(K, const(1, 64))
        label = "after the loop, r ≥ 192" if lanes else "after the loop, 1 ≤ r < 192"
        if label not in self.cuts:
            return f"{label}: cases"
        regs, mem = self.cuts[label]
        self.base_regs = regs
        self.head_memory = self.fresh_memory(mem, Hypotheses([]), "r")
        self.head_memory.regions[:] = [r for r in self.head_memory.regions
                                       if r.name not in ("out@k", "inp@k")]
        self.set_origin(at_k(var("out", 64), k1), at_k(var("inp", 64), k1), self.rest(),
                        self.block(k1, 0), [*self.passes(), *self.last()])
        return None

    def scalar_head(self, j: int) -> dict:
        regs = {loc: var(f"{loc}@s{j}", t.width) if loc in SCRATCH else t
                for loc, t in self.base_regs.items()}
        regs.update({"x0": add(self.out0, const(SCALAR_PASS * j, 64)),
                     "x1": add(self.inp0, const(SCALAR_PASS * j, 64)),
                     "x2": add(self.len0, const(-SCALAR_PASS * j % (1 << 64), 64)),
                     "x28": concat(self.nonce[0], add(self.block0, const(j, 32)))})
        return regs

    def scalar_cases(self) -> list:
        """1 ≤ r < 192 through ChaCha20_ctr32's loop: pass j = 0, 1, 2 to the return
        (r = 64(j + 1)), a scalar tail or the back edge."""
        r, cases = self.len0, []
        start, back = self.entry_pc + CTR32_HEAD, self.entry_pc + CTR32_BACK
        for j in range(3):
            lo, hi = SCALAR_PASS * j, SCALAR_PASS * (j + 1)
            regs = self.scalar_head(j)
            tail = [ult(const(lo, 64), r), ult(r, const(hi, 64))]
            cases.append((f"scalar pass {j + 1}, {lo} < r < {hi}", tail, regs, lo, lo, "scalar"))
            if j < 2:
                cases.append((f"scalar pass {j + 1}, r = {hi}", [eq(r, const(hi, 64))], regs,
                              lo, hi, "return"))
                cases.append((f"scalar pass {j + 1}, r > {hi}", [ult(const(hi, 64), r)], regs,
                              lo, hi, "back", (back, self.scalar_head(j + 1), SCRATCH)))
        return [(f"after the loop, {c[0]}",
                 lambda c=c: self.case(f"after the loop, {c[0]}", *c[1:6], start=start,
                                       back=c[6] if len(c) > 6 else None))
                for c in cases]

    # -- the proof ---------------------------------------------------------------------
    trust = (
        ("induction over the passes k of ChaCha20_512_neon's 512-byte loop (base, pass, back "
         "edge and the exits checked above): after k passes out[0, 512k) holds inp XOR "
         "key-stream blocks counter .. counter + 8k − 1 and every pass writes only its own "
         "512 bytes of out (its window); for each len ≥ 512 the passes k < num = ⌊len/512⌋ "
         "satisfy the pass's facts (k < 2^29 as len ≤ 2^38), those k < num − 1 take the back "
         "edge and the last one the exit for r = len − 512·num"),
        ("the cuts after the loop: the state at ChaCha20_neon's loop head (r ≥ 192) and at "
         "ChaCha20_ctr32's (1 ≤ r < 192) is checked (pointers, r, x28 = n0 : (counter + "
         "8·num), v3's lane 0, the lane offsets, sp = sp_0 − 0xa0); from it ChaCha20_neon's "
         "11 cases of 192 ≤ r < 512 and ChaCha20_ctr32's 7 cases of 1 ≤ r < 192 run with the "
         "origin moved by 512·num (coverage checked by z3 above), each to the return or to a "
         "tail cut"),
        ("the tail cuts: the tail code is proved for every value of the key-stream words "
         "(v16..v19, or x5..x21 with free high halves) and of the pointers, for r = 1..63 "
         "bytes, from the kept registers and memory each cut is checked to have"))

    @staticmethod
    def candidate_lengths(phases: list) -> list:
        """The smallest lengths at which each failed phase runs (bounded ChaCha20_neon
        proofs take up to 1024 bytes)."""
        fixed = {"base": 512, "cases": 512, "pass": 512, "back edge": 1024,
                 "after the loop, r = 0": 512, "after the loop, r ≥ 192": 704,
                 "after the loop, 1 ≤ r < 192": 513}
        lengths = set()
        for phase in phases:
            words = phase.split()
            if phase in fixed:
                lengths.add(fixed[phase])
            elif phase.startswith("scalar tail r = "):
                lengths.add(PASS512 + int(words[-1]))
            elif " tail r = " in phase:
                lengths.add(PASS512 + 192 + int(words[-1]))
            elif phase.startswith("after the loop, scalar pass"):
                m = re.search(r"(\d+) < r|r = (\d+)|r > (\d+)", phase)
                lengths.add(PASS512 + (int(m[2]) if m[2] else int(m[1] or m[3]) + 1))
            else:
                label = phase.replace("after the loop, ", "").replace(" r", " len")
                lengths |= {PASS512 + n for n in ChaCha20NeonLengths.candidate_lengths([label])}
        return sorted(n for n in lengths if n <= 1024)

    def prepare(self, image) -> None:
        super().prepare(image)
        self.p512 = image.symbol("ChaCha20_512_neon").addr
        self.cuts = {}

    def phases(self):
        """The loop's phases, the cuts after it, then the remainder's cases (built once
        the cuts ran: a generator)."""
        yield "pass", self.pass512
        yield "back edge", self.back_edge
        yield "after the loop, r = 0", self.done
        yield ("after the loop, r ≥ 192",
               lambda: self.cut("after the loop, r ≥ 192",
                                [ule(const(192, 64), self.rest())], self.neon_pc + HEAD, True))
        yield ("after the loop, 1 ≤ r < 192",
               lambda: self.cut("after the loop, 1 ≤ r < 192",
                                [ule(const(1, 64), self.rest()), ult(self.rest(), const(192, 64))],
                                self.entry_pc + CTR32_HEAD, False))
        for lanes, cases in ((True, super().phases), (False, self.scalar_cases)):
            missing = self.remainder(lanes)
            if missing:
                yield missing, lambda m=missing: stuck(m)
                continue
            yield from cases()

    @staticmethod
    def case_label(label: str) -> str:
        return "after the loop, " + label.replace("len", "r")

    def coverage(self) -> ObligationResult:
        """Every pass is followed by the back edge or one of the cuts, and every
        remainder is one of the cases."""
        import z3

        from lnsym.proof.induction import by_hypotheses
        hyps = satisfiable(Hypotheses([*self.facts(), *self.passes()]))
        rest = self.rest()

        def claim(low):
            n, r = low(LEN), low(rest)
            two = low(at_k(const(2 * PASS512, 64), K))
            neon = z3.Or(*[r == m for m in (192, 256, 320, 384, 448)],
                         *[z3.And(z3.UGT(r, a), z3.ULT(r, b)) for a, b in
                           ((192, 256), (256, 320), (320, 384), (384, 448), (448, 512))])
            scalar = z3.Or(r == 64, r == 128,
                           *[z3.And(z3.UGT(r, a), z3.ULT(r, b)) for a, b in
                             ((0, 64), (64, 128), (128, 192))])
            return z3.Or(z3.ULE(two, n), z3.And(z3.ULT(n, two), z3.Or(r == 0, neon, scalar)))
        return by_hypotheses("cases: every pass goes back or ends the loop, every remainder "
                             "is a case", hyps, claim)
