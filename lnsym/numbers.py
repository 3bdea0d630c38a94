"""Strict parsing of numbers given by users: ASCII decimal or 0x hex, nothing else.

Python's ``int()`` and ``float()`` accept more than a user means (Unicode
digits such as ``١٢``, ``_`` separators, ``inf``, ``nan``, ``1e400``); these
parsers accept only plain ASCII digits, so a typo is an error, never a value.
"""
from __future__ import annotations

import math
import re

from lnsym.errors import UserError

_INT = re.compile(r"-?(0[xX][0-9a-fA-F]+|[0-9]+)")
_FLOAT = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def shown(text, limit: int = 40) -> str:
    """``repr(text)``, cut to ``limit`` characters so one sentence stays one line."""
    r = repr(text)
    return r if len(r) <= limit else r[:limit - 4] + "...'"


def parse_int(text: str, what: str = "value") -> int:
    """A decimal or 0x-hex integer (optionally negative); UserError otherwise."""
    t = text.strip() if isinstance(text, str) else ""
    if not _INT.fullmatch(t):
        raise UserError(f"{what} {shown(text)} is not a decimal or 0x-hex number")
    neg = t.startswith("-")
    body = t[1:] if neg else t
    value = int(body, 16) if body[:2] in ("0x", "0X") else int(body, 10)
    return -value if neg else value


def parse_count(text: str, what: str, minimum: int = 1) -> int:
    """An integer of at least ``minimum`` (a count, a step limit, a seed)."""
    value = parse_int(text, what)
    if value < minimum:
        raise UserError(f"{what} must be at least {minimum} (got {shown(text)})")
    return value


def parse_seconds(text: str, what: str) -> float:
    """A positive, finite number of seconds in plain decimal (``2``, ``0.5``)."""
    t = text.strip() if isinstance(text, str) else ""
    if not _FLOAT.fullmatch(t):
        raise UserError(f"{what} {shown(text)} is not a positive number of seconds")
    value = float(t)
    if not math.isfinite(value) or value <= 0:
        raise UserError(f"{what} {shown(text)} is not a positive number of seconds")
    return value
