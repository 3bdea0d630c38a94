"""A fold over a table of constants in the image (``lnsym.proof.loops.ConstantTable``):
the entries checked against the spec's, and the table's address derived from the
loop's pointer.  Keccak's round loop uses it (tests/proofs/test_keccak_induction.py)."""
from __future__ import annotations

import pytest

from lnsym.backends.symbolic import Region, SymMemory
from lnsym.errors import ElfError
from lnsym.proof.loops import ConstantTable, LoopShape, LoopShapeError, table_pointer
from lnsym.terms.bv import const, var

TABLE = 0x4000
ENTRIES = (b"\x01" * 8, b"\x02" * 8, b"\x03" * 8)


class Image:
    """Bytes at [TABLE, TABLE + len(data)); anything else is unmapped."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, addr: int, size: int) -> bytes:
        if addr < TABLE or addr + size > TABLE + len(self.data):
            raise ElfError(f"no bytes at {addr:#x}")
        return self.data[addr - TABLE:addr - TABLE + size]


def memory(written: dict | None = None) -> SymMemory:
    mem = SymMemory()
    r = mem.add(Region("image:.rodata", const(TABLE, 64), 0, 64, writable=True))
    r.bytes.update(written or {})
    return mem


def statuses(results) -> list:
    return [r.status for r in results]


def test_every_entry_the_spec_names_is_checked():
    table = ConstantTable(ENTRIES)
    ok = table.check(Image(b"".join(ENTRIES)), TABLE, 8, memory())
    assert table.count == 3 and statuses(ok) == ["proved"] * 3
    assert ok[1].name == f"table: entry 1 at {TABLE + 8:#x} is the spec's"


def test_a_different_word_a_short_image_or_a_written_entry_is_refuted():
    table = ConstantTable(ENTRIES)
    other = table.check(Image(ENTRIES[0] + b"\x07" * 8 + ENTRIES[2]), TABLE, 8, memory())
    assert statuses(other) == ["proved", "refuted", "proved"]
    assert "the image holds 0707070707070707" in other[1].detail
    short = table.check(Image(b"".join(ENTRIES[:2])), TABLE, 8, memory())
    assert statuses(short) == ["proved", "proved", "refuted"]
    assert "holds nothing" in short[2].detail
    clobbered = table.check(Image(b"".join(ENTRIES)), TABLE, 8, memory({17: const(3, 8)}))
    assert statuses(clobbered) == ["proved", "proved", "refuted"]
    assert f"writes {TABLE + 17:#x} before the loop" in clobbered[2].detail


def shape(base: dict, affine: dict) -> LoopShape:
    return LoopShape(0x100, 0x180, 0x184, base, SymMemory(), [], [], affine=affine)


def test_the_table_pointer_is_the_constant_advanced_by_an_entry():
    found = shape({"x10": const(TABLE, 64), "x1": var("inp", 64), "x9": const(24, 64)},
                  {"x10": 8, "x1": 8, "x9": -1})
    assert table_pointer(found, 8) == TABLE
    for affine in ({"x9": -1}, {"x10": 8, "x9": 8}):
        with pytest.raises(LoopShapeError, match="no single pointer into a constant table"):
            table_pointer(shape({"x10": const(TABLE, 64), "x9": const(24, 64)}, affine), 8)
