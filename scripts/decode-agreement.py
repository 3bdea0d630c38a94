#!/usr/bin/env python3
"""Decode agreement between lnsym and capstone over random words and real routines.

    .venv/bin/python scripts/decode-agreement.py [-n 100000] [--seed 2024] [--lib libcrypto.a]

Decodes a fixed-seed sample of N random 32-bit words plus every word of
OpenSSL's ``sha256_block_data_order`` and ``sha512_block_data_order`` (when the
cached libcrypto.a is available).  Each word must either decode to the same
text as capstone (after ``lnsym.disasm.normalise``) or be rejected with an
``isa_specs.errors.DecodeError`` whose message names the word.  Anything else
-- a different text, a rejection that does not name the word, another
exception -- is a disagreement; the exit status is 1 when there is one.

``agreement(words)`` is the function ``tests/test_decode_agreement.py`` runs.
"""
from __future__ import annotations

import argparse
import collections
import random
import sys
from dataclasses import dataclass, field

from isa_specs.errors import DecodeError
from lnsym.machine.decoder import decode
from lnsym.machine.disasm import capstone_text, normalise

RANDOM_PC = 0x10000
ROUTINES = (("libcrypto-lib-sha256-armv8.o", "sha256_block_data_order"),
            ("libcrypto-lib-sha512-armv8.o", "sha512_block_data_order"))


@dataclass
class Agreement:
    total: int = 0
    agree: int = 0
    known_wrong: int = 0                    # capstone departs from the Arm ARM (documented)
    rejected_both: int = 0                  # lnsym and capstone both reject
    rejected_unimplemented: collections.Counter = field(default_factory=collections.Counter)
    disagreements: list = field(default_factory=list)   # (pc, word, ours, capstone's)

    @property
    def rejected(self) -> int:
        return self.rejected_both + sum(self.rejected_unimplemented.values())

    def report(self, top: int = 15) -> str:
        unimpl = sum(self.rejected_unimplemented.values())
        lines = [f"total words:             {self.total}",
                 f"decoded and agree:       {self.agree}"
                 + (f" (+{self.known_wrong} where capstone is documented wrong)"
                    if self.known_wrong else ""),
                 f"rejected:                {self.rejected}",
                 f"  capstone also rejects: {self.rejected_both}",
                 f"  capstone accepts (not implemented in lnsym): {unimpl}"]
        for mnem, n in self.rejected_unimplemented.most_common(top):
            lines.append(f"      {mnem:<12} {n}")
        rest = len(self.rejected_unimplemented) - top
        if rest > 0:
            lines.append(f"      ... and {rest} more mnemonics")
        lines.append(f"disagreements:           {len(self.disagreements)}")
        for pc, word, ours, theirs in self.disagreements:
            lines.append(f"  {pc:#x}: {word:#010x}  lnsym: {ours!r}  capstone: {theirs!r}")
        return "\n".join(lines)


def check_word(res: Agreement, word: int, pc: int) -> None:
    res.total += 1
    theirs = capstone_text(word, pc)
    try:
        inst = decode(word, pc)
    except DecodeError as e:
        if f"{word:#010x}" not in str(e):
            res.disagreements.append((pc, word, f"rejection not naming the word: {e}", theirs))
        elif theirs is None:
            res.rejected_both += 1
        else:
            res.rejected_unimplemented[theirs.split()[0]] += 1
        return
    except Exception as e:  # a crash in a decode function is a disagreement too
        res.disagreements.append((pc, word, f"decode raised {type(e).__name__}: {e}", theirs))
        return
    try:
        ours = inst.disasm(pc)
    except Exception as e:
        res.disagreements.append((pc, word, f"disasm raised {type(e).__name__}: {e}", theirs))
        return
    if normalise(ours) == normalise(theirs):
        res.agree += 1
        return
    known_wrong = getattr(inst, "capstone_known_wrong", None)
    if known_wrong is not None and known_wrong(theirs):
        res.known_wrong += 1
        return
    res.disagreements.append((pc, word, ours, theirs))


def agreement(words, res: Agreement | None = None) -> Agreement:
    """Check ``words``: an iterable of (pc, word)."""
    res = res or Agreement()
    for pc, word in words:
        check_word(res, word, pc)
    return res


def random_words(n: int, seed: int):
    rng = random.Random(seed)
    return [(RANDOM_PC, rng.getrandbits(32)) for _ in range(n)]


def routine_words(lib: str):
    """(pc, word) of every instruction word of the two SHA routines (data words skipped)."""
    from lnsym.elf.image import load_image
    out = []
    for member, symbol in ROUTINES:
        image = load_image(f"{lib}:{member}")
        addr, code = image.code(symbol)
        for off in range(0, len(code) - 3, 4):
            if not image.is_data(addr + off):
                out.append((addr + off, int.from_bytes(code[off:off + 4], "little")))
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=100_000, help="random words (default 100000)")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--lib", help="libcrypto.a (default: the cached OpenSSL archive)")
    args = p.parse_args(argv)
    lib = args.lib
    if lib is None:
        from lnsym.elf import targets
        from lnsym.errors import UserError
        try:
            lib = str(targets.openssl_archive(fetch=False))
        except UserError as e:
            print(f"note: no OpenSSL archive ({e}); random words only", file=sys.stderr)
    res = agreement(random_words(args.n, args.seed))
    print(f"random words (seed {args.seed}):")
    print(res.report())
    if lib:
        words = routine_words(lib)
        r2 = agreement(words)
        print(f"\nwords of {', '.join(s for _, s in ROUTINES)}:")
        print(r2.report())
        res.disagreements += r2.disagreements
    return 1 if res.disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
