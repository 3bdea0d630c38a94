"""Proof: libgcrypt's ``_gcry_aes_ctr_enc_armv8_ce`` for every block count (AES-128/192/256).

Statement (``proofs/contracts/ctr_every.py``): block i of dst = block i of src XOR
AES_K(ctr + i) for every i < n (ctr the 16-byte counter as a big-endian 128-bit
number, + modulo 2^128), and the counter written back as ctr + n, for every
1 ≤ n < 2^58 (src and dst of n blocks do not wrap).

Control flow (listings/_gcry_aes_ctr_enc_armv8_ce.lst, one path per key size, e.g.
AES-128's): below 4 blocks one block at a time (head +0x3ac); from 4, groups of 4: the
first group's counters and first 4 rounds before the loop, then the loop (head +0x134,
back edge +0x2b4; AES-192 +0x55c, AES-256 +0xa14), which finishes group k, stores it,
loads group k + 1 and starts its rounds; after the loop the last group is finished and
the remaining r = n mod 4 blocks go one at a time.  Each group's counters come from one
of two paths (``adds x11, x11, x12; b.hs``: does the counter's low byte overflow within
the group?): lane additions or ``adds; adc``, both explored inside the induction.

The split: n = 1..7 the bounded proofs (``GcryAesCtr``, both carry paths from 4
blocks; the loop is entered from 8); n = 4·(num + 1) + r, r = 0..3, num ≥ 1, one
induction per r over the 4-way loop.  The invariant (``head_state``): at the head
after k passes the code holds Fold(k) + 4 = ctr + 4(k + 1) in v0 (bytes), x9:x10
(halves) and x11 (low byte, shifted), and group k's counters after 4 AES rounds in
v1..v4; the rest (pointers, the count, group k's input in v5..v8) is derived.
"""
from __future__ import annotations

from typing import ClassVar

from lnsym.terms.bv import add, concat, const, extract
from proofs.contracts.ctr_every import CtrEveryCount, CtrGroupLoop, first_rounds
from proofs.libgcrypt.aes import GcryAesCtr
from proofs.specs.bytes import be_bytes, le_word


class GcryAesCtrGroupLoop(CtrGroupLoop, GcryAesCtr):
    loop_head: ClassVar[dict] = {128: 0x134, 192: 0x55C, 256: 0xA14}   # per key size

    def head_state(self, fold):
        nxt = add(fold, const(4, 128))
        state = {"v0": le_word(be_bytes(nxt)), "x9": extract(nxt, 127, 64),
                 "x10": extract(nxt, 63, 0), "x11": concat(extract(nxt, 7, 0), const(0, 56))}
        for i in range(4):
            block = be_bytes(add(fold, const(i, 128)))
            state[f"v{i + 1}"] = le_word(first_rounds(block, self.s, 4))
        return state


class GcryAesCtrAllLengths(CtrEveryCount, GcryAesCtr):
    loop = GcryAesCtrGroupLoop


LOOP_HEAD = GcryAesCtrGroupLoop.loop_head


def covers_residue(r: int):
    """n = 4·(num + 1) + r with n ≥ 8."""
    return GcryAesCtrAllLengths().covers_residue(r)


__all__ = ["LOOP_HEAD", "GcryAesCtrAllLengths", "GcryAesCtrGroupLoop", "covers_residue",
           "first_rounds"]
