"""``GhashEveryCount``: a ``GhashUpdate`` contract for every block count 1 ≤ n < 2^58.

Routine shape: a G-block loop (G = the grouping's largest chunk, grouping (G, 1):
chunks of G while G remain, then single blocks), software-pipelined or not, and a
single-block loop for what is left.  A proof names the loop head and the cut after
the loop (where the last group is folded and the single blocks begin) and the
registers the running value is held in there; the rest is this module's:

* the split (``lnsym.proof.cases``, coverage checked by z3): n = 1..G−1 are the
  contract's bounded proofs (single blocks); n = G·(num + 1) + r, r = 0..G−1,
  0 ≤ num < 2^56, one induction per r over the G-block loop (``GhashGroupLoop``):
  the fold's block is a group, its step the G-block aggregated step; the exit runs
  the last pass, then the code after the loop (``FoldStatement.finish`` over
  G + r blocks, cut at ``tail_cut`` with the running value as ``cut_state`` gives
  it); num = 0 skips the loop;
* every case closes with Xi = ``aggregated(P, X_1..X_n, Xi, (G, 1))`` over the
  table's free P2..; Algorithm 2 for every n follows at P_m = H^m (``derived``):
  the G-block group identity by the ring step and the single-block chunks being
  Algorithm 2's own terms for a symbolic running value.

Use::

    class MyGroupLoop(GhashGroupLoop, MyUpdate):     # MyUpdate: a GhashUpdate contract
        loop_head, tail_cut = 0x74, 0x378
        def cut_state(self, running): return {"v0": ...}

    class MyUpdateEveryCount(GhashEveryCount, MyUpdate):
        loop = MyGroupLoop
"""
from __future__ import annotations

import time

from lnsym.proof.all_lengths import AllLengths
from lnsym.proof.cases import CaseSplit, ResidueCase, residue_class, residue_split
from lnsym.proof.finish_cut import FinishCut
from lnsym.proof.induction import FoldStatement
from lnsym.proof.routine import Output
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import var
from proofs.blocks import as_memory
from proofs.contracts.base import contract_below
from proofs.contracts.ghash import AGGREGATED, STANDARD, GhashUpdate, aggregated, grouped
from proofs.ghash_algebra import TRUSTED, table_aggregate_is_ghash
from proofs.specs import ghash
from proofs.specs.bytes import be_words

BOUND_BITS = 58            # the statement: every 1 <= n < 2^58


def num_bits(group: int) -> int:
    """The bound 0 ≤ num < 2^b on the passes with group·2^b ≥ 2^58 (every n covered)."""
    return BOUND_BITS - (group.bit_length() - 1)


def _group_of(contract) -> int:
    grouping = contract.group
    if not (isinstance(grouping, tuple) and len(grouping) == 2 and grouping[1] == 1):
        raise ValueError(f"{type(contract).__name__}: the every-count contract takes a "
                         f"grouping (G, 1), not {grouping!r}")
    return grouping[0]


def covers_residue(group: int, r: int) -> object:
    """n = group·(num + 1) + r with 0 ≤ num < 2^num_bits(group)."""
    return residue_class(group, r, num_bits(group))


class GhashGroupLoop(ResidueCase, AllLengths):
    """One residue r = params['tail_blocks'], by induction over the G-block loop; put
    before a ``GhashUpdate`` contract.  ``loop_head`` and ``tail_cut`` are offsets
    from the symbol; ``cut_state(running)`` the registers holding the running value
    at the cut (as the code holds it there)."""
    loop_head: int = 0
    tail_cut: int = 0

    def cut_state(self, running) -> dict:
        return {}

    @property
    def group_blocks(self) -> int:
        return _group_of(self)

    @property
    def bound_bits(self) -> int:       # on num
        return num_bits(self.group_blocks)

    @property
    def blocks(self) -> int:           # all lengths: the input region is the first group
        return self.group_blocks if self.all_lengths else super().blocks

    def setup(self, image):
        setup = super().setup(image)
        if self.all_lengths:                # n = G·(num + 1) + r
            setup.regs[self.registers["blocks"]] = self.group_count()
        return setup

    def fold_statement(self, image) -> FoldStatement:
        self.setup(image)
        table, G = self.powers(), self.group_blocks

        def fold_over(fold, data):
            return [aggregated(table, be_words(data, 16), fold[0], self.group)]

        def outputs(fold):
            return [Output(AGGREGATED, ("mem", "result", 0, 16), as_memory(fold[0]))] + \
                self.return_outputs()
        return FoldStatement([self.X0], fold_over, "input", 16 * G, outputs, self.bound_bits,
                             tail_bytes=16 * (G + self.tail_blocks), finish=fold_over,
                             loop_head=self.loop_head, cut_at_exit=True, zero_iterations=True,
                             finish_cut=FinishCut(self.tail_cut, fold_over,
                                                  lambda fold: self.cut_state(fold[0])))


def group_identity(contract, m: int) -> ObligationResult:
    """The grouping over m blocks equals m Algorithm 2 steps at P_m = H^m, for a
    symbolic running value and blocks."""
    t0 = time.perf_counter()
    H, Y = var("H", 128), var("Y", 128)
    P = [var(f"P{k}", 128) for k in range(2, contract.table_powers + 2)]
    X = [var(f"X{i}", 128) for i in range(1, m + 1)]
    holds, method, detail = table_aggregate_is_ghash(aggregated([H, *P], X, Y, contract.group),
                                                     H, Y, X, P, grouped(contract.group))
    return ObligationResult(f"group identity: the {_group_of(contract)}-way grouping over {m} "
                            f"blocks = {m} Algorithm 2 steps when P_m = H^m",
                            "proved" if holds else "stuck", method, time.perf_counter() - t0,
                            detail=detail)


def single_blocks_are_algorithm2(contract, n: int) -> ObligationResult:
    """Below G blocks every chunk is one block, (Y ⊕ X)•P1 with P1 = H: the bounded
    case's aggregated row is Algorithm 2's very term."""
    H, Y = var("H", 128), var("Y", 128)
    P = [var(f"P{k}", 128) for k in range(2, contract.table_powers + 2)]
    X = [var(f"X{i}", 128) for i in range(1, n + 1)]
    same = aggregated([H, *P], X, Y, contract.group) is ghash.ghash(H, X, Y)
    return ObligationResult(f"{n} block(s): the {_group_of(contract)}-way grouping is "
                            f"Algorithm 2 (single blocks, the same terms)",
                            "proved" if same else "stuck", "structural", 0.0)


def group_trust(G: int) -> tuple:
    return (
        (f"aggregated(·, ({G}, 1)) over n = {G}q + r blocks (q ≥ 1, r < {G}) is, by its "
        f"definition (chunks of {G} while {G} remain, then single blocks), q − 1 {G}-block "
        f"steps and then the same function over the last {G} + r blocks: the fold the "
        f"induction states"),
        (f"Algorithm 2 (ghash.ghash) is a left fold of Y ↦ (Y ⊕ X)•H, so over X_1..X_n it is "
        f"the fold over the first {G}(q − 1) blocks continued over the last {G} + r; by "
        f"induction over the groups, with the {G}-block identity (checked above for a "
        f"symbolic running value at P_m = H^m), the aggregated fold is Algorithm 2 over "
        f"every group; the r single blocks after the last group are each one Algorithm 2 "
        f"step (the 1-block row: the same terms for a symbolic running value)"))


class GhashEveryCount(CaseSplit):
    """Every 1 ≤ n < 2^58 for a ``GhashUpdate`` contract (put before it): n < G bounded,
    G inductions over the G-block loop (``loop``, a ``GhashGroupLoop`` class) beyond."""
    loop: type = GhashGroupLoop
    bound_bits = BOUND_BITS

    def title(self):
        return f"{self.name} (every block count, 1 ≤ n < 2^{self.bound_bits})"

    def cases(self) -> list:
        G = _group_of(self)
        bounded = contract_below(self, GhashUpdate, (GhashEveryCount, GhashGroupLoop))
        return residue_split(G - 1, G, num_bits(G), lambda n: bounded(blocks=n),
                             lambda r: self.loop(all_lengths=True, tail_blocks=r))

    def derived(self, results: list) -> tuple:
        """Algorithm 2 for every n: n < G from the bounded rows (the same terms), n ≥ G
        from the inductions' aggregated fold and the group identity."""
        G, top = _group_of(self), self.table_powers + 1
        rows = [single_blocks_are_algorithm2(self, n) for n in range(1, G)]
        rows += [group_identity(self, G)]
        cases = [r for r in results if r.name.startswith("[n = ")]
        unproved = [r.name for r in rows + cases if r.status != "proved"]
        name = f"{STANDARD} for every 1 ≤ n < 2^{self.bound_bits}, when P_m = H^m (m = 2..{top})"
        every = ObligationResult(name, "stuck", "corollary", 0.0,
                                 detail=f"not derived: not proved: {unproved}") if unproved else \
            ObligationResult(name, "proved", "ring+field-laws, induction over groups", 0.0,
                             detail=f"n < {G}: the bounded rows are Algorithm 2's terms; "
                                    f"n ≥ {G}: the inductions' aggregated fold and the group "
                                    f"identity")
        return rows + [every], [*TRUSTED, (f"instantiation of the free table values P2..P{top} "
                                          f"at H^2..H^{top}"), *group_trust(G)]
