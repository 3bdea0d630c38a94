"""Comparing lnsym's disassembly with capstone's over random words of an encoding."""
from __future__ import annotations

import random

from isa_specs.errors import DecodeError
from lnsym.machine.decoder import decode, find_encoding
from lnsym.machine.disasm import capstone_text, normalise


def random_word(enc, rng: random.Random) -> int:
    return enc.value | (rng.getrandbits(32) & ~enc.mask & 0xFFFFFFFF)


def compare(word: int, pc: int = 0x10000):
    """None when lnsym and capstone agree (or lnsym rejects the word), else (ours, theirs)."""
    try:
        inst = decode(word, pc)
    except DecodeError:
        return None
    ours = inst.disasm(pc)
    theirs = capstone_text(word, pc)
    # documented exceptions: a record may say capstone departs from the Arm ARM here
    known_wrong = getattr(inst, "capstone_known_wrong", None)
    if known_wrong is not None and known_wrong(theirs):
        return None
    if normalise(ours) != normalise(theirs):
        return ours, theirs
    return None


def mismatches(enc, n: int = 300, seed: int = 1):
    """Disagreements with capstone for ``n`` random words of encoding ``enc``."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        w = random_word(enc, rng)
        if find_encoding(w) is not enc:
            continue
        d = compare(w)
        if d:
            out.append((hex(w), *d))
    return out
