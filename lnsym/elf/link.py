"""Linking relocatable objects (ET_REL) into one ``Image``, as a static linker would.

``link(objects)`` takes one or more (name, ELFFile) pairs and

1. lays out every SHF_ALLOC section from ``REL_BASE``, object after object (each
   object starting on a fresh page), respecting section alignment;
2. resolves symbols across the objects: a global defined in one object serves
   the undefined references of the others (a strong definition beats a weak
   one; two strong definitions are an error);
3. gives every name still undefined zero-filled, page-aligned, writable storage
   (``EXTERN_SIZE`` bytes each) in a segment named ``extern``;
4. synthesises a global offset table (segment ``got``, read-only, 8-byte entries
   holding S+A) for the GOT-relative relocations static archive members use
   (``R_AARCH64_ADR_GOT_PAGE`` + ``R_AARCH64_LD64_GOT_LO12_NC``, ...);
5. applies every RELA relocation (``lnsym.elf.relocs``).

With one object, section and segment names are the object's own (``.text``);
with several they are prefixed by the object's short name (``a.o:.text``) so
that every segment, and every memory region built from one, stays distinct.
"""
from __future__ import annotations

import os

from lnsym.elf.image import (
    EXTERN_SIZE,
    PAGE,
    REL_BASE,
    Image,
    Segment,
    Symbol,
    _align,
    collect_symbols,
)
from lnsym.elf.relocs import GOT_RELOCS, patch_relocation
from lnsym.errors import ElfError

GOT_ENTRY = 8


class _Object:
    """One relocatable object during linking: where its sections went, its symbols."""

    def __init__(self, name: str, elf, prefix: str):
        self.name, self.elf, self.prefix = name, elf, prefix
        self.sec_addr: dict[int, int] = {}
        self.placed = []      # (index, segment name, addr, bytearray, executable, writable)

    def section_name(self, index: int) -> str:
        return self.prefix + self.elf.get_section(index).name

    def place(self, addr: int) -> int:
        """Lay out the allocated sections from ``addr``; returns the end address."""
        for i, sec in enumerate(self.elf.iter_sections()):
            flags = sec["sh_flags"]
            if not flags & 0x2:                                  # SHF_ALLOC
                continue
            addr = _align(addr, max(sec["sh_addralign"], 1))
            self.sec_addr[i] = addr
            size = sec["sh_size"]
            body = bytes(size) if sec["sh_type"] == "SHT_NOBITS" else sec.data()
            if len(body) != size:
                raise ElfError(f"{self.name} is truncated (section {sec.name} is cut short)")
            self.placed.append((i, self.section_name(i), addr, bytearray(body),
                                bool(flags & 0x4), bool(flags & 0x1)))
            addr += size
        return addr

    def symtab(self):
        return self.elf.get_section_by_name(".symtab")

    def definitions(self) -> list[tuple[str, int, str]]:
        """(name, address, 'global' | 'weak') of the globals this object defines."""
        out = []
        tab = self.symtab()
        for sym in (tab.iter_symbols() if tab is not None else ()):
            bind = sym["st_info"]["bind"]
            shndx = sym["st_shndx"]
            if bind == "STB_LOCAL" or not sym.name or shndx in ("SHN_UNDEF", "SHN_COMMON"):
                continue
            if shndx == "SHN_ABS":
                out.append((sym.name, sym["st_value"], bind[4:].lower()))
            elif shndx in self.sec_addr:
                out.append((sym.name, self.sec_addr[shndx] + sym["st_value"],
                            bind[4:].lower()))
        return out

    def relocations(self):
        """(section contents, section base, relocation) for every RELA entry that
        patches an allocated section."""
        contents = {i: body for i, _, _, body, _, _ in self.placed}
        for sec in self.elf.iter_sections():
            if sec["sh_type"] == "SHT_REL":
                raise ElfError(f"{self.name} has REL relocations ({sec.name}); "
                               f"AArch64 objects use RELA")
            if sec["sh_type"] != "SHT_RELA" or sec["sh_info"] not in contents:
                continue
            body, base = contents[sec["sh_info"]], self.sec_addr[sec["sh_info"]]
            for rel in sec.iter_relocations():
                yield body, base, rel

    def symbol_value(self, rel) -> int:
        index = rel["r_info_sym"]
        S = self.sym_addr[index] if index else 0
        if S is None:
            raise ElfError(f"{self.name}: relocation at {rel['r_offset']:#x} refers to a "
                           f"symbol in a section that is not loaded")
        return S


def short_name(name: str) -> str:
    """``lib.a:m.o`` -> ``m.o``; ``dir/x.o`` -> ``x.o``."""
    return os.path.basename(name.rsplit(":", 1)[-1] if ":" in name and not os.path.exists(name)
                            else name)


def _resolve_globals(objs: list[_Object]) -> dict[str, int]:
    defined: dict[str, tuple[int, str, str]] = {}          # name -> (addr, binding, object)
    for ob in objs:
        for name, addr, bind in ob.definitions():
            old = defined.get(name)
            if old is None or (old[1] == "weak" and bind == "global"):
                defined[name] = (addr, bind, ob.name)
            elif old[1] == "global" and bind == "global":
                raise ElfError(f"symbol {name!r} is defined in both {old[2]} and {ob.name}")
    return {n: a for n, (a, _, _) in defined.items()}


def link(objects: list[tuple[str, object]], image_name: str | None = None) -> Image:
    """The image of the relocatable ``objects`` [(name, ELFFile)] linked together."""
    several = len(objects) > 1
    shorts = [short_name(n) for n, _ in objects]
    if several and len(set(shorts)) != len(shorts):
        shorts = [f"{i}:{s}" for i, s in enumerate(shorts)]
    objs = [_Object(n, elf, f"{s}:" if several else "") for (n, elf), s in zip(objects, shorts)]
    addr = REL_BASE
    for ob in objs:
        addr = ob.place(_align(addr, PAGE) if several else addr)
    defined = _resolve_globals(objs)
    undefined = []
    for ob in objs:
        tab = ob.symtab()
        for sym in (tab.iter_symbols() if tab is not None else ()):
            if sym["st_shndx"] in ("SHN_UNDEF", "SHN_COMMON") and sym.name \
                    and sym.name not in defined and sym.name not in undefined:
                undefined.append(sym.name)
    externs, segments_extra, end = {}, [], addr
    if undefined:
        start = _align(addr, PAGE) + PAGE          # a guard page between sections and externs
        externs = {n: start + i * EXTERN_SIZE for i, n in enumerate(undefined)}
        segments_extra.append(Segment("extern", start, bytes(EXTERN_SIZE * len(undefined)),
                                      False, True))
        end = start + EXTERN_SIZE * len(undefined)
    resolved = {**externs, **defined}

    symbols: dict[str, Symbol] = {}
    mapping, ranges = [], {}
    for ob in objs:
        syms, maps, ob.sym_addr = collect_symbols(ob.elf, ob.sec_addr, resolved,
                                                  ob.section_name)
        mapping += maps
        for name, sym in syms.items():
            old = symbols.get(name)
            if old is None or (old.binding == "local" and sym.binding != "local") \
                    or (old.kind == "extern" and sym.kind != "extern"):
                symbols[name] = sym
        ranges.update({n: (a, a + len(b)) for _, n, a, b, _, _ in ob.placed})
    for name, a in externs.items():
        symbols.setdefault(name, Symbol(name, a, EXTERN_SIZE, "extern", "global", None))

    got_base = _align(end, PAGE) + PAGE
    got: dict[int, int] = {}                    # S+A -> entry address
    for ob in objs:
        for body, base, rel in ob.relocations():
            rtype = rel["r_info_type"]
            S, A = ob.symbol_value(rel), rel["r_addend"]
            entry = None
            if rtype in GOT_RELOCS:
                entry = got.setdefault(S + A, got_base + GOT_ENTRY * len(got))
            patch_relocation(body, rel["r_offset"], base + rel["r_offset"], rtype, S, A,
                             ob.name, got=entry, got_base=got_base)
    segments = [Segment(n, a, bytes(b), x, w) for ob in objs for _, n, a, b, x, w in ob.placed
                if b]
    segments += segments_extra
    if got:
        table = b"".join((v & (1 << 64) - 1).to_bytes(GOT_ENTRY, "little") for v in got)
        segments.append(Segment("got", got_base, table, False, False))
    mapping.sort()
    name = image_name or " + ".join(n for n, _ in objects)
    return Image(name, segments, symbols, externs, None, mapping, ranges)
