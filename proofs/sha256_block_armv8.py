"""Proof: OpenSSL's sha256_block_armv8 computes FIPS 180-4 SHA-256 compression (§6.2.2).

Object: libcrypto.a:libcrypto-lib-sha256-armv8.o, listing: listings/sha256_block_armv8.lst.
ctx holds 8 words of 32 bits; blocks are 64 bytes.  The statement (preconditions,
postcondition, frame) is the one in proofs/sha_block.py.
"""
from __future__ import annotations

from proofs.listing import load_listing
from proofs.sha_block import ShaBlockProof
from proofs.specs import sha256


class Sha256BlockArmv8(ShaBlockProof):
    name = "sha256_block_armv8"
    member = "libcrypto-lib-sha256-armv8.o"
    symbol = "sha256_block_armv8"
    listing = load_listing("sha256_block_armv8")
    spec = "FIPS 180-4 §6.2.2 SHA-256 compression (proofs/specs/sha256.py)"
    spec_module = sha256
    word_bits = 32
    state_words = 8
    block_bytes = 64
