"""Arm's data-independent-timing (DIT) instructions, by isa_specs encoding class.

With PSTATE.DIT = 1 (FEAT_DIT) the Arm architecture guarantees that the
timing of the instructions it lists does not depend on the data values they
operate on, and that loads and stores take a time independent of the data
loaded or stored (their *address* is what ``lnsym.safety.ct`` checks).

The list below is transcribed class by class from the Arm ARM's list
(``DIT_SOURCE``) against the encoding classes of ``isa_specs`` (the modules
whose diagrams decode the word): one source of truth for what a word is.
Where a class mixes listed and unlisted instructions the decoded record
decides (data-processing 2-source: the variable shifts, not UDIV/SDIV/CRC32).  Classes left out on purpose: system register moves
(MRS/MSR), FMOV between general and SIMD registers and the branches (a branch
on a secret is a violation of its own).  An instruction of a class not listed
here, with a secret operand, is reported.
"""
from __future__ import annotations

import functools

DIT_SOURCE = ("Arm ARM (DDI 0487), FEAT_DIT 'data-independent timing' instruction list, "
              "transcribed to isa_specs encoding classes (lnsym DIT list v1)")

LISTED_CLASSES = frozenset({
    # integer data processing (immediate)
    "dpi.add_sub_imm", "dpi.bitfield", "dpi.extract", "dpi.logical_imm", "dpi.move_wide",
    "dpi.pc_rel",
    # integer data processing (register)
    "dpreg.add_sub_carry", "dpreg.add_sub_extended", "dpreg.add_sub_shifted",
    "dpreg.cond_compare", "dpreg.cond_select", "dpreg.dp_1src", "dpreg.dp_2src",
    "dpreg.dp_3src", "dpreg.flag_manip", "dpreg.logical_shifted",
    # loads and stores: timing independent of the data (addresses are checked apart)
    "ldst.ldst_pair", "ldst.ldst_reg_imm9", "ldst.ldst_reg_offset",
    "ldst.ldst_reg_unsigned_imm", "ldst.load_literal", "ldst.simd_structures",
    "ldst.ldst_ordered", "ldst.ldst_exclusive",
    # Advanced SIMD integer
    "simd.across_lanes", "simd.copy", "simd.extract", "simd.indexed_element",
    "simd.modified_immediate", "simd.permute", "simd.scalar_copy", "simd.scalar_pairwise",
    "simd.scalar_shift_imm", "simd.scalar_three_different", "simd.scalar_three_same",
    "simd.scalar_two_reg_misc", "simd.shift_imm", "simd.table_lookup",
    "simd.three_different", "simd.three_same", "simd.two_reg_misc",
    # cryptographic extension
    "simd.crypto_aes", "simd.crypto_four_reg", "simd.crypto_sha2reg",
    "simd.crypto_sha3reg", "simd.crypto_sha512", "simd.crypto_sm3", "simd.crypto_sm4",
    "simd.crypto_xar",
    # hints (NOP, BTI, PACIASP ...) read no data operands of the routine
    "system.hints",
})

# data-processing 2-source: the variable shifts are listed; UDIV, SDIV and CRC32 are not
DP2SRC_LISTED_OPS = frozenset({"lslv", "lsrv", "asrv", "rorv"})


@functools.lru_cache(maxsize=None)
def encoding_class(word: int) -> str:
    """The isa_specs module (e.g. 'dpreg.dp_2src') whose diagram decodes ``word``."""
    from lnsym.machine.decoder import find_encoding
    enc = find_encoding(word)
    return enc.module.replace("isa_specs.", "") if enc is not None else "?"


def on_dit_list(word: int, inst) -> bool:
    """Is the instruction (its word and decoded record) on the DIT list?"""
    cls = encoding_class(word)
    if cls not in LISTED_CLASSES:
        return False
    if cls == "dpreg.dp_2src":
        return getattr(inst, "op", None) in DP2SRC_LISTED_OPS
    return True
