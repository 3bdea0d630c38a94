"""Decoding words with the encoding diagrams of ``isa_specs``.

The diagrams are compiled once into a table indexed by bits 31..21 of the
word; each bucket lists the encodings compatible with those bits, most
specific (most fixed bits) first, and the first whose mask matches decodes
the word.  Overlaps between diagrams must be declared (``overrides``); a test
checks that every overlap is.
"""
from __future__ import annotations

import functools

from isa_specs import all_encodings
from isa_specs.errors import DecodeError, Unallocated, Unimplemented
from lnsym.machine.disasm import capstone_text

__all__ = ["decode", "find_encoding", "DecodeError", "Unallocated", "Unimplemented"]

KEY_SHIFT = 21
KEY_BITS = 11


@functools.lru_cache(maxsize=1)
def _table():
    encs = sorted(all_encodings(), key=lambda e: -e.fixed_bits)
    key_mask = (1 << KEY_BITS) - 1
    table = []
    for key in range(1 << KEY_BITS):
        kw = key << KEY_SHIFT
        bucket = tuple(e for e in encs
                       if (kw ^ e.value) & e.mask & (key_mask << KEY_SHIFT) == 0)
        table.append(bucket)
    return table


def find_encoding(word: int):
    """The encoding a word matches, or None."""
    for e in _table()[(word >> KEY_SHIFT) & ((1 << KEY_BITS) - 1)]:
        if word & e.mask == e.value:
            return e
    return None


def decode(word: int, address: int | None = None):
    """The decoded instruction record for ``word``.

    Raises ``Unallocated`` (reserved in the architecture) or ``Unimplemented``
    (valid, not modelled), naming the word, its address and capstone's text.
    """
    if not 0 <= word < 1 << 32:
        raise ValueError(f"instruction word {word!r} is not a 32-bit value")
    enc = find_encoding(word)
    if enc is None:
        text = capstone_text(word, address or 0)
        if text is None or text.startswith("udf"):
            raise Unallocated("no encoding matches", word, address, text)
        raise Unimplemented("not modelled by lnsym", word, address, text)
    try:
        return enc.decode(**enc.extract(word))
    except DecodeError as e:
        raise e.located(word, address, capstone_text(word, address or 0)) from None
