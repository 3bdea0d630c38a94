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

Composed with the update for every block count (``GcryGhashSetupUpdateAllLengths``,
row ``_gcry_ghash_setup+update_armv8_ce_pmull (every block count ...)``): the setup's
proof as a premise, then the update's cases (proofs/libgcrypt/ghash_all.py, over free
P2..P6); the update's key and table precondition at P_m = the setup's products is
checked to be the setup's postcondition term for term, so the update's Algorithm 2
row at P_m = H^m and the derived row give Algorithm 2 for the key the setup was given.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.cases import CaseSplit
from lnsym.proof.routine import Corollary, Output, Setup
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import substitute, var
from proofs.blocks import block_region
from proofs.contracts import Contract, bit_reflected_bytes
from proofs.contracts.ghash import STANDARD
from proofs.ghash_algebra import TRUSTED, products_are_powers
from proofs.libgcrypt import listing_of
from proofs.libgcrypt.ghash import GcryGhashSetupUpdate, GcryGhashUpdate
from proofs.libgcrypt.ghash_all import GcryGhashUpdateAllLengths
from proofs.specs import ghash
from proofs.specs.bytes import le_word

SETUP, UPDATE = "_gcry_ghash_setup_armv8_ce_pmull", "_gcry_ghash_armv8_ce_pmull"

PRODUCTS = ("H•H", "H^2•H", "H^2•H^2", "H^2•H^3", "H^3•H^3")   # = H^2 .. H^6
TABLE_IS_POWERS = "table = rbit(H^2), rbit(H^3), .., rbit(H^6)"
COMPOSITION_TRUST = (
    f"composition of the two proved calls: {SETUP} writes only key and table (its frame) and "
    f"{UPDATE}'s statement holds for every value its precondition leaves free (P2..P6 "
    f"included), so for the state the setup returns; that precondition at the setup's "
    f"products is the setup's postcondition (checked above as the same terms)")


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


class GcryGhashSetup(Contract):
    name = symbol = SETUP
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
                          lambda: products_are_powers(code_powers, self.H), TRUSTED)]


def setup_table_is_update_table(products=code_powers) -> ObligationResult:
    """The setup's postcondition (key, table) is the update's precondition at P_m = the
    setup's products: the same hash-consed terms, byte for byte.  (``products``: what
    the update's table is instantiated with; the setup's own by default.)"""
    update = GcryGhashUpdate(blocks=GcryGhashUpdate.group[0])
    update.H = H = var("H", 128)
    P = update.powers()
    at = dict(zip(P[1:], products(H)))
    table = [substitute(b, at) for b in GcryGhashUpdate.table_layout(P)]
    same = le_word(GcryGhashUpdate.key_layout(H)) is stored(H) and all(
        le_word(table[16 * k:16 * k + 16]) is stored(p) for k, p in enumerate(code_powers(H)))
    return ObligationResult(f"composition: {SETUP}'s key and table = {UPDATE}'s at P_m = "
                            f"{', '.join(PRODUCTS)}", "proved" if same else "stuck",
                            "structural", 0.0)


class GcryGhashSetupUpdateAllLengths(CaseSplit, GcryGhashSetupUpdate):
    """The setup, then the update on its key and table, for every 1 ≤ n < 2^58: the
    setup's proof and the update's cases (proofs/libgcrypt/ghash_all.py) composed."""

    def title(self):
        return f"{self.name} (every block count, 1 ≤ n < 2^{self.bound_bits})"

    def premises(self) -> list:
        return [(SETUP, GcryGhashSetup())]

    def cases(self) -> list:
        return GcryGhashUpdateAllLengths(all_lengths=True).cases()

    def derived(self, results: list) -> tuple:
        rows, trusted = GcryGhashUpdateAllLengths(all_lengths=True).derived(results)
        tie = setup_table_is_update_table()
        needed = [tie, rows[-1], *[r for r in results if r.name == f"[{SETUP}] {TABLE_IS_POWERS}"]]
        name = f"{STANDARD} for every 1 ≤ n < 2^{self.bound_bits}, H the key {SETUP} was given"
        holds = len(needed) == 3 and all(r.status == "proved" for r in needed)
        every = ObligationResult(name, "proved" if holds else "stuck", "composition", 0.0,
                                 detail="the update's Algorithm 2 row at P_m = H^m; the setup's "
                                        "table holds its products, which are H^m (derived row)")
        return [tie, *rows, every], [*trusted, COMPOSITION_TRUST]
