"""Size checks on an ELF64 file's headers, made before anything is allocated.

A corrupted header can declare a section or segment of any size.  Sections
and segments with file contents must lie inside the file; zero-filled ones
(``.bss``, a segment's ``p_memsz`` beyond ``p_filesz``) may not exceed
``MAX_ZERO_FILL``.  So loading never allocates much more than the file's
own size, whatever the headers say.  Each failure is one ``ElfError`` sentence.
"""
from __future__ import annotations

import struct

from lnsym.errors import ElfError

MAX_ZERO_FILL = 64 << 20           # bytes of zero-filled storage one section may ask for
SHT_NULL, SHT_SYMTAB, SHT_NOBITS, SHT_DYNSYM = 0, 2, 8, 11
EXTERN_BYTES = 0x1000              # storage the loader gives each undefined symbol
SHF_ALLOC = 0x2


def check_elf_sizes(name: str, data: bytes) -> None:
    """Raise ElfError if the headers of the ELF64 little-endian file ``data`` declare
    contents outside the file, an unusable section-name table, or too much zero fill."""
    if len(data) < 64:
        raise ElfError(f"{name} is truncated (shorter than an ELF64 header)")
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 0x36)
    if shnum:
        _table(name, data, shoff, shnum, shentsize, 64, "section header table")
        if shstrndx == 0 or shstrndx >= shnum:
            raise ElfError(f"{name} has no usable section-name table (e_shstrndx = "
                           f"{shstrndx} of {shnum} sections)")
        undefined = 0
        for i in range(shnum):
            undefined += _section(name, data, i, shoff + i * shentsize)
        if undefined * EXTERN_BYTES > MAX_ZERO_FILL:
            raise ElfError(f"{name} declares {undefined} undefined symbols; lnsym gives each "
                           f"{EXTERN_BYTES} bytes of storage, more than it maps "
                           f"({MAX_ZERO_FILL} bytes)")
    if phnum:
        _table(name, data, phoff, phnum, phentsize, 56, "program header table")
        for i in range(phnum):
            _segment(name, data, i, phoff + i * phentsize)


def _table(name, data, offset, count, entsize, want, what) -> None:
    if entsize != want:
        raise ElfError(f"{name} is corrupted: its {what} has {entsize}-byte entries, "
                       f"not {want}")
    if offset + count * entsize > len(data):
        raise ElfError(f"{name} is truncated or corrupted: its {what} ends past the end "
                       f"of the file")


def _section(name, data, i, at) -> int:
    """Check section ``i``; the number of undefined symbols it declares (a symbol table)."""
    sh_type, sh_flags, _addr, sh_offset, sh_size = struct.unpack_from("<IIQQQQ", data, at)[1:6]
    if sh_type == SHT_NOBITS:
        if sh_flags & SHF_ALLOC and sh_size > MAX_ZERO_FILL:
            raise ElfError(f"{name}: section {i} asks for {sh_size} bytes of zero-filled "
                           f"storage, more than lnsym maps ({MAX_ZERO_FILL} bytes)")
    elif sh_type != SHT_NULL and sh_offset + sh_size > len(data):
        raise ElfError(f"{name} is truncated or corrupted: section {i} ({sh_size} bytes at "
                       f"offset {sh_offset}) ends past the end of the file")
    elif sh_type in (SHT_SYMTAB, SHT_DYNSYM):
        return sum(1 for e in range(sh_offset + 24, sh_offset + sh_size - 23, 24)
                   if struct.unpack_from("<IBBH", data, e)[3] in (0, 0xFFF2)
                   and struct.unpack_from("<I", data, e)[0])
    return 0


def _segment(name, data, i, at) -> None:
    p_type, _flags, p_offset, _vaddr, _paddr, p_filesz, p_memsz = \
        struct.unpack_from("<IIQQQQQ", data, at)
    if p_type != 1:                                       # only PT_LOAD is loaded
        return
    if p_offset + p_filesz > len(data):
        raise ElfError(f"{name} is truncated or corrupted: segment {i} ({p_filesz} bytes "
                       f"at offset {p_offset}) ends past the end of the file")
    if p_memsz < p_filesz or p_memsz - p_filesz > MAX_ZERO_FILL:
        raise ElfError(f"{name}: segment {i} declares {p_memsz} bytes in memory for "
                       f"{p_filesz} in the file, which lnsym does not map")
