"""ChaCha20, from RFC 8439 (ChaCha20 and Poly1305 for IETF Protocols, 2018).

Words are 32-bit terms; ``+`` is addition modulo 2^32, ``^`` XOR and
``<<<`` (§2.1) is ``lnsym.machine.asl.ROL``.  The key, the block counter and the
nonce are little-endian words (§2.3): ``key_words_from_bytes`` and
``nonce_words_from_bytes`` read them from bytes, and ``serialize`` writes the
block back as 64 bytes (§2.3, "serialized by sequencing the words one by
one in little-endian order").
"""
from __future__ import annotations

from lnsym.machine.asl import ROL
from lnsym.terms.bv import BV, const

from .bytes import const_bytes, le_words, le_words_to_bytes, to_bytes

__all__ = ["CONSTANTS", "quarter_round", "QUARTERROUND", "inner_block", "initial_state",
           "rounds", "chacha20_block", "serialize", "key_words_from_bytes",
           "nonce_words_from_bytes", "block_bytes", "key_stream_block", "encrypt_terms",
           "encrypt"]

# §2.3: the first four words, "expand 32-byte k" read little-endian.
CONSTANTS = (0x61707865, 0x3320646E, 0x79622D32, 0x6B206574)


def quarter_round(a: BV, b: BV, c: BV, d: BV) -> tuple[BV, BV, BV, BV]:
    """§2.1: the ChaCha quarter round on four words."""
    a = a + b; d = d ^ a; d = ROL(d, 16)      # noqa: E702 -- the RFC's layout
    c = c + d; b = b ^ c; b = ROL(b, 12)      # noqa: E702
    a = a + b; d = d ^ a; d = ROL(d, 8)       # noqa: E702
    c = c + d; b = b ^ c; b = ROL(b, 7)       # noqa: E702
    return a, b, c, d


def QUARTERROUND(state: list[BV], x: int, y: int, z: int, w: int) -> list[BV]:
    """§2.2: the quarter round on the words at indices x, y, z, w of the state."""
    s = list(state)
    s[x], s[y], s[z], s[w] = quarter_round(s[x], s[y], s[z], s[w])
    return s


def inner_block(state: list[BV]) -> list[BV]:
    """§2.3.1: one double round: four column rounds, then four diagonal rounds."""
    s = state
    s = QUARTERROUND(s, 0, 4, 8, 12)
    s = QUARTERROUND(s, 1, 5, 9, 13)
    s = QUARTERROUND(s, 2, 6, 10, 14)
    s = QUARTERROUND(s, 3, 7, 11, 15)
    s = QUARTERROUND(s, 0, 5, 10, 15)
    s = QUARTERROUND(s, 1, 6, 11, 12)
    s = QUARTERROUND(s, 2, 7, 8, 13)
    s = QUARTERROUND(s, 3, 4, 9, 14)
    return s


def _word(x, what) -> BV:
    if isinstance(x, int):
        return const(x, 32)
    if not isinstance(x, BV) or x.width != 32:
        raise ValueError(f"{what}: expected a 32-bit term or an int")
    return x


def initial_state(key_words: list, counter, nonce_words: list) -> list[BV]:
    """§2.3: constants (4 words), key (8), block counter (1), nonce (3)."""
    if len(key_words) != 8 or len(nonce_words) != 3:
        raise ValueError("chacha20: 8 key words and 3 nonce words")
    return ([const(c, 32) for c in CONSTANTS] + [_word(k, "key") for k in key_words]
            + [_word(counter, "counter")] + [_word(n, "nonce") for n in nonce_words])


def rounds(state: list[BV]) -> list[list[BV]]:
    """The working state before and after each of the 10 double rounds (11 lists)."""
    out = [list(state)]
    for _ in range(10):
        out.append(inner_block(out[-1]))
    return out


def chacha20_block(key_words: list, counter, nonce_words: list) -> list[BV]:
    """§2.3.1 chacha20_block: 20 rounds (10 inner_block), then state += working_state.

    Returns the 16 words before serialisation."""
    state = initial_state(key_words, counter, nonce_words)
    working_state = rounds(state)[-1]
    return [s + ws for s, ws in zip(state, working_state)]


def serialize(words: list[BV]) -> list[BV]:
    """§2.3: the 64-byte block, words in order, each little-endian."""
    return le_words_to_bytes(words)


def key_words_from_bytes(key: bytes) -> list[BV]:
    if len(key) != 32:
        raise ValueError("a ChaCha20 key is 32 bytes")
    return le_words(const_bytes(key), 4)


def nonce_words_from_bytes(nonce: bytes) -> list[BV]:
    if len(nonce) != 12:
        raise ValueError("a ChaCha20 nonce is 12 bytes (RFC 8439)")
    return le_words(const_bytes(nonce), 4)


def block_bytes(key: bytes, counter: int, nonce: bytes) -> bytes:
    """The serialised key-stream block, concretely."""
    return to_bytes(serialize(chacha20_block(key_words_from_bytes(key), counter,
                                             nonce_words_from_bytes(nonce))))


def key_stream_block(key_words: list, counter, nonce_words: list, j: int) -> list[BV]:
    """The serialised block j of the key stream: block counter ``counter + j`` modulo
    2^32, the 32-bit counter of §2.3 (RFC 8439 limits a message to 2^32 blocks;
    the counter never carries into the nonce)."""
    return serialize(chacha20_block(key_words, _word(counter, "counter") + j, nonce_words))


def encrypt_terms(key_words: list, counter, nonce_words: list, plaintext: list) -> list[BV]:
    """§2.4.1 chacha20_encrypt on terms: byte i of the plaintext (8-bit terms) XORed with
    byte i mod 64 of key-stream block floor(i / 64); a partial last block uses the
    first bytes of its key-stream block (§2.4.1, "the last block ... XORed with
    the key stream and the rest discarded")."""
    out: list[BV] = []
    for j in range(0, len(plaintext), 64):
        stream = key_stream_block(key_words, counter, nonce_words, j // 64)
        out += [p ^ s for p, s in zip(plaintext[j:j + 64], stream)]
    return out


def encrypt(key: bytes, counter: int, nonce: bytes, plaintext: bytes) -> bytes:
    """§2.4.1 chacha20_encrypt on Python bytes (through constant terms)."""
    return to_bytes(encrypt_terms(key_words_from_bytes(key), counter & 0xFFFFFFFF,
                                  nonce_words_from_bytes(nonce), const_bytes(plaintext)))
