"""The base of every contract: what to load, the return value, the listing note."""
from __future__ import annotations

from lnsym.proof.routine import Output, RoutineProof
from lnsym.terms.bv import BV, concat, const, extract, var

NO_LISTING = ("listing: none recorded, so the code was not checked against a listing "
              "(the proof is about whatever the object holds; lnsym prove --record-listing)")


def contract_below(proof, contract: type, mixins: tuple) -> type:
    """The first class of ``proof``'s MRO that is a ``contract`` and none of ``mixins``:
    the contract an every-count mixin was put before (the class of its bounded cases)."""
    return next(c for c in type(proof).__mro__
                if issubclass(c, contract) and not issubclass(c, mixins))


def narrow(value, bits: int = 32, name: str = "arg") -> BV:
    """A 64-bit register holding ``value`` in its low ``bits`` bits; the upper bits are
    a fresh variable ``{name}_hi`` (AAPCS64 leaves them unspecified for ``w`` args)."""
    low = value if isinstance(value, BV) else const(value, bits)
    if bits == 64:
        return low
    return concat(var(f"{name}_hi", 64 - bits), low)


def stored_word(word: BV, order: str) -> BV:
    """The term whose little-endian read is ``word`` stored in byte order ``order``
    ('little': a native word on AArch64; 'big': most significant byte first)."""
    if order == "little":
        return word
    if order != "big":
        raise ValueError(f"byte order {order!r} is neither 'little' nor 'big'")
    return concat(*[extract(word, 8 * i + 7, 8 * i) for i in range(word.width // 8)])


def word_bytes(word: BV, order: str) -> list:
    """The bytes of ``word`` in memory order."""
    le = stored_word(word, order)
    return [extract(le, 8 * i + 7, 8 * i) for i in range(word.width // 8)]


class Contract(RoutineProof):
    """A ``RoutineProof`` naming its object directly.

    ``object``: a path, ``ARCHIVE.a:MEMBER.o`` or a tuple of them (linked into one
    image); or ``library`` (``"openssl"``, ``"libgcrypt"``) with ``member``.
    ``returns``: the value x0 must hold at the return, or None for no statement.
    ``variants``: the parameter sets ``lnsym prove FILE.py`` runs (default one, {})."""
    object = None
    library = None
    returns = None
    variants: tuple = ({},)

    def title(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.name or self.symbol} ({params})" if params else (self.name or self.symbol)

    def return_outputs(self) -> list:
        if self.returns is None:
            return []
        return [Output("return value x0", ("reg", "x0", 63, 0), const(self.returns, 64))]

    def trusted_base(self, results, setup=None) -> list:
        base = super().trusted_base(results, setup)
        return base + [NO_LISTING] if not self.listing else base
