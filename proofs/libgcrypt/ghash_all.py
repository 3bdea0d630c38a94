"""Proof: libgcrypt's ``_gcry_ghash_armv8_ce_pmull`` for every block count 1 ≤ n < 2^58.

Control flow (listings/_gcry_ghash_armv8_ce_pmull.lst): below 6 blocks a loop of
single blocks (head +0x390); from 6 blocks the code loads the first group of 6,
then runs its 6-way loop (head +0x74, back edge +0x1d4) once per further group,
each pass folding the group loaded before into the result and loading the next;
after the loop it folds the last group and takes the remaining r = n mod 6 blocks
one at a time (the same single-block loop, at most 5 passes).

The statement is split by n (``lnsym.proof.cases``, coverage checked by z3):
* n = 1..5: the bounded proofs (``GcryGhashUpdate``), one block at a time;
* n = 6·(num + 1) + r, r = 0..5, 0 ≤ num < 2^56: one induction per r over the
  6-way loop (``GcryGhashGroupLoop``): the fold's block is a group of 6 blocks
  (96 bytes), its step the 6-block aggregated step; the exit runs the last pass,
  then the code after the loop (``FoldStatement.finish`` over 96 + 16·r bytes);
  num = 0 skips the loop (``zero_iterations``).
Each case closes with result = ``aggregated([H, P2..P6], X_1..X_n, result, (6, 1))``
for free P2..P6 (key and table as ``GcryGhashUpdate`` states them); Algorithm 2
for every n follows at P_m = H^m (``derived``): the 6-block group identity by the
ring step, and the single-block chunks are Algorithm 2's own steps (the same terms
for a symbolic running value, after the last group too).
"""
from __future__ import annotations

import time

from lnsym.proof.all_lengths import AllLengths
from lnsym.proof.cases import CaseSplit, ResidueCase, residue_class, residue_split
from lnsym.proof.finish_cut import FinishCut
from lnsym.proof.induction import FoldStatement
from lnsym.proof.loops import NUM
from lnsym.proof.routine import Output
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import add, concat, const, mul, var
from proofs.blocks import as_memory
from proofs.contracts.ghash import (
    AGGREGATED,
    STANDARD,
    aggregated,
    bit_reflected_bytes,
    grouped,
)
from proofs.ghash_algebra import TRUSTED, table_aggregate_is_ghash
from proofs.libgcrypt.ghash import GcryGhashUpdate
from proofs.specs import ghash

LOOP_HEAD = 0x74           # the 6-way loop's head in _gcry_ghash_armv8_ce_pmull
# after the loop the last group is reduced into v0 (+0x34c), the d8-d15 restored, and
# then `cbz x3` takes the single blocks: the cut, with v0 = rbit of the result's bytes
TAIL_CUT = 0x378
GROUP = 6                  # blocks per pass
SHORT = GROUP - 1          # n <= 5: bounded proofs (one block at a time)
NUM_BITS = 56              # 0 <= num < 2^56 covers every n < 2^58
GROUPING = (GROUP, 1)      # chunks of 6 while 6 remain, then single blocks
GROUP_TRUST = (
    "aggregated(·, (6, 1)) over n = 6q + r blocks (q ≥ 1, r < 6) is, by its definition "
    "(chunks of 6 while 6 remain, then single blocks), q − 1 six-block steps and then "
    "the same function over the last 6 + r blocks: the fold the induction states",
    "Algorithm 2 (ghash.ghash) is a left fold of Y ↦ (Y ⊕ X)•H, so over X_1..X_n it is the "
    "fold over the first 6(q − 1) blocks continued over the last 6 + r; by induction over "
    "the groups, with the 6-block identity (checked above for a symbolic running value at "
    "P_m = H^m), the aggregated fold is Algorithm 2 over every group; the r single blocks "
    "after the last group are each one Algorithm 2 step (the 1-block row: the same terms "
    "for a symbolic running value)")


def covers_residue(r: int) -> object:
    """n = 6·(num + 1) + r with 0 ≤ num < 2^56."""
    return residue_class(GROUP, r, NUM_BITS)


def _blocks(data: list) -> list:
    """16-byte blocks of ``data`` (8-bit terms), first byte most significant."""
    return [concat(*data[i:i + 16]) for i in range(0, len(data), 16)]


class GcryGhashGroupLoop(ResidueCase, AllLengths, GcryGhashUpdate):
    """One residue r = params['tail_blocks']: n = 6·(num + 1) + r, by induction over
    the 6-way loop; ``blocks`` (bounded instances, counterexamples) as GcryGhashUpdate."""
    bound_bits = NUM_BITS
    group_blocks = GROUP

    @property
    def blocks(self) -> int:           # all lengths: the input region is the first group
        return GROUP if self.all_lengths else super().blocks

    def setup(self, image):
        setup = super().setup(image)
        if self.all_lengths:
            setup.regs[self.registers["blocks"]] = add(mul(const(GROUP, 64), NUM),
                                                       const(GROUP + self.tail_blocks, 64))
        return setup

    def fold_statement(self, image) -> FoldStatement:
        self.setup(image)
        table = self.powers()

        def fold_over(fold, data):
            return [aggregated(table, _blocks(data), fold[0], GROUPING)]

        def outputs(fold):
            return [Output(AGGREGATED, ("mem", "result", 0, 16), as_memory(fold[0]))] + \
                self.return_outputs()
        def in_v0(fold):                  # as the entry loads it: ld1 {v0.16b}; rbit
            return {"v0": concat(*reversed(bit_reflected_bytes(fold[0])))}
        return FoldStatement([self.X0], fold_over, "input", 16 * GROUP, outputs, NUM_BITS,
                             tail_bytes=16 * (GROUP + self.tail_blocks), finish=fold_over,
                             loop_head=LOOP_HEAD, cut_at_exit=True, zero_iterations=True,
                             finish_cut=FinishCut(TAIL_CUT, fold_over, in_v0))


def group_identity(m: int) -> ObligationResult:
    """The code's grouping over m blocks (6: one group) equals m Algorithm 2 steps at
    P_m = H^m, for a symbolic running value and blocks."""
    t0 = time.perf_counter()
    H, Y = var("H", 128), var("Y", 128)
    P = [var(f"P{k}", 128) for k in range(2, GROUP + 1)]
    X = [var(f"X{i}", 128) for i in range(1, m + 1)]
    holds, method, detail = table_aggregate_is_ghash(aggregated([H, *P], X, Y, GROUPING),
                                                     H, Y, X, P, grouped(GROUPING))
    return ObligationResult(f"group identity: the 6-way grouping over {m} blocks = {m} "
                            f"Algorithm 2 steps when P_m = H^m", "proved" if holds else "stuck",
                            method, time.perf_counter() - t0, detail=detail)


def single_blocks_are_algorithm2(n: int) -> ObligationResult:
    """Below 6 blocks every chunk is one block, (Y ⊕ X)•P1 with P1 = H: the bounded
    case's aggregated row is Algorithm 2's very term."""
    H, Y = var("H", 128), var("Y", 128)
    P = [var(f"P{k}", 128) for k in range(2, GROUP + 1)]
    X = [var(f"X{i}", 128) for i in range(1, n + 1)]
    same = aggregated([H, *P], X, Y, GROUPING) is ghash.ghash(H, X, Y)
    return ObligationResult(f"{n} block(s): the 6-way grouping is Algorithm 2 (single "
                            f"blocks, the same terms)", "proved" if same else "stuck",
                            "structural", 0.0)


class GcryGhashUpdateAllLengths(CaseSplit, GcryGhashUpdate):
    """_gcry_ghash_armv8_ce_pmull for every 1 ≤ n < 2^58: n ≤ 5 bounded, six
    inductions over the 6-way loop beyond."""

    def title(self):
        return f"{self.name} (every block count, 1 ≤ n < 2^{self.bound_bits})"

    def cases(self) -> list:
        return residue_split(SHORT, GROUP, NUM_BITS, lambda n: GcryGhashUpdate(blocks=n),
                             lambda r: GcryGhashGroupLoop(all_lengths=True, tail_blocks=r))

    def derived(self, results: list) -> tuple:
        """Algorithm 2 for every n: n ≤ 5 from the bounded rows (the same terms), n ≥ 6
        from the inductions' aggregated fold and the group identities."""
        rows = [single_blocks_are_algorithm2(n) for n in range(1, SHORT + 1)]
        rows += [group_identity(GROUP)]         # then single blocks: the 1-block row
        cases = [r for r in results if r.name.startswith("[n = ")]
        unproved = [r.name for r in rows + cases if r.status != "proved"]
        name = f"{STANDARD} for every 1 ≤ n < 2^{self.bound_bits}, when P_m = H^m (m = 2..6)"
        every = ObligationResult(name, "stuck", "corollary", 0.0,
                                 detail=f"not derived: not proved: {unproved}") if unproved else \
            ObligationResult(name, "proved", "ring+field-laws, induction over groups", 0.0,
                             detail="n ≤ 5: the bounded rows are Algorithm 2's terms; n ≥ 6: "
                                    "the inductions' aggregated fold and the group identities")
        return rows + [every], [*TRUSTED, "instantiation of the free table values P2..P6 at "
                                          "H^2..H^6", *GROUP_TRUST]
