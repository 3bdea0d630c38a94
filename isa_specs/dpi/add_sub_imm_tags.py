"""ADDG, SUBG (add/subtract immediate, with tags): not modelled.

ASL: aarch64/instrs/integer/tags/mcaddtag (ADDG_64_addsub_immtags, SUBG_64_addsub_immtags).
These belong to the Memory Tagging Extension, which lnsym does not model
(allocation tags and GCR_EL1.Exclude are not part of its machine state).
"""
from __future__ import annotations

from isa_specs.encoding import encoding
from isa_specs.errors import Unallocated, Unimplemented


@encoding("sf:1 op:1 S:1 100011 o2:1 uimm6:6 op3:2 uimm4:4 Rn:5 Rd:5")
def decode_add_sub_imm_tags(sf, op, S, o2, uimm6, op3, uimm4, Rn, Rd):
    if sf == 1 and S == 0 and o2 == 0:
        raise Unimplemented(f"{'SUBG' if op else 'ADDG'}: Memory Tagging Extension not modelled")
    raise Unallocated("add/subtract (immediate, with tags): unallocated encoding")
