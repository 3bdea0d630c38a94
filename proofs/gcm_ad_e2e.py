"""Proof: GCM-AD (SP 800-38D §7.2, Algorithm 5) composed from OpenSSL's routines,
for up to 4 blocks and a 96-bit IV, nothing assumed about the key schedule, H or
Htable.

The calls are proofs/gcm_ae_e2e.py's with the decryption kernel, then the tag check
of CRYPTO_gcm128_finish(ctx, tag, 16):
  set_encrypt_key; E_K(0^128); BSWAP8; gcm_init_v8;      // as GCM-AE
  aes_v8_encrypt(Yi, EK0, key); Yi = inc32(Yi);         // setiv, Yi = J0 first
  [gcm_ghash_v8 over one AAD block;]
  aes_gcm_dec_<bits>_kernel(in, 8*len, out, ctx.Xi, Yi, key);   // in: C, out: P
  Xi ^= [len(A)]_64 || [len(C)]_64; gcm_gmult_v8; Xi ^= EK0;    // Xi is T'
  CRYPTO_memcmp(ctx.Xi, tag, 16)                        // arm64cpuid.pl: 0 iff equal
Postcondition: out = GCTR_K(inc32(J0), C), Xi = T' and the return value 0 exactly
when the supplied tag T equals T' = GCTR_K(J0, GHASH_H(A || C || L)), so the caller,
which returns P only on 0 (and FAIL otherwise), computes GCM-AD_K(IV, C, A, T).

Cuts: GCM-AE's (w, H, Htable, EK0, Y, X) and one more after the tag (variable Tc,
defined as the computed tag): CRYPTO_memcmp is proved on Tc and T, and the tag's
derivation is GCM-AE's with the hashed blocks the input.
"""
from __future__ import annotations

from lnsym.elf.targets import member_spec
from lnsym.proof.routine import Corollary, Output
from lnsym.proof.sequence import Call, Cut
from lnsym.terms.bv import const, eq, ite, var, xor
from proofs.aes_gcm_e2e import MEMBERS, le_read
from proofs.blocks import as_memory, block_region
from proofs.gcm_ae_e2e import GCM_AE_TRUSTED, AesGcmAeE2E
from proofs.ghash_algebra import TRUSTED
from proofs.specs import gcm
from proofs.specs.bytes import be_bytes
from proofs.specs.ghash import block_to_bytes, gf128_mul

MEMCMP_MEMBER = "libcrypto-lib-arm64cpuid.o"
GCM_AD = ("P = GCTR_K(inc32(J0), C), and CRYPTO_memcmp gives 0 iff T = GCTR_K(J0, "
          "GHASH_H(A || C || L)): GCM-AD_K(IV, C, A, T), SP 800-38D Algorithm 5 (derived)")
CALLER_TRUSTED = ("the caller returns P when CRYPTO_gcm128_finish (CRYPTO_memcmp's result) "
                  "is 0 and FAIL otherwise, with a 16-byte tag (t = 128)")


def derived_gcm_ad(w: list, H, EK0, IV: list, C: list, A: list) -> tuple:
    """GCM-AD's P and T' as the derivation composes them: P = GCTR_w(inc32(J0), C),
    T' = EK0 ⊕ GHASH_H(A || C || [len(A)]_64 || [len(C)]_64).  At H = E_K(0^128) and
    EK0 = E_K(J0), Algorithm 5 returns P when T = T' (tests: against ``cryptography``)."""
    J0 = gcm.pre_counter_block(IV)
    return gcm.gctr(w, gcm.inc32(J0), C), xor(EK0, gcm.ghash_input(H, list(A), C))


class AesGcmAdE2E(AesGcmAeE2E):
    """GCM-AD: parameters ``bits``, ``blocks`` (1..4) or ``bytes``, ``aad`` (0 or 1
    blocks).  ``in`` holds the ciphertext, ``out`` receives the plaintext."""
    name = "aes_gcm_ad_e2e"
    spec = ("SP 800-38D §6.4 GHASH, §6.5 GCTR, §7.2 GCM-AD, the tag's computation as §7.1 "
            "(proofs/specs/gcm.py, ghash.py); FIPS 197 Cipher and KeyExpansion "
            "(proofs/specs/aes.py); OpenSSL's Htable layout (proofs/specs/ghash_htable.py)")

    def object_spec(self):
        return getattr(self, "object", None) or tuple(
            member_spec(m) for m in (*MEMBERS, MEMCMP_MEMBER))

    @property
    def kernel(self) -> str:
        return f"aes_gcm_dec_{self.bits}_kernel"

    def called(self) -> tuple:
        return (*super().called(), "CRYPTO_memcmp")

    def extra_regions(self) -> list:
        self.T = var("T", 128)                      # the tag supplied with C
        return [*super().extra_regions(), block_region("tag", self.T)]

    def hashed(self, st) -> list:
        return self.plaintext(st)                   # GHASH over the input: C

    def sequence(self, st) -> list:
        steps = super().sequence(st)
        self.Tc = var("Tc", 128)
        computed = xor(self.EK0, gf128_mul(xor(self.X, self.L), self.H))
        steps += [Cut("Tc", "ctx", 0, as_memory(computed), as_memory(self.Tc),
                      {"Tc": computed}),
                  Call("CRYPTO_memcmp", {"x0": var("ctx", 64), "x1": var("tag", 64),
                                         "x2": const(16, 64)})]
        return steps

    def postcondition(self, st, setup):
        outs = self.cut_outputs() + self.key_table_outputs(st)
        outs += self.text_outputs(st, gcm.inc32(self.CB))
        outs.append(Output("Xi = T' (cut Tc)", ("mem", "ctx", 0, 16), as_memory(self.Tc)))
        outs.append(Output("EK0 = E_K(J0)", ("mem", "EK0", 0, 16),
                           le_read(block_to_bytes(self.EK0))))
        outs.append(Output("CRYPTO_memcmp(Xi, tag, 16) = 0 iff T = T'", ("reg", "x0", 63, 0),
                           ite(eq(self.Tc, self.T), const(0, 64), const(1, 64))))
        self.stated = tuple(o.name for o in outs)
        return outs

    def corollaries(self, st, setup):
        return [Corollary(GCM_AD, self.stated, lambda: self.derive_gcm_ad(st),
                          TRUSTED + GCM_AE_TRUSTED + (CALLER_TRUSTED,))]

    def derive_gcm_ad(self, st) -> tuple:
        """P is the proven out; Tc at its definition is GCM-AE's tag over the input
        (derive_tag), so memcmp's 0 is T = T' of Algorithm 5."""
        A_bytes = [b for a in self.A for b in block_to_bytes(a)]
        C = self.plaintext(st)
        P, T = derived_gcm_ad(self.w, self.H, self.EK0, be_bytes(var("IV", 96)), C, A_bytes)
        if any(p is not q for p, q in zip(P, self.C)):
            return False, "ring", "the proven plaintext is not GCTR_K(inc32(J0), C)"
        return self.derive_tag(A_bytes, C, T)
