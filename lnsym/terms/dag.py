"""Traversals of term DAGs: rebuilding a node over new arguments (through the
smart constructors, so results stay normal), bottom-up folds and maps that visit
each shared node once, substitution and the variables of a term."""
from __future__ import annotations

from operator import is_not

from lnsym.terms.bv import (
    _BUILD,
    BV,
    ashr_var,
    clmul,
    clz,
    concat,
    eq,
    extract,
    ite,
    lookup,
    lshr_var,
    neg,
    not_,
    sdiv,
    shl_var,
    sign_extend,
    sle,
    slt,
    srem,
    udiv,
    ule,
    ult,
    urem,
)


# -- rebuilding and substitution ---------------------------------------------------------------
def rebuild(t: BV, args) -> BV:
    """A node like ``t`` over new arguments, through the smart constructors."""
    op = t.op
    if op in _BUILD:
        return _BUILD[op](*args)
    f = _REBUILD.get(op)
    if f is None:
        raise ValueError(f"rebuild: unknown operator {op!r}")
    return f(t, args)


_REBUILD = {
    "neg": lambda t, a: neg(a[0]),
    "not": lambda t, a: not_(a[0]),
    "extract": lambda t, a: extract(a[0], *t.params),
    "concat": lambda t, a: concat(*a),
    "sext": lambda t, a: sign_extend(a[0], t.width),
    "shlv": lambda t, a: shl_var(*a),
    "lshrv": lambda t, a: lshr_var(*a),
    "ashrv": lambda t, a: ashr_var(*a),
    "ite": lambda t, a: ite(*a),
    "eq": lambda t, a: eq(*a),
    "ult": lambda t, a: ult(*a),
    "ule": lambda t, a: ule(*a),
    "slt": lambda t, a: slt(*a),
    "sle": lambda t, a: sle(*a),
    "udiv": lambda t, a: udiv(*a),
    "urem": lambda t, a: urem(*a),
    "sdiv": lambda t, a: sdiv(*a),
    "srem": lambda t, a: srem(*a),
    "lookup": lambda t, a: lookup(t.params[0], a[0], t.width),
    "clmul": lambda t, a: clmul(*a),
    "clz": lambda t, a: clz(a[0]),
    "pac_add": lambda t, a: _pauth().pac_add(a[0], a[1], t.params[0]),
    "pac_auth": lambda t, a: _pauth().pac_auth(a[0], a[1], t.params[0]),
    "pac_strip": lambda t, a: _pauth().strip(a[0]),
}


def _pauth():
    from lnsym.terms import pauth  # imports bv, which imports this module
    return pauth


def _post_order(term: BV, memo: dict):
    """The nodes under ``term`` not in ``memo``, each after its arguments; the caller
    enters each yielded node in ``memo`` before asking for the next."""
    # A node is pushed under a ``None`` marker above its pending arguments:
    # popping the marker means they are all done (no re-scan of the arguments).
    stack = [term]
    push, pop = stack.append, stack.pop
    while stack:
        t = pop()
        if t is None:
            t = pop()
            if t not in memo:
                yield t
        elif t not in memo:
            push(t)
            push(None)
            for a in t.args:
                if a not in memo:
                    push(a)


def fold_dag(term: BV, memo: dict, combine):
    """A value per node, bottom-up and once per shared node: ``combine(t, child
    values)`` for every node not already in ``memo`` (updated in place)."""
    for t in _post_order(term, memo):
        memo[t] = combine(t, [memo[a] for a in t.args])
    return memo[term]


def map_dag(term: BV, memo: dict, post=None) -> BV:
    """Rebuild ``term`` bottom-up over the mapped arguments (a node whose
    arguments did not change is kept), then ``post(old, new)`` if given."""
    for t in _post_order(term, memo):
        args = t.args
        new_args = [memo[a] for a in args]
        new = rebuild(t, new_args) if any(map(is_not, new_args, args)) else t
        memo[t] = new if post is None else post(t, new)
    return memo[term]


def substitute(term: BV, mapping: dict, memo: dict | None = None) -> BV:
    """``term`` with every key of ``mapping`` (a term, usually a variable) replaced."""
    if memo is None:
        memo = {}
    memo.update((k, v) for k, v in mapping.items() if k not in memo)
    return map_dag(term, memo)


def variables(*terms: BV) -> set:
    """The variable nodes occurring in the terms."""
    seen = set()
    out = set()
    stack = list(terms)
    while stack:
        t = stack.pop()
        if t in seen:
            continue
        seen.add(t)
        if t.op == "var":
            out.add(t)
        stack.extend(t.args)
    return out
