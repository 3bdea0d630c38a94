"""``CtrEveryCount``: a ``CtrBlocks`` contract (128-bit counter) for every block count.

Routine shape: below some count one block at a time; from there a G-block loop,
possibly software-pipelined (a pass finishes group k, stores it, loads group k + 1
and starts its rounds) and possibly with a branch on data inside (e.g. whether the
counter's low byte overflows within a group: both sides are explored and each is
proved under its condition, ``lnsym.proof.path_induction``); after the loop the last
group and the r = n mod G blocks left, one at a time.

A proof names the loop head per key size, G, the largest count proved bounded
(``short``: the loop's first pass needs ``short + 1`` blocks) and the registers at
the head after k passes as functions of Fold(k) = ctr + G·k (``head_state``, the
supplied invariant; ``first_rounds`` gives a counter block after some AES rounds).
This module makes the split (n ≤ short bounded; n = G·(num + 1) + r beyond, one
induction per r, num ≥ 1 when short ≥ 2G − 1), the fold (the counter, one output
window of G blocks per pass), the outputs and the counter written back.

Statement: block i of dst = block i of src ⊕ AES_K(ctr + i) for every i < n (ctr the
16-byte counter as a big-endian number, + modulo 2^128), and the counter written
back as ctr + n, for every 1 ≤ n < 2^58 (src and dst of n blocks not wrapping).
"""
from __future__ import annotations

from typing import ClassVar

from lnsym.backends.symbolic import Region
from lnsym.proof.all_lengths import AllLengths
from lnsym.proof.cases import Case, CaseSplit, N, ResidueCase, residue_class
from lnsym.proof.path_induction import OutputFold, PathAllLengths
from lnsym.proof.routine import Output
from lnsym.prover import reuse
from lnsym.terms.bv import add, and_, const, eq, uge, var
from proofs.contracts.base import contract_below
from proofs.contracts.cipher import CtrBlocks
from proofs.specs import aes
from proofs.specs.bytes import be_bytes

NUM_BITS = 56
CTR = var("ctr", 128)      # the counter block as a big-endian number


def first_rounds(in_bytes: list, w: list, rounds: int) -> list:
    """FIPS 197 §5.1 Cipher stopped after the MixColumns of round ``rounds``: the state
    AddRoundKey(w[0..3]), then ``rounds`` times SubBytes, ShiftRows, MixColumns, with
    AddRoundKey of round r's words between rounds (the code's aese/aesmc pairs)."""
    state = [[in_bytes[r + 4 * c] for c in range(4)] for r in range(4)]
    for rnd in range(rounds):
        state = aes.AddRoundKey(state, w[4 * rnd:4 * rnd + 4])
        state = aes.MixColumns(aes.ShiftRows(aes.SubBytes(state)))
    return [state[r][c] for c in range(4) for r in range(4)]


class CtrGroupLoop(ResidueCase, PathAllLengths, AllLengths):
    """One residue r = params['tail_blocks'] by induction over the G-block loop; put
    before a ``CtrBlocks`` contract.  ``loop_head`` maps the key size to the head's
    offset; ``head_state(fold)`` gives the registers at the head after k passes."""
    bound_bits = NUM_BITS
    group_blocks = 4
    loop_head: ClassVar[dict] = {}
    bounded_search = (0, 1, 2)

    def head_state(self, fold) -> dict:      # pragma: no cover - each proof's own
        raise NotImplementedError

    def setup(self, image):
        """All lengths: the count G·(num + 1) + r, the counter's bytes those of ``CTR``."""
        setup = super().setup(image)
        if not self.all_lengths:
            return setup
        setup.regs[self.registers["blocks"]] = self.group_count()
        ctr = be_bytes(CTR)
        setup.regions = [r for r in setup.regions if r.name != "counter"]
        setup.regions.append(Region("counter", var("counter", 64), 0, 16,
                                    init=lambda off: ctr[off]))
        return setup

    @property
    def blocks(self) -> int:           # all lengths: src and dst hold block 0 (a group)
        return self.group_blocks if self.all_lengths else super().blocks

    def keystream(self, value) -> list:
        """AES_K(value): each residue's induction asks for the same counter terms."""
        enc = type(self).encrypt_block
        return reuse.cached(("key stream", enc, value, tuple(self.s)),
                            lambda: enc(be_bytes(value), self.s))

    def encrypted(self, fold, data: list) -> list:
        """The blocks of ``data`` XOR the key stream from counter ``fold[0]`` on."""
        out = []
        for i in range(len(data) // 16):
            ks = self.keystream(add(fold[0], const(i, 128)))
            out += [data[16 * i + j] ^ ks[j] for j in range(16)]
        return out

    def _invariant(self, k, fold, block) -> dict:
        """``head_state`` once per running value (the same for every residue)."""
        memo = self.__dict__.setdefault("_head_states", {})
        if (k, fold[0]) not in memo:
            memo[k, fold[0]] = reuse.cached(("ctr head", type(self), fold[0], tuple(self.s)),
                                            lambda: self.head_state(fold[0]))
        return memo[k, fold[0]]

    def fold_statement(self, image) -> OutputFold:
        self.setup(image)
        G = self.group_blocks
        tail = 16 * (G + self.tail_blocks)

        def finish(fold, rest):
            return [add(fold[0], const(G + self.tail_blocks, 128)), *self.encrypted(fold, rest)]

        def outputs(final):
            outs = [Output(f"dst[16·{G}·num + {i}]", ("mem", "dst@num", i, 1), final[1 + i])
                    for i in range(tail)]
            return outs + [Output(f"counter[{j}]", ("mem", "counter", j, 1), b)
                           for j, b in enumerate(be_bytes(final[0]))]
        return OutputFold([CTR], lambda fold, block: [add(fold[0], const(G, 128))], "src",
                          16 * G, outputs, NUM_BITS, invariant=self._invariant,
                          tail_bytes=tail, finish=finish, loop_head=self.loop_head[self.bits],
                          cut_at_exit=True, output_region="dst", emit=self.encrypted)


class CtrEveryCount(CaseSplit):
    """Every 1 ≤ n < 2^58 for a ``CtrBlocks`` contract (put before it): n ≤ ``short``
    bounded, one induction per residue (``loop``, a ``CtrGroupLoop`` class) beyond."""
    loop: type = CtrGroupLoop
    short = 7

    def title(self):
        return f"{self.name} (AES-{self.bits}, every block count, 1 ≤ n < 2^{self.bound_bits})"

    def covers_residue(self, r: int):
        """n = G·(num + 1) + r with 0 ≤ num < 2^56 and n > short."""
        G = self.loop.group_blocks
        return and_(residue_class(G, r, NUM_BITS), uge(N, const(self.short + 1, 64)))

    def cases(self) -> list:
        bounded = contract_below(self, CtrBlocks, (CtrEveryCount, CtrGroupLoop))
        G = self.loop.group_blocks

        def first(r):                   # the smallest num with G·(num + 1) + r > short
            return max(0, -(-(self.short + 1 - r) // G) - 1)
        return ([Case(f"n = {n}", eq(N, const(n, 64)), bounded(bits=self.bits, blocks=n))
                 for n in range(1, self.short + 1)]
                + [Case(f"n = {G}·(num + 1) + {r}, {first(r)} ≤ num < 2^{NUM_BITS}",
                        self.covers_residue(r),
                        self.loop(bits=self.bits, all_lengths=True, tail_blocks=r))
                   for r in range(G)])
