"""Per-lane memory for the batch backend.

Memory is 4 KiB pages, as in the single-input backend.  A page every lane sees
identically (the image's code and tables, an untouched stack page) is *shared*:
one ``(PAGE,)`` ``uint8`` array.  The first write that makes lanes differ
turns it into a per-lane ``(lanes, PAGE)`` array.  An access at an address
common to all lanes (a Python ``int``) is a slice across lanes; an access whose
address differs per lane is gathered or scattered byte by byte with fancy
indexing.  Unmapped bytes raise ``MemoryFault`` naming the address and PC.
"""
from __future__ import annotations

import numpy as np

from lnsym.machine.memory import ADDR_MASK, OFFSET, PAGE, PAGE_BITS, Memory, MemoryFault

U64 = np.uint64


class BatchMemory:
    def __init__(self, lanes: int, pages: dict | None = None):
        self.lanes = lanes
        self.pages: dict[int, np.ndarray] = pages if pages is not None else {}

    @classmethod
    def from_memory(cls, mem: Memory, lanes: int) -> "BatchMemory":
        """Every page of ``mem``, shared by all lanes."""
        return cls(lanes, {p: np.frombuffer(bytes(b), dtype=np.uint8).copy()
                           for p, b in mem.pages.items()})

    def subset(self, sel) -> "BatchMemory":
        """The lanes selected by ``sel`` (a bool or index array), as a separate memory."""
        pages = {p: (a[sel] if a.ndim == 2 else a.copy()) for p, a in self.pages.items()}
        lanes = int(np.count_nonzero(sel)) if np.asarray(sel).dtype == bool else len(sel)
        return BatchMemory(lanes, pages)

    def per_lane(self, p: int) -> np.ndarray:
        a = self.pages[p]
        if a.ndim == 1:
            a = self.pages[p] = np.repeat(a[None, :], self.lanes, axis=0)
        return a

    def map(self, addr: int, size: int) -> None:
        for p in range(addr >> PAGE_BITS, (addr + max(size, 1) - 1 >> PAGE_BITS) + 1):
            if p not in self.pages:
                self.pages[p] = np.zeros(PAGE, dtype=np.uint8)

    # -- bytes --------------------------------------------------------------------------
    def read_bytes(self, addr, size: int, pc: int | None = None) -> np.ndarray:
        """``(lanes, size)`` bytes at ``addr`` (an int, or one address per lane)."""
        if type(addr) is np.ndarray:
            return self._gather(addr, size, pc)
        out = np.empty((self.lanes, size), dtype=np.uint8)
        for a, i, n in self._pieces(addr, size, False, pc):
            page = self.pages[a >> PAGE_BITS]
            off = a & OFFSET
            out[:, i:i + n] = page[..., off:off + n]
        return out

    def write_bytes(self, addr, data: np.ndarray, pc: int | None = None) -> None:
        """Write ``data`` (``(lanes, size)``, or ``(size,)`` for every lane) at ``addr``."""
        size = data.shape[-1]
        if type(addr) is np.ndarray:
            return self._scatter(addr, np.broadcast_to(data, (self.lanes, size)), pc)
        for a, i, n in self._pieces(addr, size, True, pc):
            p = a >> PAGE_BITS
            off = a & OFFSET
            if data.ndim == 1 and self.pages[p].ndim == 1:
                self.pages[p][off:off + n] = data[i:i + n]
            else:
                self.per_lane(p)[:, off:off + n] = data[..., i:i + n]

    def _pieces(self, addr: int, size: int, write: bool, pc):
        """(address, offset in the access, length) of each page an access touches."""
        if addr + size - 1 > ADDR_MASK:
            raise MemoryFault(addr, size, write, pc)
        pieces = []
        a, end = addr, addr + size
        while a < end:
            if (a >> PAGE_BITS) not in self.pages:
                raise MemoryFault(addr, size, write, pc)
            n = min(PAGE - (a & OFFSET), end - a)
            pieces.append((a, a - addr, n))
            a += n
        return pieces

    def _lane_bytes(self, addr: np.ndarray, k: int, size: int, write: bool, pc):
        """Per page: (lane indices, offsets) of byte k of each lane's access."""
        ak = (addr + U64(k)) if k else addr
        if k and np.any(ak < addr):
            bad = int(addr[np.argmax(ak < addr)])
            raise MemoryFault(bad, size, write, pc)
        pages = ak >> U64(PAGE_BITS)
        for p in np.unique(pages).tolist():
            idx = np.nonzero(pages == U64(p))[0]
            if p not in self.pages:
                raise MemoryFault(int(addr[idx[0]]), size, write, pc)
            yield p, idx, (ak[idx] & U64(OFFSET)).astype(np.intp)

    def _gather(self, addr, size, pc):
        out = np.empty((self.lanes, size), dtype=np.uint8)
        for k in range(size):
            for p, idx, off in self._lane_bytes(addr, k, size, False, pc):
                page = self.pages[p]
                out[idx, k] = page[off] if page.ndim == 1 else page[idx, off]
        return out

    def _scatter(self, addr, data, pc):
        for k in range(data.shape[1]):
            for p, idx, off in self._lane_bytes(addr, k, data.shape[1], True, pc):
                self.per_lane(p)[idx, off] = data[idx, k]

    # -- values (what compiled blocks call) --------------------------------------------------
    def read(self, addr, size: int, pc: int | None = None) -> tuple:
        """The ``size``-byte little-endian value at ``addr`` as a tuple of limbs."""
        addr = uniform(addr)
        if type(addr) is int:
            p = addr >> PAGE_BITS
            off = addr & OFFSET
            page = self.pages.get(p)
            if page is not None and off + size <= PAGE:
                if page.ndim == 1:
                    v = int.from_bytes(page[off:off + size].tobytes(), "little")
                    return tuple((v >> (64 * j)) & 0xFFFF_FFFF_FFFF_FFFF
                                 for j in range((size + 7) // 8))
                return bytes_to_limbs(page[:, off:off + size])
        return bytes_to_limbs(self.read_bytes(addr, size, pc))

    def write(self, addr, size: int, limbs: tuple, pc: int | None = None) -> None:
        addr = uniform(addr)
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
