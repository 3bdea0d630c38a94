"""Prover-side normalisation passes (sound rewrites, applied to both sides).

``bitwise_anf``: every maximal tree of and/or/xor/not over at most
``MAX_LEAVES`` distinct non-bitwise subterms is replaced by its algebraic
normal form (an XOR of ANDs of the leaves, plus a constant), which is unique
for a Boolean function.  Bitwise operators act on every bit alike, so the
truth table over the leaves' bits fixes the function: e.g. FIPS 180-4's
Ch(x,y,z) = (x AND y) XOR (NOT x AND z) and the Arm ARM's SHAchoose
((y EOR z) AND x) EOR z both become (x.y) ^ (x.z) ^ z.
"""
from __future__ import annotations

from lnsym.prover.slicing import BITWISE, slice_bitwise
from lnsym.terms.bv import BV, and_, const, mask, rebuild, xor

MAX_LEAVES = 4


def _leaves(t: BV, limit: int):
    """Distinct maximal non-bitwise subterms of the bitwise tree at t, or None if > limit."""
    out = []
    seen = set()
    stack = [t]
    while stack:
        x = stack.pop()
        if x in seen:
            continue
        seen.add(x)
        if x.op in BITWISE:
            stack.extend(x.args)
        elif x.op != "const":
            out.append(x)
            if len(out) > limit:
                return None
    return out


def _truth_table(t: BV, leaves: list) -> int:
    """The function as an int of 2**n bits: bit j is f(leaf_i = bit i of j)."""
    n = len(leaves)
    rows = 1 << n
    full = (1 << rows) - 1
    val = {}
    for i, leaf in enumerate(leaves):
        pattern = 0
        for j in range(rows):
            if j >> i & 1:
                pattern |= 1 << j
        val[leaf] = pattern
    memo = {}

    def ev(x):
        r = memo.get(x)
        if r is not None:
            return r
        if x in val:
            r = val[x]
        elif x.op == "const":
            # a constant in a bitwise tree: only all-zeros / all-ones are truth-table
            # constants; anything else mixes bit positions (handled by the caller)
            r = full if x.params[0] == mask(x.width) else 0
        elif x.op == "not":
            r = ev(x.args[0]) ^ full
        else:
            vs = [ev(a) for a in x.args]
            r = vs[0]
            for v in vs[1:]:
                r = r & v if x.op == "and" else r | v if x.op == "or" else r ^ v
        memo[x] = r
        return r
    return ev(t)


def _mixed_constants(t: BV) -> bool:
    stack, seen = [t], set()
    while stack:
        x = stack.pop()
        if x in seen:
            continue
        seen.add(x)
        if x.op == "const" and x.params[0] not in (0, mask(x.width)):
            return True
        if x.op in BITWISE:
            stack.extend(x.args)
    return False


def _anf(table: int, leaves: list, width: int) -> BV:
    n = len(leaves)
    coeffs = [table >> j & 1 for j in range(1 << n)]
    for i in range(n):                       # Möbius transform
        for j in range(1 << n):
            if j >> i & 1:
                coeffs[j] ^= coeffs[j ^ (1 << i)]
    monomials = []
    for j, c in enumerate(coeffs):
        if c:
            if j == 0:
                monomials.append(const(-1, width))
            else:
                monomials.append(and_(*[leaves[i] for i in range(n) if j >> i & 1]))
    if not monomials:
        return const(0, width)
    return xor(*monomials)


def bitwise_anf(term: BV, memo: dict | None = None) -> BV:
    memo = {} if memo is None else memo
    stack = [term]
    while stack:
        t = stack[-1]
        if t in memo:
            stack.pop()
            continue
        if not t.args:
            memo[t] = t
            stack.pop()
            continue
        if t.op in BITWISE:
            # the bounded leaf count first: the constants walk covers the whole tree,
            # once per node of it (quadratic on the wide XOR trees of GHASH specs)
            leaves = _leaves(t, MAX_LEAVES)
            if leaves is not None and not _mixed_constants(t):
                pending = [x for x in leaves if x not in memo]
                if pending:
                    stack.extend(pending)
                    continue
                stack.pop()
                nl = [memo[x] for x in leaves]
                # normalised leaves may coincide; the truth table over the old
                # leaves, re-read over the new ones, stays a function of them
                table = _truth_table(t, leaves)
                memo[t] = _anf(table, nl, t.width)
                continue
        pending = [a for a in t.args if a not in memo]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        new_args = [memo[a] for a in t.args]
        memo[t] = t if all(a is b for a, b in zip(new_args, t.args)) else rebuild(t, new_args)
    return memo[term]


class Normaliser:
    """Slicing then ANF, memoised across the obligations of one proof (the
    output words of a hash share most of their terms)."""

    def __init__(self):
        self.slice_memo: dict = {}
        self.merge_memo: dict = {}
        self.anf_memo: dict = {}

    def __call__(self, t: BV) -> BV:
        return bitwise_anf(slice_bitwise(t, self.slice_memo, self.merge_memo), self.anf_memo)
