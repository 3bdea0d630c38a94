"""Sparse, byte-addressed, little-endian concrete memory.

Memory is mapped in 4 KiB pages; touching an unmapped byte raises
``MemoryFault`` naming the address (and the PC when known), never a silent 0.

Code is protected: ``protect_code`` marks the bytes of executable segments,
and a store by an instruction that touches one raises ``CodeStoreFault``.
Self-modifying code is not modelled (fetches would see stale blocks), so it
stops the run instead.  The loader's own ``load`` is not a store and passes.
Stores go through ``store_pages``, which holds only pages without code: the
fast path costs nothing extra and a page with code takes the checked path.
"""
from __future__ import annotations

PAGE_BITS = 12
PAGE = 1 << PAGE_BITS
OFFSET = PAGE - 1
ADDR_MASK = (1 << 64) - 1


class MemoryFault(Exception):
    def __init__(self, addr: int, size: int, write: bool, pc: int | None = None):
        self.addr, self.size, self.write, self.pc = addr, size, write, pc
        where = f" by the instruction at {pc:#x}" if pc is not None else ""
        super().__init__(f"{'write' if write else 'read'} of {size} byte(s) at unmapped "
                         f"address {addr:#x}{where}")


class CodeStoreFault(MemoryFault):
    """A store to executable memory (self-modifying code is not modelled)."""

    def __init__(self, addr: int, size: int, pc: int | None = None):
        who = "a store" if pc is None else f"the instruction at {pc:#x}"
        Exception.__init__(self, f"{who} writes {size} byte(s) to executable memory at "
                                 f"{addr:#x}: self-modifying code is not modelled")
        self.addr, self.size, self.write, self.pc = addr, size, True, pc


class Memory:
    def __init__(self):
        self.pages: dict[int, bytearray] = {}
        self.store_pages: dict[int, bytearray] = {}    # mapped pages holding no code
        self.code: list = []                           # [start, end) of protected code

    def __deepcopy__(self, memo):
        c = Memory()
        for p, page in self.pages.items():
            c.pages[p] = bytearray(page)
            if p in self.store_pages:
                c.store_pages[p] = c.pages[p]
        c.code = list(self.code)
        return c

    # -- mapping ---------------------------------------------------------------------
    def map(self, addr: int, size: int) -> None:
        """Map (zero-filled) every page overlapping [addr, addr+size)."""
        for p in range(addr >> PAGE_BITS, (addr + max(size, 1) - 1 >> PAGE_BITS) + 1):
            if p not in self.pages:
                self.pages[p] = self.store_pages[p] = bytearray(PAGE)

    def protect_code(self, addr: int, size: int) -> None:
        """Stores by instructions to [addr, addr+size) raise ``CodeStoreFault``."""
        if size <= 0:
            return
        self.code.append((addr, addr + size))
        for p in range(addr >> PAGE_BITS, (addr + size - 1 >> PAGE_BITS) + 1):
            self.store_pages.pop(p, None)

    def _check_store(self, addr: int, size: int, pc: int | None) -> None:
        for lo, hi in self.code:
            if addr < hi and lo < addr + size:
                raise CodeStoreFault(addr, size, pc)

    def is_mapped(self, addr: int, size: int = 1) -> bool:
        return all(p in self.pages
                   for p in range(addr >> PAGE_BITS, (addr + max(size, 1) - 1 >> PAGE_BITS) + 1))

    def load(self, addr: int, data: bytes) -> None:
        """Map and fill [addr, addr+len(data))."""
        self.map(addr, len(data))
        self._put(addr, data)

    # -- bytes -----------------------------------------------------------------------
    def read_bytes(self, addr: int, size: int, pc: int | None = None) -> bytes:
        out = bytearray()
        a = addr
        end = addr + size
        while a < end:
            page = self.pages.get(a >> PAGE_BITS)
            if page is None or a > ADDR_MASK:
                raise MemoryFault(addr, size, False, pc)
            off = a & OFFSET
            n = min(PAGE - off, end - a)
            out += page[off:off + n]
            a += n
        return bytes(out)

    def write_bytes(self, addr: int, data: bytes, pc: int | None = None) -> None:
        if not self.is_mapped(addr, len(data)) or addr + len(data) - 1 > ADDR_MASK:
            raise MemoryFault(addr, len(data), True, pc)
        self._check_store(addr, len(data), pc)
        self._put(addr, data)

    def _put(self, addr: int, data: bytes) -> None:
        a = addr
        i = 0
        while i < len(data):
            page = self.pages[a >> PAGE_BITS]
            off = a & OFFSET
            n = min(PAGE - off, len(data) - i)
            page[off:off + n] = data[i:i + n]
            a += n
            i += n

    # -- values (the fast path used by compiled code) -----------------------------------
    def read(self, addr: int, size: int, pc: int | None = None) -> int:
        page = self.pages.get(addr >> PAGE_BITS)
        off = addr & OFFSET
        if page is not None and off + size <= PAGE:
            return int.from_bytes(page[off:off + size], "little")
        return int.from_bytes(self.read_bytes(addr, size, pc), "little")

    def write(self, addr: int, size: int, value: int, pc: int | None = None) -> None:
        page = self.store_pages.get(addr >> PAGE_BITS)
        off = addr & OFFSET
        if page is not None and off + size <= PAGE:
            page[off:off + size] = value.to_bytes(size, "little")
        else:
            self.write_bytes(addr, value.to_bytes(size, "little"), pc)
