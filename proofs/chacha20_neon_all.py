"""Proof: ChaCha20_ctr32's NEON path, every length 192 ≤ len < 512 (ChaCha20_neon).

Statement: with OPENSSL_armcap_P's NEON bit (bit 0) set, the other bits free, for
every 192 ≤ len < 512 with counter + ⌈len/64⌉ ≤ 2^32, ``ChaCha20_ctr32(out, inp,
len, key, counter)`` branches to ``ChaCha20_neon`` and writes out[i] = inp[i] XOR
key-stream byte i (RFC 8439 §2.4.1), partial last block included, with the frame
of ``proofs.chacha20_neon``.  (From 512 bytes it goes on to ChaCha20_512_neon:
``proofs.chacha20_512_all``, which runs these cases again from the state after that
loop, their origin moved by ``set_origin``.  Below 192 bytes it never reads OPENSSL_armcap_P and runs the
scalar path, proved for every length in ``proofs.chacha20_all``.)

Control flow (listings/ChaCha20_neon.lst): the loop head (+0x54) starts a pass of
5 blocks, the scalar one (counter + 5p, x28 = n0 : counter) and four in NEON lanes
(counter + 5p + 1..4, v8 = the lane offsets); ``subs x2, x2, #320`` decides
whether the pass stores all 320 bytes and goes back (+0x604, while bytes remain)
or takes the tail path (+0x630): whole blocks one by one, then a partial lane
block through a stack copy and a byte loop (+0x768), or a partial scalar block in
ChaCha20_ctr32's own tail (+0x304).  Below 512 bytes the loop makes at most one
whole pass, so len is symbolic in each of these cases, decided by z3:

* pass 1: len = 192, 256, 320 (return), 192 < len < 256 and 256 < len < 320 (a
  partial lane block: cut at +0x768), len > 320 (all 320 bytes, back edge, the
  head state of pass 2: x28 = n0 : (counter + 5), under the precondition);
* pass 2 (from that state): len = 384, 448 (return), 320 < len < 384 (a partial
  scalar block: cut at ChaCha20_ctr32+0x304), 384 < len < 448 and 448 < len <
  512 (a partial lane block: cut at +0x768).

At a cut the block's key stream (v16..v19, or x5..x21) and the pointers are
checked; the tail code is proved once per r = 1..63 from free key-stream words
(``proofs.chacha20_all``'s cut), so for every block.
"""
from __future__ import annotations

from lnsym.backends.hypotheses import Hypotheses, HypothesisMemory
from lnsym.backends.symbolic import Region, SymbolicError, SymState
from lnsym.proof.loops import copy_memory
from lnsym.proof.routine import (
    RETURN,
    STACK_BYTES,
    Setup,
    image_regions,
    le_bytes,
)
from lnsym.prover import Obligation
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import add, concat, const, eq, extract, ule, ult, var, zero_extend
from proofs.chacha20_all import LEN, SCRATCH, WORD_REGS, ChaCha20Ctr32AllLengths, satisfiable
from proofs.chacha20_neon import ChaCha20Neon
from proofs.listing import load_listing
from proofs.sha_block_data_order import ARMCAP
from proofs.specs import chacha20

HEAD, BACK_EDGE, LANE_TAIL = 0x54, 0x604, 0x768   # in ChaCha20_neon
SCALAR_TAIL = 0x304                                # in ChaCha20_ctr32, after add x2, x2, #64
PASS = 320
NEON_SCRATCH = SCRATCH + tuple(f"v{i}" for i in (*range(4, 8), *range(16, 32)))
# kept by the tail code from the cut (the frame it restores or leaves): all else is free
TAIL_KEPT = ("sp", "x29", *(f"v{i}" for i in range(8, 16)))
LANE_ROWS = ("v16", "v17", "v18", "v19")


def lane_offsets(first: int) -> object:
    """v8 at a pass's head: the lane offsets first .. first + 3 (ChaCha20_neon's ONE + 5p)."""
    return concat(*[const(first + i, 32) for i in (3, 2, 1, 0)])


def neon_bit_set(setup: Setup, image) -> Setup:
    """``setup`` with OPENSSL_armcap_P's NEON bit (bit 0) set and the other bits free
    (in place of the scalar proof's assumption that it is 0)."""
    cap = concat(var("armcap_hi", 31), const(1, 1))
    at = image.symbol(ARMCAP).addr
    return Setup(setup.regs, setup.regions, preconditions=setup.preconditions,
                 data={at + i: le_bytes(cap, i) for i in range(4)})


class ChaCha20NeonLengths(ChaCha20Ctr32AllLengths):
    """ChaCha20_ctr32 with the NEON bit set, every 192 ≤ len < 512."""
    name = "ChaCha20_neon"
    public_inputs = ("armcap_hi", "len")
    may_change = ("out", "out@tail")

    def title(self):
        return (f"{self.name} via ChaCha20_ctr32 (every length 192 ≤ len < 512, counter + "
                f"⌈len/64⌉ ≤ 2^32; NEON path: OPENSSL_armcap_P bit 0 set)")

    def other_listings(self) -> tuple:
        return (("ChaCha20_neon", load_listing("ChaCha20_neon")),)

    def setup(self, image):
        return neon_bit_set(super().setup(image), image)

    def facts(self) -> list:
        return [*super().facts(), ule(const(192, 64), LEN), ult(LEN, const(512, 64))]

    def stream(self, i: int):
        """Key-stream byte i: byte i mod 64 of block counter + ⌊i/64⌋ (mod 2^32)."""
        return self.blocks_[i // 64][i % 64]

    def words(self, b: int) -> list:
        """Block b of the cases' key stream: counter ``block0`` + b (RFC 8439 §2.3)."""
        return chacha20.chacha20_block(self.key, add(self.block0, const(b, 32)), self.nonce)

    def set_origin(self, out, inp, length, block0, context=()) -> None:
        """Where the cases start: out and inp pointers, the length left, the block
        counter (the entry's, or after ChaCha20_512_neon's loop) and the facts that
        hold there (``context``)."""
        self.out0, self.inp0, self.len0, self.block0 = out, inp, length, block0
        self.context = list(context)
        self.blocks_ = [chacha20.serialize(self.words(b)) for b in range(8)]

    # -- states ------------------------------------------------------------------------
    def state(self, pc: int, regs: dict, hyps: Hypotheses, lo: int, hi: int) -> SymState:
        """At ``pc`` with ``regs``, the head's memory and out/inp bytes [lo, hi)."""
        mem = copy_memory(self.head_memory, into=HypothesisMemory(hyps))
        if hi > lo:
            mem.add(Region("out", self.out0, lo, hi))
            mem.add(Region("inp", self.inp0, lo, hi, writable=False))
        return SymState(self.fetch, mem, pc, regs)

    def second_pass(self) -> dict:
        """The head state of pass 2: pointers and length advanced by 320, x28 = n0 :
        (counter + 5), the lane offsets 6..9, what a pass writes first free."""
        regs = {loc: var(f"{loc}@p2", t.width) if loc in NEON_SCRATCH else t
                for loc, t in self.base_regs.items()}
        regs.update({"x0": add(self.out0, const(PASS, 64)),
                     "x1": add(self.inp0, const(PASS, 64)),
                     "x2": add(self.len0, const(-PASS % (1 << 64), 64)),
                     "x28": concat(self.nonce[0], add(self.block0, const(5, 32))),
                     "v8": lane_offsets(6)})
        return regs

    def tail_state(self, kind: str, r: int) -> tuple:
        """The tail's state for r bytes: the kept registers as at the cuts, the
        pointers and the key-stream words free, everything else free."""
        if kind not in self.refs:
            raise SymbolicError(f"no case reached the {kind} tail's cut")
        ref = self.refs[kind]
        regs = {loc: t if loc in TAIL_KEPT else var(f"{loc}@tail", t.width)
                for loc, t in ref.items()}
        regs.update({"x0": var("tail_out", 64), "x1": var("tail_inp", 64), "x2": const(r, 64)})
        if kind == "lane":
            words = [var(f"V{i}", 128) for i in range(4)]
            regs.update(dict(zip(LANE_ROWS, words)))
            stream = [extract(words[j // 16], 8 * (j % 16) + 7, 8 * (j % 16)) for j in range(r)]
            return regs, stream
        words = [var(f"W{i}", 32) for i in range(16)]
        for i, reg in enumerate(WORD_REGS):
            regs[reg] = zero_extend(words[i], 64) if i % 2 == 0 else \
                concat(var(f"{reg}@hi", 32), words[i])
        return regs, [le_bytes(words[j // 4], j % 4) for j in range(r)]

    # -- phases ------------------------------------------------------------------------
    def run_from_entry(self, image, stop: int, where: str) -> tuple:
        """(hypotheses, state): ChaCha20_ctr32's entry run to ``stop`` under the
        statement's facts; the state there is the proof's initial one."""
        hyps = satisfiable(Hypotheses(self.facts()))
        mem = HypothesisMemory(hyps)
        mem.add(Region("stack", var("sp_0", 64), -STACK_BYTES, 0))
        for r in [*self.setup_.regions, *image_regions(image, self.setup_.data)]:
            mem.add(r)
        st = SymState(self.fetch, mem, self.entry_pc, {"sp": var("sp_0", 64), "x30": RETURN,
                                                        **self.setup_.regs}, pauth=self.pauth)
        st.run(RETURN, self.max_steps, stop_at=stop)
        self.steps += st.steps
        if st.pc != stop:
            raise SymbolicError(f"base: the entry does not reach {where}")
        self.initial, self.head_memory, self.base_regs = dict(st.initial), st.mem, dict(st.regs)
        return hyps, st

    def base(self, image) -> list:
        """From ChaCha20_ctr32's entry to ChaCha20_neon's loop head (192 ≤ len < 512)."""
        _hyps, st = self.run_from_entry(image, self.neon_pc + HEAD, "ChaCha20_neon's loop head")
        return [ObligationResult("base: ChaCha20_ctr32 reaches ChaCha20_neon's loop head "
                                 "(OPENSSL_armcap_P bit 0 set)", "proved", "symbolic execution",
                                 0.0, detail=f"{st.steps} instructions")]

    def case(self, label: str, hyp: list, regs: dict, lo: int, hi: int, end: str,
             start: int | None = None, back: tuple | None = None) -> tuple:
        """One case of the length: from the loop head in ``regs`` (ChaCha20_neon's, or
        ``start``) to ``end`` (return, back edge, or the lane or scalar tail of the
        block at ``hi``); ``back``: (back edge, its head state, its scratch locations)
        when it is not ChaCha20_neon's."""
        hyps = satisfiable(Hypotheses([*self.facts(), *self.context, *hyp]))
        st = self.state(self.neon_pc + HEAD if start is None else start, regs, hyps, lo, hi)
        back_pc, want, scratch = back or (self.neon_pc + BACK_EDGE, None, NEON_SCRATCH)
        stop = {"return": None, "back": back_pc,
                "lane": self.neon_pc + LANE_TAIL, "scalar": self.entry_pc + SCALAR_TAIL}[end]
        nxt = None
        if end == "back":
            st.run(RETURN, self.max_steps, stop_at=stop)
            nxt = st.step() if st.pc == stop else None
        else:
            st.run(RETURN, self.max_steps, stop_at=stop)
        self.steps += st.steps
        if st.pc != stop and not (end == "back" and nxt is not None):
            raise SymbolicError(f"{label}: the run does not end at the {end}")
        obs = [Obligation(f"{label}: out[{i}]", st.mem.region("out").byte(i),
                          st.mem.region("inp").initial(i) ^ self.stream(i)) for i in range(lo, hi)]
        if end == "return":
            return obs + self.frame(label, st), []
        decided = self.unchanged(label, hyps, st, self.head_memory)
        if end == "back":
            want = self.second_pass() if want is None else want
            head = self.neon_pc + HEAD if start is None else start
            decided.append(self.same(f"{label}: takes the back edge", hyps, nxt,
                                     const(head, 64)))
            decided += [self.same(f"{label}: {loc} for pass 2", hyps, st.regs[loc], want[loc])
                        for loc in want if loc not in scratch]
            return obs, decided
        b = hi // 64                                  # the partial block
        words = self.words(b)
        if end == "lane":
            obs += [Obligation(f"{label}: {reg} = block {b} row {i}", st.regs[reg],
                               concat(*words[4 * i:4 * i + 4][::-1]))
                    for i, reg in enumerate(LANE_ROWS)]
        else:
            obs += [Obligation(f"{label}: {reg} = block {b} word {i}", st.regs[reg],
                               zero_extend(w, 64)) if i % 2 == 0 else
                    Obligation(f"{label}: {reg}[31:0] = block {b} word {i}",
                               extract(st.regs[reg], 31, 0), w)
                    for i, (reg, w) in enumerate(zip(WORD_REGS, words))]
        want = {"x0": add(self.out0, const(64 * b, 64)),
                "x1": add(self.inp0, const(64 * b, 64)),
                "x2": add(self.len0, const(-64 * b % (1 << 64), 64))}
        ref = self.refs.setdefault(end, dict(st.regs))
        want.update({loc: ref[loc] for loc in TAIL_KEPT})
        decided += [self.same(f"{label}: {loc} at the tail", hyps, st.regs[loc], t)
                    for loc, t in want.items()]
        return obs, decided

    def tail_lemma(self, kind: str, r: int) -> tuple:
        """The tail code from its cut for r bytes, on free key-stream words."""
        regs, stream = self.tail_state(kind, r)
        hyps = Hypotheses([])
        mem = copy_memory(self.head_memory, into=HypothesisMemory(hyps))
        mem.add(Region("out@tail", var("tail_out", 64), 0, r))
        mem.add(Region("inp@tail", var("tail_inp", 64), 0, r, writable=False))
        pc = self.neon_pc + LANE_TAIL if kind == "lane" else self.entry_pc + SCALAR_TAIL
        st = SymState(self.fetch, mem, pc, regs)
        st.run(RETURN, self.max_steps)
        self.steps += st.steps
        out, inp = st.mem.region("out@tail"), st.mem.region("inp@tail")
        label = f"{kind} tail r = {r}"
        return ([Obligation(f"{label}: out[{j}]", out.byte(j), inp.initial(j) ^ stream[j])
                 for j in range(r)] + self.frame(label, st)), []

    # -- the proof ---------------------------------------------------------------------
    trust = (
        ("a case split over 192 ≤ len < 512 (coverage checked by z3 above): pass 1 from "
         "ChaCha20_neon's loop head as the entry reaches it, pass 2 from the head state "
         "pass 1 leaves (checked above), each case to the return or to a tail cut"),
        ("the tail cuts: the tail code is proved for every value of the key-stream words "
         "(v16..v19, or x5..x21 with free high halves) and of the pointers, for r = 1..63 "
         "bytes, from the kept registers and memory each cut is checked to have"))
    bounded_class = ChaCha20Neon

    def prepare(self, image) -> None:
        self.neon_pc = image.symbol("ChaCha20_neon").addr
        self.refs = {}
        self.set_origin(var("out", 64), var("inp", 64), LEN, self.counter)

    def phases(self) -> list:
        def at(n):
            return eq(self.len0, const(n, 64))

        def between(a, b):
            return [ult(const(a, 64), self.len0), ult(self.len0, const(b, 64))]
        first, cases = dict(self.base_regs), []
        for n, kind in ((192, "return"), (256, "return"), (320, "return")):
            cases.append((f"pass 1, len = {n}", [at(n)], first, 0, n, kind))
        for a, b in ((192, 256), (256, 320)):
            cases.append((f"pass 1, {a} < len < {b}", between(a, b), first, 0, a, "lane"))
        cases.append(("pass 1, len > 320", [ult(const(PASS, 64), self.len0)], first, 0, PASS,
                      "back"))
        second = self.second_pass()
        cases.append(("pass 2, 320 < len < 384", between(320, 384), second, PASS, PASS, "scalar"))
        for n in (384, 448):
            cases.append((f"pass 2, len = {n}", [at(n)], second, PASS, n, "return"))
        for a, b in ((384, 448), (448, 512)):
            cases.append((f"pass 2, {a} < len < {b}", between(a, b), second, PASS, a, "lane"))
        phases = [(self.case_label(c[0]), lambda c=c: self.case(self.case_label(c[0]), *c[1:]))
                  for c in cases]
        return phases + [(f"{kind} tail r = {r}", lambda kind=kind, r=r: self.tail_lemma(kind, r))
                         for kind in ("lane", "scalar") for r in range(1, 64)]

    @staticmethod
    def case_label(label: str) -> str:
        """A case's name in the report (a subclass running the cases elsewhere renames)."""
        return label

    def coverage(self) -> ObligationResult:
        """Every 192 ≤ len < 512 is one of the cases (their conditions, as z3 terms)."""
        import z3

        from lnsym.proof.induction import by_hypotheses
        hyps = satisfiable(Hypotheses(self.facts()))

        def claim(low):
            n = low(LEN)
            return z3.Or(*[n == m for m in (192, 256, 320, 384, 448)],
                         *[z3.And(z3.UGT(n, a), z3.ULT(n, b)) for a, b in
                           ((192, 256), (256, 320), (320, 384), (384, 448), (448, 512))])
        return by_hypotheses("cases: every 192 ≤ len < 512 is a case", hyps, claim)

    @staticmethod
    def candidate_lengths(phases: list) -> list:
        """The smallest lengths of each failed case: len = n, a + 1 for a < len < b (and
        321, 385 for the pass-2 state: its scalar block, its first lane), the first
        length a tail of r bytes follows (192 + r lane, 320 + r scalar)."""
        lengths = set()
        for phase in phases:
            words = phase.split()
            if " tail r = " in phase:
                lengths.add((320 if phase.startswith("scalar") else 192) + int(words[-1]))
            elif "len >" in phase:              # pass 2: its scalar block, then a lane
                lengths |= {PASS + 1, PASS + 65}
            elif "len =" in phase:
                lengths.add(int(words[-1]))
            elif "< len <" in phase:
                lengths.add(int(words[2]) + 1)
            else:                               # base, cases
                lengths.add(192)
        return sorted(lengths)
