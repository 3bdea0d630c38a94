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

from lnsym.terms.bv import BV, and_, const, mask, rebuild, xor

MAX_LEAVES = 4
BITWISE = ("and", "or", "xor", "not")


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
        if t.op in BITWISE and not _mixed_constants(t):
            leaves = _leaves(t, MAX_LEAVES)
            if leaves is not None:
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


# -- bitwise operators below concatenation ----------------------------------------------------
#
# ``slice_bitwise`` pushes and/or/xor/not below concat, splitting the operands at
# the union of their concat boundaries, and merges adjacent segments that are
# the same operator over adjacent slices of the same terms.  The result has
# maximal segments, so two terms computing the same bits from the same slices
# meet even when one rotated before combining and the other after (as SHA-1's
# message schedule does with SHA1SU0/SU1 versus FIPS 180-4's W_t).

def _boundaries(args) -> list:
    cuts = set()
    for a in args:
        if a.op == "concat":
            pos = 0
            for part in reversed(a.args):
                pos += part.width
                cuts.add(pos)
    return sorted(c for c in cuts if 0 < c < args[0].width)


def _slice_of(t: BV):
    """(base, hi, lo) for an extract, or (t, width-1, 0) for a whole term."""
    if t.op == "extract":
        return t.args[0], t.params[0], t.params[1]
    return t, t.width - 1, 0


def _merge(p: BV, q: BV, pairs: dict):
    """One term for concat(p, q) when both are the same operator over adjacent
    slices of the same terms, else None.  ``pairs`` memoises the answers: the
    same neighbours meet again and again, and mostly do not merge."""
    key = (p, q)
    if key not in pairs:
        pairs[key] = _merge_new(p, q, pairs)
    return pairs[key]


def _merge_new(p: BV, q: BV, pairs: dict):
    from lnsym.terms.bv import concat, extract
    if p.op == "const" and q.op == "const":
        return concat(p, q)
    if p.op != q.op or p.op not in BITWISE or len(p.args) != len(q.args):
        if p.op not in BITWISE and q.op not in BITWISE:
            bp, hp, lp = _slice_of(p)
            bq, hq, lq = _slice_of(q)
            if bp is bq and lp == hq + 1:
                return extract(bp, hp, lq)
        return None
    # each upper argument pairs with the first unused lower argument it merges
    # with; only lower arguments under the same key can merge, so they are
    # looked up by key instead of scanned (operators have tens of arguments)
    lowers: dict = {}
    for d in q.args:
        lowers.setdefault(_merge_key(d, below=True), []).append(d)
    merged = []
    for u in p.args:
        candidates = lowers.get(_merge_key(u, below=False))
        if not candidates:
            return None
        if u.op not in BITWISE:             # any candidate merges: the key says so
            merged.append(_merge_leaf(u, candidates.pop(0)))
            continue
        for i, d in enumerate(candidates):
            m = _merge(u, d, pairs)
            if m is not None:
                merged.append(m)
                candidates.pop(i)
                break
        else:
            return None
    return rebuild(p, merged)


def _merge_key(t: BV, below: bool):
    """What an upper argument and a lower one must share to merge: both
    constants; slices of one base meeting at a bit; or one operator and arity."""
    if t.op in BITWISE:
        return t.op, len(t.args)
    if t.op == "const":
        return "const"
    base, hi, lo = _slice_of(t)
    return base, hi + 1 if below else lo


def _merge_leaf(u: BV, d: BV):
    from lnsym.terms.bv import concat, extract
    if u.op == "const" and d.op == "const":
        return concat(u, d)
    bu, hu, lu = _slice_of(u)
    bd, hd, ld = _slice_of(d)
    if bu is bd and lu == hd + 1 and u.op != "const":
        return extract(bu, hu, ld)
    return None


def merged_concat(parts: list, pairs: dict | None = None) -> BV:
    from lnsym.terms.bv import concat
    pairs = {} if pairs is None else pairs
    out = []
    for p in parts:
        if out:
            m = _merge(out[-1], p, pairs)
            if m is not None:
                out[-1] = m
                continue
        out.append(p)
    return concat(*out)


def slice_bitwise(term: BV, memo: dict | None = None, pairs: dict | None = None) -> BV:
    from lnsym.terms.bv import extract, map_dag
    pairs = {} if pairs is None else pairs

    def post(old: BV, new: BV) -> BV:
        if new.op in BITWISE:
            cuts = _boundaries(new.args)
            if cuts:
                edges = [0] + cuts + [new.width]
                segs = [rebuild(new, [extract(a, hi - 1, lo) for a in new.args])
                        for lo, hi in zip(edges, edges[1:])]
                return merged_concat(list(reversed(segs)), pairs)
        elif new.op == "concat":
            return merged_concat(list(new.args), pairs)
        return new
    return map_dag(term, {} if memo is None else memo, post)


class Normaliser:
    """Both passes, memoised across the obligations of one proof."""

    def __init__(self):
        self.slice_memo: dict = {}
        self.merge_memo: dict = {}
        self.anf_memo: dict = {}

    def __call__(self, t: BV) -> BV:
        return bitwise_anf(slice_bitwise(t, self.slice_memo, self.merge_memo), self.anf_memo)
