"""The shape shared by the SHA block-function proofs.

Routine: ``sha*_block_armv8(ctx, const u8 *inp, size_t num)``.

Preconditions
  x0 = ctx: a region holding H0..H(n-1) as little-endian words (symbolic);
  x1 = inp: a region of block_bytes*num bytes, every byte symbolic;
  x2 = num: the block count, a concrete number;
  ctx, inp, the stack and the object's own sections are pairwise disjoint.
Postcondition
  ctx holds H^(num), the spec's compression iterated over the blocks, each
  block's words read big-endian (FIPS 180-4 §5.2, step 1 of §6.1.2/§6.2.2/§6.4.2).
Frame
  returns to x30; x19-x29, sp and d8-d15 preserved; only ctx changes
  (outside the stack below sp).
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.all_lengths import AllLengths
from lnsym.proof.induction import FoldStatement
from lnsym.proof.loops import NUM
from lnsym.proof.routine import Output, RoutineProof, Setup, le_bytes
from lnsym.terms.bv import const, var
from proofs.specs.bytes import be_words


class ShaBlockProof(AllLengths, RoutineProof):
    word_bits = 32          # W (FIPS 180-4 §2.1)
    state_words = 8
    block_bytes = 64
    spec_module = None      # has compress(H, M)
    may_change = ("ctx",)
    bound_bits = 58         # 1 <= num < 2^58: block_bytes * num does not overflow 64 bits

    def title(self):
        if self.all_lengths:
            return f"{self.name} (all num, 1 ≤ num < 2^{self.bound_bits})"
        return f"{self.name} ({self.blocks} block{'s' if self.blocks > 1 else ''})"

    @property
    def blocks(self) -> int:
        return int(self.params.get("blocks", 1))

    def setup(self, image):
        wb = self.word_bits // 8
        self.H = [var(f"H{i}", self.word_bits) for i in range(self.state_words)]
        ctx = Region("ctx", var("ctx", 64), 0, wb * self.state_words,
                     init=lambda off: le_bytes(self.H[off // wb], off % wb))
        if self.all_lengths:        # block 0 only: the induction maps block k at the pointer
            inp = Region("inp", var("inp", 64), 0, self.block_bytes, writable=False)
            regs = {"x0": var("ctx", 64), "x1": var("inp", 64), "x2": NUM}
            return Setup(regs, [ctx, inp])
        inp = Region("inp", var("inp", 64), 0, self.block_bytes * self.blocks)
        regs = {"x0": var("ctx", 64), "x1": var("inp", 64), "x2": const(self.blocks, 64)}
        return Setup(regs, [ctx, inp])

    def postcondition(self, st, setup):
        inp = st.mem.region("inp")
        wb = self.word_bits // 8
        H = self.H
        for b in range(self.blocks):
            block = [inp.initial(self.block_bytes * b + i) for i in range(self.block_bytes)]
            H = self.spec_module.compress(H, be_words(block, wb))
        return [Output(f"H{i}", ("mem", "ctx", wb * i, wb), H[i])
                for i in range(self.state_words)]

    def fold_statement(self, image) -> FoldStatement:
        """For every num: ctx holds the compression folded over the num blocks."""
        wb = self.word_bits // 8
        self.setup(image)

        def step(H, block):
            return self.spec_module.compress(list(H), be_words(block, wb))

        def outputs(H):
            return [Output(f"H{i}", ("mem", "ctx", wb * i, wb), H[i])
                    for i in range(self.state_words)]
        return FoldStatement(self.H, step, "inp", self.block_bytes, outputs, self.bound_bits)
