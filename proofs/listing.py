"""Listings: the code a proof was written against, one instruction a line.

Format: ``offset  word  disassembly`` (offset from the routine's symbol, hex).
After the code come the words of *constant data* the proof's symbolic run
read from the object's read-only sections (constant tables such as SHA-256's
K), as ``offset  word  data``; the offset may be negative (a table before the
routine).  ``write_listing`` produces one from an object; proofs load theirs
with ``load_listing`` and the prover reports any code or data word that differs.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent / "listings"


def load_listing(name: str) -> tuple:
    return read_listing(HERE / f"{name}.lst")


def read_listing(path: Path) -> tuple:
    """The (offset, word, text) entries of the listing file at ``path``."""
    out = []
    for line in Path(path).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        off, word, text = line.split(None, 2)
        out.append((int(off, 16), int(word, 16), text.strip()))
    return tuple(out)


def write_listing(image, symbol: str, path: Path, source: str, data: set = frozenset(),
                  notes: tuple = ()) -> int:
    """Write the listing of ``symbol``; ``data``: addresses of constant bytes a proof
    reads (each is listed as its aligned 4-byte word)."""
    from lnsym.machine.disasm import capstone_text
    addr, code = image.code(symbol)
    lines = [f"# {symbol} from {source}", *(f"# {n}" for n in notes),
             "# offset  word      disassembly (capstone), then constant data read"]
    for i in range(0, len(code) - len(code) % 4, 4):
        w = int.from_bytes(code[i:i + 4], "little")
        lines.append(f"{i:06x}  {w:08x}  {capstone_text(w, addr + i) or '.word'}")
    words = sorted({(a - addr) & ~3 for a in data} - set(range(0, len(code), 4)))
    for off in words:
        w = int.from_bytes(image.read(addr + off, 4), "little")
        lines.append(f"{off:06x}  {w:08x}  data")
    path.write_text("\n".join(lines) + "\n")
    return len(code) // 4


def adr_imm(word: int) -> int:
    """The signed byte offset of an ``adr`` word (immhi:immlo)."""
    imm = (((word >> 5) & 0x7FFFF) << 2) | ((word >> 29) & 3)
    return imm - (1 << 21) if imm >> 20 else imm


def adr_target(image, symbol: str, off: int) -> int:
    """The address an ``adr`` instruction at symbol+off computes."""
    pc = image.symbol(symbol).addr + off
    word = int.from_bytes(image.read(pc, 4), "little")
    if word & 0x9F000000 != 0x10000000:
        raise ValueError(f"{symbol}+{off:#x} is not an adr instruction ({word:08x})")
    return pc + adr_imm(word)


def branch_target(off: int, word: int) -> int | None:
    """The target offset of a direct branch (b, b.cond, cbz/cbnz, tbz/tbnz) at ``off``,
    or None for any other word."""
    def signed(v, bits):
        return v - (1 << bits) if v >> (bits - 1) else v
    if word & 0xFC000000 == 0x14000000:                 # b (bl is a call, not an edge)
        return off + 4 * signed(word & 0x3FFFFFF, 26)
    if word & 0xFF000010 == 0x54000000 or word & 0x7E000000 == 0x34000000:  # b.cond, cb(n)z
        return off + 4 * signed((word >> 5) & 0x7FFFF, 19)
    if word & 0x7E000000 == 0x36000000:                 # tbz, tbnz
        return off + 4 * signed((word >> 5) & 0x3FFF, 14)
    return None


def back_edges(listing) -> list:
    """(branch offset, loop head offset) for each branch of the code going backwards:
    the loops of a routine, read from its listing (its CFG's back edges)."""
    out = []
    for off, word, text in listing:
        if text == "data":
            continue
        target = branch_target(off, word)
        if target is not None and target <= off:
            out.append((off, target))
    return out


def data_reads(proof, image) -> set:
    """Addresses of the bytes of read-only sections the proof's symbolic run loads
    (a proof whose plain run does not finish names them: ``constant_data``)."""
    own = getattr(proof, "constant_data", None)
    if own is not None:
        return own(image)
    st, _setup = proof.execute(image)
    out = set()
    for r in st.mem.regions:
        if r.name == "image:got":     # addresses the loader put there, not the routine's data
            continue
        if r.name.startswith("image:") and not r.writable and r.anchor.op == "const":
            out.update(r.anchor.params[0] + o for o in r.reads)
    return out
