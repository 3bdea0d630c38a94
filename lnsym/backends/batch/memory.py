"""Per-lane memory for the batch backend.

Memory is mapped in 4 KiB pages, as in the single-input backend, and each
mapped page holds one copy of its bytes for all lanes (the image's code and
tables, an untouched stack).  The first write that makes lanes differ inside a
64-byte *line* gives that line a per-lane ``(lanes, 64)`` ``uint8`` array,
which from then on overrides the page's bytes; so a lane costs only the lines
it wrote.  An access at an address common to all lanes (a Python ``int``) is a
slice across lanes; an address that differs per lane is gathered or scattered
byte by byte with fancy indexing.  Unmapped bytes raise ``MemoryFault``.
"""
from __future__ import annotations

import numpy as np

from lnsym.machine.memory import (
    ADDR_MASK,
    OFFSET,
    PAGE,
    PAGE_BITS,
    CodeStoreFault,
    Memory,
    MemoryFault,
)

U64 = np.uint64
LINE_BITS = 6
LINE = 1 << LINE_BITS
PAGE_LINE = (1 << (PAGE_BITS - LINE_BITS)) - 1


class BatchMemory:
    def __init__(self, lanes: int, pages: dict | None = None, lines: dict | None = None):
        self.lanes = lanes
        self.pages: dict[int, np.ndarray] = pages if pages is not None else {}
        self.lines: dict[int, np.ndarray] = lines if lines is not None else {}
        self.code: list = []         # [start, end) of executable bytes: stores there stop the run

    @classmethod
    def from_memory(cls, mem: Memory, lanes: int) -> BatchMemory:
        """Every page of ``mem``, the same in all lanes."""
        bm = cls(lanes, {p: np.frombuffer(bytes(b), dtype=np.uint8).copy()
                         for p, b in mem.pages.items()})
        bm.code = list(getattr(mem, "code", ()))
        return bm

    def subset(self, sel) -> BatchMemory:
        """The lanes selected by ``sel`` (a bool array), as a separate memory."""
        part = BatchMemory(int(np.count_nonzero(sel)),
                           {p: a.copy() for p, a in self.pages.items()},
                           {k: a[sel] for k, a in self.lines.items()})
        part.code = self.code
        return part

    def bytes_per_lane(self) -> int:
        return LINE * len(self.lines)

    def map(self, addr: int, size: int) -> None:
        for p in range(addr >> PAGE_BITS, (addr + max(size, 1) - 1 >> PAGE_BITS) + 1):
            if p not in self.pages:
                self.pages[p] = np.zeros(PAGE, dtype=np.uint8)

    def _line(self, k: int) -> np.ndarray:
        """The per-lane array of line ``k``, made from the page's bytes on first use."""
        a = self.lines.get(k)
        if a is None:
            page = self.pages[k >> (PAGE_BITS - LINE_BITS)]
            lo = (k & PAGE_LINE) << LINE_BITS
            a = self.lines[k] = np.repeat(page[None, lo:lo + LINE], self.lanes, axis=0)
        return a

    # -- bytes --------------------------------------------------------------------------
    def read_bytes(self, addr, size: int, pc: int | None = None) -> np.ndarray:
        """``(lanes, size)`` bytes at ``addr`` (an int, or one address per lane)."""
        if type(addr) is np.ndarray:
            return self._gather(addr, size, pc)
        out = np.empty((self.lanes, size), dtype=np.uint8)
        for a, i, n in self._pieces(addr, size, False, pc):
            line = self.lines.get(a >> LINE_BITS)
            if line is None:
                off = a & OFFSET
                out[:, i:i + n] = self.pages[a >> PAGE_BITS][off:off + n]
            else:
                off = a & (LINE - 1)
                out[:, i:i + n] = line[:, off:off + n]
        return out

    def write_bytes(self, addr, data: np.ndarray, pc: int | None = None) -> None:
        """Write ``data`` (``(lanes, size)``, or ``(size,)`` for every lane) at ``addr``."""
        size = data.shape[-1]
        if type(addr) is np.ndarray:
            return self._scatter(addr, np.broadcast_to(data, (self.lanes, size)), pc)
        for a, i, n in self._pieces(addr, size, True, pc):
            k = a >> LINE_BITS
            if data.ndim == 1 and k not in self.lines:
                off = a & OFFSET
                self.pages[a >> PAGE_BITS][off:off + n] = data[i:i + n]
            else:
                off = a & (LINE - 1)
                self._line(k)[:, off:off + n] = data[..., i:i + n]

    def _pieces(self, addr: int, size: int, write: bool, pc):
        """(address, offset in the access, length) of each line an access touches."""
        if addr + size - 1 > ADDR_MASK:
            raise MemoryFault(addr, size, write, pc)
        pieces = []
        a, end = addr, addr + size
        while a < end:
            if (a >> PAGE_BITS) not in self.pages:
                raise MemoryFault(addr, size, write, pc)
            n = min(LINE - (a & (LINE - 1)), end - a)
            pieces.append((a, a - addr, n))
            a += n
        return pieces

    def _lane_bytes(self, addr: np.ndarray, k: int, size: int, write: bool, pc):
        """Per line: (line, lane indices, offsets in the line) of byte k of each access."""
        ak = (addr + U64(k)) if k else addr
        if k and np.any(ak < addr):
            raise MemoryFault(int(addr[np.argmax(ak < addr)]), size, write, pc)
        keys = ak >> U64(LINE_BITS)
        for key in np.unique(keys).tolist():
            idx = np.nonzero(keys == U64(key))[0]
            if key >> (PAGE_BITS - LINE_BITS) not in self.pages:
                raise MemoryFault(int(addr[idx[0]]), size, write, pc)
            yield key, idx, (ak[idx] & U64(LINE - 1)).astype(np.intp)

    def _gather(self, addr, size, pc):
        out = np.empty((self.lanes, size), dtype=np.uint8)
        for k in range(size):
            for key, idx, off in self._lane_bytes(addr, k, size, False, pc):
                line = self.lines.get(key)
                if line is None:
                    lo = (key & PAGE_LINE) << LINE_BITS
                    out[idx, k] = self.pages[key >> (PAGE_BITS - LINE_BITS)][lo + off]
                else:
                    out[idx, k] = line[idx, off]
        return out

    def _scatter(self, addr, data, pc):
        for k in range(data.shape[1]):
            for key, idx, off in self._lane_bytes(addr, k, data.shape[1], True, pc):
                self._line(key)[idx, off] = data[idx, k]

    # -- values (what compiled blocks call) --------------------------------------------------
    def read(self, addr, size: int, pc: int | None = None) -> tuple:
        """The ``size``-byte little-endian value at ``addr`` as a tuple of limbs."""
        addr = uniform(addr)
        if type(addr) is int:
            off = addr & (LINE - 1)
            if off + size <= LINE:
                line = self.lines.get(addr >> LINE_BITS)
                if line is not None:
                    return bytes_to_limbs(line[:, off:off + size])
                page = self.pages.get(addr >> PAGE_BITS)
                if page is not None:
                    off = addr & OFFSET
                    v = int.from_bytes(page[off:off + size].tobytes(), "little")
                    return tuple((v >> (64 * j)) & 0xFFFF_FFFF_FFFF_FFFF
                                 for j in range((size + 7) // 8))
        return bytes_to_limbs(self.read_bytes(addr, size, pc))

    def write(self, addr, size: int, limbs: tuple, pc: int | None = None) -> None:
        """An instruction's store (unlike ``write_bytes``, refused on code: no SMC model)."""
        addr = uniform(addr)
        for lo, hi in self.code:
            if type(addr) is int:
                if addr < hi and addr + size > lo:
                    raise CodeStoreFault(addr, size, pc)
            else:
                hit = (addr < U64(hi)) & (addr + U64(size) > U64(lo))
                if hit.any():
                    raise CodeStoreFault(int(addr[np.argmax(hit)]), size, pc)
        if all(type(x) is int for x in limbs):
            v = 0
            for j, x in enumerate(limbs):
                v |= x << (64 * j)
            data = np.frombuffer(v.to_bytes(size, "little"), dtype=np.uint8)
        else:
            data = limbs_to_bytes(limbs, size, self.lanes)
        self.write_bytes(addr, data, pc)


def uniform(x):
    """An array whose lanes all hold one value, as that ``int``; anything else unchanged."""
    if type(x) is np.ndarray:
        first = x[0]
        if (x == first).all():
            return int(first)
    return x


_VIEW = {1: np.uint8, 2: "<u2", 4: "<u4", 8: "<u8"}


def bytes_to_limbs(b: np.ndarray) -> tuple:
    """``(lanes, size)`` bytes -> little-endian limbs (fresh ``uint64`` arrays)."""
    size = b.shape[1]
    limbs = []
    for j in range(0, size, 8):
        chunk = b[:, j:j + 8]
        n = chunk.shape[1]
        if n in _VIEW:
            limbs.append(chunk.view(_VIEW[n])[:, 0].astype(U64))
        else:
            v = np.zeros(b.shape[0], dtype=U64)
            for i in range(n):
                v |= chunk[:, i].astype(U64) << U64(8 * i)
            limbs.append(v)
    return tuple(limbs)


def limbs_to_bytes(limbs: tuple, size: int, lanes: int) -> np.ndarray:
    out = np.empty((lanes, 8 * len(limbs)), dtype=np.uint8)
    for j, x in enumerate(limbs):
        col = np.broadcast_to(np.asarray(x, dtype=U64), (lanes,))
        out[:, 8 * j:8 * j + 8] = col.astype("<u8").view(np.uint8).reshape(lanes, 8)
    return out[:, :size]
