"""Proof: libgcrypt's ``_gcry_ghash_armv8_ce_pmull`` for every block count 1 ≤ n < 2^58.

Control flow (listings/_gcry_ghash_armv8_ce_pmull.lst): below 6 blocks a loop of
single blocks (head +0x390); from 6 blocks the code loads the first group of 6,
then runs its 6-way loop (head +0x74, back edge +0x1d4) once per further group,
each pass folding the group loaded before into the result and loading the next;
after the loop it folds the last group and takes the remaining r = n mod 6 blocks
one at a time (the same single-block loop, at most 5 passes).

The every-count contract (``proofs/contracts/ghash_every.py``) splits n: n = 1..5
the bounded proofs (``GcryGhashUpdate``), n = 6·(num + 1) + r one induction per r
over the 6-way loop; each case closes with the code's grouping (6, 1) over free
P2..P6, and Algorithm 2 follows at P_m = H^m.  The cut: after the loop the last
group is reduced into v0 (+0x34c), the d8-d15 restored, and then ``cbz x3`` takes
the single blocks (+0x378), with v0 = ``rbit`` of the result's bytes, as the entry
loads it (``ld1 {v0.16b}; rbit``).
"""
from __future__ import annotations

from lnsym.terms.bv import concat
from proofs.contracts.ghash import bit_reflected_bytes
from proofs.contracts.ghash_every import GhashEveryCount, GhashGroupLoop
from proofs.libgcrypt.ghash import GcryGhashUpdate


class GcryGhashGroupLoop(GhashGroupLoop, GcryGhashUpdate):
    loop_head, tail_cut = 0x74, 0x378

    def cut_state(self, running):
        return {"v0": concat(*reversed(bit_reflected_bytes(running)))}


class GcryGhashUpdateAllLengths(GhashEveryCount, GcryGhashUpdate):
    loop = GcryGhashGroupLoop
