"""libgcrypt's GHASH (ARMv8 PMULL): the key setup then the update, composed.

``void _gcry_ghash_setup_armv8_ce_pmull(void *gcm_key, void *gcm_table)`` turns
the 16-byte hash subkey H in gcm_key into the routine's own form (bit-reflected,
written back) and stores its powers in gcm_table (80 bytes); then
``unsigned int _gcry_ghash_armv8_ce_pmull(void *gcm_key, byte *result, const byte
*buf, size_t nblocks, void *gcm_table)`` updates result over nblocks blocks.
Both run in sequence on one symbolic memory, nothing assumed about the table in
between: result' = GHASH_H(result; X1..Xn) (SP 800-38D Algorithm 2) for symbolic
H, result and blocks.  Proved for 1, 2 and 3 blocks (below 6 blocks the update
takes one block at a time); 6 or more take the 6-way aggregated path, whose
obligations did not close within minutes at the bit level.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Output, Setup, TwoCallProof
from lnsym.terms.bv import const, var
from proofs.blocks import as_memory, block_region, input_blocks
from proofs.contracts import Contract, GhashUpdate, bit_reflected_bytes
from proofs.libgcrypt import listing_of
from proofs.specs import ghash


class GcryGhashSetupUpdate(TwoCallProof, Contract):
    name = "_gcry_ghash_setup+update_armv8_ce_pmull"
    library, member = "libgcrypt", "cipher-gcm-armv8-aarch64-ce.o"
    symbol, second_symbol = "_gcry_ghash_setup_armv8_ce_pmull", "_gcry_ghash_armv8_ce_pmull"
    listing = listing_of("_gcry_ghash_setup_armv8_ce_pmull")
    second_listing = listing_of("_gcry_ghash_armv8_ce_pmull")
    spec = "SP 800-38D §6.4 Algorithm 2 GHASH (proofs/specs/ghash.py)"
    may_change = ("key", "table", "result")
    returns = 0
    variants = ({"blocks": 1}, {"blocks": 2}, {"blocks": 3})

    @property
    def blocks(self) -> int:
        return int(self.params.get("blocks", 1))

    def setup(self, image):
        self.H, self.X0 = var("H", 128), var("X0", 128)
        regions = [block_region("key", self.H), Region("table", var("table", 64), 0, 80),
                   block_region("result", self.X0),
                   Region("buf", var("buf", 64), 0, 16 * self.blocks)]
        return Setup({"x0": var("key", 64), "x1": var("table", 64)}, regions)

    def second_call_args(self):
        return {"x0": var("key", 64), "x1": var("result", 64), "x2": var("buf", 64),
                "x3": const(self.blocks, 64), "x4": var("table", 64)}

    def postcondition(self, st, setup):
        blocks = input_blocks(st, "buf", self.blocks)
        out = ghash.ghash(self.H, blocks, self.X0)
        return [Output("result <- GHASH_H(result; X1..Xn)", ("mem", "result", 0, 16),
                       as_memory(out))] + self.return_outputs()


class GcryGhashUpdate(GhashUpdate):
    """The update alone, on a key and table in the setup's representation: each byte
    bit-reversed (``rbit``), the table holding free P2..P6.  The code takes 6 blocks
    at a time while 6 remain, then one at a time: below 6 blocks the statement is
    Algorithm 2 itself; from 6 on it is the aggregated form over the free P2..P6."""
    name = symbol = "_gcry_ghash_armv8_ce_pmull"
    library, member = "libgcrypt", "cipher-gcm-armv8-aarch64-ce.o"
    listing = listing_of("_gcry_ghash_armv8_ce_pmull")
    key_layout = staticmethod(bit_reflected_bytes)
    table_powers = 5
    group = (6, 1)
    returns = 0
    variants = ({"blocks": 1}, {"blocks": 2}, {"blocks": 6}, {"blocks": 7})

    @staticmethod
    def table_layout(P):
        return [b for p in P[1:] for b in bit_reflected_bytes(p)]
