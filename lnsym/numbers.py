"""Parsing numbers given on the command line (decimal or 0x hex)."""
from __future__ import annotations

from lnsym.errors import UserError


def parse_int(text: str, what: str = "value") -> int:
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:
        raise UserError(f"{what} {text!r} is not a decimal or 0x-hex number") from None
