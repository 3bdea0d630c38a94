"""libgcrypt's single-block AES and CTR mode (ARMv8 Crypto Extensions).

``unsigned int _gcry_aes_enc_armv8_ce(const void *keysched, byte *dst,
const byte *src, unsigned int nrounds)`` and ``_gcry_aes_dec_armv8_ce`` (same
arguments): the schedule is 16-byte round keys in FIPS 197 byte order (the
decryption schedule: the modified schedule dw with its rounds reversed, as
``_gcry_aes_armv8_ce_prepare_decryption`` stores it); ``nrounds`` is a 32-bit
argument (w3); the routines return 0.  ``void _gcry_aes_ctr_enc_armv8_ce(keysched,
outbuf, inbuf, iv, nblocks, nrounds)`` increments the whole 16-byte counter as
a big-endian number and writes it back.  Proved for 1 to 8 blocks.  Below 4
blocks the code takes one block at a time (64-bit halves, ``adds; adc``); from 4
it takes 4 at a time and branches on whether the counter's low byte overflows
within the next 4 increments (a fast path adding to vector lanes, a slow one
with the scalar carry): ``PathSplit`` proves both paths, each under its branch
condition, and the spec's 128-bit sums are first shown equal (z3, under the
condition) to the code's own counter terms (lnsym/proof/paths.py).
"""
from __future__ import annotations

from lnsym.proof.path_split import PathSplit
from proofs.contracts import BlockCipherBlocks, CtrBlocks
from proofs.libgcrypt import listing_of

MEMBER = "rijndael-armv8-aarch64-ce.o"
SPEC = "FIPS 197 §5.1 Cipher / §5.3.5 EqInvCipher (proofs/specs/aes.py)"


class GcryAesEnc(BlockCipherBlocks):
    name = symbol = "_gcry_aes_enc_armv8_ce"
    listing = listing_of("_gcry_aes_enc_armv8_ce")
    library, member, spec = "libgcrypt", MEMBER, SPEC
    returns = 0


class GcryAesDec(GcryAesEnc):
    name = symbol = "_gcry_aes_dec_armv8_ce"
    listing = listing_of("_gcry_aes_dec_armv8_ce")
    direction = "decrypt"


class GcryAesCtr(PathSplit, CtrBlocks):
    name = symbol = "_gcry_aes_ctr_enc_armv8_ce"
    listing = listing_of("_gcry_aes_ctr_enc_armv8_ce")
    library, member, spec = "libgcrypt", MEMBER, SPEC + " in CTR mode (SP 800-38A §6.5)"
    variants = tuple({"bits": b, "blocks": n} for b in (128, 192, 256) for n in (1, 2, 3, 4, 8))
