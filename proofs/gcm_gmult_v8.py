"""Proof: OpenSSL's gcm_gmult_v8 multiplies Xi by H in GF(2^128) (SP 800-38D §6.3).

Routine: ``gcm_gmult_v8(u8 Xi[16], const u128 Htable[16])`` from
libcrypto.a:libcrypto-lib-ghashv8-armx.o (listing: listings/gcm_gmult_v8.lst).

Preconditions
  x0 = Xi: 16 symbolic bytes, the block in the standard's byte order;
  x1 = Htable: 96 bytes holding OpenSSL's table ``htable(H, P2, P3, P4)``
       (proofs/specs/ghash_htable.py) of a symbolic H and symbolic P2..P4
       (only twist(H) and its Karatsuba entry are read);
  Xi, Htable, the stack and the object's sections are pairwise disjoint.
Postcondition
  Xi holds Xi • H (``ghash.gf128_mul``, §6.3 Algorithm 1), bytes in the same order.
Frame
  returns to x30; x19-x29, sp, d8-d15 preserved; only Xi changes.
Closed by the GF(2) normal form (lnsym/prover/gf2.py): every output bit is a
bilinear form in the bits of Xi and H on both sides.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Output, RoutineProof, Setup
from lnsym.terms.bv import var
from proofs.blocks import as_memory, block_region
from proofs.listing import load_listing
from proofs.specs import ghash
from proofs.specs.ghash_htable import HTABLE_BYTES, htable, htable_bytes

MEMBER = "libcrypto-lib-ghashv8-armx.o"
SPEC = ("SP 800-38D §6.3/§6.4 GF(2^128) multiply and GHASH (proofs/specs/ghash.py); "
        "OpenSSL's Htable layout (proofs/specs/ghash_htable.py)")


def table_region(entries: list) -> Region:
    data = htable_bytes(entries)
    return Region("Htable", var("Htable", 64), 0, HTABLE_BYTES, init=lambda off: data[off])


def symbolic_table():
    """(H, [P2, P3, P4], entries) with every value a fresh 128-bit variable."""
    H = var("H", 128)
    P = [var(f"P{m}", 128) for m in (2, 3, 4)]
    return H, P, htable(H, *P)


class GcmGmultV8(RoutineProof):
    name = "gcm_gmult_v8"
    member = MEMBER
    symbol = "gcm_gmult_v8"
    listing = load_listing("gcm_gmult_v8")
    spec = SPEC
    may_change = ("Xi",)

    def setup(self, image):
        self.Xi = var("Xi0", 128)
        self.H, self.P, entries = symbolic_table()
        regs = {"x0": var("Xi", 64), "x1": var("Htable", 64)}
        return Setup(regs, [block_region("Xi", self.Xi), table_region(entries)])

    def postcondition(self, st, setup):
        return [Output("Xi <- Xi • H", ("mem", "Xi", 0, 16),
                       as_memory(ghash.gf128_mul(self.Xi, self.H)))]
