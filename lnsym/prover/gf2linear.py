"""GF(2)-affine normal form of bit-vector terms (a prover normalisation pass).

A *linear node* is one whose every output bit is an XOR (over GF(2)) of input
bits plus a constant: xor, not, concat, extract, sign extension, and/or with a
constant mask, and ``ite(c, K1, K2)`` with constant branches and a 1-bit
condition (bit i is K2_i xor (c and (K1_i xor K2_i)), i.e. K2_i, c or not c).
Everything else is a *leaf*, rebuilt over normalised arguments.

For a maximal tree of linear nodes over leaves, every output bit is a set of
leaf bits (leaf, j) plus a constant; that set is computed exactly (bitsets
over an index of leaf bits) and the tree is replaced by a canonical term built
from the sets alone:

    concat of maximal runs of output bits whose sets are the same leaves at the
    same relative offset, each run the XOR of slices ``leaf[hi+d : lo+d]``
    (the constant 0 for an empty set), then XOR the constant part.

Two linear trees computing the same GF(2)-affine function of the same leaves
get the same canonical term (the function fixes the sets, the sets fix the
term; leaves are themselves normalised first, so equal leaves are one object).

This closes AES MixColumns: the Arm ARM's AESMixColumns writes FFmul02 as a
shift and a concatenation of the top bit, FIPS 197 writes xtime as a shift
XOR ``ite(b7, {1b}, {00})``; both are the same linear map on the column's 32
bits, so the S-box lookups of the next round get identical arguments.
"""
from __future__ import annotations

from lnsym.terms.bv import BV, concat, const, extract, mask, rebuild, xor


class LinearNormaliser:
    """The pass, memoised across the obligations of one proof."""

    def __init__(self):
        # a leaf's bits take consecutive positions (>= 1) in a bitset: shifting a set
        # left by one moves each leaf bit to the leaf's next bit, unless one is its top
        self.first: dict = {}         # leaf -> the position of its bit 0
        self.keys: list = [None]      # position -> (leaf, bit); position 0 is the constant 1
        self.tops = 0                 # the set of every leaf's top bit
        self.forms: dict = {}         # term -> list of bitsets, bit 0 first (linear nodes)
        self.leaf: dict = {}          # term -> normalised term (leaves)
        self.canon: dict = {}         # term -> canonical term (linear nodes)

    # -- public --------------------------------------------------------------------------
    def __call__(self, t: BV) -> BV:
        self._walk(t)
        return self._term(t)

    # -- the linear form -----------------------------------------------------------------
    def _linear_args(self, t: BV):
        """The arguments whose forms define t, if t is a linear node, else None."""
        op = t.op
        if op in ("xor", "not", "concat", "extract", "sext"):
            return t.args
        if op in ("and", "or"):
            nonconst = [a for a in t.args if a.op != "const"]
            if len(nonconst) == 1 and len(t.args) == 2:
                return nonconst
            return None
        if op == "ite":
            c, a, b = t.args
            if a.op == "const" and b.op == "const":
                return (c,)
            return None
        return None

    def _walk(self, root: BV) -> None:
        stack = [root]
        while stack:
            t = stack[-1]
            if t in self.forms or t in self.leaf:
                stack.pop()
                continue
            if t.op == "const":
                self.forms[t] = [(t.params[0] >> i) & 1 for i in range(t.width)]
                stack.pop()
                continue
            lin = self._linear_args(t)
            deps = lin if lin is not None else t.args
            pending = [a for a in deps if a not in self.forms and a not in self.leaf]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            if lin is not None:
                self.forms[t] = self._form(t)
            else:
                args = [self._term(a) for a in t.args]
                new = t if all(a is b for a, b in zip(args, t.args)) else rebuild(t, args)
                self.leaf[t] = new

    def _first(self, leaf: BV) -> int:
        p = self.first.get(leaf)
        if p is None:
            p = self.first[leaf] = len(self.keys)
            self.keys += [(leaf, j) for j in range(leaf.width)]
            self.tops |= 1 << (p + leaf.width - 1)
        return p

    def _of(self, t: BV) -> list:
        f = self.forms.get(t)
        if f is not None:
            return f
        n = self.leaf[t]
        if n.op == "const":
            f = [(n.params[0] >> i) & 1 for i in range(n.width)]
        else:
            p = self._first(n)
            f = [1 << (p + i) for i in range(n.width)]
        self.forms[t] = f
        return f

    def _form(self, t: BV) -> list:
        op = t.op
        if op == "xor":
            out = list(self._of(t.args[0]))
            for a in t.args[1:]:
                for i, v in enumerate(self._of(a)):
                    out[i] ^= v
            return out
        if op == "not":
            return [v ^ 1 for v in self._of(t.args[0])]
        if op == "concat":
            out = []
            for a in reversed(t.args):           # MSB first -> bit 0 first
                out.extend(self._of(a))
            return out
        if op == "extract":
            hi, lo = t.params
            return self._of(t.args[0])[lo:hi + 1]
        if op == "sext":
            f = self._of(t.args[0])
            return f + [f[-1]] * (t.width - len(f))
        if op in ("and", "or"):
            k = next(a for a in t.args if a.op == "const").params[0]
            f = self._of(next(a for a in t.args if a.op != "const"))
            if op == "and":
                return [v if k >> i & 1 else 0 for i, v in enumerate(f)]
            return [1 if k >> i & 1 else v for i, v in enumerate(f)]
        if op == "ite":
            c, a, b = t.args
            cv = self._of(c)[0]
            ka, kb = a.params[0], b.params[0]
            out = []
            for i in range(t.width):
                ai, bi = ka >> i & 1, kb >> i & 1
                out.append(ai if ai == bi else (cv if ai else cv ^ 1))
            return out
        raise AssertionError(op)

    # -- the canonical term --------------------------------------------------------------
    def _term(self, t: BV) -> BV:
        n = self.leaf.get(t)
        if n is not None:
            return n
        c = self.canon.get(t)
        if c is None:
            c = self.canon[t] = self._build(self._of(t))
        return c

    def _signature(self, bits: int, i: int) -> tuple:
        """The leaf bits of a set as (leaf id, leaf, bit - i), sorted."""
        out = []
        bits &= ~1
        while bits:
            low = bits & -bits
            bits ^= low
            leaf, j = self.keys[low.bit_length() - 1]
            out.append((leaf.id, j - i, leaf))
        out.sort(key=lambda e: (e[0], e[1]))
        return tuple((e[2], e[1]) for e in out)

    def _build(self, form: list) -> BV:
        k = 0
        for i, v in enumerate(form):
            k |= (v & 1) << i
        sets = [v & ~1 for v in form]
        # bits i and i + 1 have the same signature (the same leaves at the same relative
        # offset) exactly when bit i + 1's set is bit i's shifted by one position and
        # bit i's holds no leaf's top bit (shifted, it would be the next leaf's bit 0)
        runs, lo, tops = [], 0, self.tops
        for i in range(1, len(sets)):
            if sets[i] != sets[i - 1] << 1 or sets[i - 1] & tops:
                runs.append((lo, i - 1))
                lo = i
        runs.append((lo, len(sets) - 1))
        parts = [(lo, hi, self._signature(sets[lo], lo)) for lo, hi in runs]
        segs = []
        for lo, hi, s in reversed(parts):         # MSB first
            if not s:
                segs.append(const(0, hi - lo + 1))
            else:
                segs.append(xor(*[extract(leaf, hi + d, lo + d) for leaf, d in s]))
        body = concat(*segs)
        if k:
            body = xor(body, const(k & mask(len(form)), len(form)))
        return body
