"""libgcrypt's SHA-1 and SHA-256 block functions (ARMv8 Crypto Extensions).

``unsigned int _gcry_sha256_transform_armv8_ce(u32 state[8], const void *input,
size_t num_blks)`` and ``_gcry_sha1_transform_armv8_ce(void *state, ...)`` (5
words): the state is a native (little-endian) u32 array, blocks are FIPS 180-4
big-endian words, the K table is the object's own (read through the GOT), and
the routine returns 0 (the stack burn depth).
"""
from __future__ import annotations

from proofs.contracts import HashBlocks
from proofs.libgcrypt import listing_of
from proofs.specs import sha1, sha256


class GcrySha256(HashBlocks):
    name = "_gcry_sha256_transform_armv8_ce"
    library, member = "libgcrypt", "sha256-armv8-aarch64-ce.o"
    symbol = "_gcry_sha256_transform_armv8_ce"
    listing = listing_of("_gcry_sha256_transform_armv8_ce")
    spec = "FIPS 180-4 §6.2.2 SHA-256 compression (proofs/specs/sha256.py)"
    compress = sha256.compress
    returns = 0
    variants = ({"all_lengths": True},)


class GcrySha1(HashBlocks):
    name = "_gcry_sha1_transform_armv8_ce"
    library, member = "libgcrypt", "sha1-armv8-aarch64-ce.o"
    symbol = "_gcry_sha1_transform_armv8_ce"
    listing = listing_of("_gcry_sha1_transform_armv8_ce")
    spec = "FIPS 180-4 §6.1.2 SHA-1 compression (proofs/specs/sha1.py)"
    compress = sha1.compress
    state_words = 5
    returns = 0
    variants = ({"all_lengths": True},)
