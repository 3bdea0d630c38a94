"""Proof: OpenSSL's scalar sha256_block_data_order / sha512_block_data_order compute
FIPS 180-4 SHA-256 (§6.2.2) / SHA-512 (§6.4.2) compression, for every block count.

Objects: libcrypto.a:libcrypto-lib-sha256-armv8.o and -sha512-armv8.o, listings:
listings/sha256_block_data_order.lst and sha512_block_data_order.lst.

The routine first loads ``OPENSSL_armcap_P`` and branches to the crypto-extension
(``sha*_block_armv8``) or NEON version when a capability bit is set; otherwise it
runs the integer code proved here.  That word is a symbolic value ``OPENSSL_armcap_P``
(public: the CPU's capabilities), and the proof states ``OPENSSL_armcap_P = 0`` as an
assumption that decides those branches; the trusted base lists it.

The integer code keeps the running state in x20..x27 (w20..w27), stores it to ``ctx``
after every block, and spills ``ctx``, the end pointer ``inp + block_bytes·num`` and
the input pointer to its stack frame; the message schedule lives in registers and 16
bytes of stack.  Its rounds loop ends on the zero word after the K table (concrete).
The statement (preconditions, postcondition, frame) is the one in
proofs/sha_block.py; the all-lengths invariant, ``ctx`` and the stack slots
included, is derived (lnsym/proof/loops.py).
"""
from __future__ import annotations

from lnsym.proof.routine import le_bytes
from lnsym.terms.bv import var
from proofs.listing import load_listing
from proofs.sha_block import ShaBlockProof
from proofs.specs import sha256, sha512

ARMCAP = "OPENSSL_armcap_P"


class ScalarShaBlock(ShaBlockProof):
    """The integer path of a ``sha*_block_data_order``: OPENSSL_armcap_P = 0."""
    public_inputs = (ARMCAP,)

    def title(self):
        # The row itself says which path: with any capability bit set the routine
        # branches to code this proof does not run (sha*_block_armv8, the NEON version).
        return super().title() + ", integer path only: OPENSSL_armcap_P = 0"

    def setup(self, image):
        setup = super().setup(image)
        cap = var(ARMCAP, 32)
        at = image.symbol(ARMCAP).addr
        setup.data = {at + i: le_bytes(cap, i) for i in range(4)}
        setup.assumptions = {cap: 0}
        return setup


class Sha256BlockDataOrder(ScalarShaBlock):
    name = "sha256_block_data_order"
    member = "libcrypto-lib-sha256-armv8.o"
    symbol = "sha256_block_data_order"
    listing = load_listing("sha256_block_data_order")
    spec = "FIPS 180-4 §6.2.2 SHA-256 compression (proofs/specs/sha256.py)"
    spec_module = sha256
    word_bits = 32
    state_words = 8
    block_bytes = 64


class Sha512BlockDataOrder(ScalarShaBlock):
    name = "sha512_block_data_order"
    member = "libcrypto-lib-sha512-armv8.o"
    symbol = "sha512_block_data_order"
    listing = load_listing("sha512_block_data_order")
    spec = "FIPS 180-4 §6.4.2 SHA-512 compression (proofs/specs/sha512.py)"
    spec_module = sha512
    word_bits = 64
    state_words = 8
    block_bytes = 128
