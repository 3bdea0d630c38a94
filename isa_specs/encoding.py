"""Encoding diagrams: the one source of truth for decoding and generation.

A diagram lists a 32-bit word MSB first as fields ``name:width`` and literal
bit strings, e.g. ``"sf:1 op:1 S:1 100010 sh:1 imm12:12 Rn:5 Rd:5"``.  The
decorator ``@encoding(diagram)`` attaches a parsed ``Encoding`` to a decode
function, which receives the fields as keyword arguments and returns a
decoded instruction (or raises ``Unallocated``/``Unimplemented``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(\d+)$")
_BITS = re.compile(r"^[01]+$")


@dataclass(frozen=True)
class Encoding:
    name: str
    diagram: str
    mask: int
    value: int
    fields: tuple          # (name, lsb, width), MSB first
    decode: object = field(compare=False, repr=False)
    module: str = ""
    overrides: tuple = ()  # names of encodings this one intentionally shadows

    @property
    def fixed_bits(self) -> int:
        return bin(self.mask).count("1")

    def matches(self, word: int) -> bool:
        return word & self.mask == self.value

    def extract(self, word: int) -> dict:
        return {name: (word >> lsb) & ((1 << w) - 1) for name, lsb, w in self.fields}

    def assemble(self, **values) -> int:
        """The word with these field values (missing fields are zero)."""
        word = self.value
        for name, lsb, w in self.fields:
            v = values.get(name, 0)
            if v >> w:
                raise ValueError(f"{self.name}: field {name} value {v} does not fit {w} bits")
            word |= v << lsb
        return word


def parse_diagram(diagram: str):
    """-> (mask, value, fields).  Raises ValueError unless it is exactly 32 bits."""
    pos = 32
    mask = value = 0
    fields = []
    names = set()
    for tok in diagram.split():
        m = _FIELD.match(tok)
        if m:
            name, w = m.group(1), int(m.group(2))
            if name in names:
                raise ValueError(f"diagram {diagram!r}: field {name} appears twice")
            names.add(name)
            pos -= w
            fields.append((name, pos, w))
        elif _BITS.match(tok):
            for ch in tok:
                pos -= 1
                mask |= 1 << pos
                value |= int(ch) << pos
        else:
            raise ValueError(f"diagram {diagram!r}: bad token {tok!r}")
        if pos < 0:
            break
    if pos != 0:
        raise ValueError(f"diagram {diagram!r} is {32 - pos} bits, not 32")
    return mask, value, tuple(fields)


def encoding(diagram: str, name: str | None = None, overrides: tuple = ()):
    """Decorator: register ``fn`` as the decoder of words matching ``diagram``."""
    mask, value, fields = parse_diagram(diagram)

    def wrap(fn):
        enc = Encoding(name or fn.__name__, diagram, mask, value, fields, fn, fn.__module__,
                       tuple(overrides))
        fn.__dict__.setdefault("encodings", []).append(enc)
        return fn
    return wrap


def encodings_of(module) -> list:
    """All encodings declared in a module, in source order."""
    out = []
    for obj in vars(module).values():
        for enc in getattr(obj, "encodings", ()):
            if enc.module == module.__name__:
                out.append(enc)
    return out
