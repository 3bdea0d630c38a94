"""Assembling one word from an encoding's fields and running it (concrete backend)."""
from __future__ import annotations

from lnsym.backends.snippet import CODE_BASE, run_words
from lnsym.machine.decoder import decode
from lnsym.machine.disasm import normalise

M64 = (1 << 64) - 1
M32 = (1 << 32) - 1


def word(decoder, **fields) -> int:
    return decoder.encodings[0].assemble(**fields)


def run(w: int, **regs):
    """State after executing the single word ``w`` from CODE_BASE with ``regs``."""
    st, _ = run_words([w], regs=regs)
    return st


def text(w: int, pc: int = CODE_BASE) -> str:
    return normalise(decode(w, pc).disasm(pc))


def flags(n, z, c, v) -> int:
    return (n << 3) | (z << 2) | (c << 1) | v
