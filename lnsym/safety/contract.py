"""A routine's contract for ``lnsym ct``: its regions, public values and secrets.

The notation, items separated by commas or spaces (``--contract`` may repeat;
``@FILE`` reads the items from a file, ``#`` starts a comment there):

``NAME=REG:SIZE[:public|:secret][:ro]``
    a region of SIZE bytes at the pointer passed in REG; the pointer is public,
    the contents are secret unless marked ``public``; ``ro``: never written.
``REG=VALUE``
    a concrete, public register value (a length, a count, a flag).
``REG=&NAME``
    REG points to region NAME too (e.g. squaring: ``bp`` is ``ap``).
``REG:public`` / ``REG:secret``
    a symbolic register value (default for registers not named: secret).
``NAME[OFF:LEN]=VALUE``
    LEN bytes at offset OFF of region NAME hold VALUE (little-endian), public
    (e.g. the ``rounds`` field of an AES key schedule).

Example (AES_encrypt(in, out, key)):
``in=x0:16, out=x1:16:public, key=x2:244:ro, key[240:4]=10``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lnsym.errors import UserError
from lnsym.numbers import parse_int

_REGION = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=([a-z0-9]+):([^:]+)((?::[a-z]+)*)$")
_ALIAS = re.compile(r"^([a-z0-9]+)=&([A-Za-z_][A-Za-z0-9_]*)$")
_VALUE = re.compile(r"^([a-z0-9]+)=([^:]+)$")
_FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\[([^:\]]+):([^\]]+)\]=(.+)$")
_SCALAR = re.compile(r"^([a-z0-9]+):(public|secret)$")
ARG_REGS = [f"x{i}" for i in range(31)]


@dataclass
class RegionDecl:
    name: str
    reg: str
    size: int
    secret: bool = True
    writable: bool = True


@dataclass
class Contract:
    regions: list = field(default_factory=list)     # RegionDecl
    values: dict = field(default_factory=dict)      # reg -> int (public)
    scalars: dict = field(default_factory=dict)     # reg -> 'public' | 'secret'
    fields: dict = field(default_factory=dict)      # region -> {offset: byte value}
    aliases: dict = field(default_factory=dict)     # reg -> region name it points to
    field_items: list = field(default_factory=list)  # the NAME[OFF:LEN]=VALUE items

    def public_names(self) -> set:
        names = {f"{reg}_0" for reg, kind in self.scalars.items() if kind == "public"}
        return names | {r.name for r in self.regions}

    def public_prefixes(self) -> tuple:
        return tuple(f"{r.name}[" for r in self.regions if not r.secret)

    def describe(self) -> str:
        parts = [f"{r.name}={r.reg}:{r.size}" + ("" if r.secret else ":public")
                 + ("" if r.writable else ":ro") for r in self.regions]
        parts += [f"{reg}={v}" for reg, v in self.values.items()]
        parts += [f"{reg}=&{name}" for reg, name in self.aliases.items()]
        parts += [f"{reg}:{k}" for reg, k in self.scalars.items()]
        parts += self.field_items
        return ", ".join(parts)


def parse_contract(texts) -> Contract:
    c = Contract()
    used = {}
    fields = []
    for item in _items(texts):
        m = _FIELD.match(item)
        if m:
            fields.append((item, *m.groups()))
            continue
        m = _REGION.match(item)
        if m:
            name, reg, size, flags = m.groups()
            flags = [f for f in flags.split(":") if f]
            bad = [f for f in flags if f not in ("public", "secret", "ro")]
            if bad:
                raise UserError(f"contract item {item!r}: unknown flag {bad[0]!r} "
                                f"(use public, secret or ro)")
            _claim(used, _reg(reg, item), item)
            n = parse_int(size, f"size of region {name}")
            if n <= 0:
                raise UserError(f"contract item {item!r}: the region size must be positive")
            if any(r.name == name for r in c.regions):
                raise UserError(f"contract names region {name!r} twice")
            c.regions.append(RegionDecl(name, reg, n, "public" not in flags, "ro" not in flags))
            continue
        m = _ALIAS.match(item)
        if m:
            reg = _reg(m.group(1), item)
            _claim(used, reg, item)
            c.aliases[reg] = m.group(2)
            continue
        m = _VALUE.match(item)
        if m:
            reg = _reg(m.group(1), item)
            _claim(used, reg, item)
            c.values[reg] = parse_int(m.group(2), f"value of {reg}")
            continue
        m = _SCALAR.match(item)
        if m:
            reg = _reg(m.group(1), item)
            _claim(used, reg, item)
            c.scalars[reg] = m.group(2)
            continue
        raise UserError(f"contract item {item!r} is not NAME=REG:SIZE[:public][:ro], "
                        f"REG=VALUE, REG=&NAME, REG:public|secret or NAME[OFF:LEN]=VALUE")
    for reg, name in c.aliases.items():
        if not any(r.name == name for r in c.regions):
            raise UserError(f"contract item '{reg}=&{name}': no region named {name!r}")
    for item, name, off, size, value in fields:
        region = next((r for r in c.regions if r.name == name), None)
        if region is None:
            raise UserError(f"contract item {item!r}: no region named {name!r}")
        off, size = parse_int(off, "field offset"), parse_int(size, "field length")
        value = parse_int(value, "field value")
        if off < 0 or size <= 0 or off + size > region.size or value >> (8 * size):
            raise UserError(f"contract item {item!r} does not fit region {name!r} "
                            f"({region.size} bytes)")
        c.field_items.append(item)
        c.fields.setdefault(name, {}).update(
            {off + i: (value >> (8 * i)) & 0xFF for i in range(size)})
    return c


def _items(texts):
    for text in texts or ():
        if text.startswith("@"):
            try:
                with open(text[1:]) as f:
                    text = " ".join(line.split("#", 1)[0] for line in f)
            except OSError as e:
                raise UserError(f"cannot read contract file {text[1:]!r}: {e.strerror}") from None
        yield from (t for t in re.split(r"[,\s]+", text) if t)


def _reg(name: str, item: str) -> str:
    if name not in ARG_REGS:
        raise UserError(f"contract item {item!r}: {name!r} is not a register x0..x30")
    return name


def _claim(used: dict, reg: str, item: str) -> None:
    if reg in used:
        raise UserError(f"contract items {used[reg]!r} and {item!r} both set {reg}")
    used[reg] = item
