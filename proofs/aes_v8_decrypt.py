"""Proofs: OpenSSL's AES decryption routines against FIPS 197's inverse cipher.

Routines from libcrypto.a:libcrypto-lib-aesv8-armx.o (listings:
listings/aes_v8_set_decrypt_key.lst, listings/aes_v8_decrypt.lst):
``int aes_v8_set_decrypt_key(const u8 *userKey, int bits, AES_KEY *key)`` and
``void aes_v8_decrypt(const u8 *in, u8 *out, const AES_KEY *key)``.

OpenSSL's decryption schedule is FIPS 197 §5.3.5's modified schedule dw
(KeyExpansion with InvMixColumns applied to rounds 1..Nr-1) stored with its
rounds in reverse order: stored round r (bytes 16r..16r+15) = dw round Nr-r,
each word big-endian as in the encryption schedule.

aes_v8_set_decrypt_key (params bits)
  Preconditions: as aes_v8_set_encrypt_key (userKey symbolic, key writable and
  initially symbolic, both not null: stated assumptions).
  Postcondition: the stored schedule is dw in that order, ``rounds`` = Nr, x0 = 0,
  the bytes between the schedule and ``rounds`` unchanged.
aes_v8_decrypt (params bits)
  Preconditions: in symbolic; the key holds symbolic words s[0..4Nr+3]
  (big-endian) and the concrete Nr at 240.
  Postcondition: out = EqInvCipher(in, dw) (§5.3.5, Figure 15) where dw round j
  is stored round Nr-j.
aes_v8_decrypt_e2e (params bits): aes_v8_set_decrypt_key then aes_v8_decrypt
  on one symbolic memory: out = InvCipher(in, KeyExpansion(userKey)) (§5.3,
  Figure 12) -- the standard's inverse cipher, not the equivalent one: the
  GF(2)-affine normal form closes InvMixColumns' linearity.
Frame (each): returns to x30; x19-x29, sp, d8-d15 preserved; only key / out change.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Output, RoutineProof, Setup
from lnsym.terms.bv import const, var
from proofs.aes_v8_e2e import KeyThenBlockProof, block_call_args
from proofs.aes_v8_encrypt import schedule_region
from proofs.aes_v8_set_encrypt_key import (
    MEMBER,
    ROUNDS,
    KeySize,
    set_key_setup,
    stored_word,
    user_key_schedule,
)
from proofs.listing import load_listing
from proofs.specs import aes

SPEC_KEY = "FIPS 197 §5.2 KeyExpansion and §5.3.5 modified schedule (proofs/specs/aes.py)"


def stored_order(dw: list, rounds: int) -> list:
    """The words as OpenSSL stores them: round r holds dw round rounds-r."""
    return [dw[4 * (rounds - i // 4) + i % 4] for i in range(len(dw))]


def fips_order(stored: list, rounds: int) -> list:
    """dw from the stored words (the same reversal of rounds)."""
    return stored_order(stored, rounds)


class AesV8SetDecryptKey(KeySize, RoutineProof):
    name = "aes_v8_set_decrypt_key"
    member = MEMBER
    symbol = "aes_v8_set_decrypt_key"
    listing = load_listing("aes_v8_set_decrypt_key")
    spec = SPEC_KEY
    may_change = ("key",)

    def other_listings(self):
        """It calls the encryption schedule's code (.Lenc_key, inside set_encrypt_key)."""
        return ((("aes_v8_set_encrypt_key", load_listing("aes_v8_set_encrypt_key")),)
                + super().other_listings())

    def setup(self, image):
        regions, regs, assumptions = set_key_setup(self.bits)
        return Setup(regs, regions, assumptions=assumptions)

    def postcondition(self, st, setup):
        rounds = ROUNDS[self.bits]
        dw = aes.equivalent_decryption_schedule(user_key_schedule(st, self.bits))
        key = st.mem.region("key")
        outs = [Output(f"rd_key[{i}]", ("mem", "key", 4 * i, 4), stored_word(x))
                for i, x in enumerate(stored_order(dw, rounds))]
        outs.append(Output("rounds", ("mem", "key", 240, 4), const(rounds, 32)))
        outs.append(Output("x0 (return value)", ("reg", "x0", 63, 0), const(0, 64)))
        outs += [Output(f"key[{off}] unchanged", ("mem", "key", off, 1), key.initial(off))
                 for off in range(4 * len(dw), 240)]
        return outs


class AesV8Decrypt(KeySize, RoutineProof):
    name = "aes_v8_decrypt"
    member = MEMBER
    symbol = "aes_v8_decrypt"
    listing = load_listing("aes_v8_decrypt")
    spec = "FIPS 197 §5.3.5 Equivalent Inverse Cipher (proofs/specs/aes.py)"
    may_change = ("out",)

    def setup(self, image):
        rounds = ROUNDS[self.bits]
        self.s = [var(f"s{i}", 32) for i in range(4 * (rounds + 1))]
        regions = [Region("in", var("in", 64), 0, 16), Region("out", var("out", 64), 0, 16),
                   schedule_region("key", self.s, rounds)]
        return Setup(block_call_args(), regions)

    def postcondition(self, st, setup):
        inp = st.mem.region("in")
        dw = fips_order(self.s, ROUNDS[self.bits])
        out = aes.eq_inv_cipher([inp.initial(i) for i in range(16)], dw)
        return [Output(f"out[{i}]", ("mem", "out", i, 1), out[i]) for i in range(16)]


class AesV8DecryptEndToEnd(KeyThenBlockProof, AesV8SetDecryptKey):
    name = "aes_v8_decrypt_e2e"
    symbol = "aes_v8_set_decrypt_key"
    listing = load_listing("aes_v8_set_decrypt_key")
    second_symbol = "aes_v8_decrypt"
    second_listing = load_listing("aes_v8_decrypt")
    spec = "FIPS 197 §5.3 InvCipher with §5.2 KeyExpansion (proofs/specs/aes.py)"
    title_detail = ": set_decrypt_key; decrypt"

    def postcondition(self, st, setup):
        inp = st.mem.region("in")
        out = aes.inv_cipher([inp.initial(i) for i in range(16)],
                             user_key_schedule(st, self.bits))
        return [Output(f"out[{i}]", ("mem", "out", i, 1), out[i]) for i in range(16)]
