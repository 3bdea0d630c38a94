"""ConditionHolds (Arm ARM J1: shared/functions/system/ConditionHolds)."""
from __future__ import annotations

from lnsym.machine.asl import BV, TRUE, Bit
from lnsym.terms.bv import eq, not_

COND_NAMES = ("eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc",
              "hi", "ls", "ge", "lt", "gt", "le", "al", "nv")


def ConditionHolds(cond: int, nzcv: BV) -> BV:
    """1-bit term: does condition ``cond`` (4 bits) hold for flags ``nzcv``?"""
    N, Z, C, V = Bit(nzcv, 3), Bit(nzcv, 2), Bit(nzcv, 1), Bit(nzcv, 0)
    base = cond >> 1
    if base == 0:
        result = Z
    elif base == 1:
        result = C
    elif base == 2:
        result = N
    elif base == 3:
        result = V
    elif base == 4:
        result = C & not_(Z)
    elif base == 5:
        result = eq(N, V)
    elif base == 6:
        result = eq(N, V) & not_(Z)
    else:
        result = TRUE
    if cond & 1 and cond != 0b1111:
        result = not_(result)
    return result
