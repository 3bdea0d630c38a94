"""``HashBlocks``: a compression function iterated over n blocks.

Routine shape: ``f(state, input, nblocks[, table])``.

Preconditions
  state: ``state_words`` symbolic words H0.. of ``word_bits``, each stored in
  ``state_order`` ('little': a native word array, as libgcrypt and OpenSSL keep
  SHA-1/SHA-256 state; 'big');
  input: ``block_bytes * blocks`` symbolic bytes; the count a concrete number
  (``count_bits`` wide: 32 for a ``w`` argument, upper bits unconstrained);
  table (optional ``Table``): a region holding the spec's constants (or symbolic
  words, then the spec is applied to them), its address in a register;
  all regions, the stack and the object are pairwise disjoint.
Postcondition
  state holds ``compress`` iterated over the blocks, message words read from
  each block in ``message_order`` (FIPS 180-4: big-endian); x0 = ``returns``
  when given.
Frame
  returns to x30; ``preserved`` registers and d8-d15 keep their values; only
  state (and the stack below sp) changes.

With the parameter all_lengths=True the statement is for every count
1 <= n < 2^58, by induction over the routine's loop (``lnsym.proof.induction``).
"""
from __future__ import annotations

from dataclasses import dataclass

from lnsym.backends.symbolic import Region
from lnsym.proof.all_lengths import AllLengths
from lnsym.proof.induction import FoldStatement
from lnsym.proof.loops import NUM
from lnsym.proof.routine import Output, Setup
from lnsym.terms.bv import const, var
from proofs.contracts.base import Contract, narrow, stored_word, word_bytes
from proofs.specs.bytes import be_words, le_words


@dataclass(frozen=True)
class Table:
    """A constant table passed by pointer: ``register`` holds its address; it holds
    ``words`` (integers) of ``word_bits`` in ``order``; ``symbolic``: prove for any
    table contents (the spec gets the symbolic words) instead of these values."""
    register: str
    words: tuple
    word_bits: int = 32
    order: str = "little"
    symbolic: bool = False


class HashBlocks(AllLengths, Contract):
    compress = None            # spec: compress(H, M) -> H, or compress(H, M, K) with a table
    word_bits = 32
    state_words = 8
    block_bytes = 64
    state_order = "little"
    message_order = "big"
    registers = ("x0", "x1", "x2")   # state, input, block count
    count_bits = 64
    table: Table | None = None
    may_change = ("state",)
    bound_bits = 58         # 1 <= n < 2^58: block_bytes * n does not overflow 64 bits

    @property
    def blocks(self) -> int:
        return int(self.params.get("blocks", 1))

    def title(self) -> str:
        if self.all_lengths:
            return f"{self.name or self.symbol} (all n, 1 ≤ n < 2^{self.bound_bits})"
        return super().title()

    def setup(self, image):
        wb = self.word_bits // 8
        self.H = [var(f"H{i}", self.word_bits) for i in range(self.state_words)]
        state = Region("state", var("state", 64), 0, wb * self.state_words,
                       init=lambda off: word_bytes(self.H[off // wb], self.state_order)[off % wb])
        s, i, n = self.registers
        if self.all_lengths:        # block 0 only: the induction maps block k at the pointer
            inp = Region("input", var("input", 64), 0, self.block_bytes, writable=False)
            count = NUM if self.count_bits == 64 else narrow(NUM, self.count_bits, n)
        else:
            inp = Region("input", var("input", 64), 0, self.block_bytes * self.blocks)
            count = narrow(self.blocks, self.count_bits, n)
        regs = {s: var("state", 64), i: var("input", 64), n: count}
        regions = [state, inp]
        self.K = None
        if self.table is not None:
            t = self.table
            tb = t.word_bits // 8
            self.K = [var(f"K{j}", t.word_bits) if t.symbolic else const(w, t.word_bits)
                      for j, w in enumerate(t.words)]
            regions.append(Region("table", var("table", 64), 0, tb * len(t.words),
                                  init=lambda off: word_bytes(self.K[off // tb], t.order)[off % tb]))
            regs[t.register] = var("table", 64)
        return Setup(regs, regions)

    def step(self, H: list, block: list) -> list:
        """The spec on one block's bytes."""
        split = be_words if self.message_order == "big" else le_words
        spec = type(self).compress          # a plain function, not a method
        M = split(block, self.word_bits // 8)
        return spec(list(H), M, self.K) if self.K is not None else spec(list(H), M)

    def final_outputs(self, H: list) -> list:
        wb = self.word_bits // 8
        outs = [Output(f"H{i}", ("mem", "state", wb * i, wb), stored_word(H[i], self.state_order))
                for i in range(self.state_words)]
        return outs + self.return_outputs()

    def postcondition(self, st, setup):
        inp = st.mem.region("input")
        H = self.H
        for b in range(self.blocks):
            H = self.step(H, [inp.initial(self.block_bytes * b + i)
                              for i in range(self.block_bytes)])
        return self.final_outputs(H)

    def fold_statement(self, image) -> FoldStatement:
        """For every n: the state holds the compression folded over the n blocks."""
        self.setup(image)
        return FoldStatement(self.H, self.step, "input", self.block_bytes, self.final_outputs,
                             self.bound_bits)
