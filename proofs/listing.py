"""Listings: the code a proof was written against, one instruction a line.

Format: ``offset  word  disassembly`` (offset from the routine's symbol, hex).
``write_listing`` produces one from an object; proofs load theirs with
``load_listing`` and the prover reports any instruction that differs.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent / "listings"


def load_listing(name: str) -> tuple:
    out = []
    for line in (HERE / f"{name}.lst").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        off, word, text = line.split(None, 2)
        out.append((int(off, 16), int(word, 16), text.strip()))
    return tuple(out)


def write_listing(image, symbol: str, path: Path, source: str) -> int:
    from lnsym.disasm import capstone_text
    addr, code = image.code(symbol)
    lines = [f"# {symbol} from {source}", "# offset  word      disassembly (capstone)"]
    for i in range(0, len(code) - len(code) % 4, 4):
        w = int.from_bytes(code[i:i + 4], "little")
        lines.append(f"{i:06x}  {w:08x}  {capstone_text(w, addr + i) or '.word'}")
    path.write_text("\n".join(lines) + "\n")
    return len(code) // 4
