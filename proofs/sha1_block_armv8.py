"""Proof: OpenSSL's sha1_block_armv8 computes FIPS 180-4 SHA-1 compression (§6.1.2).

Object: libcrypto.a:libcrypto-lib-sha1-armv8.o, listing: listings/sha1_block_armv8.lst.
ctx holds 5 words of 32 bits; blocks are 64 bytes.  The statement (preconditions,
postcondition, frame) is the one in proofs/sha_block.py.
"""
from __future__ import annotations

from proofs.listing import load_listing
from proofs.sha_block import ShaBlockProof
from proofs.specs import sha1


class Sha1BlockArmv8(ShaBlockProof):
    name = "sha1_block_armv8"
    member = "libcrypto-lib-sha1-armv8.o"
    symbol = "sha1_block_armv8"
    listing = load_listing("sha1_block_armv8")
    spec = "FIPS 180-4 §6.1.2 SHA-1 compression (proofs/specs/sha1.py)"
    spec_module = sha1
    word_bits = 32
    state_words = 5
    block_bytes = 64
