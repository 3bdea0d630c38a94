"""Proof: gcm_ghash_v8 for every length 16·n, 1 ≤ n < 2^58, and with gcm_init_v8 before it.

Control flow of ``gcm_ghash_v8(Xi, Htable, inp, len)`` (listings/gcm_ghash_v8.lst):
below 64 bytes (n = 1, 2, 3) a 2-block loop and a 1-block tail, which run at most
once; from 64 bytes the branch to ``gcm_ghash_v8_4x`` (+0x160), which loads the
first group of 4 blocks, then runs its loop (head +0x1f0, back edge +0x2b4) once
per further group, each pass folding the group loaded before into Xi and loading
the next, then folds the last group and the remaining r = n mod 4 blocks at once.

The statement is split by n (``lnsym.proof.cases``, coverage checked by z3):
* n = 1..3: the bounded proofs (``GcmGhashV8``) of the short path;
* n = 4·(num + 1) + r, r = 0..3, 0 ≤ num < 2^56: one induction per r over the 4x
  loop (``GhashGroupLoop``): the fold's block is a group of 4 blocks (64 bytes),
  its step the 4-block aggregated step; the exit runs the last pass, then the
  code after the loop folds the last group and the r-block tail
  (``FoldStatement.finish`` over 64 + 16·r bytes); num = 0 (4 to 7 blocks) skips
  the loop (``zero_iterations``).
Each case closes with Xi = ``ghash_aggregated([H, P2, P3, P4], X_1..X_n, Xi)`` for
free P2..P4; by its definition that function is the 4-block step over every
group but the last, then ``ghash_aggregated`` over the last 4 + r blocks, which is
what the induction states.  Algorithm 2 for every n follows (``derived``).
"""
from __future__ import annotations

import dataclasses
import functools

from lnsym.backends.symbolic import Region
from lnsym.proof.all_lengths import AllLengths
from lnsym.proof.cases import CaseSplit, ResidueCase, residue_class, residue_split
from lnsym.proof.finish_cut import FinishCut
from lnsym.proof.induction import FoldStatement
from lnsym.proof.loops import NUM
from lnsym.proof.routine import Output, Setup
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import add, const, mul, substitute, var
from proofs.blocks import as_memory, block_region
from proofs.contracts.ghash import aggregated
from proofs.gcm_ghash_v8 import AGGREGATED, STANDARD, GcmGhashV8, ghash_call_args
from proofs.gcm_gmult_v8 import symbolic_table, table_region
from proofs.gcm_init_v8 import GcmInitGhashV8, GcmInitV8
from proofs.ghash_algebra import TRUSTED, aggregated_is_ghash
from proofs.specs.bytes import be_words
from proofs.specs.ghash_htable import ghash_aggregated

LOOP_HEAD = 0x1F0          # gcm_ghash_v8_4x's loop head, from gcm_ghash_v8
# after the loop, each r-block tail path first reduces Xi after the last group (its
# `ext v0, v0, v0, #8`), then folds the r blocks at once: the cut is the next instruction
# (r = 0: the `rev64` before the store, after the common reduction)
TAIL_CUTS = {0: 0x498, 1: 0x44C, 2: 0x3D4, 3: 0x354}
GROUP = 64                 # bytes per pass: 4 blocks
SHORT = 3                  # n <= 3: bounded proofs (the 4x path from n = 4)
NUM_BITS = 56              # 1 <= num < 2^56 covers every n < 2^58
GROUP_TRUST = (
    "ghash_aggregated over n = 4q + r blocks (q ≥ 1) is, by its definition (chunks of 4 "
    "while 4 remain, then the last r at once), q − 1 four-block steps and then "
    "ghash_aggregated over the last 4 + r blocks: the fold the induction states",
    "Algorithm 2 (ghash.ghash) is a left fold of Y ↦ (Y ⊕ X)•H, so over X_1..X_n it is the "
    "fold over the first 4(q − 1) blocks continued over the last 4 + r; by induction over "
    "the groups, with the 4-block identity (one group equals four Algorithm 2 steps at "
    "P_m = H^m, for a symbolic running value) and the (4 + r)-block identities (checked "
    "above), the aggregated fold is Algorithm 2")


def covers_residue(r: int) -> object:
    """n = 4·(num + 1) + r with 0 ≤ num < 2^56."""
    return residue_class(4, r, NUM_BITS)


class GhashGroupLoop(ResidueCase, AllLengths, GcmGhashV8):
    """One residue r = params['tail_blocks']: n = 4·(num + 1) + r, by induction over
    the 4x loop; ``blocks`` (bounded instances, counterexamples) as GcmGhashV8."""
    bound_bits = NUM_BITS
    group_blocks = 4
    bounded_search = (0, 1, 2, 3)      # num = 0 is 4 + r blocks

    def setup(self, image):
        if not self.all_lengths:
            return super().setup(image)
        self.Xi = var("Xi0", 128)
        self.H, self.P, entries = symbolic_table()
        regs = ghash_call_args(1)
        regs["x3"] = add(mul(const(GROUP, 64), NUM), const(GROUP + 16 * self.tail_blocks, 64))
        group0 = Region("inp", var("inp", 64), 0, GROUP, writable=False)
        return Setup(regs, [block_region("Xi", self.Xi), table_region(entries), group0])

    def fold_statement(self, image) -> FoldStatement:
        self.setup(image)
        table = [self.H, *self.P]

        def step(fold, group):
            return [ghash_aggregated(table, be_words(group, 16), fold[0])]

        def finish(fold, tail):           # the last group and the r-block tail
            return [ghash_aggregated(table, be_words(tail, 16), fold[0])]

        def tail(fold, rest):             # the r blocks, one chunk, after the last group
            if not rest:
                return list(fold)
            return [aggregated(table, be_words(rest, 16), fold[0], self.tail_blocks)]

        def outputs(fold):
            return [Output(AGGREGATED, ("mem", "Xi", 0, 16), as_memory(fold[0]))]
        cut = TAIL_CUTS[self.tail_blocks]
        return FoldStatement([self.Xi], step, "inp", GROUP, outputs, NUM_BITS,
                             tail_bytes=GROUP + 16 * self.tail_blocks, finish=finish,
                             loop_head=LOOP_HEAD, cut_at_exit=True, zero_iterations=True,
                             finish_cut=FinishCut(cut, tail))


class GcmGhashV8AllLengths(CaseSplit, GcmGhashV8):
    """gcm_ghash_v8 for every 1 ≤ n < 2^58: n ≤ 3 bounded, four inductions beyond."""

    def title(self):
        return f"{self.name} (all lengths 16·n, 1 ≤ n < 2^{self.bound_bits})"

    def cases(self) -> list:
        return residue_split(SHORT, 4, NUM_BITS, lambda n: GcmGhashV8(blocks=n),
                             lambda r: GhashGroupLoop(all_lengths=True, tail_blocks=r))

    def derived(self, results: list) -> tuple:
        """Algorithm 2 for every n, from the proved cases' own Algorithm 2 rows."""
        return standard_for_every_n(results, self.bound_bits), \
            [*TRUSTED, "instantiation of the free table values P2, P3, P4 at H^2, H^3, H^4",
             *GROUP_TRUST]


@functools.lru_cache(maxsize=None)
def _group_identity(m: int) -> ObligationResult:
    import time
    t0 = time.perf_counter()
    H, P, _entries = symbolic_table()
    Y, X = var("Y", 128), [var(f"X{i}", 128) for i in range(1, m + 1)]
    holds, method, detail = aggregated_is_ghash(ghash_aggregated([H, *P], X, Y), H, Y, X,
                                                table_powers=P)
    return ObligationResult(f"group identity: ghash_aggregated over {m} blocks = {m} "
                            f"Algorithm 2 steps when P_m = H^m", "proved" if holds else "stuck",
                            method, time.perf_counter() - t0, detail=detail)


def group_identity(m: int) -> ObligationResult:
    """ghash_aggregated over m = 4..7 blocks (one group, or the last group and its tail)
    equals m Algorithm 2 steps at P_m = H^m, for a symbolic running value Y and blocks.
    A statement about the spec alone, independent of the object: checked once per
    process (as the field laws are built once)."""
    return dataclasses.replace(_group_identity(m))


def standard_for_every_n(results: list, bound_bits: int) -> list:
    """The every-n Algorithm 2 rows: the group identities, then the row resting on them,
    the bounded cases' Algorithm 2 rows (n = 1..3) and the proved inductions."""
    groups = [group_identity(m) for m in range(4, 8)]
    rows = {n: [r for r in results if r.name.startswith(f"[n = {n}] ") and "Algorithm 2" in r.name]
            for n in range(1, SHORT + 1)}
    missing = [n for n, rs in rows.items() if not rs or any(r.status != "proved" for r in rs)]
    missing += [g.name for g in groups if g.status != "proved"]
    name = f"{STANDARD} for every 1 ≤ n < 2^{bound_bits}, when P_m = H^m"
    if missing:
        return groups + [ObligationResult(name, "stuck", "corollary", 0.0,
                                          detail=f"not derived: not proved: {missing}")]
    return groups + [ObligationResult(name, "proved", "ring+field-laws, induction over groups",
                                      0.0, detail="n ≤ 3: the bounded rows; n ≥ 4: the "
                                                  "inductions' aggregated fold and the group "
                                                  "identities")]


def init_table_is_ghash_table() -> ObligationResult:
    """gcm_init_v8's postcondition table is gcm_ghash_v8's precondition table at
    P_m = H^m: the same hash-consed terms."""
    from proofs.specs.ghash_htable import htable_of, powers
    H, P, entries = symbolic_table()
    inst = [substitute(e, {**dict(zip(P, powers(H)))}) for e in entries]
    same = all(a is b for a, b in zip(inst, htable_of(H)))
    return ObligationResult("composition: gcm_init_v8's Htable = gcm_ghash_v8's Htable at "
                            "P_m = H^m", "proved" if same else "stuck", "structural", 0.0)


class GcmInitGhashV8AllLengths(CaseSplit, GcmInitGhashV8):
    """gcm_init_v8, then gcm_ghash_v8 on its table, for every 1 ≤ n < 2^58: the two
    proved statements composed (init's table is ghash's at P_m = H^m)."""

    def title(self):
        return f"{self.name} (all lengths 16·n, 1 ≤ n < 2^{self.bound_bits})"

    def premises(self) -> list:
        return [("gcm_init_v8", GcmInitV8())]

    def cases(self) -> list:
        return GcmGhashV8AllLengths().cases()

    def derived(self, results: list) -> tuple:
        *groups, every = standard_for_every_n(results, self.bound_bits)
        every.name = (f"{STANDARD} for every 1 ≤ n < 2^{self.bound_bits}, H the key "
                      f"gcm_init_v8 was given")
        return [init_table_is_ghash_table(), *groups, every], [
            *TRUSTED, *GROUP_TRUST,
            "composition of the two proved calls: gcm_init_v8 writes only Htable (its frame) "
            "and gcm_ghash_v8's statement holds for every value of the registers and memory "
            "its precondition leaves free, so for the state gcm_init_v8 returns; its table "
            "precondition at P_m = H^m is gcm_init_v8's postcondition (checked above as the "
            "same terms)"]
