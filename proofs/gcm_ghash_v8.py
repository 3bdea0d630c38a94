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
Postcondition
  Xi holds ``ghash_aggregated([H, P2, P3, P4], blocks, Xi)``: GHASH with the
  table's values as the powers of H, blocks grouped as the code groups them.
  For every P2, P3, P4 -- in particular for P_m = H^m, which gcm_init_v8 stores
  (proof gcm_init_v8), where it equals SP 800-38D Algorithm 2 by the field laws
  (see ghash_htable.ghash_aggregated).  For 1 block the spec term *is*
  ``ghash.ghash(H, [B1], Xi)``.
Frame
  returns to x30; x19-x29, sp, d8-d15 preserved; only Xi changes.
"""
from __future__ import annotations

from lnsym.bv import const, var
from lnsym.proof import Output, RoutineProof, Setup
from lnsym.symbolic import Region
from proofs.gcm_gmult_v8 import MEMBER, SPEC, as_memory, block_region, symbolic_table, table_region
from proofs.listing import load_listing
from proofs.specs.ghash import block_from_bytes
from proofs.specs.ghash_htable import ghash_aggregated


class GcmGhashV8(RoutineProof):
    name = "gcm_ghash_v8"
    member = MEMBER
    symbol = "gcm_ghash_v8"
    listing = load_listing("gcm_ghash_v8")
    may_change = ("Xi",)

    @property
    def blocks(self) -> int:
        return int(self.params.get("blocks", 1))

    @property
    def spec(self) -> str:
        if self.blocks == 1:
            return SPEC
        return (SPEC + "; for several blocks the postcondition is the aggregated form the code "
                "computes ((Y^X1)*H^2 ^ X2*H ...), whose equality to SP 800-38D Algorithm 2 "
                "(distributivity and associativity in GF(2^128)) is tested, NOT proved")

    def title(self):
        agg = ", aggregated" if self.blocks > 1 else ""
        return f"{self.name} ({self.blocks} block{'s' if self.blocks > 1 else ''}{agg})"

    def setup(self, image):
        self.Xi = var("Xi0", 128)
        self.H, self.P, entries = symbolic_table()
        n = 16 * self.blocks
        regs = {"x0": var("Xi", 64), "x1": var("Htable", 64), "x2": var("inp", 64),
                "x3": const(n, 64)}
        return Setup(regs, [block_region("Xi", self.Xi), table_region(entries),
                            Region("inp", var("inp", 64), 0, n)])

    def input_blocks(self, st):
        inp = st.mem.region("inp")
        return [block_from_bytes([inp.initial(16 * b + i) for i in range(16)])
                for b in range(self.blocks)]

    def postcondition(self, st, setup):
        Y = ghash_aggregated([self.H, *self.P], self.input_blocks(st), self.Xi)
        return [Output("Xi <- GHASH update", ("mem", "Xi", 0, 16), as_memory(Y))]
