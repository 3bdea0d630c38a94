"""Bit-vector terms: the smart constructors, by family (leaves, arithmetic,
bitwise, structure, predicates, opaque operators).  The node and its
hash-consing are in ``lnsym.terms.node``; DAG traversals (``substitute``,
``map_dag``, ``variables``...) in ``lnsym.terms.dag``; this module re-exports
both, so ``lnsym.terms.bv`` is the one import a user needs.

Every term is built by a smart constructor that folds constants and
normalises, so structurally equal terms are the *same* Python object
(``a is b``).  Normal forms:

* ``add``/``and``/``or``/``xor`` are n-ary, flattened, argument-sorted by
  creation id, constants folded into one trailing constant.
* ``xor`` holds no ``not``: ``xor(~a, b)`` becomes ``~xor(a, b)``.
* shifts and rotates by a constant are ``concat``/``extract`` of the operand;
  ``zero_extend`` is ``concat(0, x)``.
* ``extract`` is pushed through ``concat``, bitwise operators, ``ite`` and,
  for low slices, through ``add``/``neg``/``mul``.
* ``concat`` is flattened; adjacent constants and adjacent slices of one
  term are merged.

Width-1 terms double as booleans.  ``bool()`` of a non-constant term raises:
instruction semantics may branch in Python only on decode-time values.
"""
from __future__ import annotations

__all__ = [
    "BV", "WidthError", "SymbolicBranchError", "const", "var", "placeholder",
    "names_of_two_widths", "add", "sub", "neg", "mul",
    "and_", "or_", "xor", "not_", "extract", "concat", "zero_extend", "sign_extend",
    "shl", "lshr", "ashr", "rotr", "shl_var", "lshr_var", "ashr_var", "ite", "eq", "ne",
    "ult", "ule", "ugt", "uge", "slt", "sle", "sgt", "sge", "udiv", "urem", "sdiv", "srem",
    "lookup", "clmul", "clz", "is_const", "mask", "to_signed", "TRUE", "FALSE",
    "rebuild", "fold_dag", "map_dag", "substitute", "variables", "term_count",
]


from lnsym.terms.node import (  # noqa: F401
    BV,
    SymbolicBranchError,
    WidthError,
    _check_width,
    _mk,
    _same,
    is_const,
    mask,
    term_count,
    to_signed,
)


# -- leaves ---------------------------------------------------------------------------
def const(value: int, width: int) -> BV:
    _check_width(width)
    return _mk("const", width, (), (int(value) & mask(width),))


_var_widths: dict = {}       # variable name -> the widths a variable of that name has had
_names_of_two_widths: set = set()


def var(name: str, width: int) -> BV:
    _check_width(width)
    widths = _var_widths.get(name)
    if widths is None:
        _var_widths[name] = {width}
    elif width not in widths:
        widths.add(width)
        _names_of_two_widths.add(name)
    return _mk("var", width, (), (name,))


def placeholder(name: str, width: int) -> BV:
    """A variable that stands for an operand inside a template (an instruction summary's
    loaded value, an operator's argument) and is substituted before any term leaves it:
    not counted by ``names_of_two_widths``."""
    _check_width(width)
    return _mk("var", width, (), (name,))


def names_of_two_widths() -> frozenset:
    """Names that two variables of different widths have had in this process (when
    none has, no obligation can confuse two variables by name); placeholders aside."""
    return frozenset(_names_of_two_widths)


TRUE = const(1, 1)
FALSE = const(0, 1)


# -- arithmetic --------------------------------------------------------------------------
def _flatten(op, xs):
    out = []
    for x in xs:
        if x.op == op:
            out.extend(x.args)
        else:
            out.append(x)
    return out


def _ac(op, width, args, c, unit):
    args.sort(key=lambda t: t.id)
    if c != unit:
        args.append(const(c, width))
    if not args:
        return const(unit, width)
    if len(args) == 1:
        return args[0]
    return _mk(op, width, tuple(args))


def add(*xs: BV) -> BV:
    """Sum: flattened, every summand with an integer coefficient (``k*t`` is
    ``mul(const k, t)``, ``-t`` is ``neg(t)``), so repeated and cancelling
    summands merge instead of piling up."""
    w = _same("add", xs)
    m = mask(w)
    c = 0
    coef: dict = {}
    for x in _flatten("add", xs):
        op = x.op
        if op == "const":
            c += x.params[0]
        elif op == "neg":
            t = x.args[0]
            coef[t] = coef.get(t, 0) - 1
        elif op == "mul" and x.args[0].op == "const":
            t = x.args[1]
            coef[t] = coef.get(t, 0) + x.args[0].params[0]
        else:
            coef[x] = coef.get(x, 0) + 1
    terms = []
    for t, k in coef.items():
        k &= m
        if k == 0:
            continue
        if k == 1:
            terms.append(t)
        elif k == m:
            terms.append(_mk("neg", w, (t,)))
        else:
            terms.append(_mk("mul", w, (const(k, w), t)))
    return _ac("add", w, terms, c & m, 0)


def neg(x: BV) -> BV:
    if x.op == "const":
        return const(-x.params[0], x.width)
    if x.op == "neg":
        return x.args[0]
    if x.op == "add":           # linear: keeps x + (-x) cancellations visible to add()
        return add(*[neg(a) for a in x.args])
    if x.op == "mul" and x.args[0].op == "const":
        return mul(const(-x.args[0].params[0], x.width), x.args[1])
    return _mk("neg", x.width, (x,))


def sub(a: BV, b: BV) -> BV:
    _same("sub", (a, b))
    return add(a, neg(b))


def mul(a: BV, b: BV) -> BV:
    w = _same("mul", (a, b))
    if a.op == "const" and b.op == "const":
        return const(a.params[0] * b.params[0], w)
    if b.op == "const" or (a.op != "const" and b.id < a.id):
        a, b = b, a
    if a.op == "const":
        k = a.params[0]
        if k == 0:
            return a
        if k == 1:
            return b
        if k == mask(w):
            return neg(b)
        if b.op == "neg":
            return mul(const(-k, w), b.args[0])
        if b.op == "mul" and b.args[0].op == "const":
            return mul(const(k * b.args[0].params[0], w), b.args[1])
    return _mk("mul", w, (a, b))


def _div(op, fold):
    def build(a: BV, b: BV) -> BV:
        w = _same(op, (a, b))
        if a.op == "const" and b.op == "const":
            return const(fold(a.params[0], b.params[0], w), w)
        return _mk(op, w, (a, b))
    build.__name__ = op
    return build


def _udiv(a, b, w):
    return a // b if b else mask(w)


def _urem(a, b, w):
    return a % b if b else a


def _sdiv(a, b, w):
    sa, sb = to_signed(a, w), to_signed(b, w)
    if sb == 0:
        return 1 if sa < 0 else mask(w)
    q = abs(sa) // abs(sb)
    return -q if (sa < 0) != (sb < 0) else q


def _srem(a, b, w):
    sa, sb = to_signed(a, w), to_signed(b, w)
    if sb == 0:
        return a
    r = abs(sa) % abs(sb)
    return -r if sa < 0 else r


udiv = _div("udiv", _udiv)
urem = _div("urem", _urem)
sdiv = _div("sdiv", _sdiv)
srem = _div("srem", _srem)


# -- bitwise ----------------------------------------------------------------------------
def _andor(op, xs):
    w = _same(op, xs)
    m = mask(w)
    is_and = op == "and"
    c = m if is_and else 0
    seen = set()
    terms = []
    for x in _flatten(op, xs):
        if x.op == "const":
            c = c & x.params[0] if is_and else c | x.params[0]
        elif x not in seen:
            seen.add(x)
            terms.append(x)
    if c == (0 if is_and else m):
        return const(c, w)
    for t in terms:
        if t.op == "not" and t.args[0] in seen:
            return const(0 if is_and else m, w)
    return _ac(op, w, terms, c, m if is_and else 0)


_AND_LEAVES = frozenset(("const", "and", "not"))     # operands _andor must look into


def and_(*xs: BV) -> BV:
    if len(xs) == 2:                 # the common case (bit products): the same node _andor
        a, b = xs                    # builds, without its general pass
        if (type(a) is BV and type(b) is BV and a.width == b.width
                and a.op not in _AND_LEAVES and b.op not in _AND_LEAVES):
            if a is b:
                return a
            return _mk("and", a.width, (a, b) if a.id < b.id else (b, a))
    return _andor("and", xs)


def or_(*xs: BV) -> BV:
    return _andor("or", xs)


def xor(*xs: BV) -> BV:
    w = _same("xor", xs)
    c = 0
    parity = 0
    counts: dict = {}
    for x in _flatten("xor", xs):
        if x.op == "not":
            parity ^= 1
            x = x.args[0]
            if x.op == "xor":          # ~xor(...) met inside: flatten once more
                for y in x.args:
                    if y.op == "const":
                        c ^= y.params[0]
                    else:
                        counts[y] = counts.get(y, 0) ^ 1
                continue
        if x.op == "const":
            c ^= x.params[0]
        else:
            counts[x] = counts.get(x, 0) ^ 1
    terms = [t for t, n in counts.items() if n]
    if parity:
        c ^= mask(w)
    if c == mask(w) and terms:
        return not_(_ac("xor", w, terms, 0, 0))
    return _ac("xor", w, terms, c, 0)


def not_(x: BV) -> BV:
    if x.op == "const":
        return const(~x.params[0], x.width)
    if x.op == "not":
        return x.args[0]
    return _mk("not", x.width, (x,))


# -- structure --------------------------------------------------------------------------
def extract(x: BV, hi: int, lo: int) -> BV:
    """Bits hi..lo of x (inclusive, ASL's ``x<hi:lo>``)."""
    if not isinstance(x, BV):
        raise TypeError(f"extract: expected a term, got {x!r}")
    if not (0 <= lo <= hi < x.width):
        raise WidthError(f"extract <{hi}:{lo}> out of range for width {x.width}")
    if lo == 0 and hi == x.width - 1:
        return x
    # Memoised: pushing a slice through add/xor/concat revisits shared subterms,
    # which without a memo costs time exponential in the DAG depth (e.g. the
    # 64 rounds of SHA-256 over variables).  Terms are immutable, so it is exact.
    key = (x, hi, lo)
    r = _extract_memo.get(key)
    if r is None:
        r = _extract_memo[key] = _extract(x, hi, lo)
    return r


_extract_memo: dict = {}




def _extract(x: BV, hi: int, lo: int) -> BV:
    w = hi - lo + 1
    op = x.op
    if op == "const":
        return const(x.params[0] >> lo, w)
    if op == "extract":
        return extract(x.args[0], hi + x.params[1], lo + x.params[1])
    if op == "concat":
        parts = []
        pos = x.width
        for a in x.args:            # MSB first
            top, bot = pos - 1, pos - a.width
            pos = bot
            if bot > hi or top < lo:
                continue
            parts.append(extract(a, min(top, hi) - bot, max(bot, lo) - bot))
        return concat(*parts)
    if op in ("and", "or", "xor"):
        return _BUILD[op](*[extract(a, hi, lo) for a in x.args])
    if op == "not":
        return not_(extract(x.args[0], hi, lo))
    if op == "ite":
        c, a, b = x.args
        return ite(c, extract(a, hi, lo), extract(b, hi, lo))
    # Low slices of arithmetic are *not* pushed into add/mul/neg: doing so would
    # split one sum into a narrow copy beside the slices of the wide one, and two
    # computations of the same bytes would stop meeting.  (Semantics compute sums
    # at the width they need; see AddWithCarry.)
    if op == "sext":
        inner = x.args[0]
        if hi < inner.width:
            return extract(inner, hi, lo)
        if lo >= inner.width - 1:
            return sign_extend(extract(inner, inner.width - 1, inner.width - 1), w)
        return sign_extend(extract(inner, inner.width - 1, lo), w)
    return _mk("extract", w, (x,), (hi, lo))


def concat(*xs: BV) -> BV:
    """Concatenation, most significant part first (ASL's ``a:b``)."""
    parts: list = []
    for x in xs:
        if not isinstance(x, BV):
            raise TypeError(f"concat: expected a term, got {x!r}")
        for p in (x.args if x.op == "concat" else (x,)):
            if parts:
                q = parts[-1]
                if q.op == "const" and p.op == "const":
                    parts[-1] = const((q.params[0] << p.width) | p.params[0], q.width + p.width)
                    continue
                if (q.op == "extract" and p.op == "extract" and q.args[0] is p.args[0]
                        and q.params[1] == p.params[0] + 1):
                    parts[-1] = extract(q.args[0], q.params[0], p.params[1])
                    continue
            parts.append(p)
    if not parts:
        raise WidthError("concat of nothing")
    if len(parts) == 1:
        return parts[0]
    return _mk("concat", sum(p.width for p in parts), tuple(parts))


def zero_extend(x: BV, width: int) -> BV:
    if width < x.width:
        raise WidthError(f"zero_extend to {width} bits from {x.width}")
    return x if width == x.width else concat(const(0, width - x.width), x)


def sign_extend(x: BV, width: int) -> BV:
    if width < x.width:
        raise WidthError(f"sign_extend to {width} bits from {x.width}")
    if width == x.width:
        return x
    if x.op == "const":
        return const(to_signed(x.params[0], x.width), width)
    if x.op == "sext":
        return sign_extend(x.args[0], width)
    return _mk("sext", width, (x,))


def shl(x: BV, k: int) -> BV:
    w = x.width
    if k == 0:
        return x
    if k >= w:
        return const(0, w)
    return concat(extract(x, w - 1 - k, 0), const(0, k))


def lshr(x: BV, k: int) -> BV:
    w = x.width
    if k == 0:
        return x
    if k >= w:
        return const(0, w)
    return concat(const(0, k), extract(x, w - 1, k))


def ashr(x: BV, k: int) -> BV:
    w = x.width
    k = min(k, w - 1)
    if k == 0:
        return x
    return sign_extend(extract(x, w - 1, k), w)


def rotr(x: BV, k: int) -> BV:
    w = x.width
    k %= w
    if k == 0:
        return x
    return concat(extract(x, k - 1, 0), extract(x, w - 1, k))


def _shift_var(op, fold):
    def build(x: BV, amount: BV) -> BV:
        w = _same(op, (x, amount))
        if amount.op == "const":
            return fold(x, min(amount.params[0], w))
        return _mk(op, w, (x, amount))
    build.__name__ = op
    return build


shl_var = _shift_var("shlv", shl)
lshr_var = _shift_var("lshrv", lshr)
ashr_var = _shift_var("ashrv", ashr)


def ite(c: BV, a: BV, b: BV) -> BV:
    if not isinstance(c, BV) or c.width != 1:
        raise WidthError(f"ite condition must be a 1-bit term, got {c!r}")
    w = _same("ite", (a, b))
    if c.op == "const":
        return a if c.params[0] else b
    if a is b:
        return a
    if c.op == "not":
        c, a, b = c.args[0], b, a
    if w == 1 and a.op == "const" and b.op == "const":
        return c if a.params[0] else not_(c)
    return _mk("ite", w, (c, a, b))


# -- predicates (1-bit results) -------------------------------------------------------------
def eq(a: BV, b: BV) -> BV:
    _same("eq", (a, b))
    if a is b:
        return TRUE
    if a.op == "const" and b.op == "const":
        return FALSE
    if a.width == 1:
        return not_(xor(a, b))
    if a.op == "add" or b.op == "add":      # p + c1 == p + c2  ->  c1 == c2
        d = sub(a, b)
        if d.op == "const":
            return const(int(d.params[0] == 0), 1)
    if b.id < a.id:
        a, b = b, a
    return _mk("eq", 1, (a, b))


def ne(a: BV, b: BV) -> BV:
    return not_(eq(a, b))


def _compare(op, fold):
    def build(a: BV, b: BV) -> BV:
        w = _same(op, (a, b))
        if a.op == "const" and b.op == "const":
            return const(int(fold(a.params[0], b.params[0], w)), 1)
        if a is b:
            return const(int(fold(0, 0, w)), 1)
        return _mk(op, 1, (a, b))
    build.__name__ = op
    return build


ult = _compare("ult", lambda a, b, w: a < b)
ule = _compare("ule", lambda a, b, w: a <= b)
slt = _compare("slt", lambda a, b, w: to_signed(a, w) < to_signed(b, w))
sle = _compare("sle", lambda a, b, w: to_signed(a, w) <= to_signed(b, w))


def ugt(a, b):
    return ult(b, a)


def uge(a, b):
    return ule(b, a)


def sgt(a, b):
    return slt(b, a)


def sge(a, b):
    return sle(b, a)


# -- opaque-but-exact operators with their own evaluation and z3 lowering ---------------------
_tables: dict = {}           # id(a tuple table) -> (that tuple, width, its entries masked)


def _masked(table, width: int) -> tuple:
    """The table's entries masked to ``width`` bits, made once per tuple (the S-box is
    looked up at every AES byte the executor builds or rebuilds)."""
    hit = _tables.get(id(table)) if type(table) is tuple else None
    if hit is not None and hit[0] is table and hit[1] == width:
        return hit[2]
    masked = tuple(int(v) & mask(width) for v in table)
    if type(table) is tuple:                  # immutable: its id stays its own while kept
        _tables[id(table)] = (table, width, masked)
    return masked


def lookup(table: tuple, x: BV, width: int) -> BV:
    """``table[x]``: a constant table indexed by x (e.g. the AES S-box)."""
    table = _masked(table, width)
    if len(table) != 1 << x.width:
        raise WidthError(f"lookup: table of {len(table)} entries for a {x.width}-bit index")
    if x.op == "const":
        return const(table[x.params[0]], width)
    return _mk("lookup", width, (x,), (table,))


def clmul_int(a: int, b: int) -> int:
    """Carry-less product of two non-negative integers."""
    r = 0
    while b:
        low = b & -b
        r ^= a << (low.bit_length() - 1)
        b ^= low
    return r


def clmul(a: BV, b: BV) -> BV:
    """Carry-less (polynomial over GF(2)) product; result is twice as wide."""
    w = _same("clmul", (a, b))
    if a.op == "const" and b.op == "const":
        return const(clmul_int(a.params[0], b.params[0]), 2 * w)
    if b.id < a.id:
        a, b = b, a
    if a.op == "const" and a.params[0] == 0:
        return const(0, 2 * w)
    return _mk("clmul", 2 * w, (a, b))


def clz(x: BV) -> BV:
    """Count of leading zero bits, as a term of x's width."""
    if x.op == "const":
        return const(x.width - x.params[0].bit_length(), x.width)
    return _mk("clz", x.width, (x,))


_BUILD = {"add": add, "mul": mul, "and": and_, "or": or_, "xor": xor, "neg": neg}

from lnsym.terms.dag import fold_dag, map_dag, rebuild, substitute, variables  # noqa: E402,F401
