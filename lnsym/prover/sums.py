"""Normal forms for modular sums seen through slices (ARX code: ChaCha20).

Code that adds 32-bit words in 64-bit registers, or packs two words into one
register with an addition, builds terms the word-level spec never has:
``(x + y)<31:0>`` of a 64-bit sum, and ``A:0^32 + 0^32:B`` for ``A:B``.  Two
sound rewrites, applied to both sides of an obligation, make them meet:

* **truncated sums.**  Bits h..0 of a sum, a negation or a product modulo 2^n
  depend only on bits h..0 of the operands (arithmetic modulo 2^(h+1)).  So
  every ``extract(s, h, l)`` of an arithmetic term ``s`` wider than h+1 bits is
  rewritten as ``extract(s', h, l)``, ``s'`` the same arithmetic over the
  operands' low h+1 bits.  Every slice of a sum is then a slice of the
  narrowest sum that determines it, whichever width the code computed it in:
  the form is canonical, not a choice between a narrow sum and a slice of a
  wide one (the divergence the README's prover notes describe for pushing
  only *low* slices into sums).
* **carry-free sums.**  A sum whose summands can be non-zero on pairwise
  disjoint bits never carries: it is their XOR (then ``slice_bitwise`` turns
  ``A:0 ^ 0:B`` into ``A:B``).  "Can be non-zero" is read off constants,
  concatenations, slices and masks; anything else may be non-zero anywhere.

The pass alternates with the bitwise normaliser (``Normaliser``) until nothing
changes, since each can expose work for the other.
"""
from __future__ import annotations

from lnsym.terms.bv import BV, add, const, extract, map_dag, mul, neg, xor
from lnsym.terms.node import mask

ARITH = ("add", "neg", "mul")
MAX_ROUNDS = 4
WIDTHS = (32, 64)         # the register widths a slice's sum is narrowed to


class SumNormaliser:
    """Truncated and carry-free sums, memoised across the obligations of one proof."""

    def __init__(self, bitwise):
        self.bitwise = bitwise          # the bitwise normaliser (slicing + ANF)
        self.memo: dict = {}
        self.nz_memo: dict = {}
        self.low_memo: dict = {}

    def __call__(self, t: BV) -> BV:
        for _ in range(MAX_ROUNDS):
            u = self.bitwise(map_dag(t, self.memo, self._post))
            if u is t:
                break
            t = u
        return t

    # -- the rewrites ----------------------------------------------------------------
    def _post(self, old: BV, new: BV) -> BV:
        if new.op == "extract":
            x = new.args[0]
            hi, lo = new.params
            width = next((w for w in WIDTHS if hi < w < x.width), None)
            if x.op in ARITH and width is not None:
                narrow = self._low(x, width - 1)
                return map_dag(extract(narrow, hi, lo), self.memo, self._post)
        elif new.op == "add" and self._carry_free(new.args):
            return map_dag(xor(*new.args), self.memo, self._post)
        return new

    def _low(self, x: BV, hi: int) -> BV:
        """The arithmetic term ``x`` computed modulo 2^(hi+1): a term of hi+1 bits."""
        key = (x, hi)
        r = self.low_memo.get(key)
        if r is not None:
            return r
        if x.op == "const":
            r = const(x.params[0] & mask(hi + 1), hi + 1)
        elif x.op == "add":
            r = add(*[self._low(a, hi) for a in x.args])
        elif x.op == "neg":
            r = neg(self._low(x.args[0], hi))
        elif x.op == "mul":
            r = mul(self._low(x.args[0], hi), self._low(x.args[1], hi))
        else:
            r = extract(x, hi, 0)
        self.low_memo[key] = r
        return r

    def _carry_free(self, args) -> bool:
        if any(a.op in ("neg", "mul") for a in args):
            return False
        seen = 0
        for a in args:
            m = self._maybe_nonzero(a)
            if m & seen:
                return False
            seen |= m
        return True

    def _maybe_nonzero(self, t: BV) -> int:
        """A mask of the bits of ``t`` that can be 1 (a superset)."""
        r = self.nz_memo.get(t)
        if r is not None:
            return r
        if t.op == "const":
            r = t.params[0]
        elif t.op == "concat":
            r = 0
            for part in t.args:
                r = (r << part.width) | self._maybe_nonzero(part)
        elif t.op == "extract":
            hi, lo = t.params
            r = (self._maybe_nonzero(t.args[0]) >> lo) & mask(hi - lo + 1)
        elif t.op == "and":
            r = mask(t.width)
            for a in t.args:
                r &= self._maybe_nonzero(a)
        elif t.op in ("or", "xor"):
            r = 0
            for a in t.args:
                r |= self._maybe_nonzero(a)
        else:
            r = mask(t.width)
        self.nz_memo[t] = r
        return r
