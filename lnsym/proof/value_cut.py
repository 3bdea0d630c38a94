"""A value cut: a register replaced by a fresh variable mid-run, the rest proved for every value.

Where a routine computes one value in several ways (the AES-GCM kernels mask the
last block by the partial byte count pb: 15 ways) and then runs code that is uniform
in it (the hash of the masked block), a statement split by those ways (pb = 1..15)
would prove the uniform code's outputs once per way.  A cut proves them once:

1. run to the cut address; the register holds the term T (over pb);
2. replace it by a fresh variable V and run on to the return: each output is f(V);
3. an output the proof *keeps* is stated over V (its spec s(V), built from V's bytes
   where the statement has the value's expected bytes E) and proved for every V; a
   *bridge* obligation per byte says T = E (over pb: split like any other); every
   other output's implementation term is f(T), V substituted back (``restore``),
   which is the uncut run's term.

Instantiating V = T in 3 (execution is a function of the state, and f(V) was
computed for every V) gives f(T) = s(T) = s(E), the stated spec, for each kept
output.  V must be a new name: a proof whose state already uses it is refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lnsym.errors import UserError
from lnsym.prover import Obligation
from lnsym.terms.bv import BV, extract, var
from lnsym.terms.dag import substitute, variables


@dataclass
class ValueCut:
    offset: int               # the cut's address, from the routine's symbol
    location: str             # the register holding the value there
    name: str                 # the fresh variable's name
    width: int = 128
    kept: tuple = ()          # output names (suffixes) stated over the fresh variable
    # the statement's bytes E for the value, least significant first: set by the proof
    # where it builds the kept outputs' specs from ``bytes()`` in their place
    expected: list | None = None
    cut_term: dict = field(default_factory=dict)    # {V: T} once run

    @property
    def fresh(self) -> BV:
        return var(self.name, self.width)

    def bytes(self) -> list:
        """V's bytes, least significant first (a vector register's memory order)."""
        return [extract(self.fresh, 8 * j + 7, 8 * j) for j in range(self.width // 8)]

    def run(self, st, symbol_addr: int, max_steps: int, stop) -> BV:
        """Run ``st`` to the cut (``stop`` is where the run ends otherwise) and
        generalise the register there; returns T."""
        pc = symbol_addr + self.offset
        st.run(stop, st.steps + max_steps, stop_at=pc)
        if st.pc != pc:
            raise UserError(f"the run does not reach the value cut at {pc:#x}")
        term = st.regs[self.location]
        if self._used(st):
            raise UserError(f"the value cut's variable {self.name!r} is not a new name")
        st.regs[self.location] = self.fresh
        self.cut_term = {self.fresh: term}
        return term

    def _used(self, st) -> bool:
        """Whether the state's registers, written memory, region anchors or regions'
        default initial bytes (``NAME[off]``) already use the fresh name."""
        regions = st.mem.regions
        terms = [*st.regs.values(), *(r.anchor for r in regions),
                 *(b for r in regions for b in r.bytes.values())]
        return (self.name in {v.params[0] for v in variables(*terms)}
                or any(r.init is None and self.name.startswith(f"{r.name}[") for r in regions))

    def bridges(self, phase: str) -> list:
        """T's bytes equal the statement's expected bytes E (one obligation each)."""
        if self.expected is None or len(self.expected) != self.width // 8:
            raise UserError(f"the value cut at +{self.offset:#x} has no expected bytes")
        term = self.cut_term[self.fresh]
        return [Obligation(f"{phase}cut at +{self.offset:#x}: {self.location} byte {j} = the "
                           f"statement's", extract(term, 8 * j + 7, 8 * j), e)
                for j, e in enumerate(self.expected)]

    def is_kept(self, name: str) -> bool:
        return any(name.endswith(k) for k in self.kept)

    def restore(self, obs: list, only=lambda name: True) -> list:
        """Every obligation (whose name ``only`` selects) but the kept ones with V
        substituted back by T."""
        if not self.cut_term:
            return obs
        memo: dict = {}                 # one walk over the shared terms
        return [o if self.is_kept(o.name) or not only(o.name) else
                Obligation(o.name, substitute(o.impl, self.cut_term, memo), o.spec)
                for o in obs]

    def trusted(self) -> str:
        return (f"value cut at +{self.offset:#x} (checked above): {self.location} replaced by "
                f"a fresh {self.name}, the outputs {', '.join(self.kept)} proved for every "
                f"{self.name} over a spec built from its bytes, and its bytes there equal to "
                f"the statement's; the other outputs with {self.location}'s term substituted "
                f"back (execution is a function of the state)")


__all__ = ["ValueCut"]
