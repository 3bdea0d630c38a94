"""Byte terms <-> word terms, in both byte orders.

A *byte list* is a Python list of 8-bit terms, first byte first (the order
in memory / in the standard's byte strings).  Big-endian words (FIPS 180-4
§3.1 item 2, FIPS 197 §3.3 words [a0, a1, a2, a3]) put the first byte in the
most significant position; little-endian words (RFC 8439 §2.3, FIPS 202
§B.1 lanes) put it in the least significant position.
"""
from __future__ import annotations

from lnsym.terms.bv import BV, concat, const, extract

__all__ = ["const_bytes", "to_bytes", "be_word", "le_word", "be_bytes", "le_bytes",
           "be_words", "le_words", "be_words_to_bytes", "le_words_to_bytes"]


def const_bytes(data: bytes) -> list[BV]:
    """The constant 8-bit terms of a Python ``bytes`` value."""
    return [const(b, 8) for b in data]


def to_bytes(terms: list[BV]) -> bytes:
    """A Python ``bytes`` value from constant 8-bit terms (raises if one is symbolic)."""
    for t in terms:
        if t.width != 8:
            raise ValueError(f"to_bytes: term of width {t.width}, expected 8")
    return bytes(int(t) for t in terms)


def be_word(byte_terms: list[BV]) -> BV:
    """The word whose most significant byte is ``byte_terms[0]``."""
    return concat(*byte_terms)


def le_word(byte_terms: list[BV]) -> BV:
    """The word whose least significant byte is ``byte_terms[0]``."""
    return concat(*reversed(byte_terms))


def be_bytes(word: BV) -> list[BV]:
    """The bytes of a word, most significant first."""
    n = word.width // 8
    return [extract(word, 8 * (n - i) - 1, 8 * (n - i - 1)) for i in range(n)]


def le_bytes(word: BV) -> list[BV]:
    """The bytes of a word, least significant first."""
    return [extract(word, 8 * i + 7, 8 * i) for i in range(word.width // 8)]


def _check(byte_terms, size):
    if len(byte_terms) % size:
        raise ValueError(f"{len(byte_terms)} bytes is not a whole number of {size}-byte words")


def be_words(byte_terms: list[BV], size: int) -> list[BV]:
    """Consecutive big-endian words of ``size`` bytes each."""
    _check(byte_terms, size)
    return [be_word(byte_terms[i:i + size]) for i in range(0, len(byte_terms), size)]


def le_words(byte_terms: list[BV], size: int) -> list[BV]:
    """Consecutive little-endian words of ``size`` bytes each."""
    _check(byte_terms, size)
    return [le_word(byte_terms[i:i + size]) for i in range(0, len(byte_terms), size)]


def be_words_to_bytes(words: list[BV]) -> list[BV]:
    return [b for w in words for b in be_bytes(w)]


def le_words_to_bytes(words: list[BV]) -> list[BV]:
    return [b for w in words for b in le_bytes(w)]
