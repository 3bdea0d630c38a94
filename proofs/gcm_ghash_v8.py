"""Proof: OpenSSL's gcm_ghash_v8 updates Xi by GHASH over ``blocks`` input blocks.

Routine: ``gcm_ghash_v8(u8 Xi[16], const u128 Htable[16], const u8 *inp, size_t len)``
from libcrypto.a:libcrypto-lib-ghashv8-armx.o, with its 4-block path
``gcm_ghash_v8_4x`` (taken when len >= 64; listing: listings/gcm_ghash_v8.lst).
Code paths: 1 block: the single-block tail; 2-3 blocks: the 2-block loop with
H^2, H (and a single-block tail for 3); >= 4 blocks: the 4-block loop with
H^4..H, then a 1-, 2- or 3-block tail (5 blocks: 4+1, 8 blocks: 4+4).

Preconditions
  x0 = Xi: 16 symbolic bytes (standard order); x1 = Htable holding
  ``htable(H, P2, P3, P4)`` for symbolic H, P2, P3, P4 (proofs/specs/ghash_htable.py);
  x2 = inp: 16*blocks symbolic bytes; x3 = 16*blocks (concrete);
  the regions, the stack and the object's sections are pairwise disjoint.
Postcondition (proven at the bit level)
  Xi holds ``ghash_aggregated([H, P2, P3, P4], blocks, Xi)``: GHASH with the
  table's values as the powers of H, blocks grouped as the code groups them.
Corollary (derived; proofs/ghash_algebra.py)
  When P_m = H^m -- the table gcm_init_v8 stores (proof gcm_init_v8) -- Xi holds
  ``ghash.ghash(H, blocks, Xi)``, SP 800-38D Algorithm 2: the free variables
  P_m are instantiated, the two forms have the same normal form in the free
  commutative ring of characteristic 2, and XOR and • satisfy the ring laws
  (proven lemmas, proofs/gf128_field.py).
Frame
  returns to x30; x19-x29, sp, d8-d15 preserved; only Xi changes.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Corollary, Output, RoutineProof, Setup
from lnsym.terms.bv import const, var
from proofs.blocks import input_blocks as read_blocks
from proofs.gcm_gmult_v8 import (
    MEMBER,
    SPEC,
    as_memory,
    block_region,
    symbolic_table,
    table_region,
)
from proofs.ghash_algebra import TRUSTED, aggregated_is_ghash
from proofs.listing import load_listing
from proofs.specs.ghash_htable import ghash_aggregated

AGGREGATED = "Xi <- aggregated GHASH update over the table's values"
STANDARD = "Xi <- GHASH_H(Xi; X1..Xn), SP 800-38D Algorithm 2"


def input_blocks(st, blocks: int) -> list:
    return read_blocks(st, "inp", blocks)


def inp_region(blocks: int) -> Region:
    return Region("inp", var("inp", 64), 0, 16 * blocks)


def ghash_call_args(blocks: int) -> dict:
    """gcm_ghash_v8(Xi, Htable, inp, len) with len = 16*blocks."""
    return {"x0": var("Xi", 64), "x1": var("Htable", 64), "x2": var("inp", 64),
            "x3": const(16 * blocks, 64)}


class OverBlocks:
    """The ``blocks`` parameter of a GHASH proof, and the title naming it."""
    @property
    def blocks(self) -> int:
        return int(self.params.get("blocks", 1))

    def title(self):
        return f"{self.name} ({self.blocks} block{'s' if self.blocks > 1 else ''})"


class GcmGhashV8(OverBlocks, RoutineProof):
    name = "gcm_ghash_v8"
    member = MEMBER
    symbol = "gcm_ghash_v8"
    listing = load_listing("gcm_ghash_v8")
    spec = SPEC
    may_change = ("Xi",)

    def setup(self, image):
        self.Xi = var("Xi0", 128)
        self.H, self.P, entries = symbolic_table()
        return Setup(ghash_call_args(self.blocks),
                     [block_region("Xi", self.Xi), table_region(entries), inp_region(self.blocks)])

    def postcondition(self, st, setup):
        self.aggregated = ghash_aggregated([self.H, *self.P], input_blocks(st, self.blocks),
                                           self.Xi)
        return [Output(AGGREGATED, ("mem", "Xi", 0, 16), as_memory(self.aggregated))]

    def corollaries(self, st, setup):
        blocks = input_blocks(st, self.blocks)
        return [Corollary(STANDARD + " when P_m = H^m (the table gcm_init_v8 stores)",
                          (AGGREGATED,),
                          lambda: aggregated_is_ghash(self.aggregated, self.H, self.Xi, blocks,
                                                      self.P),
                          TRUSTED + ("instantiation of the free table values P2, P3, P4 "
                                     "at H^2, H^3, H^4",))]
