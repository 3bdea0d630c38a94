"""Integer arithmetic helpers (Arm ARM J1: shared/functions/integer, aarch64/functions)."""
from __future__ import annotations

from lnsym.machine.asl import BV, Concat, IsZeroBit, Slice, ZeroExtend, Zeros
from lnsym.terms.bv import add


def AddWithCarry(x: BV, y: BV, carry_in: BV):
    """(result, nzcv) of x + y + carry_in, as in the Arm ARM.

    The ASL computes unsigned and signed sums at unbounded precision; here the
    result is the N-bit sum, C the carry out of the same sum computed at N+1
    bits, and V is set when both operands have the same sign and the result's
    sign differs.
    """
    n = x.width
    wide = add(ZeroExtend(x, n + 1), ZeroExtend(y, n + 1), ZeroExtend(carry_in, n + 1))
    result = add(x, y, ZeroExtend(carry_in, n))
    N = Slice(result, n - 1, n - 1)
    Z = IsZeroBit(result)
    C = Slice(wide, n, n)
    sx, sy = Slice(x, n - 1, n - 1), Slice(y, n - 1, n - 1)
    V = (~(sx ^ sy)) & (sx ^ N)
    return result, Concat(N, Z, C, V)


def NZCV_logical(result: BV) -> BV:
    """Flags of the flag-setting logical instructions: N, Z from the result, C = V = 0."""
    n = result.width
    return Concat(Slice(result, n - 1, n - 1), IsZeroBit(result), Zeros(2))
