"""A PROVED report says what its statement leaves open (written bytes no output
constrains, an empty postcondition), so a statement that says too little is seen."""
from types import SimpleNamespace

from lnsym.backends.symbolic import Region, SymMemory
from lnsym.proof.routine import Output
from lnsym.proof.trust import unstated_effects
from lnsym.terms.bv import const, var


def state_with_writes(offsets):
    mem = SymMemory()
    dst = mem.add(Region("dst", var("dst", 64), 0, 32))
    src = mem.add(Region("src", var("src", 64), 0, 16, writable=False))
    for off in offsets:
        dst.bytes[off] = const(0x41, 8)
    return SimpleNamespace(mem=mem), dst, src


def test_written_bytes_outside_every_output_are_named():
    st, _, _ = state_with_writes(list(range(0, 8)) + list(range(16, 24)))
    post = [Output("dst[0..7]", ("mem", "dst", 0, 8), var("want", 64))]
    assert unstated_effects(st, post, ("dst",)) == [
        "8 byte(s) of 'dst' written by the routine are not constrained by the postcondition "
        "(offsets 0x10..0x17)"]


def test_a_complete_statement_has_no_notes():
    st, _, _ = state_with_writes(range(0, 8))
    post = [Output("dst[0..7]", ("mem", "dst", 0, 8), var("want", 64))]
    assert unstated_effects(st, post, ("dst",)) == []


def test_an_empty_postcondition_is_said():
    st, _, _ = state_with_writes([3])
    notes = unstated_effects(st, [], ("dst",))
    assert notes[0] == "the postcondition is empty: only the frame is proved"
    assert "offsets 0x3" in notes[1]
