"""GCM mode, from NIST SP 800-38D (2007): inc32, GCTR, GHASH over AAD and
ciphertext, and the authenticated encryption and decryption functions.

Blocks are 128-bit terms with the standard's bit 0 most significant, as in
``proofs.specs.ghash`` (which holds the field multiplication and Algorithm 2).
Byte strings are lists of 8-bit terms, first byte first.  Every function works
on symbolic terms; ``gcm_ae_bytes`` / ``gcm_ad_bytes`` are the concrete
wrappers the tests compare with ``cryptography``.

Only 96-bit IVs are specified here (§7.1 step 2, the first case: J0 = IV ||
0^31 || 1) and only 128-bit tags (t = 128).  Partial blocks follow §6.5 step 6
(GCTR: the last key-stream block is truncated, MSB_len) and §7.1 step 4-5
(GHASH: A and C are each padded with zeros to a whole number of blocks).
"""
from __future__ import annotations

from lnsym.terms.bv import BV, concat, const, eq

from .aes import cipher, key_expansion
from .bytes import be_words, const_bytes, to_bytes
from .ghash import block_from_bytes, block_to_bytes, ghash, inc32

__all__ = ["inc32", "counter_blocks", "gctr", "pad_blocks", "length_block",
           "ghash_ciphertext", "ghash_input", "hash_subkey", "pre_counter_block",
           "gcm_ae", "gcm_ad", "gcm_ae_bytes", "gcm_ad_bytes"]

ZERO_BLOCK = const(0, 128)


def _bytes(xs, what: str) -> list[BV]:
    xs = list(xs)
    for x in xs:
        if not isinstance(x, BV) or x.width != 8:
            raise ValueError(f"{what}: expected a list of 8-bit terms")
    return xs


def counter_blocks(ICB: BV, n: int) -> list[BV]:
    """§6.5 steps 3-4: CB_1 = ICB, CB_i = inc32(CB_{i-1}); the first n counter blocks."""
    out = [ICB]
    while len(out) < n:
        out.append(inc32(out[-1]))
    return out[:n]


def gctr(w: list[BV], ICB: BV, X: list[BV]) -> list[BV]:
    """§6.5 Algorithm 3, GCTR_K(ICB, X) for the key schedule w of K (FIPS 197 §5.2).

    Y_i = X_i ⊕ CIPH_K(CB_i); a final partial block X_n* is XORed with the most
    significant len(X_n*) bits of CIPH_K(CB_n) (step 6).  Returns the bytes of Y."""
    X = _bytes(X, "gctr")
    n = -(-len(X) // 16)
    out: list[BV] = []
    for i, CB in enumerate(counter_blocks(ICB, n)):
        stream = cipher(block_to_bytes(CB), w)
        out += [x ^ s for x, s in zip(X[16 * i:16 * i + 16], stream)]
    return out


def pad_blocks(data: list[BV]) -> list[BV]:
    """The blocks of ``data`` || 0^v, v the fewest zero bits making whole blocks (§7.1 step 5)."""
    data = _bytes(data, "pad_blocks")
    data = data + [const(0, 8)] * (-len(data) % 16)
    return [block_from_bytes(data[i:i + 16]) for i in range(0, len(data), 16)]


def length_block(aad_bytes: int, text_bytes: int) -> BV:
    """§7.1 step 5: [len(A)]_64 || [len(C)]_64, lengths in bits."""
    return const((8 * aad_bytes) << 64 | (8 * text_bytes), 128)


def ghash_ciphertext(H: BV, C: list[BV], X0: BV | None = None) -> BV:
    """GHASH_H over the ciphertext blocks, the last one zero-padded, continuing from
    X0 (a running hash, e.g. over the AAD): the part of §7.1 step 5's GHASH input
    that the text contributes, without the length block."""
    return ghash(H, pad_blocks(C), X0)


def ghash_input(H: BV, A: list[BV], C: list[BV]) -> BV:
    """§7.1 step 5: S = GHASH_H(A || 0^v || C || 0^u || [len(A)]_64 || [len(C)]_64)."""
    blocks = pad_blocks(A) + pad_blocks(C) + [length_block(len(A), len(C))]
    return ghash(H, blocks)


def hash_subkey(w: list[BV]) -> BV:
    """§7.1 step 1: H = CIPH_K(0^128)."""
    return block_from_bytes(cipher(block_to_bytes(ZERO_BLOCK), w))


def pre_counter_block(IV: list[BV]) -> BV:
    """§7.1 step 2 for len(IV) = 96: J0 = IV || 0^31 || 1."""
    IV = _bytes(IV, "pre_counter_block")
    if len(IV) != 12:
        raise ValueError("pre_counter_block: only 96-bit IVs are specified here")
    return concat(*IV, const(1, 32))


def gcm_ae(w: list[BV], IV: list[BV], P: list[BV], A: list[BV] = ()) -> tuple[list[BV], BV]:
    """§7.1 Algorithm 4, GCM-AE_K(IV, P, A) with t = 128: (C, T), T a 128-bit block."""
    H = hash_subkey(w)                                  # step 1
    J0 = pre_counter_block(IV)                          # step 2
    C = gctr(w, inc32(J0), P)                           # step 3
    S = ghash_input(H, list(A), C)                      # steps 4-5
    T = gctr(w, J0, block_to_bytes(S))                  # step 6, MSB_128
    return C, block_from_bytes(T)


def gcm_ad(w: list[BV], IV: list[BV], C: list[BV], A: list[BV], T: BV) -> tuple[list[BV], BV]:
    """§7.2 Algorithm 5, GCM-AD_K(IV, C, A, T) with t = 128: (P, ok), ``ok`` the 1-bit
    term T = T' (step 8); the caller returns FAIL when ok is 0."""
    H = hash_subkey(w)                                  # step 3
    J0 = pre_counter_block(IV)                          # step 4
    P = gctr(w, inc32(J0), C)                           # step 5
    S = ghash_input(H, list(A), list(C))                # steps 6-7
    T_prime = block_from_bytes(gctr(w, J0, block_to_bytes(S)))   # step 8
    return P, eq(T_prime, T)


# -- concrete wrappers for tests ---------------------------------------------------------------
def _schedule(key: bytes) -> list[BV]:
    if len(key) not in (16, 24, 32):
        raise ValueError("an AES key is 16, 24 or 32 bytes")
    return key_expansion(be_words(const_bytes(key), 4), len(key) // 4)


def gcm_ae_bytes(key: bytes, iv: bytes, plaintext: bytes, aad: bytes = b"") -> tuple[bytes, bytes]:
    """GCM-AE on Python bytes: (ciphertext, 16-byte tag)."""
    C, T = gcm_ae(_schedule(key), const_bytes(iv), const_bytes(plaintext), const_bytes(aad))
    return to_bytes(C), to_bytes(block_to_bytes(T))


def gcm_ad_bytes(key: bytes, iv: bytes, ciphertext: bytes, aad: bytes, tag: bytes) -> bytes | None:
    """GCM-AD on Python bytes: the plaintext, or None for FAIL."""
    if len(tag) != 16:
        raise ValueError("only 128-bit tags are specified here")
    P, ok = gcm_ad(_schedule(key), const_bytes(iv), const_bytes(ciphertext),
                   const_bytes(aad), block_from_bytes(const_bytes(tag)))
    return to_bytes(P) if int(ok) else None

