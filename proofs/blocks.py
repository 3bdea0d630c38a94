"""Byte-order helpers for proofs over blocks of bytes, shared by any routine.

Standards number a block's bits from its first byte (SP 800-38D, FIPS 197):
a 128-bit term whose most significant byte is the block's first byte.  A
routine sees the same 16 bytes in memory; these helpers move between the
two views without tying a proof to one library's conventions.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.terms.bv import BV, concat, extract, var


def block_region(name: str, block: BV) -> Region:
    """A region of ``block.width // 8`` bytes holding ``block`` with its most
    significant byte first (the standards' order), based at the variable ``name``."""
    size = block.width // 8
    top = block.width - 1
    return Region(name, var(name, 64), 0, size,
                  init=lambda off: extract(block, top - 8 * off, top - 7 - 8 * off))


def as_memory(block: BV) -> BV:
    """The little-endian read of the bytes of ``block`` stored most significant byte
    first (``le_word(be_bytes(block))``), built from one-bit slices: byte slices of
    a GF(2^128) product term slide a different window down each step of Algorithm
    1's V chain (minutes of term building); one-bit slices are shared."""
    bit = [extract(block, i, i) for i in range(block.width)]
    return concat(*[bit[8 * k + j] for k in range(block.width // 8) for j in reversed(range(8))])


def input_blocks(st, region: str, count: int, size: int = 16) -> list:
    """``count`` blocks of ``size`` bytes read from the initial contents of
    ``region`` in state ``st``, each a term with its first byte most significant."""
    r = st.mem.region(region)
    return [concat(*[r.initial(size * b + i) for i in range(size)]) for b in range(count)]
