"""Proof: aes_v8_set_encrypt_key followed by aes_v8_encrypt is FIPS 197 AES.

Both routines of libcrypto.a:libcrypto-lib-aesv8-armx.o run symbolically in
sequence on one state and one memory, as a caller would run them:

    aes_v8_set_encrypt_key(userKey, bits, key);   // returns to x30
    aes_v8_encrypt(in, out, key);                  // x30 set again

Nothing about the schedule's layout is assumed between the calls: encrypt
reads what set_encrypt_key wrote (including ``rounds``, which decides its
loop).

Preconditions
  userKey: bits/8 symbolic bytes; bits concrete (params bits=128/192/256);
  key: 244 writable bytes, initially symbolic; in: 16 symbolic bytes;
  out: 16 writable bytes; userKey and key are not null (stated assumptions
  ``eq(userKey, 0) = 0``, ``eq(key, 0) = 0``, deciding the null checks);
  the regions, the stack and the object's sections are pairwise disjoint;
  the second call's x0-x2 are in, out, key; its other registers are what the
  first call left.
Postcondition
  out = AES-bits encryption of in under the key userKey: FIPS 197 Cipher
  (§5.1) with the KeyExpansion (§5.2) of the key words (userKey big-endian).
Frame
  returns to x30 (both calls); x19-x29, sp and d8-d15 preserved over the
  sequence; only key and out change (outside the stack below sp).
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Output, Setup, TwoCallProof
from lnsym.terms.bv import var
from proofs.aes_v8_set_encrypt_key import (
    MEMBER,
    KeySize,
    set_key_setup,
    user_key_schedule,
)
from proofs.listing import load_listing
from proofs.specs import aes

SECOND = "aes_v8_encrypt"


def block_call_args() -> dict:
    """(in, out, key) of aes_v8_encrypt / aes_v8_decrypt."""
    return {"x0": var("in", 64), "x1": var("out", 64), "x2": var("key", 64)}


class KeyThenBlockProof(KeySize, TwoCallProof):
    """A key-schedule call (userKey, bits, key), then a block call (in, out, key) on
    its schedule."""
    member = MEMBER
    may_change = ("key", "out")

    def setup(self, image):
        regions, regs, assumptions = set_key_setup(self.bits)
        regions += [Region("in", var("in", 64), 0, 16), Region("out", var("out", 64), 0, 16)]
        return Setup(regs, regions, assumptions=assumptions)

    def second_call_args(self):
        return block_call_args()


class AesV8EndToEnd(KeyThenBlockProof):
    name = "aes_v8_e2e"
    symbol = "aes_v8_set_encrypt_key"         # the first routine (the listing's)
    listing = load_listing("aes_v8_set_encrypt_key")
    second_symbol = SECOND
    second_listing = load_listing("aes_v8_encrypt")
    spec = "FIPS 197 §5.1 Cipher with §5.2 KeyExpansion (proofs/specs/aes.py)"
    title_detail = ": set_encrypt_key; encrypt"

    def postcondition(self, st, setup):
        inp = st.mem.region("in")
        out = aes.cipher([inp.initial(i) for i in range(16)], user_key_schedule(st, self.bits))
        return [Output(f"out[{i}]", ("mem", "out", i, 1), out[i]) for i in range(16)]
