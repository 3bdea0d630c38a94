"""The one capstone adapter: listings and a test oracle, never dispatch."""
from __future__ import annotations

import functools

import capstone


@functools.lru_cache(maxsize=1)
def _cs():
    md = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    return md


@functools.lru_cache(maxsize=65536)
def capstone_text(word: int, address: int = 0) -> str | None:
    """Capstone's ``mnemonic operands`` for one word, or None if it rejects it."""
    for insn in _cs().disasm(word.to_bytes(4, "little"), address):
        return f"{insn.mnemonic} {insn.op_str}".strip()
    return None


_NUM = None


def normalise(text: str | None) -> str | None:
    """Canonical text for comparing disassemblies: lower case, single spaces,
    every number (decimal or hex, signed) as decimal, ``#`` dropped."""
    import re
    global _NUM
    if text is None:
        return None
    if _NUM is None:
        _NUM = re.compile(r"(?<![\w.])(-?)(0x[0-9a-f]+|\d+)(?![\w])")
    t = " ".join(text.lower().replace("#", "").split())
    t = _NUM.sub(lambda m: str(int(m.group(1) + m.group(2), 0)), t)
    return t.replace(" ,", ",")
