"""Helpers for mutation tests of the shipped proofs: instruction patches
checked against the proof's listing, the constant table found through the
routine's ``adr``, and patched standalone copies of an archive member."""
from __future__ import annotations

from pathlib import Path

from proofs.listing import adr_imm, adr_target


def listing_word(proof, off: int) -> int:
    for o, word, _text in proof.listing:
        if o == off:
            return word
    raise KeyError(f"no instruction at +{off:#x} in the {proof.name} listing")


def adr_with_offset(word: int, delta: int) -> int:
    """The ``adr`` word pointing ``delta`` bytes further than ``word``."""
    imm = (adr_imm(word) + delta) & ((1 << 21) - 1)
    return (word & ~((0x7FFFF << 5) | (3 << 29))) | ((imm & 3) << 29) | ((imm >> 2) << 5)


def first_adr(proof) -> tuple:
    """(offset, word) of the routine's first ``adr`` (the constant table's address)."""
    for off, word, text in proof.listing:
        if text.startswith("adr "):
            assert word & 0x9F000000 == 0x10000000, text
            return off, word
    raise LookupError(f"{proof.name}: no adr in the listing")


def table_address(proof, image) -> int:
    off, _word = first_adr(proof)
    return adr_target(image, proof.symbol, off)


def instruction_patch(proof, image, off: int, old: int, new: int) -> dict:
    """{address: new} after checking the listing has ``old`` at +off."""
    have = listing_word(proof, off)
    assert have == old, f"+{off:#x} is {have:08x} in the listing, not {old:08x}"
    return {image.symbol(proof.symbol).addr + off: new}


def refuted_loop_mutant(proof, off: int, old: int, new: int, blocks: int):
    """The all-lengths ``proof`` of the object with ``new`` at +off: the induction is not
    proved, a bounded instance at ``blocks`` refutes it and a concrete run replays it.
    Returns the report."""
    from lnsym.elf.image import load_image
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    assert report.status == "refuted", report.replay
    induction = [r for r in report.results if r.name.split(":")[0] in ("base", "step", "exit")]
    assert any(r.status != "proved" for r in induction)
    assert report.counterexample_blocks == blocks
    assert "confirmed: the outputs differ" in report.replay, report.replay
    # the stuck goal names the failing phase and shows the generalised state
    assert "generalised state at the loop head" in report.replay
    assert proof.confirmed is True
    return report


def swap_patch(proof, image, off1: int, off2: int) -> dict:
    base = image.symbol(proof.symbol).addr
    return {base + off1: listing_word(proof, off2), base + off2: listing_word(proof, off1)}


def table_word_patch(proof, image, index: int, xor: int) -> dict:
    """Change a 4-byte word of the constant table (by ``xor``, one byte's worth)."""
    addr = table_address(proof, image) + 4 * index
    old = int.from_bytes(image.read(addr, 4), "little")
    return {addr: old ^ xor}


def adr_patch(proof, image, delta: int) -> dict:
    off, word = first_adr(proof)
    return {image.symbol(proof.symbol).addr + off: adr_with_offset(word, delta)}


def write_patched_member(archive: Path, member: str, symbol: str, patches: dict,
                         out: Path) -> Path:
    """Write ``member`` of ``archive`` as a standalone object with 32-bit words
    replaced, ``patches`` mapping offsets from ``symbol`` to words."""
    import io

    from elftools.elf.elffile import ELFFile

    from lnsym.elf.archive import open_archive
    data = bytearray(open_archive(archive).member(member).data)
    elf = ELFFile(io.BytesIO(bytes(data)))
    sym = elf.get_section_by_name(".symtab").get_symbol_by_name(symbol)[0]
    section = elf.get_section(sym["st_shndx"])
    assert section.name == ".text", section.name
    for off, word in patches.items():
        pos = section["sh_offset"] + sym["st_value"] + off
        data[pos:pos + 4] = word.to_bytes(4, "little")
    out.write_bytes(bytes(data))
    return out


# -- encoders for variants that need code of their own (placed in an unused routine) -----------
def b_word(frm: int, to: int) -> int:
    """``b to`` at ``frm`` (offsets or addresses, the same for both)."""
    return 0x14000000 | (((to - frm) >> 2) & 0x3FFFFFF)


def adr_word(rd: int, frm: int, to: int) -> int:
    imm = (to - frm) & ((1 << 21) - 1)
    return 0x10000000 | ((imm & 3) << 29) | ((imm >> 2) << 5) | rd


def mov32_words(rd: int, value: int) -> list:
    """``movz wRD, #lo; movk wRD, #hi, lsl #16``."""
    return [0x52800000 | ((value & 0xFFFF) << 5) | rd,
            0x72A00000 | ((value >> 16) << 5) | rd]


def trampoline(proof, image, at: str, words: list) -> dict:
    """{offset from the proof's symbol: word} placing ``words`` at the start of routine
    ``at`` (one the proof never runs)."""
    start = image.symbol(at).addr - image.symbol(proof.symbol).addr
    return {start + 4 * i: w for i, w in enumerate(words)}


def write_rwx_member(archive: Path, member: str, symbol: str, patches: dict, out: Path) -> Path:
    """``write_patched_member`` with ``.text`` made writable too (an RWX section)."""
    import io
    import struct

    from elftools.elf.elffile import ELFFile
    write_patched_member(archive, member, symbol, patches, out)
    data = bytearray(out.read_bytes())
    elf = ELFFile(io.BytesIO(bytes(data)))
    for i, sec in enumerate(elf.iter_sections()):
        if sec.name == ".text":
            pos = elf["e_shoff"] + i * elf["e_shentsize"] + 8       # sh_flags (ELF64)
            flags = struct.unpack_from("<Q", data, pos)[0]
            struct.pack_into("<Q", data, pos, flags | 0x1)           # SHF_WRITE
    out.write_bytes(bytes(data))
    return out
