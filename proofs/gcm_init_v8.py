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

Composition (``GcmInitGmultV8``, proof "gcm_init+gmult_v8"): gcm_init_v8 then
gcm_gmult_v8 run symbolically in sequence on the same memory, Xi <- Xi • H
(§6.3) with nothing assumed about the table.  For gcm_ghash_v8 the composition
is by lemmas: its precondition is ``htable(H, P2, P3, P4)`` for every P2..P4,
and gcm_init_v8's postcondition is that table at P_m = H^m -- the same
function (``ghash_htable.htable``); ``tests/proofs/test_ghash_proofs.py``
checks that the two proofs' table terms coincide.
"""
from __future__ import annotations

from lnsym.bv import extract, var
from lnsym.proof import Output, RoutineProof, Setup
from lnsym.symbolic import Region, SymState
from proofs.gcm_gmult_v8 import MEMBER, SPEC, as_memory, block_region
from proofs.listing import load_listing
from proofs.specs import ghash
from proofs.specs.ghash_htable import ENTRIES, HTABLE_BYTES, htable_of


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


class GcmInitGmultV8(GcmInitV8):
    """gcm_init_v8 then gcm_gmult_v8 on its table: Xi <- Xi • H (SP 800-38D §6.3)."""
    name = "gcm_init+gmult_v8"
    may_change = ("Htable", "Xi")

    def setup(self, image):
        s = super().setup(image)
        self.Xi = var("Xi0", 128)
        s.regions.append(block_region("Xi", self.Xi))
        return s

    def execute(self, image):
        st, setup = super().execute(image)          # gcm_init_v8, up to its return
        regs = dict(st.regs)
        regs.update({"x0": var("Xi", 64), "x1": var("Htable", 64)})
        regs["x30"] = st.initial["x30"]
        st2 = SymState(st.fetch, st.mem, image.symbol("gcm_gmult_v8").addr, regs)
        st2.run(st.initial["x30"], self.max_steps)
        st2.steps += st.steps
        st2.initial = st.initial                    # the frame is that of the whole sequence
        return st2, setup

    def postcondition(self, st, setup):
        return [Output("Xi <- Xi • H", ("mem", "Xi", 0, 16),
                       as_memory(ghash.gf128_mul(self.Xi, self.H)))]
