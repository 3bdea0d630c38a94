"""Proof: libgcrypt's ``_gcry_ghash_setup_armv8_ce_pmull`` alone: the key and the
80-byte table it stores, so that nothing the 6-way update reads is unconstrained.

``void _gcry_ghash_setup_armv8_ce_pmull(void *gcm_key, void *gcm_table)``
(listings/_gcry_ghash_setup_armv8_ce_pmull.lst) reverses the bits of each byte of
H (``rbit v19.16b``), writes that back to gcm_key and stores five products, each
one pmull multiply-and-reduce of two earlier values, rbit form throughout:
v20 = H•H, v21 = H^2•H, v22 = H^2•H^2, v23 = H^2•H^3, v24 = H^3•H^3, in that
order at gcm_table + 0, 16, .., 64.

Postcondition (bit level, GF(2) normal form): key = rbit bytes of H; table entry k
= rbit bytes of the k-th product *as the code associates it* (``code_powers``).
Derived row: those products are H^2..H^6 (the ring step: same polynomial in the
free commutative ring as H·H·...·H, and the proven field laws).
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Corollary, Output, Setup
from lnsym.prover import ring
from lnsym.terms.bv import var
from proofs.blocks import block_region
from proofs.contracts import Contract, bit_reflected_bytes
from proofs.ghash_algebra import TRUSTED, ring_power
from proofs.gf128_field import prove_field_laws
from proofs.libgcrypt import listing_of
from proofs.specs import ghash
from proofs.specs.bytes import le_word

PRODUCTS = ("H•H", "H^2•H", "H^2•H^2", "H^2•H^3", "H^3•H^3")   # = H^2 .. H^6
TABLE_IS_POWERS = "table = rbit(H^2), rbit(H^3), .., rbit(H^6)"


def code_powers(H, field=ghash.GF128) -> list:
    """H^2..H^6 associated as the setup's pmull operands are (``PRODUCTS``)."""
    H2 = field.mul(H, H)
    H3 = field.mul(H2, H)
    return [H2, H3, field.mul(H2, H2), field.mul(H2, H3), field.mul(H3, H3)]


def stored(block):
    """The little-endian read of the 16 bytes ``rbit v.16b`` leaves for ``block``."""
    return le_word(bit_reflected_bytes(block))


def entry_name(k: int) -> str:
    return f"table[{16 * k}..{16 * k + 15}] <- rbit({PRODUCTS[k]})"


def products_are_powers(H) -> tuple:
    """(holds, method, detail): each product of ``code_powers`` is H^m, m = 2..6."""
    Hr = ring.ring_var("H")
    code = code_powers(Hr, ring.FREE)
    if any(ring.interpret(e, {"H": H}, ghash.GF128) is not t
           for e, t in zip(code, code_powers(H))):
        return False, "ring", "the stored terms are not the ring expressions' interpretations"
    wrong = [m for m, e in enumerate(code, 2) if not ring.same_polynomial(e, ring_power(Hr, m))]
    if wrong:
        return False, "ring", f"not H^m for m = {wrong}"
    laws = "; ".join(f"{lemma.name} {lemma.how}" for lemma in prove_field_laws())
    return True, "ring+field-laws", f"{', '.join(PRODUCTS)} = H^2..H^6; {laws}"


class GcryGhashSetup(Contract):
    name = symbol = "_gcry_ghash_setup_armv8_ce_pmull"
    library, member = "libgcrypt", "cipher-gcm-armv8-aarch64-ce.o"
    listing = listing_of(symbol)
    spec = "SP 800-38D §6.3 Algorithm 1 (proofs/specs/ghash.py), products of H"
    may_change = ("key", "table")

    def setup(self, image):
        self.H = var("H", 128)
        regions = [block_region("key", self.H), Region("table", var("table", 64), 0, 80)]
        return Setup({"x0": var("key", 64), "x1": var("table", 64)}, regions)

    def postcondition(self, st, setup):
        entries = [Output(entry_name(k), ("mem", "table", 16 * k, 16), stored(p))
                   for k, p in enumerate(code_powers(self.H))]
        return [Output("key <- rbit(H)", ("mem", "key", 0, 16), stored(self.H)), *entries]

    def corollaries(self, st, setup):
        return [Corollary(TABLE_IS_POWERS, tuple(entry_name(k) for k in range(5)),
                          lambda: products_are_powers(self.H), TRUSTED)]
