"""Proof: aes_gcm_dec_{128,192,256}_kernel and aes_gcm_enc_128_kernel for every length
16·n, 1 ≤ n < 2^56 whole blocks.

Control flow (listings/aes_gcm_dec_128_kernel.lst; 192/256 the same with more rounds,
the loop heads in ``LOOP_HEAD``), n = 4·G + t with t = 1..4 the
blocks of the tail: below 5 blocks (G = 0) only the tail.  From 5 blocks the entry
runs the AES rounds of group 0 (counters ctr..ctr + 3), loads it, stores its first
two output blocks and skips the main loop when G = 1; the loop (head +0x2c0, back
edge +0x578) runs G − 1 times, each pass storing the last two output blocks of
group k, hashing group k into Xi, running the rounds of group k + 1 and storing its
first two; after the loop the last group is hashed and its last two blocks stored,
then the tail of t blocks.  So the loop is software-pipelined twice over: the
output and the hash of a group are finished in the pass after its load.

The statement is split by n (``lnsym.proof.cases``, coverage checked by z3):
* n = 1..4: the bounded proofs (``proofs.aes_gcm_kernel.AesGcmKernel``);
* n = 4·(num + 1) + t, t = 1..4, 0 ≤ num < 2^54: one induction per t over the
  main loop (``KernelGroupLoop``): the fold's block is a group of 4 input blocks,
  its step the kernel's 4-block aggregated GHASH step; the counter ``ctr`` advances
  by 4 a pass (``FoldStatement.counters``); the output is a stream
  (``lnsym.proof.streams``): the entry writes bytes [0, 32), pass k bytes
  [32, 96) after out + 64·k, the code after the loop the rest, each equal to
  GCTR's bytes there; ``finish`` hashes the last group and the t-block tail as the
  kernel groups them; num = 0 (5 to 8 blocks) skips the loop.
Encryption (listings/aes_gcm_enc_128_kernel.lst, loop head +0x2fc): the entry stores
all of group 0, pass k stores group k + 1 and hashes group k's ciphertext, so the
stream's first pass range is [64, 128) and the fold carries the counter: Fold(k) =
(Xi, ctr + 4k), its step hashing GCTR of the group from that counter.
Preconditions as in ``proofs.aes_gcm_kernel`` (the table over free P2..P4, the
schedule and the IV symbolic), and in + 16·n < 2^63: the kernel compares input
pointers as signed numbers (true for user-space addresses).  Xi ends as
``kernel_aggregated`` over the ciphertext blocks, so, at P_m = H^m, GHASH_H (Algorithm 2)
of them (``derived``).
"""
from __future__ import annotations

import dataclasses
import functools
import time

from lnsym.proof.all_lengths import AllLengths
from lnsym.proof.cases import Case, CaseSplit, N, ResidueCase
from lnsym.proof.induction import FoldStatement
from lnsym.proof.loops import NUM, advanced
from lnsym.proof.routine import Output, Setup
from lnsym.proof.streams import OutputStream, StreamInduction
from lnsym.proof.value_cut import ValueCut
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import add, and_, concat, const, eq, extract, lshr, mul, uge, ult, urem, var
from proofs.aes_gcm_kernel import (
    AGGREGATED,
    STANDARD,
    AesGcmKernel,
    below_as_signed,
    kernel_aggregated,
)
from proofs.blocks import as_memory
from proofs.gcm_gmult_v8 import symbolic_table
from proofs.ghash_algebra import TRUSTED, aggregated_is_ghash
from proofs.specs import gcm

# the main loop's head by key size (back edges +0x578, +0x5fc, +0x688)
LOOP_HEAD = {128: 0x2C0, 192: 0x304, 256: 0x350}
# encryption: the entry stores group 0, pass k group k + 1
ENC_LOOP_HEAD = {128: 0x2FC, 192: 0x344, 256: 0x38C}
GROUP = 64                 # bytes per pass: 4 blocks
FIRST = 32                 # output bytes the entry stores before the head
NUM_BITS = 54              # 0 <= num < 2^54 covers every n < 2^56 (128·n fits x1)
BOUND_BITS = 56
SHORT = 4                  # n <= 4: the tail only, bounded proofs
# after the tail's ``and v5.16b, v5.16b, v0.16b`` v5 holds the last block of ciphertext
# masked by the byte count (all ones for a whole block), which only the hash (and, when
# encrypting, the merged store) reads: a value cut there states Xi once over a fresh
# block, so a length split proves it once per tail for every partial size and the whole
# block (``lnsym.proof.value_cut``; ``proofs.aes_gcm_kernel_partial``); by (decrypt, bits)
MASKED_AT = {(False, 128): 0x924, (False, 192): 0x9F4, (False, 256): 0xAB8,
             (True, 128): 0x918, (True, 192): 0x9F0, (True, 256): 0xAC8}


def masked_cut(proof) -> ValueCut:
    """The kernel's cut at the masked last block."""
    return ValueCut(MASKED_AT[proof.decrypt, proof.bits], "v5", "v5@masked", kept=(AGGREGATED,))


def covers_tail(t: int):
    """n = 4·(num + 1) + t with 0 ≤ num < 2^54 (t = 1..4)."""
    return and_(eq(urem(N, const(4, 64)), const(t % 4, 64)), uge(N, const(4 + t, 64)),
                ult(N, const(4 * ((1 << NUM_BITS) + 1) + t, 64)))


class KernelGroupLoop(ResidueCase, AllLengths, AesGcmKernel):
    """One tail t = params['tail_blocks'] (1..4): n = 4·(num + 1) + t, by induction over
    the main loop; ``blocks`` (bounded instances, counterexamples) as AesGcmKernel."""
    bound_bits = NUM_BITS
    group_blocks = 4
    bounded_search = (0, 1, 2)          # num = 0 is 4 + t blocks
    induction_class = StreamInduction
    may_change = ("out", "Xi", "ivec", "out@num")
    cut_default = False                 # params['cut']: the masked-block cut (encryption)

    @property
    def length(self) -> int:
        if self.all_lengths:
            return 16 * (GROUP // 16 + self.tail_blocks)
        n = 16 * int(self.params.get("blocks", 1))       # counterexamples: up to 16 blocks
        return n if n > 16 * 8 and n <= 256 else super().length

    def nbytes(self):
        """16·n = 64·num + 64 + 16·t bytes."""
        return add(mul(const(GROUP, 64), NUM), const(GROUP + 16 * self.tail_blocks, 64))

    def bounded_setup(self, image):
        """The bounded proof's setup (counterexamples); beyond 8 blocks the main loop's
        later signed tests too: in + 64·j < in + main for every pass j."""
        setup = super().setup(image)
        main = (16 * self.blocks - 1) & ~63
        inp = var("in", 64)
        setup.assumptions.update({below_as_signed(add(inp, const(64 * j, 64)),
                                                  add(inp, const(main, 64))): 1
                                  for j in range(1, main // GROUP)})
        return setup

    def bit_length(self):
        """x1 = 128·n (n < 2^56), as n's low 57 bits then 7 zero bits: the tail's mask
        of the partial block (bit_length mod 128) is then 0 by normalisation."""
        n = add(mul(const(4, 64), NUM), const(4 + self.tail_blocks, 64))
        return concat(extract(n, 56, 0), const(0, 7))

    def setup(self, image):
        if not self.all_lengths:
            return self.bounded_setup(image)
        # group 0 of in; out as far as the probe pass writes (the stream's windows beyond)
        regions, regs = self.kernel_state(GROUP, 2 * GROUP, self.bit_length())
        return Setup(regs, regions)

    def fold_statement(self, image) -> FoldStatement:
        """Decryption hashes the input, so the fold is Xi alone and ctr a block counter
        (``counters``); encryption hashes its output, GCTR of the group from the pass's
        counter, so the fold carries that counter: Fold(k) = (Xi, ctr + 4k).  With
        ``params['cut']`` the code after the loop is cut at the masked block
        (``masked_cut``)."""
        self.setup(image)
        self.cut = masked_cut(self) if self.params.get("cut", self.cut_default) else None
        table = [self.H, *self.P]
        t = self.tail_blocks
        ctr, iv = var("ctr", 32), var("IV", 96)

        def hashed(fold, data):          # the ciphertext: the input, or GCTR of it
            if self.decrypt:
                return data
            return gcm.gctr(self.w, concat(iv, fold[1]), data)

        def fold_over(fold, data, blocks, mask=lambda b: b):
            Y = kernel_aggregated(table, gcm.pad_blocks(mask(hashed(fold, data))), fold[0])
            return [Y] if self.decrypt else [Y, add(fold[1], const(blocks, 32))]

        def step(fold, group):           # one group: hashed the pass after its load
            return fold_over(fold, group, 4)

        def finish(fold, tail):          # the last group, then the t-block tail
            return fold_over(fold, tail, 4 + t, self.hashed_tail)

        def outputs(fold):
            last = add(advanced(ctr, 4, NUM), const(4 + t, 32)) if self.decrypt else fold[1]
            return [Output(AGGREGATED, ("mem", "Xi", 0, 16), as_memory(fold[0])),
                    Output("ivec <- inc32^n(CB)", ("mem", "ivec", 0, 16),
                           as_memory(concat(iv, last))),
                    Output("return value: bit_length / 8, the length in bytes",
                           ("reg", "x0", 63, 0), lshr(self.bit_length(), 3))]

        def expected(k, fold, data):     # GCTR from block 4k: counter ctr + 4k
            at = advanced(ctr, 4, k) if self.decrypt else fold[1]
            out = gcm.gctr(self.w, concat(iv, at), data)
            return self.written_tail(out) if k is NUM else out
        below = ult(add(var("in", 64), self.nbytes()), const(1 << 63, 64))
        seed = [self.Xi0] if self.decrypt else [self.Xi0, ctr]
        head = (LOOP_HEAD if self.decrypt else ENC_LOOP_HEAD)[self.bits]
        stmt = FoldStatement(seed, step, "in", GROUP, outputs, NUM_BITS,
                             tail_bytes=GROUP + 16 * t, finish=finish, loop_head=head,
                             cut_at_exit=True, zero_iterations=True,
                             counters={ctr: 4} if self.decrypt else None,
                             facts=((below, "in + 16·n < 2^63 (the main loop compares "
                                             "input pointers as signed numbers; user-space "
                                             "addresses)"),))
        stmt.stream = OutputStream("out", FIRST if self.decrypt else GROUP, expected)
        stmt.value_cut = self.cut
        return stmt

    def hashed_tail(self, data: list) -> list:
        """The hashed bytes after the loop as the kernel hashes them (whole blocks: all;
        a partial last block masks them: ``proofs.aes_gcm_kernel_partial``)."""
        return self.cut_last(data)

    def cut_last(self, hashed: list) -> list:
        """``hashed`` with its last block the cut's fresh value, those bytes the cut's
        expected ones (no cut: as given)."""
        cut = getattr(self, "cut", None)
        if cut is None:
            return hashed
        cut.expected = hashed[-16:]
        return hashed[:-16] + cut.bytes()

    def written_tail(self, data: list) -> list:
        """The output bytes after the loop as the kernel leaves them (see hashed_tail)."""
        return data

    def frame_outputs(self, st, setup):
        """As the routine's frame; of the Xi region only Xi's 16 bytes may change."""
        outs = super().frame_outputs(st, setup)
        xi = st.mem.region("Xi")
        return outs + [Output(f"frame: Xi[{off:#x}] unchanged", ("mem", "Xi", off, 1),
                              xi.initial(off))
                       for off in sorted(xi.bytes) if off >= 16]

    def check(self, object_spec=None, patches=None, timeout=60.0, replay=True):
        report = super().check(object_spec, patches, timeout, replay)
        if self.all_lengths:
            first = FIRST if self.decrypt else GROUP        # the stream's entry bytes
            report.trusted_base.append(StreamInduction.trusted(OutputStream("out", first, None),
                                                               GROUP))
            if getattr(self, "cut", None) is not None:
                report.trusted_base.append(self.cut.trusted())
        return report


class AesGcmKernelAllLengths(CaseSplit, AesGcmKernel):
    """aes_gcm_{enc,dec}_{bits}_kernel for every 1 ≤ n < 2^56 whole blocks: n ≤ 4
    bounded, four inductions beyond."""
    bound_bits = BOUND_BITS

    def title(self):
        return f"{self.name} (all lengths 16·n, 1 ≤ n < 2^{self.bound_bits})"

    def cases(self) -> list:
        bits, dec = self.bits, self.decrypt
        return ([Case(f"n = {n}", eq(N, const(n, 64)),
                      AesGcmKernel(bits=bits, decrypt=dec, blocks=n))
                 for n in range(1, SHORT + 1)]
                + [Case(f"n = 4·(num + 1) + {t}, 0 ≤ num < 2^{NUM_BITS}", covers_tail(t),
                        KernelGroupLoop(bits=bits, decrypt=dec, all_lengths=True,
                                        tail_blocks=t)) for t in range(1, 5)])

    def derived(self, results: list) -> tuple:
        """Algorithm 2 for every n: the bounded rows' own Algorithm 2 rows (n ≤ 4), and
        for n ≥ 5 the inductions' fold with the group identities (4 to 8 blocks)."""
        groups = [group_identity(m) for m in range(4, 9)]
        rows = [r for r in results if "Algorithm 2" in r.name and r.name.startswith("[n = ")]
        missing = [n for n in range(1, SHORT + 1)
                   if not any(r.name.startswith(f"[n = {n}] ") and r.status == "proved"
                              for r in rows)]
        missing += [g.name for g in groups if g.status != "proved"]
        name = f"{STANDARD} for every 1 ≤ n < 2^{self.bound_bits}, when P_m = H^m"
        every = (ObligationResult(name, "stuck", "corollary", 0.0,
                                  detail=f"not derived: not proved: {missing}") if missing else
                 ObligationResult(name, "proved", "ring+field-laws, induction over groups", 0.0,
                                  detail="n ≤ 4: the bounded rows; n ≥ 5: the inductions' "
                                         "fold and the group identities"))
        return groups + [every], [
            *TRUSTED, "instantiation of the free table values P2, P3, P4 at H^2, H^3, H^4",
            "kernel_aggregated over n = 4(num + 1) + t blocks is, by its definition (groups "
            "of 4 while more than 4 remain, then the last t), num four-block steps and then "
            "kernel_aggregated over the last 4 + t blocks: the fold the induction states",
            "Algorithm 2 is a left fold of Y ↦ (Y ⊕ X)•H; by induction over the groups, with "
            "the 4-block identity and the (4 + t)-block identities (checked above), the "
            "kernel's fold is Algorithm 2 at P_m = H^m"]


@functools.cache
def _group_identity(m: int) -> ObligationResult:
    t0 = time.perf_counter()
    H, P, _entries = symbolic_table()
    Y, X = var("Y", 128), [var(f"X{i}", 128) for i in range(1, m + 1)]
    holds, method, detail = aggregated_is_ghash(kernel_aggregated([H, *P], X, Y), H, Y, X,
                                                P, kernel_aggregated)
    return ObligationResult(f"group identity: kernel_aggregated over {m} blocks = {m} "
                            f"Algorithm 2 steps when P_m = H^m", "proved" if holds else "stuck",
                            method, time.perf_counter() - t0, detail=detail)


def group_identity(m: int) -> ObligationResult:
    """kernel_aggregated over m = 4..8 blocks (a group, or the last group and the tail)
    equals m Algorithm 2 steps at P_m = H^m, for a symbolic running value and blocks:
    a statement about the spec alone, checked once per process."""
    return dataclasses.replace(_group_identity(m))
