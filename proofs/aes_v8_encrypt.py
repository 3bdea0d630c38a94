"""Proof: OpenSSL's aes_v8_encrypt computes the FIPS 197 forward cipher.

Routine: ``aes_v8_encrypt(const u8 *in, u8 *out, const AES_KEY *key)`` from
libcrypto.a:libcrypto-lib-aesv8-armx.o (listing: listings/aes_v8_encrypt.lst).

Preconditions
  x0 = in: a region of 16 bytes, every byte symbolic;
  x1 = out: a writable region of 16 bytes;
  x2 = key: a region of 244 bytes (``AES_KEY``): round-key word w[i] (FIPS 197
  §5.2) at offset 4i as its big-endian bytes (how aes_v8_set_encrypt_key
  stores it), every w[i] a symbolic 32-bit word; ``rounds`` at offset 240 is
  the concrete Nr (10, 12, 14 for params bits=128/192/256) as a little-endian
  int; bytes past the schedule are symbolic;
  in, out, key, the stack and the object's sections are pairwise disjoint.
Postcondition
  out holds Cipher(in, w) (FIPS 197 §5.1, Figure 5) for w[0 .. 4*Nr+3].
Frame
  returns to x30; x19-x29, sp and d8-d15 preserved; only out changes.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Output, RoutineProof, Setup, le_bytes
from lnsym.terms.bv import const, var
from proofs.aes_v8_set_encrypt_key import MEMBER, ROUNDS, KeySize
from proofs.listing import load_listing
from proofs.specs import aes
from proofs.specs.bytes import be_bytes


def schedule_region(name: str, words: list, rounds: int | None, writable: bool = False) -> Region:
    """``AES_KEY`` (244 bytes): w[i] big-endian at 4i; ``rounds`` at 240 (concrete
    little-endian int when given, symbolic otherwise); other bytes symbolic."""
    anchor = var(name, 64)

    def init(off):
        if off < 4 * len(words):
            return be_bytes(words[off // 4])[off % 4]
        if rounds is not None and 240 <= off < 244:
            return le_bytes(const(rounds, 32), off - 240)
        return var(f"{name}[{off}]", 8)
    return Region(name, anchor, 0, 244, init=init, writable=writable)


class AesV8Encrypt(KeySize, RoutineProof):
    name = "aes_v8_encrypt"
    member = MEMBER
    symbol = "aes_v8_encrypt"
    listing = load_listing("aes_v8_encrypt")
    spec = "FIPS 197 §5.1 AES Cipher (proofs/specs/aes.py)"
    may_change = ("out",)

    def setup(self, image):
        rounds = ROUNDS[self.bits]
        self.w = [var(f"w{i}", 32) for i in range(4 * (rounds + 1))]
        regions = [Region("in", var("in", 64), 0, 16),
                   Region("out", var("out", 64), 0, 16),
                   schedule_region("key", self.w, rounds)]
        regs = {"x0": var("in", 64), "x1": var("out", 64), "x2": var("key", 64)}
        return Setup(regs, regions)

    def postcondition(self, st, setup):
        inp = st.mem.region("in")
        out = aes.cipher([inp.initial(i) for i in range(16)], self.w)
        return [Output(f"out[{i}]", ("mem", "out", i, 1), out[i]) for i in range(16)]
