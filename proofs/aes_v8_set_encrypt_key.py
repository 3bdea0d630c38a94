"""Proof: OpenSSL's aes_v8_set_encrypt_key computes the FIPS 197 key expansion.

Routine: ``int aes_v8_set_encrypt_key(const u8 *userKey, int bits, AES_KEY *key)``
from libcrypto.a:libcrypto-lib-aesv8-armx.o (listing:
listings/aes_v8_set_encrypt_key.lst).  ``AES_KEY`` is ``{u32 rd_key[60]; int rounds;}``.

Preconditions
  x0 = userKey: a region of bits/8 bytes, every byte symbolic;
  x1 = bits: the concrete key size (params bits=128/192/256);
  x2 = key: a writable region of 244 bytes, every byte initially symbolic;
  userKey and key are not null (stated assumptions ``eq(userKey, 0) = 0`` and
  ``eq(key, 0) = 0``; they decide the routine's two null checks, which
  otherwise branch on a symbolic pointer);
  userKey, key, the stack and the object's sections are pairwise disjoint.
Postcondition
  for i in 0 .. 4*Nr+3, rd_key[i] (bytes 4i..4i+3) holds the big-endian bytes
  of w[i] of KeyExpansion (FIPS 197 §5.2, Figure 11) over the key words
  (the userKey bytes taken four at a time, big-endian); ``rounds`` (offset
  240, little-endian int) = Nr; x0 = 0; the bytes of key between the
  schedule and ``rounds`` are unchanged.
Frame
  returns to x30; x19-x29, sp and d8-d15 preserved; only key changes
  (outside the stack below sp).
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Output, RoutineProof, Setup
from lnsym.terms.bv import const, eq, var
from proofs.listing import load_listing
from proofs.specs import aes
from proofs.specs.bytes import be_bytes, be_words, le_word

ROUNDS = {128: 10, 192: 12, 256: 14}
MEMBER = "libcrypto-lib-aesv8-armx.o"


def stored_word(w):
    """The little-endian 32-bit value of the four bytes the routine stores for w
    (w's big-endian bytes)."""
    return le_word(be_bytes(w))


def set_key_setup(bits: int, user: str = "userKey", key: str = "key"):
    """Regions, registers and non-null assumptions of a call
    aes_v8_set_encrypt_key(user, bits, key)."""
    regions = [Region(user, var(user, 64), 0, bits // 8),
               Region(key, var(key, 64), 0, 244, writable=True)]
    regs = {"x0": var(user, 64), "x1": const(bits, 64), "x2": var(key, 64)}
    assumptions = {eq(var(user, 64), const(0, 64)): 0, eq(var(key, 64), const(0, 64)): 0}
    return regions, regs, assumptions


def user_key_schedule(st, bits: int, user: str = "userKey") -> list:
    """KeyExpansion (FIPS 197 §5.2) of the key words in the ``user`` region (its
    bytes taken four at a time, big-endian)."""
    region = st.mem.region(user)
    nk = bits // 32
    return aes.key_expansion(be_words([region.initial(i) for i in range(4 * nk)], 4), nk)


class KeySize:
    """The ``bits`` parameter (128/192/256) of an AES proof, and the title naming it
    (``title_detail`` is appended, e.g. the calls of a sequence)."""
    title_detail = ""

    @property
    def bits(self) -> int:
        return int(self.params.get("bits", 128))

    def title(self):
        return f"{self.name} (AES-{self.bits}{self.title_detail})"


class AesV8SetEncryptKey(KeySize, RoutineProof):
    name = "aes_v8_set_encrypt_key"
    member = MEMBER
    symbol = "aes_v8_set_encrypt_key"
    listing = load_listing("aes_v8_set_encrypt_key")
    spec = "FIPS 197 §5.2 KeyExpansion (proofs/specs/aes.py)"
    may_change = ("key",)

    def setup(self, image):
        regions, regs, assumptions = set_key_setup(self.bits)
        return Setup(regs, regions, assumptions=assumptions)

    def postcondition(self, st, setup):
        w = user_key_schedule(st, self.bits)
        key = st.mem.region("key")
        outs = [Output(f"rd_key[{i}]", ("mem", "key", 4 * i, 4), stored_word(x))
                for i, x in enumerate(w)]
        outs.append(Output("rounds", ("mem", "key", 240, 4), const(ROUNDS[self.bits], 32)))
        outs.append(Output("x0 (return value)", ("reg", "x0", 63, 0), const(0, 64)))
        outs += [Output(f"key[{off}] unchanged", ("mem", "key", off, 1), key.initial(off))
                 for off in range(4 * len(w), 240)]
        return outs
