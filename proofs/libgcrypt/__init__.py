"""Proofs of libgcrypt 1.10's AArch64 routines (Debian's libgcrypt20-dev:arm64,
``libgcrypt.a`` as shipped, no re-linking), each stated with a contract from
``proofs.contracts``."""
from pathlib import Path

from proofs.listing import read_listing

LISTINGS = Path(__file__).parent / "listings"


def listing_of(symbol: str) -> tuple:
    """The recorded listing of ``symbol`` (listings/SYMBOL.lst)."""
    return read_listing(LISTINGS / f"{symbol}.lst")
