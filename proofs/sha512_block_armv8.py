"""Proof: OpenSSL's sha512_block_armv8 computes FIPS 180-4 SHA-512 compression (§6.4.2).

Object: libcrypto.a:libcrypto-lib-sha512-armv8.o, listing: listings/sha512_block_armv8.lst.
ctx holds 8 words of 64 bits; blocks are 128 bytes.  The statement (preconditions,
postcondition, frame) is the one in proofs/sha_block.py.
"""
from __future__ import annotations

from proofs.listing import load_listing
from proofs.sha_block import ShaBlockProof
from proofs.specs import sha512


class Sha512BlockArmv8(ShaBlockProof):
    name = "sha512_block_armv8"
    member = "libcrypto-lib-sha512-armv8.o"
    symbol = "sha512_block_armv8"
    listing = load_listing("sha512_block_armv8")
    spec = "FIPS 180-4 §6.4.2 SHA-512 compression (proofs/specs/sha512.py)"
    spec_module = sha512
    word_bits = 64
    state_words = 8
    block_bytes = 128
