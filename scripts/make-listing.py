"""Write proofs/listings/SYMBOL.lst from the OpenSSL object: make-listing.py MEMBER SYMBOL."""
import sys

from lnsym.elf import load_image
from lnsym.targets import member_spec
from proofs.listing import HERE, write_listing

member, symbol = sys.argv[1], sys.argv[2]
image = load_image(member_spec(member))
n = write_listing(image, symbol, HERE / f"{symbol}.lst", f"Debian libssl-dev:arm64 libcrypto.a:{member}")
print(f"{symbol}: {n} instructions")
