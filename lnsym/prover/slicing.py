"""Bitwise operators pushed below concatenation (a prover normalisation pass).

``slice_bitwise`` pushes and/or/xor/not below concat, splitting the operands at
the union of their concat boundaries, and merges adjacent segments that are
the same operator over adjacent slices of the same terms.  The result has
maximal segments, so two terms computing the same bits from the same slices
meet even when one rotated before combining and the other after (as SHA-1's
message schedule does with SHA1SU0/SU1 versus FIPS 180-4's W_t).

Every rewrite keeps the value: a bitwise operator acts on each bit alone, so
it commutes with taking the same bits of every operand.
"""
from __future__ import annotations

from itertools import pairwise

from lnsym.terms.bv import BV, concat, extract, map_dag, rebuild

BITWISE = ("and", "or", "xor", "not")


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
    if u.op == "const" and d.op == "const":
        return concat(u, d)
    bu, hu, lu = _slice_of(u)
    bd, hd, ld = _slice_of(d)
    if bu is bd and lu == hd + 1 and u.op != "const":
        return extract(bu, hu, ld)
    return None


def merged_concat(parts: list, pairs: dict | None = None) -> BV:
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
    """``term`` with every bitwise operator below concatenation; ``memo`` maps
    terms already done, ``pairs`` the neighbour merges tried (both may be shared
    across calls)."""
    pairs = {} if pairs is None else pairs

    def post(old: BV, new: BV) -> BV:
        if new.op in BITWISE:
            cuts = _boundaries(new.args)
            if cuts:
                edges = [0] + cuts + [new.width]
                segs = [rebuild(new, [extract(a, hi - 1, lo) for a in new.args])
                        for lo, hi in pairwise(edges)]
                return merged_concat(list(reversed(segs)), pairs)
        elif new.op == "concat":
            return merged_concat(list(new.args), pairs)
        return new
    return map_dag(term, {} if memo is None else memo, post)
