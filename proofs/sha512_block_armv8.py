"""Proof: OpenSSL's sha512_block_armv8 computes FIPS 180-4 SHA-512 compression.

Routine: ``sha512_block_armv8(u64 ctx[8], const u8 *inp, size_t num)`` from
libcrypto.a:libcrypto-lib-sha512-armv8.o (listing: listings/sha512_block_armv8.lst).

Preconditions
  x0 = ctx: a region of 64 bytes holding H0..H7 as little-endian u64 (symbolic);
  x1 = inp: a region of 128*num bytes, every byte symbolic;
  x2 = num: the block count, a concrete number (1 or 2 in the shipped proofs);
  ctx, inp, the stack and the object's own sections are pairwise disjoint.
Postcondition
  ctx holds H^(num), the FIPS 180-4 §6.4.2 compression iterated over the
  blocks, each block's words read big-endian (§5.2.2 / §6.4.2 step 1).
Frame
  returns to x30; x19-x29, sp and d8-d15 preserved; only ctx changes
  (outside the stack below sp).
"""
from __future__ import annotations

from lnsym.bv import const, var
from lnsym.proof import Output, RoutineProof, Setup, le_bytes
from lnsym.symbolic import Region
from proofs.listing import load_listing
from proofs.specs import sha512
from proofs.specs.bytes import be_words


class Sha512BlockArmv8(RoutineProof):
    name = "sha512_block_armv8"
    member = "libcrypto-lib-sha512-armv8.o"
    symbol = "sha512_block_armv8"
    listing = load_listing("sha512_block_armv8")
    spec = "FIPS 180-4 §6.4.2 SHA-512 compression (proofs/specs/sha512.py)"
    may_change = ("ctx",)

    def title(self):
        return f"{self.name} ({self.blocks} block{'s' if self.blocks > 1 else ''})"

    @property
    def blocks(self) -> int:
        return int(self.params.get("blocks", 1))

    def setup(self, image):
        self.H = [var(f"H{i}", 64) for i in range(8)]
        ctx = Region("ctx", var("ctx", 64), 0, 64,
                     init=lambda off: le_bytes(self.H[off // 8], off % 8))
        inp = Region("inp", var("inp", 64), 0, 128 * self.blocks)
        regs = {"x0": var("ctx", 64), "x1": var("inp", 64), "x2": const(self.blocks, 64)}
        return Setup(regs, [ctx, inp])

    def postcondition(self, st, setup):
        inp = st.mem.region("inp")
        H = self.H
        for b in range(self.blocks):
            M = be_words([inp.initial(128 * b + i) for i in range(128)], 8)
            H = sha512.compress(H, M)
        return [Output(f"H{i}", ("mem", "ctx", 8 * i, 8), H[i]) for i in range(8)]
