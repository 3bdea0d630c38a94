"""The object a proof runs on: patched copies (mutants, ``--object`` edits), the words
that differ from a proof's listing, and the image's segments as memory regions."""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.elf.image import Image, Segment
from lnsym.errors import UserError
from lnsym.terms.bv import const


def patched(image: Image, patches: dict) -> Image:
    """A copy of ``image`` with 32-bit words replaced: {address: word}, an address
    given as a number or as ``"SYMBOL+0xOFF"`` (an offset from a symbol of the image)."""
    if not patches:
        return image
    from lnsym.backends.runner import resolve_address
    patches = {resolve_address(image, a) if isinstance(a, str) else a: w
               for a, w in patches.items()}
    for addr in patches:
        seg = image.segment_at(addr)
        if seg is None or addr + 4 > seg.end:
            raise UserError(f"patch address {addr:#x} is not inside a loaded section of "
                            f"{image.path}")
    segs = []
    for seg in image.segments:
        data = bytearray(seg.data)
        for addr, word in patches.items():
            if seg.addr <= addr < seg.end:
                data[addr - seg.addr:addr - seg.addr + 4] = word.to_bytes(4, "little")
        segs.append(Segment(seg.name, seg.addr, bytes(data), seg.executable, seg.writable))
    import dataclasses
    return dataclasses.replace(image, segments=segs)


def differing_words(image: Image, symbol: str, listing) -> list:
    """(offset, listed word, actual word or None, listed text) where the object's code
    at ``symbol`` differs from a listing."""
    base = image.symbol(symbol).addr
    diffs = []
    for off, word, text in listing:
        try:
            actual = int.from_bytes(image.read(base + off, 4), "little")
        except Exception:
            actual = None
        if actual != word:
            diffs.append((off, word, actual, text))
    return diffs


def image_regions(image: Image, symbolic: dict | None = None) -> list:
    """Each segment as a region at its concrete address, initialised with its bytes
    (those at an address in ``symbolic`` with its term, ``Setup.data``); a store to
    an executable one stops the run (``lnsym.backends.guards``)."""
    out = []
    for seg in image.segments:
        data = seg.data
        mine = {a - seg.addr: t for a, t in (symbolic or {}).items() if seg.addr <= a < seg.end}
        out.append(Region(f"image:{seg.name}", const(seg.addr, 64), 0, len(data),
                          init=lambda off, d=data, m=mine: m[off] if off in m else const(d[off], 8),
                          writable=seg.writable, executable=seg.executable))
    return out


