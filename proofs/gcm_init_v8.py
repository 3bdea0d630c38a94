"""Proof: OpenSSL's gcm_init_v8 stores the key table ``htable_of(H)``; and, composed
with gcm_gmult_v8, computes the standard's GF(2^128) product.

Routine: ``gcm_init_v8(u128 Htable[16], const u64 H[2])`` from
libcrypto.a:libcrypto-lib-ghashv8-armx.o (listing: listings/gcm_init_v8.lst).

Preconditions
  x1 = H: 16 bytes, two little-endian u64 holding the big-endian halves of a
       symbolic block H (as crypto/modes/gcm128.c passes E_K(0^128));
  x0 = Htable: 96 bytes, initially symbolic;
  the regions, the stack and the object's sections are pairwise disjoint.
Postcondition
  Htable holds ``htable_of(H)`` (proofs/specs/ghash_htable.py): twist(H),
  kara(H, H^2), twist(H^2), twist(H^3), kara(H^3, H^4), twist(H^4), with the powers
  computed by SP 800-38D's multiplication.
Frame
  returns to x30; x19-x29, sp, d8-d15 preserved; only Htable changes.

Compositions, each running both routines in sequence on one symbolic memory,
with nothing assumed about the table between the calls:
  "gcm_init+gmult_v8": then gcm_gmult_v8: Xi <- Xi • H (§6.3);
  "gcm_init+ghash_v8/N": then gcm_ghash_v8 over N blocks: Xi holds the aggregated
  form at the powers of H (bit level), and so (derived, proofs/ghash_algebra.py)
  GHASH_H(Xi; X1..XN), SP 800-38D Algorithm 2.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Corollary, Output, RoutineProof, Setup, TwoCallProof
from lnsym.terms.bv import extract, var
from proofs.blocks import as_memory, block_region
from proofs.gcm_ghash_v8 import (
    STANDARD,
    OverBlocks,
    ghash_call_args,
    inp_region,
    input_blocks,
)
from proofs.gcm_gmult_v8 import MEMBER, SPEC
from proofs.ghash_algebra import TRUSTED, aggregated_is_ghash
from proofs.listing import load_listing
from proofs.specs import ghash
from proofs.specs.ghash_htable import (
    ENTRIES,
    HTABLE_BYTES,
    ghash_aggregated,
    htable_of,
    powers,
)

AGGREGATED_AT_POWERS = "Xi <- aggregated GHASH update over H, H^2, H^3, H^4"


def h_region(H) -> Region:
    """u64 H[2] = {BE64(bytes 0..7), BE64(bytes 8..15)}, each stored little-endian."""
    def init(off):
        lane = extract(H, 127, 64) if off < 8 else extract(H, 63, 0)
        k = off % 8
        return extract(lane, 8 * k + 7, 8 * k)
    return Region("H", var("Hptr", 64), 0, 16, init=init)


class GcmInitV8(RoutineProof):
    name = "gcm_init_v8"
    member = MEMBER
    symbol = "gcm_init_v8"
    listing = load_listing("gcm_init_v8")
    spec = SPEC
    may_change = ("Htable",)

    def setup(self, image):
        self.H = var("H", 128)
        regs = {"x0": var("Htable", 64), "x1": var("Hptr", 64)}
        return Setup(regs, [Region("Htable", var("Htable", 64), 0, HTABLE_BYTES), h_region(self.H)])

    def postcondition(self, st, setup):
        entries = htable_of(self.H)
        names = ["twist(H)", "kara(H,H^2)", "twist(H^2)", "twist(H^3)", "kara(H^3,H^4)",
                 "twist(H^4)"]
        return [Output(f"Htable[{i}] = {names[i]}", ("mem", "Htable", 16 * i, 16), entries[i])
                for i in range(ENTRIES)]


class GcmInitGmultV8(TwoCallProof, GcmInitV8):
    """gcm_init_v8 then gcm_gmult_v8 on its table: Xi <- Xi • H (SP 800-38D §6.3)."""
    name = "gcm_init+gmult_v8"
    second_symbol = "gcm_gmult_v8"
    second_listing = load_listing("gcm_gmult_v8")
    may_change = ("Htable", "Xi")

    def setup(self, image):
        s = super().setup(image)
        self.Xi = var("Xi0", 128)
        s.regions.append(block_region("Xi", self.Xi))
        return s

    def second_call_args(self):
        return {"x0": var("Xi", 64), "x1": var("Htable", 64)}

    def postcondition(self, st, setup):
        return [Output("Xi <- Xi • H", ("mem", "Xi", 0, 16),
                       as_memory(ghash.gf128_mul(self.Xi, self.H)))]


class GcmInitGhashV8(OverBlocks, GcmInitGmultV8):
    """gcm_init_v8 then gcm_ghash_v8 over ``blocks`` blocks on its table."""
    name = "gcm_init+ghash_v8"
    second_symbol = "gcm_ghash_v8"
    second_listing = load_listing("gcm_ghash_v8")

    def setup(self, image):
        s = super().setup(image)
        s.regions.append(inp_region(self.blocks))
        return s

    def second_call_args(self):
        return ghash_call_args(self.blocks)

    def postcondition(self, st, setup):
        self.aggregated = ghash_aggregated([self.H, *powers(self.H)],
                                           input_blocks(st, self.blocks), self.Xi)
        return [Output(AGGREGATED_AT_POWERS, ("mem", "Xi", 0, 16), as_memory(self.aggregated))]

    def corollaries(self, st, setup):
        blocks = input_blocks(st, self.blocks)
        return [Corollary(STANDARD, (AGGREGATED_AT_POWERS,),
                          lambda: aggregated_is_ghash(self.aggregated, self.H, self.Xi, blocks),
                          TRUSTED)]
