"""Proof: ChaCha20_ctr32's scalar path is RFC 8439 ChaCha20 encryption for every length.

Statement: for every 1 ≤ len ≤ 2^38 with counter + ⌈len/64⌉ ≤ 2^32 (OpenSSL's
callers split their calls where the 32-bit counter would wrap), and
OPENSSL_armcap_P = 0 (so from 192 bytes the routine stays on its scalar path
instead of branching to ChaCha20_neon), ``ChaCha20_ctr32(out, inp, len, key,
counter)`` writes out[i] = inp[i] XOR key-stream byte i (RFC 8439 §2.4.1, the
32-bit block counter), changes no other byte outside the stack below sp, and
returns with the frame of ``proofs.chacha20_neon``.

Control flow (listings/ChaCha20_ctr32.lst): the entry saves x19..x30, loads the
constants, key, counter and nonce (x28 = n0:counter, a 64-bit register), and
reaches the block loop's head (+0x54) with x0 = out, x1 = inp, x2 = len.  Each
pass computes one block (10 double rounds, an inner loop on a concrete count),
then ``subs x2, x2, #64``: with fewer than 64 bytes left it branches to the tail
(+0x300), which copies the key stream to the stack and XORs the r = len mod 64
bytes in a byte loop; otherwise it XORs and stores 64 bytes, adds 1 to x28 and
64 to both pointers, and goes back while bytes remain.

The proof is an induction over the passes k (``lnsym.proof.loops.K``) with
len symbolic, written for this loop because every pass writes its own block of
``out`` (the ``FoldStatement`` of ``lnsym.proof.induction`` folds a running
value instead).  At the head after k passes: x0 = out + 64k, x1 = inp + 64k,
x2 = len − 64k, x28 = n0 : (counter + k), the other registers the loop reads
as the entry left them, the ones each pass writes before reading them
(x4..x21, NZCV) anything, and out[0, 64k) already written.  Obligations:

* base: the entry reaches the head in that state at k = 0 (two runs: len < 192
  and len ≥ 192, where the routine reads OPENSSL_armcap_P);
* step (64(k + 1) < len): one pass writes out[64k, 64k + 64) = inp XOR block
  counter + k, writes nothing else, and takes the back edge in the state at
  k + 1 (x28's carry-free increment is where the precondition is used);
* exit (len − 64k = 64): the pass stores the last block and returns with the
  frame;
* exit to the tail (1 ≤ len − 64k ≤ 63): the pass reaches the tail with the 16
  key-stream words of block counter + k in x5..x21;
* tail, r = 1..63: from that state, with the words free variables W0..W15, the
  tail writes out[64k, 64k + r) = inp XOR the first r bytes of W and returns
  with the frame.  Proved for every value of W, so for the block's words.

Memory in each pass is one 64-byte (tail: r-byte) window of ``out`` and of
``inp`` at +64k; any access outside the declared regions is an error, so no
pass writes outside its window.  Counterexamples come from the bounded proofs
(``ChaCha20Ctr32``), replayed concretely and under QEMU.
"""
from __future__ import annotations

import time

from lnsym.backends.hypotheses import Hypotheses, HypothesisMemory
from lnsym.backends.symbolic import Region, SymbolicError, SymMemory, SymState
from lnsym.elf.image import load_image
from lnsym.proof.induction import by_hypotheses
from lnsym.proof.loops import K, copy_memory, run_to
from lnsym.proof.routine import (
    RETURN,
    RUN_ERRORS,
    STACK_BYTES,
    ProofReport,
    Setup,
    image_regions,
    le_bytes,
    patched,
)
from lnsym.proof.trust import machine_model_trust
from lnsym.prover import Obligation, prove_all
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import add, concat, const, eq, extract, mul, neg, ule, ult, var, zero_extend
from proofs.chacha20_cex import BoundedSearch, phase_list
from proofs.chacha20_neon import ChaCha20Ctr32, words_region
from proofs.sha_block_data_order import ARMCAP
from proofs.specs import chacha20

LEN = var("len", 64)
HEAD, BACK_EDGE, TAIL = 0x54, 0x2D4, 0x300     # offsets in ChaCha20_ctr32
LEN_BITS = 38                 # counter + ⌈len/64⌉ ≤ 2^32 bounds len by 2^38
# written by every pass before it reads them: any value at the head
# (and the exclusive monitor, which a pass's stores may clear)
SCRATCH = tuple(f"x{i}" for i in (*range(4, 18), 19, 20, 21)) + (
    "nzcv", "excl_open", "excl_addr", "excl_size", "excl_val")
# the 16 key-stream words after a pass, in state order; the first of each pair is
# zero-extended (add wN), the second a 64-bit sum whose low half is the word
WORD_REGS = ("x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
             "x17", "x19", "x20", "x21")

TRUST = (
    ("induction over the passes k of the block loop (base, step, exits and tails checked "
    "above): after k passes out[0, 64k) holds inp XOR key-stream blocks counter .. "
    "counter + k − 1, and every pass writes only its own block of out (its window); for "
    "each len the passes k < ⌈len/64⌉ − 1 are steps and the last one is the whole exit or "
    "the tail for r = len − 64·(⌈len/64⌉ − 1); k < 2^32 in every pass, as 64k < len ≤ 2^38"),
    ("the tail entry is a cut: the tail is proved for every value of the key-stream words "
    "W0..W15 (and of the high halves of x6..x21), so for the block's words"))


def satisfiable(hyps: Hypotheses) -> Hypotheses:
    """``hyps`` if some input satisfies them all: z3 would prove anything under
    contradictory ones (a phase that no length reaches is an error, not proved)."""
    import z3
    if hyps.solver.check() != z3.sat:
        raise SymbolicError("the phase's hypotheses (the statement's facts and the case) "
                            "are not satisfiable together")
    return hyps


def at_k(anchor, k):
    return add(anchor, mul(const(64, 64), k))


class ChaCha20Ctr32AllLengths(BoundedSearch, ChaCha20Ctr32):
    """ChaCha20_ctr32, scalar path, every length: ``params['all_lengths']``."""
    may_change = ("out", "out@k")
    public_inputs = (ARMCAP, "len")     # the CPU's capabilities and the message length

    @property
    def length(self) -> int:             # the bounded proof's (counterexamples)
        return int(self.params.get("length", 64))

    def title(self):
        return (f"{self.name} (every length 1 ≤ len ≤ 2^{LEN_BITS}, counter + ⌈len/64⌉ ≤ 2^32;"
                f" scalar path only: OPENSSL_armcap_P = 0)")

    def setup(self, image):
        self.key = [var(f"k{i}", 32) for i in range(8)]
        self.counter = var("ctr", 32)
        self.nonce = [var(f"n{i}", 32) for i in range(3)]
        cap = var(ARMCAP, 32)
        at = image.symbol(ARMCAP).addr
        return Setup(
            {"x0": var("out", 64), "x1": var("inp", 64), "x2": LEN, "x3": var("key", 64),
             "x4": var("counter", 64)},
            [words_region("key", self.key), words_region("counter", [self.counter, *self.nonce])],
            assumptions={cap: 0}, preconditions=self.facts(),
            data={at + i: le_bytes(cap, i) for i in range(4)})

    def facts(self) -> list:
        """1 ≤ len ≤ 2^38, 64·counter + len ≤ 2^38 (counter + ⌈len/64⌉ ≤ 2^32), and the
        out and inp regions of len bytes do not wrap."""
        def wide(t):
            return zero_extend(t, 72)
        no_wrap = [ule(add(wide(var(p, 64)), wide(LEN)), const(1 << 64, 72)) for p in ("out", "inp")]
        counter = [ule(add(mul(wide(self.counter), const(64, 72)), wide(LEN)),
                       const(1 << LEN_BITS, 72))] if self.params.get("no_wrap", True) else []
        return [ule(const(1, 64), LEN), ule(LEN, const(1 << LEN_BITS, 64)), *counter, *no_wrap]

    # -- the states -------------------------------------------------------------------
    def head_regs(self, base: dict, k, tag: str) -> dict:
        """The registers at the head after k passes: base's (the entry's, at k = 0) with
        the pointers, the length and the counter advanced, the scratch ones fresh."""
        regs = {loc: (var(f"{loc}@{tag}", t.width) if loc in SCRATCH else t)
                for loc, t in base.items()}
        regs.update({"x0": at_k(var("out", 64), k), "x1": at_k(var("inp", 64), k),
                     "x2": add(LEN, neg(mul(const(64, 64), k))),
                     "x28": concat(self.nonce[0], add(self.counter, extract(k, 31, 0)))})
        return regs

    def windows(self, size: int) -> list:
        out = Region("out@k", at_k(var("out", 64), K), 0, size,
                     init=lambda off: var(f"out@k[{off}]", 8))
        inp = Region("inp@k", at_k(var("inp", 64), K), 0, size,
                     init=lambda off: var(f"inp@k[{off}]", 8), writable=False)
        return [out, inp]

    def state(self, pc: int, regs: dict, hyps: Hypotheses, window: int) -> SymState:
        mem = copy_memory(self.head_memory, into=HypothesisMemory(hyps))
        for r in self.windows(window):
            mem.add(r)
        return SymState(self.fetch, mem, self.entry_pc + pc, regs)

    def block_stream(self) -> list:
        """The 16 words of block counter + k (RFC 8439 §2.3.1)."""
        return chacha20.chacha20_block(self.key, add(self.counter, extract(K, 31, 0)), self.nonce)

    def out_obligations(self, phase: str, st: SymState, stream: list, count: int) -> list:
        out, inp = st.mem.region("out@k"), st.mem.region("inp@k")
        return [Obligation(f"{phase}: out[64k + {i}]", out.byte(i), inp.initial(i) ^ stream[i])
                for i in range(count)]

    def frame(self, phase: str, st: SymState) -> list:
        st.initial = dict(self.initial)
        return [Obligation(f"{phase}: {o.name}", self.output_term(st, o.where), o.spec)
                for o in self.frame_outputs(st, self.setup_)]

    # -- the phases --------------------------------------------------------------------
    def hypotheses(self, *more) -> Hypotheses:
        """The statement's facts, k < 2^32 (64k < len ≤ 2^38) and ``more``."""
        return satisfiable(Hypotheses([*self.facts(), ult(K, const(1 << 32, 64)), *more]))

    @staticmethod
    def base_cases() -> tuple:
        """The runs from the entry: (name, fact on len) each."""
        return (("len < 192", ult(LEN, const(192, 64))), ("len ≥ 192", ule(const(192, 64), LEN)))

    def base(self, image) -> list:
        """From the entry to the head, once with len < 192 and once with len ≥ 192
        (OPENSSL_armcap_P read, = 0): the head state at k = 0, the same both times."""
        results, first = [], None
        for case, hyp in self.base_cases():
            hyps = satisfiable(Hypotheses([*self.facts(), hyp]))
            mem = HypothesisMemory(hyps)
            mem.add(Region("stack", var("sp_0", 64), -STACK_BYTES, 0))
            for r in [*self.setup_.regions, *image_regions(image, self.setup_.data)]:
                mem.add(r)
            st = SymState(self.fetch, mem, self.entry_pc, {"sp": var("sp_0", 64), "x30": RETURN,
                                                            **self.setup_.regs},
                          self.setup_.assumptions, pauth=self.pauth)
            st.run(RETURN, self.max_steps, stop_at=self.entry_pc + HEAD)
            self.steps += st.steps
            if st.pc != self.entry_pc + HEAD:
                raise SymbolicError(f"base ({case}): the entry does not reach the loop head")
            if first is None:
                first, self.initial, self.head_memory = st, dict(st.initial), st.mem
                self.base_regs = dict(st.regs)
                want = self.head_regs(self.base_regs, const(0, 64), "k")
                results += [self.same(f"base ({case}): {loc} at k = 0", hyps, st.regs[loc],
                                      want[loc]) for loc in ("x0", "x1", "x2", "x28")]
                continue
            results += [self.same(f"base ({case}): {loc} as with len < 192", hyps, st.regs[loc],
                                  t) for loc, t in first.regs.items() if loc not in SCRATCH]
            results += self.unchanged(f"base ({case})", hyps, st, first.mem)
        return results

    def step(self) -> tuple:
        """64(k + 1) < len: one pass writes block k of out and goes back in the head
        state at k + 1."""
        hyps = self.hypotheses(ult(add(mul(const(64, 64), K), const(64, 64)), LEN))
        st = self.state(HEAD, self.head_regs(self.base_regs, K, "k"), hyps, 64)
        nxt = run_to(st, self.entry_pc + BACK_EDGE, RETURN, self.max_steps)
        self.steps += st.steps
        if nxt is None:
            raise SymbolicError("step: the pass returns instead of reaching the back edge")
        obs = self.out_obligations("step", st, chacha20.serialize(self.block_stream()), 64)
        decided = [self.same("step: takes the back edge", hyps, nxt,
                             const(self.entry_pc + HEAD, 64))]
        want = self.head_regs(self.base_regs, add(K, const(1, 64)), "k")
        decided += [self.same(f"step: {loc} at k + 1", hyps, st.regs[loc], want[loc])
                    for loc in want if loc not in SCRATCH]
        return obs, decided + self.unchanged("step", hyps, st, self.head_memory)

    def exit_whole(self) -> tuple:
        """len − 64k = 64: the pass stores the last block and the routine returns."""
        hyps = self.hypotheses(eq(LEN, add(mul(const(64, 64), K), const(64, 64))))
        st = self.state(HEAD, self.head_regs(self.base_regs, K, "k"), hyps, 64)
        st.run(RETURN, self.max_steps)
        self.steps += st.steps
        stream = chacha20.serialize(self.block_stream())
        return self.out_obligations("exit", st, stream, 64) + self.frame("exit", st), []

    def exit_to_tail(self) -> tuple:
        """1 ≤ len − 64k ≤ 63: the pass reaches the tail with block counter + k's words
        in WORD_REGS, the pointers at block k and x2 = len − 64k − 64."""
        k64 = mul(const(64, 64), K)
        hyps = self.hypotheses(ult(k64, LEN), ult(LEN, add(k64, const(64, 64))))
        head = self.head_regs(self.base_regs, K, "k")
        st = self.state(HEAD, head, hyps, 0)
        st.run(RETURN, self.max_steps, stop_at=self.entry_pc + TAIL)
        self.steps += st.steps
        if st.pc != self.entry_pc + TAIL:
            raise SymbolicError("exit: a partial last block does not reach the tail")
        obs = []
        for i, (reg, word) in enumerate(zip(WORD_REGS, self.block_stream())):
            if i % 2 == 0:
                obs.append(Obligation(f"tail entry: {reg} = word {i}", st.regs[reg],
                                      zero_extend(word, 64)))
            else:
                obs.append(Obligation(f"tail entry: {reg}[31:0] = word {i}",
                                      extract(st.regs[reg], 31, 0), word))
        want = {**head, "x2": add(head["x2"], const(-64 % (1 << 64), 64))}
        decided = [self.same(f"tail entry: {loc}", hyps, st.regs[loc], want[loc])
                   for loc in want if loc not in SCRATCH]
        return obs, decided + self.unchanged("tail entry", hyps, st, self.head_memory)

    def tail(self, r: int) -> tuple:
        """len − 64k = r: from the tail with free key-stream words W0..W15, the byte loop
        writes out[64k, 64k + r) = inp XOR W's first r bytes; the routine returns."""
        hyps = self.hypotheses(eq(LEN, add(mul(const(64, 64), K), const(r, 64))))
        words = [var(f"W{i}", 32) for i in range(16)]
        regs = self.head_regs(self.base_regs, K, "tail")
        regs["x2"] = const((r - 64) % (1 << 64), 64)
        for i, reg in enumerate(WORD_REGS):
            regs[reg] = zero_extend(words[i], 64) if i % 2 == 0 else \
                concat(var(f"{reg}@tail_high", 32), words[i])
        st = self.state(TAIL, regs, hyps, r)
        st.run(RETURN, self.max_steps)
        self.steps += st.steps
        stream = [le_bytes(words[j // 4], j % 4) for j in range(r)]
        return (self.out_obligations(f"tail r = {r}", st, stream, r)
                + self.frame(f"tail r = {r}", st)), []

    def coverage(self) -> ObligationResult:
        """Every pass k (64k < len) is a step, the whole exit or a tail r = 1..63."""
        k64 = mul(const(64, 64), K)
        hyps = self.hypotheses(ult(k64, LEN))
        import z3

        def claim(low):
            rest = low(add(LEN, neg(k64)))
            return z3.Or(z3.UGT(rest, 64), rest == 64, z3.And(z3.UGE(rest, 1), z3.ULE(rest, 63)))
        return by_hypotheses("cases: every pass 64k < len is a step, the exit or a tail of "
                             "1..63 bytes", hyps, claim)

    # -- helpers -----------------------------------------------------------------------
    @staticmethod
    def same(name: str, hyps: Hypotheses, impl, spec) -> ObligationResult:
        if impl is spec:
            return ObligationResult(name, "proved", "structural", 0.0)
        return by_hypotheses(name, hyps, lambda low: low(impl) == low(spec))

    def unchanged(self, phase: str, hyps: Hypotheses, st: SymState, before) -> list:
        """Every byte written in ``st`` or in ``before`` (outside the out and inp windows)
        is the same in both (the base compares two runs from the entry)."""
        old = {r.name: r for r in before.regions}
        return [self.same(f"{phase}: {r.name}[{off:#x}] unchanged", hyps, r.byte(off),
                          old[r.name].byte(off))
                for r in st.mem.regions if r.name in old
                for off in sorted(set(r.bytes) | set(old[r.name].bytes))]

    # -- the proof ---------------------------------------------------------------------
    def check(self, object_spec=None, patches=None, timeout=60.0, replay=True):
        if not self.params.get("all_lengths"):
            return super().check(object_spec, patches, timeout, replay)
        t0 = time.perf_counter()
        image = patched(load_image(object_spec or self.object_spec()), patches or {})
        diffs = self.listing_diffs(image)
        self.setup_ = self.setup(image)
        self.entry_pc = image.symbol(self.symbol).addr
        self.fetch = lambda pc: int.from_bytes(image.read(pc, 4), "little")
        self.prepare(image)
        self.steps, times = 0, {"load": time.perf_counter() - t0}
        self.head_memory = SymMemory()
        results, obs = [], []
        try:
            results.append(self.coverage())
            results += self.base(image)
        except (SymbolicError, *RUN_ERRORS) as e:
            results.append(ObligationResult("base: symbolic execution", "stuck", "induction",
                                            0.0, detail=str(e).splitlines()[0]))
        else:
            for phase, run in self.phases():
                try:
                    o, d = run()
                except (SymbolicError, *RUN_ERRORS) as e:
                    results.append(ObligationResult(f"{phase}: symbolic execution", "stuck",
                                                    "induction", 0.0,
                                                    detail=str(e).splitlines()[0]))
                    continue
                obs += o
                results += d
            times["symex"] = time.perf_counter() - t0
            results += prove_all(obs, timeout=timeout)
        status = "proved" if all(r.status == "proved" for r in results) else "stuck"
        import z3
        trusted = self.trusted_base(results, self.setup_) + list(self.trust) + [
            (f"z3 {z3.get_version_string()} (QF_UFBV), deciding branches, addresses and the "
            f"counter, pointer and length side conditions under those hypotheses")]
        trusted += machine_model_trust(SymState(self.fetch, self.head_memory, 0,
                                                pauth=self.pauth))
        report = ProofReport(self.title(), status, self.steps, times, results, trusted, diffs)
        if status != "proved":
            bad = sorted({r.name.split(":")[0] for r in results if r.status != "proved"})
            report.replay = f"induction: {phase_list(bad)} not proved"
            if replay:
                self.bounded_counterexample(report, object_spec, patches, timeout, bad)
        times["solver"] = sum(r.solver_seconds for r in results)
        times["total"] = time.perf_counter() - t0
        return report

    trust = TRUST
    bounded_class = ChaCha20Ctr32

    def prepare(self, image) -> None:
        """Anything a subclass's phases need from the image, before they run."""

    def phases(self) -> list:
        """(name, run) of every phase after the base; run() gives (prover obligations,
        results decided by z3)."""
        return ([("step", self.step), ("exit", self.exit_whole), ("tail entry", self.exit_to_tail)]
                + [(f"tail r = {r}", lambda r=r: self.tail(r)) for r in range(1, 64)])
