"""AArch64 static relocations (ELF for the Arm 64-bit Architecture, "Relocation
operations"): the value X each type computes from S (symbol), A (addend) and P
(place), its overflow check, and how X is written into the data or instruction
field at the place.  Used by ``lnsym.elf`` for relocatable objects.

GOT-relative types (``GOT_RELOCS``) compute from G(GDAT(S+A)), the address of
a global-offset-table entry holding S+A; the linker (``lnsym.elf.link``)
synthesises that table and passes the entry's address as ``got``.
"""
from __future__ import annotations

from elftools.elf.enums import ENUM_RELOC_TYPE_AARCH64

from lnsym.errors import ElfError

RELOC_NAMES = {v: k for k, v in ENUM_RELOC_TYPE_AARCH64.items() if isinstance(v, int)}
RELOC_NAMES.setdefault(313, "R_AARCH64_LD64_GOTPAGE_LO15")


def _page(x: int) -> int:
    return x & ~0xFFF


# type -> (field, computation X, shift, overflow check range [lo, hi) or None).
# Fields: 'data64/32/16' (whole little-endian datum), 'adr' (ADR/ADRP immlo:immhi gets
# X[shift+20:shift]), 'imm12' (ADD/LDR/STR imm12 gets X[11:shift]), 'imm26'/'imm19'/'imm14'
# (branch offsets X[27:2]/X[20:2]/X[15:2]), 'imm16' (MOVZ/MOVK gets X[shift+15:shift]),
# 'imm15' (LDR imm12 gets X[14:3]).
_RELOCS = {
    257: ("data64", "S+A", 0, None),
    258: ("data32", "S+A", 0, (-(1 << 31), 1 << 32)),
    259: ("data16", "S+A", 0, (-(1 << 15), 1 << 16)),
    260: ("data64", "S+A-P", 0, None),
    261: ("data32", "S+A-P", 0, (-(1 << 31), 1 << 32)),
    262: ("data16", "S+A-P", 0, (-(1 << 15), 1 << 16)),
    263: ("imm16", "S+A", 0, (0, 1 << 16)),          # MOVW_UABS_G0
    264: ("imm16", "S+A", 0, None),                   # MOVW_UABS_G0_NC
    265: ("imm16", "S+A", 16, (0, 1 << 32)),          # MOVW_UABS_G1
    266: ("imm16", "S+A", 16, None),
    267: ("imm16", "S+A", 32, (0, 1 << 48)),
    268: ("imm16", "S+A", 32, None),
    269: ("imm16", "S+A", 48, None),                  # MOVW_UABS_G3
    273: ("imm19", "S+A-P", 2, (-(1 << 20), 1 << 20)),  # LD_PREL_LO19
    274: ("adr", "S+A-P", 0, (-(1 << 20), 1 << 20)),  # ADR_PREL_LO21
    275: ("adr", "PAGE", 12, (-(1 << 32), 1 << 32)),  # ADR_PREL_PG_HI21
    276: ("adr", "PAGE", 12, None),                   # ADR_PREL_PG_HI21_NC
    277: ("imm12", "S+A", 0, None),                   # ADD_ABS_LO12_NC
    278: ("imm12", "S+A", 0, None),                   # LDST8_ABS_LO12_NC
    279: ("imm14", "S+A-P", 2, (-(1 << 15), 1 << 15)),  # TSTBR14
    280: ("imm19", "S+A-P", 2, (-(1 << 20), 1 << 20)),  # CONDBR19
    282: ("imm26", "S+A-P", 2, (-(1 << 27), 1 << 27)),  # JUMP26
    283: ("imm26", "S+A-P", 2, (-(1 << 27), 1 << 27)),  # CALL26
    284: ("imm12", "S+A", 1, None),                   # LDST16_ABS_LO12_NC
    285: ("imm12", "S+A", 2, None),                   # LDST32_ABS_LO12_NC
    286: ("imm12", "S+A", 3, None),                   # LDST64_ABS_LO12_NC
    299: ("imm12", "S+A", 4, None),                   # LDST128_ABS_LO12_NC
    # GOT-relative: "G" is the GOT entry's address, "GPAGE" the entry's page minus
    # the place's page, "G-GOTPAGE" the entry's offset from the GOT's page
    309: ("imm19", "G-P", 2, (-(1 << 20), 1 << 20)),    # GOT_LD_PREL19
    311: ("adr", "GPAGE", 12, (-(1 << 32), 1 << 32)),   # ADR_GOT_PAGE
    312: ("imm12", "G", 3, None),                       # LD64_GOT_LO12_NC
    313: ("imm15", "G-GOTPAGE", 3, (0, 1 << 15)),       # LD64_GOTPAGE_LO15
}
GOT_RELOCS = frozenset(t for t, spec in _RELOCS.items() if spec[1].startswith("G"))


def _value(comp: str, S: int, A: int, P: int, got: int | None, got_base: int) -> int:
    if comp == "S+A":
        return S + A
    if comp == "S+A-P":
        return S + A - P
    if comp == "PAGE":
        return _page(S + A) - _page(P)
    if comp == "G":
        return got
    if comp == "G-P":
        return got - P
    if comp == "GPAGE":
        return _page(got) - _page(P)
    return got - _page(got_base)                             # G-GOTPAGE


def patch_relocation(buf: bytearray, off: int, P: int, rtype: int, S: int, A: int,
                     where: str = "", got: int | None = None, got_base: int = 0) -> None:
    """Apply relocation ``rtype`` at ``buf[off]`` (address ``P``) for symbol value
    ``S`` and addend ``A``; a GOT-relative type also needs ``got``, the address of
    the GOT entry holding S+A (and ``got_base``, the GOT's start)."""
    if rtype in (0, 256):                                   # R_AARCH64_NONE
        return
    name = RELOC_NAMES.get(rtype, f"type {rtype}")
    spec = _RELOCS.get(rtype)
    if spec is None:
        raise ElfError(f"{where} uses relocation {name} at {P:#x}, which lnsym does not "
                       f"implement")
    kind, comp, shift, check = spec
    if rtype in GOT_RELOCS and got is None:
        raise ElfError(f"{where}: relocation {name} at {P:#x} needs a GOT entry, and none "
                       f"was given")
    X = _value(comp, S, A, P, got, got_base)
    if check is not None and not check[0] <= X < check[1]:
        raise ElfError(f"{where}: relocation {name} at {P:#x} overflows (value {X:#x})")
    if kind.startswith("data"):
        n = int(kind[4:]) // 8
        if off + n > len(buf):
            raise ElfError(f"{where}: relocation {name} at {P:#x} is outside its section")
        buf[off:off + n] = (X & (1 << 8 * n) - 1).to_bytes(n, "little")
        return
    if off + 4 > len(buf):
        raise ElfError(f"{where}: relocation {name} at {P:#x} is outside its section")
    if kind in ("imm12", "imm15"):
        if X & (1 << shift) - 1:
            target = got if rtype in GOT_RELOCS else S + A
            raise ElfError(f"{where}: relocation {name} at {P:#x} targets {target:#x}, "
                           f"which is not {1 << shift}-byte aligned")
    elif kind != "adr" and shift and X & (1 << shift) - 1:
        raise ElfError(f"{where}: relocation {name} at {P:#x} targets a misaligned "
                       f"address {S + A:#x}")
    word = int.from_bytes(buf[off:off + 4], "little")
    if kind == "adr":
        imm = (X >> shift) & 0x1FFFFF
        word = word & ~(0x3 << 29 | 0x7FFFF << 5) | (imm & 3) << 29 | (imm >> 2) << 5
    elif kind == "imm12":
        word = word & ~(0xFFF << 10) | ((X & 0xFFF) >> shift) << 10
    elif kind == "imm15":
        word = word & ~(0xFFF << 10) | (X >> 3 & 0xFFF) << 10
    elif kind == "imm26":
        word = word & ~0x3FFFFFF | (X >> 2) & 0x3FFFFFF
    elif kind == "imm19":
        word = word & ~(0x7FFFF << 5) | ((X >> 2) & 0x7FFFF) << 5
    elif kind == "imm14":
        word = word & ~(0x3FFF << 5) | ((X >> 2) & 0x3FFF) << 5
    elif kind == "imm16":
        word = word & ~(0xFFFF << 5) | ((X >> shift) & 0xFFFF) << 5
    buf[off:off + 4] = (word & 0xFFFFFFFF).to_bytes(4, "little")
