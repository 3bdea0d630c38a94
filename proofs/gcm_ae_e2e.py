"""Proof: GCM-AE (SP 800-38D §7.1, Algorithm 4) composed from OpenSSL's routines,
for up to 4 blocks (a partial last block too) and a 96-bit IV, nothing assumed about
the key schedule, H or Htable.

The calls are proofs/aes_gcm_e2e.py's (set_encrypt_key; E_K(0^128); BSWAP8;
gcm_init_v8) and then, as CRYPTO_gcm128_setiv / _aad / _finish do:

``aes_gcm_ae_e2e`` (GCM-AE, 96-bit IV, no AAD or one block):
  those four steps with Xi = 0 (setiv), Yi = J0 = IV || 0^31 || 1, then
  aes_v8_encrypt(Yi, EK0, key); Yi = inc32(Yi);     // CRYPTO_gcm128_setiv
  gcm_ghash_v8(ctx.Xi, ctx.Htable, aad, 16);        // CRYPTO_gcm128_aad (one block)
  aes_gcm_enc_<bits>_kernel(in, 8*len, out, ctx.Xi, Yi, key);
  Xi ^= [len(A)]_64 || [len(C)]_64; gcm_gmult_v8(ctx.Xi, ctx.Htable);
  Xi ^= EK0;                                        // CRYPTO_gcm128_finish: Xi is T
  Postcondition: out = C and Xi = T of GCM-AE_K(IV, P, A) (derived; below).

Cuts (lnsym/proof/sequence.py), besides the schedule's, H's and the table's: after
E_K(J0) (variable EK0), after the AAD's hash (Y) and after the kernel's hash (X).

Derived GCM-AE (``derived_gcm_ae``): with H = E_K(0^128), EK0 = E_K(J0), Y and X at
their definitions, C = GCTR_K(inc32(J0), P) and
T = EK0 ⊕ (X ⊕ L)•H = EK0 ⊕ GHASH_H(A || C || L) = GCTR_K(J0, S), L the length block.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Corollary, Output
from lnsym.proof.sequence import Call, Cut, Glue
from lnsym.prover import Obligation, prove_all
from lnsym.terms.bv import add, concat, const, var, xor
from proofs.aes_gcm_e2e import POWERS_TRUSTED, AesGcmE2E, le_read
from proofs.aes_gcm_kernel import kernel_aggregated
from proofs.blocks import as_memory, input_blocks
from proofs.ghash_algebra import TRUSTED, aggregated_is_ghash
from proofs.specs import aes, gcm
from proofs.specs.bytes import be_bytes
from proofs.specs.ghash import GF128, block_from_bytes, block_to_bytes, gf128_mul, ghash
from proofs.specs.ghash_htable import ghash_aggregated

GCM_AE = "(C, T) = GCM-AE_K(IV, P, A), SP 800-38D Algorithm 4 (derived)"
CUTS_TRUSTED = ("instantiation of the cut variables at their definitions (H = E_K(0^128), "
                "EK0 = E_K(J0), Y = the AAD's hash, X = the kernel's; each definition proved "
                "equal to the bytes at its cut)")
COMPOSITION_TRUSTED = ("GCM-AE composed as derived_gcm_ae (proofs/gcm_ae_e2e.py): SP 800-38D "
                       "§7.1 steps 1-6 for a 96-bit IV, T = E_K(J0) xor "
                       "GHASH_H(A || C || L)")
GCM_AE_TRUSTED = (POWERS_TRUSTED, CUTS_TRUSTED, COMPOSITION_TRUSTED)


def inc32_writes(region: str):
    """Glue: the counter word (bytes 12..15, big-endian) of ``region`` plus one."""
    def writes(read):
        ctr = add(concat(*[read(region, 12 + i) for i in range(4)]), const(1, 32))
        return [(region, 12 + i, b) for i, b in enumerate(be_bytes(ctr))]
    return writes


def xor_writes(region: str, block_bytes):
    """Glue: ``region[0:16] ^= block`` (``block_bytes(read)`` gives 16 byte terms)."""
    def writes(read):
        other = block_bytes(read)
        return [(region, i, xor(read(region, i), other[i])) for i in range(16)]
    return writes


def gcm_aggregate(aad_blocks: int):
    """The grouping of the whole GCM-AE hash in OpenSSL's calls: gcm_ghash_v8 over the
    AAD, the kernel over the ciphertext, gcm_gmult_v8 over the length block (last)."""
    def aggregate(powers4, blocks, Y, field=GF128):
        A, C, L = blocks[:aad_blocks], blocks[aad_blocks:-1], blocks[-1]
        Y = ghash_aggregated(powers4, A, Y, field) if A else Y
        Y = kernel_aggregated(powers4, C, Y, field)
        return field.mul(field.add(Y, L), powers4[0])
    return aggregate


def derived_gcm_ae(w: list, H, EK0, IV: list, P: list, A: list) -> tuple:
    """GCM-AE as the derivation composes it: C = GCTR_w(inc32(J0), P),
    T = EK0 ⊕ GHASH_H(A || C || [len(A)]_64 || [len(C)]_64).  At H = E_K(0^128) and
    EK0 = E_K(J0) this is SP 800-38D Algorithm 4 (tests: against ``cryptography``)."""
    J0 = gcm.pre_counter_block(IV)
    C = gcm.gctr(w, gcm.inc32(J0), P)
    return C, xor(EK0, gcm.ghash_input(H, list(A), C))


class AesGcmAeE2E(AesGcmE2E):
    """GCM-AE: parameters ``bits``, ``blocks`` (1..4) or ``bytes``, ``aad`` (0 or 1
    blocks)."""
    name = "aes_gcm_ae_e2e"

    @property
    def aad(self) -> int:
        a = int(self.params.get("aad", 0))
        if a not in (0, 1):
            from lnsym.errors import UserError
            raise UserError(f"{self.name} takes 0 or 1 AAD blocks, not {a}")
        return a

    def called(self) -> tuple:
        return ("aes_v8_encrypt", "gcm_init_v8", *(("gcm_ghash_v8",) if self.aad else ()),
                self.kernel, "gcm_gmult_v8")

    def title(self):
        return f"{super().title()[:-1]}, AAD {16 * self.aad} bytes)"

    def initial_counter(self):
        """Yi = J0 = IV || 0^31 || 1, as CRYPTO_gcm128_setiv leaves it before E_K(J0)."""
        return gcm.pre_counter_block(be_bytes(var("IV", 96)))

    may_change = ("key", "out", "ctx", "ivec", "EK0")

    def initial_xi(self):
        return const(0, 128)                                   # setiv: Xi = 0

    def extra_regions(self) -> list:
        regions = [Region("EK0", var("EK0p", 64), 0, 16)]
        if self.aad:
            regions.append(Region("aad", var("aad", 64), 0, 16 * self.aad, writable=False))
        return regions

    def sequence(self, st) -> list:
        ctx = var("ctx", 64)
        self.EK0 = var("EK0", 128)
        self.X = var("X", 128)
        self.A = input_blocks(st, "aad", self.aad) if self.aad else []
        steps = self.key_and_table(st)
        steps += [Call("aes_v8_encrypt", {"x0": var("ivec", 64), "x1": var("EK0p", 64),
                                          "x2": var("key", 64)}),
                  Cut("EK0", "EK0", 0, le_read(aes.cipher(block_to_bytes(self.CB), self.w)),
                      le_read(block_to_bytes(self.EK0)),
                      {"EK0": block_from_bytes(aes.cipher(block_to_bytes(self.CB), self.w))}),
                  Glue("CRYPTO_gcm128_setiv: Yi's counter word = 2 (inc32(J0))",
                       inc32_writes("ivec"))]
        powers4 = [self.H, *self.P]
        start = self.Xi0
        if self.aad:                   # the AAD's hash, then a cut: the kernel starts from Y
            self.Y = var("Y", 128)
            hashed = ghash_aggregated(powers4, self.A, self.Xi0)
            steps += [Call("gcm_ghash_v8", {"x0": ctx, "x1": add(ctx, const(32, 64)),
                                            "x2": var("aad", 64), "x3": const(16 * self.aad, 64)}),
                      Cut("Y", "ctx", 0, as_memory(hashed), as_memory(self.Y), {"Y": hashed})]
            start = self.Y
        self.C = gcm.gctr(self.w, gcm.inc32(self.CB), self.plaintext(st))
        self.hash = kernel_aggregated(powers4, gcm.pad_blocks(self.hashed(st)), start)
        self.L = gcm.length_block(16 * self.aad, self.length)
        steps += [self.kernel_call(),
                  Cut("X", "ctx", 0, as_memory(self.hash), as_memory(self.X), {"X": self.hash}),
                  Glue("CRYPTO_gcm128_finish: Xi ^= [len(A)]_64 || [len(C)]_64",
                       xor_writes("ctx", lambda read: block_to_bytes(self.L))),
                  Call("gcm_gmult_v8", {"x0": ctx, "x1": add(ctx, const(32, 64))}),
                  Glue("CRYPTO_gcm128_finish: Xi ^= EK0 (the tag T = Xi)",
                       xor_writes("ctx", lambda read: [read("EK0", i) for i in range(16)]))]
        return steps

    def hashed(self, st) -> list:
        """The bytes GHASH takes: GCM-AE's output (GCM-AD's input)."""
        return self.C

    def postcondition(self, st, setup):
        outs = self.cut_outputs() + self.key_table_outputs(st)
        outs += self.text_outputs(st, gcm.inc32(self.CB))
        self.tag = xor(self.EK0, gf128_mul(xor(self.X, self.L), self.H))
        outs.append(Output("tag: Xi <- EK0 ^ (X ^ L) • H", ("mem", "ctx", 0, 16),
                           as_memory(self.tag)))
        outs.append(Output("EK0 = E_K(J0)", ("mem", "EK0", 0, 16),
                           le_read(block_to_bytes(self.EK0))))
        self.stated = tuple(o.name for o in outs)
        return outs

    def corollaries(self, st, setup):
        return [Corollary(GCM_AE, self.stated, lambda: self.derive_gcm_ae(st),
                          TRUSTED + GCM_AE_TRUSTED)]

    def derive_gcm_ae(self, st) -> tuple:
        """X at its definition gives the tag (hash ⊕ L)•H; the ring step makes that
        Algorithm 2 over A || C || L; then T and C are derived_gcm_ae's."""
        A_bytes = [b for a in self.A for b in block_to_bytes(a)]
        C, T = derived_gcm_ae(self.w, self.H, self.EK0, be_bytes(var("IV", 96)),
                              self.plaintext(st), A_bytes)
        if any(c is not d for c, d in zip(C, self.C)):
            return False, "ring", "the proven ciphertext is not GCTR_K(inc32(J0), P)"
        return self.derive_tag(A_bytes, C, T)

    def derive_tag(self, A_bytes: list, C: list, T) -> tuple:
        """T = EK0 ⊕ GHASH_H(A || C || L) = GCTR_K(J0, S), from the proven hash (X and Y
        at their definitions) by the ring step."""
        blocks = self.A + gcm.pad_blocks(C) + [self.L]
        S = gcm.ghash_input(self.H, A_bytes, C)
        if ghash(self.H, blocks, self.Xi0) is not S:
            return False, "ring", ("Algorithm 2 over the hashed blocks is not §7.1's "
                                   "GHASH_H(A || C || [len(A)]_64 || [len(C)]_64)")
        # X and Y at their definitions: the whole hash as OpenSSL's calls group it
        full = gcm_aggregate(self.aad)([self.H, *self.P], blocks, self.Xi0)
        holds, method, detail = aggregated_is_ghash(full, self.H, self.Xi0, blocks, self.P,
                                                    gcm_aggregate(self.aad))
        if not holds:
            return holds, method, detail
        # §7.1 step 6 as the spec writes it, T = GCTR_K(J0, S), is E_K(J0) xor S (the
        # definition of EK0): an identity in S, proved for a variable S
        Sv = var("S", 128)
        [r] = prove_all([Obligation("GCTR_K(J0, S) = E_K(J0) xor S", block_from_bytes(
            gcm.gctr(self.w, self.CB, block_to_bytes(Sv))),
            xor(block_from_bytes(aes.cipher(block_to_bytes(self.CB), self.w)), Sv))])
        if T is not xor(self.EK0, S):
            return False, "ring", "the tag is not EK0 xor S"
        if r.status != "proved":
            return False, "ring", f"T is not GCTR_K(J0, S): {r.status}"
        return True, method, f"{detail}; T = EK0 ^ GHASH_H(A || C || L) = GCTR_K(J0, S)"
