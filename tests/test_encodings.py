"""Every encoding diagram is well formed, overlaps are declared, and decoding agrees with capstone."""
import itertools

import pytest
from disasm_check import mismatches

from isa_specs import all_encodings
from isa_specs.encoding import parse_diagram

ENCODINGS = all_encodings()


def test_there_are_encodings():
    assert len(ENCODINGS) >= 1


@pytest.mark.parametrize("enc", ENCODINGS, ids=lambda e: f"{e.module.split('.')[-1]}.{e.name}")
def test_diagram_is_32_bits(enc):
    mask, value, fields = parse_diagram(enc.diagram)
    assert (mask, value) == (enc.mask, enc.value)
    covered = mask
    for _, lsb, w in fields:
        bits = ((1 << w) - 1) << lsb
        assert covered & bits == 0
        covered |= bits
    assert covered == 0xFFFFFFFF


def _overlap(a, b) -> bool:
    common = a.mask & b.mask
    return (a.value ^ b.value) & common == 0


def test_overlaps_are_declared():
    undeclared = []
    for a, b in itertools.combinations(ENCODINGS, 2):
        if not _overlap(a, b):
            continue
        if b.name in a.overrides or a.name in b.overrides:
            winner, loser = (a, b) if b.name in a.overrides else (b, a)
            # the overriding encoding must win the dispatch: strictly more fixed bits
            assert winner.fixed_bits > loser.fixed_bits, (winner.name, loser.name)
            continue
        undeclared.append((a.module, a.name, b.module, b.name))
    assert not undeclared


@pytest.mark.parametrize("enc", ENCODINGS, ids=lambda e: f"{e.module.split('.')[-1]}.{e.name}")
def test_disassembly_matches_capstone(enc):
    assert mismatches(enc, n=200) == []
