"""Write proofs/listings/SYMBOL.lst from the OpenSSL object.

    make-listing.py MEMBER SYMBOL [PROOF ...]

With proof names (from proofs/registry.py), each proof is run symbolically and
the constant data it reads from read-only sections is listed after the code.
"""
import sys

from lnsym.elf.image import load_image
from lnsym.elf.targets import member_spec
from proofs import registry
from proofs.listing import HERE, data_reads, write_listing

member, symbol, *proof_names = sys.argv[1:]
image = load_image(member_spec(member))
data: set = set()
for name in proof_names:
    data |= data_reads(registry.make(name), image)
notes = (f"data: constant words read by {', '.join(proof_names)}",) if proof_names else ()
n = write_listing(image, symbol, HERE / f"{symbol}.lst",
                  f"Debian libssl-dev:arm64 libcrypto.a:{member}", data, notes)
print(f"{symbol}: {n} instructions, {len(data)} constant bytes read")
