"""Loading AArch64 ELF files into an ``Image``: bytes at addresses plus symbols.

``load_image(spec)`` takes a file name or ``archive.a:member.o`` (or a list of
them, linked together) and accepts

* relocatable objects (ET_REL), linked by ``lnsym.elf.link``: every SHF_ALLOC
  section is laid out from ``REL_BASE`` in section order, respecting its
  alignment; symbols that no object defines (e.g. ``OPENSSL_armcap_P``) get
  zero-filled, page-aligned, writable storage (``EXTERN_SIZE`` bytes each) in a
  segment named ``extern``; GOT-relative references get a synthesised GOT
  (segment ``got``); then the RELA relocations are applied as the AArch64 ELF
  ABI (aaelf64) defines them, with its overflow checks;
* executables and shared objects (ET_EXEC/ET_DYN): the PT_LOAD segments at
  their virtual addresses (bias 0), with the dynamic relocations RELATIVE,
  GLOB_DAT, JUMP_SLOT and ABS64 applied.

Mapping symbols (``$x``, ``$d``) are not symbols; they are kept in
``Image.mapping`` to tell code from data.  Anything unusable (not ELF, not
AArch64, truncated, an unknown relocation) is an ``ElfError`` in one sentence.
"""
from __future__ import annotations

import bisect
import difflib
import functools
import io
import os
import re
from dataclasses import dataclass, field

from elftools.common.exceptions import ELFError as _PyElfError
from elftools.elf.elffile import ELFFile

from lnsym.elf.archive import is_archive, open_archive
from lnsym.elf.limits import check_elf_sizes
from lnsym.elf.relocs import RELOC_NAMES, patch_relocation  # noqa: F401 (re-exported)
from lnsym.errors import ElfError, SymbolNotFound, UserError

REL_BASE = 0x10000
PAGE = 0x1000
EXTERN_SIZE = 0x1000
_MAPPING = re.compile(r"^\$[xd](\..*)?$")
_KINDS = {"STT_FUNC": "func", "STT_GNU_IFUNC": "func", "STT_OBJECT": "object",
          "STT_TLS": "object", "STT_NOTYPE": "notype", "STT_SECTION": "section"}


@dataclass(frozen=True)
class Segment:
    name: str
    addr: int
    data: bytes
    executable: bool
    writable: bool

    @property
    def end(self) -> int:
        return self.addr + len(self.data)


@dataclass(frozen=True)
class Symbol:
    name: str
    addr: int
    size: int
    kind: str            # 'func' | 'object' | 'notype' | 'section' | 'extern'
    binding: str         # 'local' | 'global' | 'weak'
    section: str | None  # section name (None for absolute and extern symbols)


@dataclass(frozen=True)
class Image:
    path: str
    segments: list
    symbols: dict                    # name -> Symbol
    externs: dict                    # undefined symbol name -> address of its storage
    entry: int | None
    mapping: list = field(default_factory=list)      # sorted (addr, 'code' | 'data')
    section_ranges: dict = field(default_factory=dict)  # section name -> (start, end)

    def symbol(self, name: str) -> Symbol:
        s = self.symbols.get(name)
        if s is None:
            close = difflib.get_close_matches(name, list(self.symbols), n=4, cutoff=0.6)
            hint = f" (close matches: {', '.join(close)})" if close else ""
            raise SymbolNotFound(f"{self.path} has no symbol {name!r}{hint}")
        return s

    def load_into(self, mem) -> None:
        for seg in self.segments:
            if seg.data:
                mem.load(seg.addr, seg.data)

    def segment_at(self, addr: int) -> Segment | None:
        for seg in self.segments:
            if seg.addr <= addr < seg.end:
                return seg
        return None

    def read(self, addr: int, size: int) -> bytes:
        seg = self.segment_at(addr)
        if seg is None or addr + size > seg.end:
            raise ElfError(f"{self.path} has no bytes at {addr:#x}..{addr + size:#x}")
        return seg.data[addr - seg.addr:addr - seg.addr + size]

    def extent(self, sym: Symbol) -> int:
        """A symbol's size; for a size-0 label, up to the next symbol in its
        section (or the section's end)."""
        if sym.size or sym.section is None or sym.section not in self.section_ranges:
            return sym.size
        end = self.section_ranges[sym.section][1]
        for s in self.symbols.values():
            if s.section == sym.section and s.kind != "section" and sym.addr < s.addr < end:
                end = s.addr
        return end - sym.addr

    def code(self, name: str) -> tuple[int, bytes]:
        sym = self.symbol(name)
        if sym.kind == "extern":
            raise UserError(f"{name} is undefined in {self.path}; it has no code")
        return sym.addr, self.read(sym.addr, self.extent(sym))

    def functions(self) -> list[Symbol]:
        return sorted((s for s in self.symbols.values() if s.kind == "func"),
                      key=lambda s: (s.addr, s.name))

    def is_data(self, addr: int) -> bool:
        """True when a mapping symbol ``$d`` governs ``addr``."""
        i = bisect.bisect_right(self.mapping, (addr, "~")) - 1
        return i >= 0 and self.mapping[i][1] == "data"


# -- loading -----------------------------------------------------------------------------

def load_image(spec) -> Image:
    """The image of ``file`` or ``archive.a:member.o`` (cached per file and mtime).

    ``spec`` may also be a list of such specs: relocatable objects linked into one
    image, symbols resolved across them (``lnsym.elf.link``)."""
    if isinstance(spec, (list, tuple)):
        specs = [str(s) for s in spec]
        if not specs:
            raise UserError("no object given")
        if len(specs) == 1:
            return load_image(specs[0])
        return _link_cached(tuple(_source(s) for s in specs))
    return _load_cached(*_source(spec))


def _source(spec) -> tuple:
    """(path, member or None, mtime, size) of a load spec, checked to be readable."""
    spec = str(spec)
    path, member = spec, None
    if not os.path.exists(spec) and ":" in spec:
        path, member = spec.rsplit(":", 1)
    try:
        st = os.stat(path)
    except OSError as e:
        raise UserError(f"cannot read {path}: {e.strerror}") from None
    if not os.path.isfile(path):
        raise UserError(f"cannot read {path}: not a regular file")
    if member is None and is_archive(path):
        raise UserError(f"{path} is an archive; name a member as {path}:MEMBER.o")
    return path, member, st.st_mtime_ns, st.st_size


def _read(path: str, member: str | None) -> tuple[str, bytes]:
    if member is not None:
        if not is_archive(path):
            raise ElfError(f"{path} is not an ar archive, so it has no member {member!r}")
        return f"{path}:{member}", open_archive(path).member(member).data
    try:
        with open(path, "rb") as f:
            return path, f.read()
    except OSError as e:
        raise UserError(f"cannot read {path}: {e.strerror}") from None


@functools.lru_cache(maxsize=32)
def _load_cached(path: str, member: str | None, mtime_ns: int, size: int) -> Image:
    return _Loader(*_read(path, member)).image()


@functools.lru_cache(maxsize=16)
def _link_cached(sources: tuple) -> Image:
    from lnsym.elf.link import link
    loaders = [_Loader(*_read(path, member)) for path, member, _, _ in sources]
    objects = []
    for ld in loaders:
        elf = ld.parsed()
        if elf["e_type"] != "ET_REL":
            raise ElfError(f"{ld.name} is not a relocatable object ({elf['e_type']}); only "
                           f"objects (.o, archive members) can be linked together")
        objects.append((ld.name, elf))
    return _guarded(" + ".join(ld.name for ld in loaders), lambda: link(objects))


def _guarded(name: str, build):
    """``build()``, with pyelftools' own errors on a damaged file turned into one sentence."""
    try:
        return build()
    except (ElfError, UserError):
        raise
    except (_PyElfError, Exception):  # pyelftools, construct, struct errors
        raise ElfError(f"{name} is truncated or corrupted: a header or table in it holds "
                       f"offsets, sizes or indices that do not fit the file") from None


class _Loader:
    def __init__(self, name: str, data: bytes):
        self.name, self.data = name, data

    def parsed(self):
        """The checked ``ELFFile`` (64-bit little-endian AArch64)."""
        data, name = self.data, self.name
        if not data.startswith(b"\x7fELF"):
            raise ElfError(f"{name} is not an ELF file")
        if len(data) < 64:
            raise ElfError(f"{name} is truncated (shorter than an ELF64 header)")
        if data[4] != 2 or data[5] != 1:
            raise ElfError(f"{name} is not a 64-bit little-endian ELF file, so not AArch64")

        def check():
            self.elf = ELFFile(io.BytesIO(data))
            machine = self.elf["e_machine"]
            if machine != "EM_AARCH64":
                raise ElfError(f"{name} is an ELF file for {machine}, not AArch64")
            check_elf_sizes(name, data)          # before anything is allocated
            return self.elf
        return _guarded(name, check)

    def image(self) -> Image:
        kind = self.parsed()["e_type"]
        if kind == "ET_REL":
            return _guarded(self.name, self._relocatable)
        if kind in ("ET_EXEC", "ET_DYN"):
            return _guarded(self.name, self._loadable)
        raise ElfError(f"{self.name} is an ELF file of type {kind}, not an object or "
                       f"executable")

    # -- ET_REL ------------------------------------------------------------------------
    def _relocatable(self) -> Image:
        from lnsym.elf.link import link
        return link([(self.name, self.elf)], self.name)

    # -- ET_EXEC / ET_DYN --------------------------------------------------------------
    def _loadable(self) -> Image:
        segments = []
        end = 0
        for i, ph in enumerate(self.elf.iter_segments()):
            if ph["p_type"] != "PT_LOAD":
                continue
            body = ph.data()
            if len(body) != ph["p_filesz"]:
                raise ElfError(f"{self.name} is truncated (segment {i} is cut short)")
            body = body + bytes(ph["p_memsz"] - ph["p_filesz"])
            flags = ph["p_flags"]
            segments.append(Segment(f"load{i}", ph["p_vaddr"], body, bool(flags & 1),
                                    bool(flags & 2)))
            end = max(end, ph["p_vaddr"] + ph["p_memsz"])
        externs, ext_seg = self._externs(end)
        # symbol values in executables are already addresses: every base is 0
        sec_addr = {i: 0 for i, s in enumerate(self.elf.iter_sections())
                    if s["sh_flags"] & 0x2}
        symbols, mapping, _ = collect_symbols(self.elf, sec_addr, externs,
                                              lambda i: self.elf.get_section(i).name)
        ranges = {s.name: (s["sh_addr"], s["sh_addr"] + s["sh_size"])
                  for i, s in enumerate(self.elf.iter_sections()) if i in sec_addr}
        for name, a in externs.items():
            symbols.setdefault(name, Symbol(name, a, EXTERN_SIZE, "extern", "global", None))
        if ext_seg is not None:
            segments.append(ext_seg)
        self._dynamic_relocs(segments, externs)
        return Image(self.name, segments, symbols, externs, self.elf["e_entry"], mapping,
                     ranges)

    def _externs(self, end: int) -> tuple[dict, Segment | None]:
        tab = self.elf.get_section_by_name(".symtab") or self.elf.get_section_by_name(".dynsym")
        names = []
        for sym in (tab.iter_symbols() if tab is not None else ()):
            if sym["st_shndx"] in ("SHN_UNDEF", "SHN_COMMON") and sym.name \
                    and sym.name not in names:
                names.append(sym.name)
        if not names:
            return {}, None
        start = _align(end, PAGE) + PAGE      # a guard page between sections and externs
        externs = {n: start + i * EXTERN_SIZE for i, n in enumerate(names)}
        return externs, Segment("extern", start, bytes(EXTERN_SIZE * len(names)), False, True)

    def _dynamic_relocs(self, segments: list, externs: dict) -> None:
        for sec in self.elf.iter_sections():
            if sec["sh_type"] != "SHT_RELA" or not sec["sh_flags"] & 0x2:
                continue
            symtab = self.elf.get_section(sec["sh_link"]) if sec["sh_link"] else None
            for rel in sec.iter_relocations():
                rtype, place, A = rel["r_info_type"], rel["r_offset"], rel["r_addend"]
                if rtype == 1027:                                  # RELATIVE: B + A
                    value = A
                elif rtype in (257, 1025, 1026):                   # ABS64, GLOB_DAT, JUMP_SLOT
                    sym = symtab.get_symbol(rel["r_info_sym"])
                    S = externs.get(sym.name, 0) if sym["st_shndx"] == "SHN_UNDEF" \
                        else sym["st_value"]
                    value = S + A
                else:
                    raise ElfError(f"{self.name} has dynamic relocation "
                                   f"{RELOC_NAMES.get(rtype, rtype)}, which lnsym does not "
                                   f"apply")
                for k, seg in enumerate(segments):
                    if seg.addr <= place and place + 8 <= seg.end:
                        buf = bytearray(seg.data)
                        o = place - seg.addr
                        buf[o:o + 8] = (value & (1 << 64) - 1).to_bytes(8, "little")
                        segments[k] = Segment(seg.name, seg.addr, bytes(buf), seg.executable,
                                              seg.writable)
                        break
                else:
                    raise ElfError(f"{self.name}: dynamic relocation at {place:#x} is "
                                   f"outside the loaded segments")


def collect_symbols(elf, sec_addr: dict, resolved: dict, section_name) -> tuple:
    """(symbols, mapping symbols, address of every symbol-table entry by index) of
    ``elf``'s symbol table; ``sec_addr`` maps loaded section indices to their base,
    ``resolved`` undefined names to addresses, ``section_name(index)`` names sections."""
    symbols: dict[str, Symbol] = {}
    mapping = []
    sym_addr: list[int | None] = []
    tab = elf.get_section_by_name(".symtab") or elf.get_section_by_name(".dynsym")
    for sym in (tab.iter_symbols() if tab is not None else ()):
        shndx = sym["st_shndx"]
        stype = sym["st_info"]["type"]
        bind = sym["st_info"]["bind"].replace("STB_", "").lower()
        name = sym.name
        if stype == "STT_SECTION" and isinstance(shndx, int):
            name = section_name(shndx)
        if shndx in ("SHN_UNDEF", "SHN_COMMON"):
            addr = resolved.get(name) if name else 0
            section, kind = None, "extern"
        elif shndx == "SHN_ABS":
            addr, section, kind = sym["st_value"], None, _KINDS.get(stype, "notype")
        else:
            base = sec_addr.get(shndx)
            if base is None:              # a symbol in a section that is not loaded
                sym_addr.append(None)
                continue
            addr = base + sym["st_value"]
            section, kind = section_name(shndx), _KINDS.get(stype)
        sym_addr.append(addr)
        if not name or kind is None or stype == "STT_FILE":
            continue
        if _MAPPING.match(name):
            mapping.append((addr, "code" if name[1] == "x" else "data"))
            continue
        old = symbols.get(name)
        if old is None or (old.binding == "local" and bind != "local"):
            symbols[name] = Symbol(name, addr, sym["st_size"], kind, bind, section)
    mapping.sort()
    return symbols, mapping, sym_addr


def _align(x: int, a: int) -> int:
    return (x + a - 1) // a * a
