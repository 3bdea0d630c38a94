"""``GhashUpdate``: a GHASH update over n blocks with the key in a table.

Routine shape: ``f([key,] Xi, input, nblocks, [table])`` (registers in ``registers``;
leave one out with None).  The code's representation of the key is a parameter:

* ``key_layout(H)``: the 16 byte terms the key argument holds for hash subkey H
  (None: no key argument);
* ``table_layout(P)``: the table's byte terms for the powers P = [P1, P2, ..]
  the table holds (P1 = H; the others free variables P2.. unless
  ``powers_of_h``, then H^m), ``table_powers`` of them.

Preconditions: Xi (``result``) and the n input blocks symbolic, a symbolic H,
regions disjoint.  Postcondition: Xi holds the *aggregated* GHASH update with
the code's grouping: chunks of ``group`` blocks, each folding the running value
Y as (Y ⊕ Z1)•P_k ⊕ Z2•P_(k-1) ⊕ ... ⊕ Zk•P_1 (``aggregated``; ``group`` is one
chunk size or the sizes the code takes largest first, e.g. (6, 1)); with group 1
that is SP 800-38D Algorithm 2 itself.  Derived (a corollary row, when the table's
powers are free and a chunk has more than one block): at P_m = H^m, Xi holds
Algorithm 2 (proofs/ghash_algebra.py, ``table_aggregate_is_ghash``).  Blocks are 128-bit terms whose most
significant bit is the standard's bit 0; Xi and the input are stored in the
standard's byte order.
"""
from __future__ import annotations

from typing import ClassVar

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Corollary, Output, Setup
from lnsym.terms.bv import concat, extract, var
from proofs.blocks import as_memory, block_region, input_blocks
from proofs.contracts.base import Contract, narrow
from proofs.ghash_algebra import TRUSTED, table_aggregate_is_ghash
from proofs.specs import ghash


def chunk_sizes(n: int, group) -> list:
    """How the code splits n blocks: ``group`` is one size (every chunk that size, the
    last one shorter) or sizes tried largest first (e.g. (6, 1): chunks of 6 while 6
    remain, then single blocks; OpenSSL's (4, 2, 1))."""
    if isinstance(group, int):
        return [min(group, n - i) for i in range(0, n, group)]
    sizes, left = [], n
    while left:
        k = max((g for g in group if g <= left), default=None)
        if k is None:
            raise ValueError(f"grouping {group} cannot take {left} block(s)")
        sizes.append(k)
        left -= k
    return sizes


def aggregated(powers: list, blocks: list, X0, group=1, field=ghash.GF128):
    """GHASH folded chunk by chunk (``chunk_sizes``) with the powers P1.. (``powers[0]``
    = P1): a chunk Z1..Zk takes Y to (Y ⊕ Z1)•P_k ⊕ Z2•P_(k-1) ⊕ ... ⊕ Zk•P_1."""
    Y, start = X0, 0
    for k in chunk_sizes(len(blocks), group):
        chunk = blocks[start:start + k]
        acc = field.mul(field.add(Y, chunk[0]), powers[k - 1])
        for j, Z in enumerate(chunk[1:], 2):
            acc = field.add(acc, field.mul(Z, powers[k - j]))
        Y, start = acc, start + k
    return Y


def grouped(group):
    """``aggregated`` with the grouping fixed: the ``aggregate(powers, blocks, Y, field)``
    the algebra step (proofs/ghash_algebra.py) takes."""
    return lambda powers, blocks, X0, field=ghash.GF128: aggregated(powers, blocks, X0, group,
                                                                     field)


def block_bytes(block) -> list:
    """The 16 byte terms of a block in the standard's order (first byte = bits 0..7)."""
    return [extract(block, 127 - 8 * i, 120 - 8 * i) for i in range(16)]


def bit_reflected_bytes(block) -> list:
    """Each byte of the block with its bits reversed (AArch64 ``rbit v.16b``)."""
    return [concat(*[extract(b, i, i) for i in range(8)]) for b in block_bytes(block)]


AGGREGATED = "Xi <- aggregated GHASH update"
STANDARD = "Xi <- GHASH_H(Xi; X1..Xn), SP 800-38D Algorithm 2"


class GhashUpdate(Contract):
    registers: ClassVar[dict] = {"key": "x0", "result": "x1", "input": "x2", "blocks": "x3",
                                 "table": "x4"}
    key_layout = staticmethod(block_bytes)
    table_layout = None           # function(powers) -> byte terms; None: no table argument
    table_powers = 0              # entries P2..P(table_powers+1) are free variables
    powers_of_h = False
    group = 1
    spec = "SP 800-38D §6.4 GHASH, aggregated as the code groups blocks (proofs/contracts/ghash.py)"
    may_change = ("result",)

    @property
    def blocks(self) -> int:
        return int(self.params.get("blocks", 1))

    def powers(self) -> list:
        if self.powers_of_h:
            P = [self.H]
            for _ in range(self.table_powers):
                P.append(ghash.gf128_mul(P[-1], self.H))
            return P
        return [self.H] + [var(f"P{m}", 128) for m in range(2, self.table_powers + 2)]

    def setup(self, image):
        self.H, self.X0 = var("H", 128), var("X0", 128)
        r = self.registers
        regions = [block_region("result", self.X0),
                   Region("input", var("input", 64), 0, 16 * self.blocks)]
        regs = {r["result"]: var("result", 64), r["input"]: var("input", 64),
                r["blocks"]: narrow(self.blocks, 64, r["blocks"])}
        if r.get("key") and self.key_layout is not None:
            key = type(self).key_layout(self.H)
            regions.append(Region("key", var("key", 64), 0, 16, init=lambda off: key[off]))
            regs[r["key"]] = var("key", 64)
        if r.get("table") and self.table_layout is not None:
            table = type(self).table_layout(self.powers())
            regions.append(Region("table", var("table", 64), 0, len(table),
                                  init=lambda off: table[off]))
            regs[r["table"]] = var("table", 64)
        return Setup(regs, regions)

    def postcondition(self, st, setup):
        blocks = input_blocks(st, "input", self.blocks)
        self.aggregated = aggregated(self.powers(), blocks, self.X0, self.group)
        return [Output(AGGREGATED, ("mem", "result", 0, 16),
                       as_memory(self.aggregated))] + self.return_outputs()

    def corollaries(self, st, setup):
        """With free table powers and a chunk of more than one block, Algorithm 2 is
        derived: P_m = H^m, the ring normal form, the proven field laws."""
        if self.powers_of_h or not self.table_powers or max(chunk_sizes(self.blocks,
                                                                          self.group)) == 1:
            return []
        blocks, P = input_blocks(st, "input", self.blocks), self.powers()
        top = len(P)
        return [Corollary(STANDARD + f" when P_m = H^m (m = 2..{top})", (AGGREGATED,),
                          lambda: table_aggregate_is_ghash(self.aggregated, self.H, self.X0,
                                                           blocks, P[1:], grouped(self.group)),
                          TRUSTED + (f"instantiation of the free table values P2..P{top} "
                                     f"at H^2..H^{top}",))]
