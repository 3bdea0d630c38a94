"""Reading ``ar`` archives (static libraries such as ``libcrypto.a``).

GNU format: the global header ``!<arch>\\n``, then members, each a 60-byte
header (name/16, mtime/12, uid/6, gid/6, mode/8, size/10, ``\\x60\\n``) and
its data, padded to an even offset.  Special members: ``/`` (the symbol
table), ``/SYM64/`` (its 64-bit variant) and ``//`` (the long-name table;
a member named ``/123`` has its name at offset 123 there, ending in ``/\\n``).
BSD ``#1/len`` names (name stored at the start of the data) are accepted too.
"""
from __future__ import annotations

import difflib
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from lnsym.errors import ElfError, UserError

MAGIC = b"!<arch>\n"
HEADER = 60


@dataclass(frozen=True)
class Member:
    name: str
    offset: int          # of the data in the archive file
    data: bytes


class Archive:
    def __init__(self, path: str | os.PathLike, data: bytes):
        self.path = str(path)
        self.members: list[Member] = []
        self.symbol_index: dict[str, str] = {}    # global symbol -> member name
        self._parse(data)
        self._by_name: dict[str, Member] = {}
        for m in self.members:
            self._by_name.setdefault(m.name, m)

    def _bad(self, why: str) -> ElfError:
        return ElfError(f"{self.path} is not a valid ar archive: {why}")

    def _parse(self, data: bytes) -> None:
        if not data.startswith(MAGIC):
            raise self._bad("it does not start with '!<arch>'")
        pos = len(MAGIC)
        longnames = b""
        symtab: tuple[bytes, int] | None = None
        offsets: dict[int, str] = {}
        while pos < len(data):
            if data[pos:pos + 1] == b"\n":          # stray padding byte
                pos += 1
                continue
            hdr = data[pos:pos + HEADER]
            if len(hdr) < HEADER:
                raise self._bad(f"truncated member header at offset {pos}")
            if hdr[58:60] != b"`\n":
                raise self._bad(f"corrupted member header at offset {pos}")
            size = self._size(hdr[48:58], pos)
            start = pos + HEADER
            if size > len(data) - start:
                raise self._bad(f"member at offset {pos} is truncated: it claims {size} bytes "
                                f"but the file has {len(data) - start} left")
            body = data[start:start + size]
            raw = hdr[0:16].decode("ascii", "replace").rstrip()
            if raw == "/" or raw == "/SYM64/":
                symtab = (body, 8 if raw == "/SYM64/" else 4)
            elif raw == "//":
                longnames = body
            elif raw == "__.SYMDEF" or raw == "__.SYMDEF SORTED":
                pass
            else:
                if raw.startswith("#1/"):                       # BSD long name
                    n = self._bsd_name_length(raw, size, pos)
                    name = body[:n].rstrip(b"\0").decode("utf-8", "replace")
                    body, start = body[n:], start + n
                elif raw.startswith("/") and raw[1:].isdigit():  # GNU long name
                    off = int(raw[1:])
                    end = longnames.find(b"/\n", off)
                    if off >= len(longnames) or end < 0:
                        raise self._bad(f"long name offset {off} is outside the name table")
                    name = longnames[off:end].decode("utf-8", "replace")
                else:
                    name = raw[:-1] if raw.endswith("/") else raw
                offsets[pos] = name
                self.members.append(Member(name, start, body))
            pos = start + size + (size & 1)
        if symtab is not None:
            self._parse_symtab(*symtab, offsets)

    def _size(self, field: bytes, pos: int) -> int:
        """The decimal size field: ASCII digits only (no sign, no '_', no Unicode)."""
        text = field.decode("ascii", "replace").strip()
        if not text.isascii() or not text.isdigit():
            raise self._bad(f"member header at offset {pos} has size {text!r}, not a "
                            f"decimal number")
        return int(text)

    def _bsd_name_length(self, raw: str, size: int, pos: int) -> int:
        text = raw[3:]
        if not text.isascii() or not text.isdigit():
            raise self._bad(f"member at offset {pos} has BSD name {raw!r}, whose length is "
                            f"not a decimal number")
        n = int(text)
        if n > size:
            raise self._bad(f"member at offset {pos} has a BSD name of {n} bytes, longer "
                            f"than the member")
        return n

    def _parse_symtab(self, body: bytes, wsize: int, offsets: dict[int, str]) -> None:
        if len(body) < wsize:
            raise self._bad("truncated symbol table")
        count = int.from_bytes(body[:wsize], "big")
        names_at = wsize * (count + 1)
        if names_at > len(body):
            raise self._bad("symbol table count exceeds its size")
        names = body[names_at:].split(b"\0")
        for i in range(count):
            off = int.from_bytes(body[wsize * (i + 1):wsize * (i + 2)], "big")
            if i < len(names) and off in offsets:
                self.symbol_index.setdefault(names[i].decode("utf-8", "replace"), offsets[off])

    # -- lookup ------------------------------------------------------------------------
    def names(self) -> list[str]:
        return [m.name for m in self.members]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def member(self, name: str) -> Member:
        m = self._by_name.get(name)
        if m is None:
            close = difflib.get_close_matches(name, list(self._by_name), n=4, cutoff=0.5)
            hint = f"; close names: {', '.join(close)}" if close else ""
            raise UserError(f"archive {self.path} has no member {name!r}{hint}")
        return m


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> Archive:
    return Archive(path, Path(path).read_bytes())


def open_archive(path: str | os.PathLike) -> Archive:
    """The parsed archive at ``path`` (cached per path and modification time)."""
    p = str(path)
    try:
        st = os.stat(p)
    except OSError as e:
        raise UserError(f"cannot read {p}: {e.strerror}") from None
    return _load(p, st.st_mtime_ns, st.st_size)


def is_archive(path: str | os.PathLike) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False
