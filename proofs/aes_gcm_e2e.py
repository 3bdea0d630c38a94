"""Proof: AES-GCM composed from OpenSSL's routines, nothing assumed about the key
schedule, H or Htable (SP 800-38D §6.4, §6.5, §7.1).

The calls are those of OpenSSL's C code (crypto/modes/gcm128.c and the provider's
armv8 GCM path), on one symbolic state and one symbolic memory.  The three members
(aesv8-armx, ghashv8-armx, aes-gcm-armv8_64) are linked into one image.
``ctx`` is GCM128_CONTEXT from Xi on: Xi (16 bytes), H (16), Htable (96).

``aes_gcm_e2e`` (kernel statement):
  aes_v8_set_encrypt_key(userKey, bits, key);
  aes_v8_encrypt(ctx.H, ctx.H, key);               // H = E_K(0^128), H zeroed before
  ctx.H.u[i] = BSWAP8(ctx.H.u[i]);                  // caller: H in host order
  gcm_init_v8(ctx.Htable, ctx.H);
  aes_gcm_enc_<bits>_kernel(in, 8*len, out, ctx.Xi, ivec, key);
  Postcondition: out = GCTR_K(CB, in); Xi = the kernel's aggregated hash at P_m = H^m
  (bit level), and so (derived) Xi = GHASH_H(Xi; C_1..C_n), Algorithm 2; ivec's
  counter advanced by the blocks; the schedule, H and Htable as the standard and
  OpenSSL's layout say.  Xi, the IV and the counter are symbolic.

``aes_gcm_ae_e2e`` (GCM-AE, whole blocks, 96-bit IV, no AAD or one block):
  the first four steps above with Xi = 0 (setiv), Yi = J0 = IV || 0^31 || 1, then
  aes_v8_encrypt(Yi, EK0, key); Yi = inc32(Yi);     // CRYPTO_gcm128_setiv
  gcm_ghash_v8(ctx.Xi, ctx.Htable, aad, 16);        // CRYPTO_gcm128_aad (one block)
  aes_gcm_enc_<bits>_kernel(in, 8*len, out, ctx.Xi, Yi, key);
  Xi ^= [len(A)]_64 || [len(C)]_64; gcm_gmult_v8(ctx.Xi, ctx.Htable);
  Xi ^= EK0;                                        // CRYPTO_gcm128_finish: Xi is T
  Postcondition: out = C and Xi = T of GCM-AE_K(IV, P, A) (derived; below).

Cut points (lnsym/proof/sequence.py) after the key schedule (w = KeyExpansion(K)),
after E_K(0^128) (the variable H), after E_K(J0) (EK0) and after the kernel's hash
(GCM-AE: the variable X): each is an obligation, and what follows is proved for every
value of the variable.  The Algorithm 2 step then runs on the table gcm_init_v8
computed from H in this run (P_m = H^m is proved, not instantiated).

Derived GCM-AE (``derived_gcm_ae``): with H = E_K(0^128), EK0 = E_K(J0) and the kernel's
hash X at their definitions, C = GCTR_K(inc32(J0), P) and
T = EK0 ⊕ (X ⊕ L)•H = EK0 ⊕ GHASH_H(A || C || L) = GCTR_K(J0, S), L the length block.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.elf.targets import member_spec
from lnsym.proof.routine import Corollary, Output, Setup
from lnsym.proof.sequence import Call, CallSequenceProof, Cut, Glue
from lnsym.prover import Obligation, prove_all
from lnsym.terms.bv import add, concat, const, var, xor
from proofs.aes_gcm_kernel import AesGcmKernel, kernel_aggregated
from proofs.aes_v8_set_encrypt_key import ROUNDS, KeySize, set_key_setup, user_key_schedule
from proofs.blocks import as_memory, block_region, input_blocks
from proofs.ghash_algebra import TRUSTED, aggregated_is_ghash
from proofs.listing import load_listing
from proofs.specs import aes, gcm
from proofs.specs.bytes import be_bytes
from proofs.specs.ghash import GF128, block_from_bytes, block_to_bytes, gf128_mul, ghash
from proofs.specs.ghash_htable import (
    HTABLE_BYTES,
    ghash_aggregated,
    htable,
    htable_bytes,
    htable_of,
    powers,
)

MEMBERS = ("libcrypto-lib-aesv8-armx.o", "libcrypto-lib-ghashv8-armx.o",
           "libcrypto-lib-aes-gcm-armv8_64.o")
SPEC = ("SP 800-38D §6.4 GHASH, §6.5 GCTR, §7.1 GCM-AE (proofs/specs/gcm.py, ghash.py); "
        "FIPS 197 Cipher and KeyExpansion (proofs/specs/aes.py); OpenSSL's Htable layout "
        "(proofs/specs/ghash_htable.py)")
CTX_BYTES = 32 + HTABLE_BYTES        # Xi, H, Htable
MAX_BLOCKS = 4
BSWAP_TEXT = "CRYPTO_gcm128_init: ctx.H.u[0], ctx.H.u[1] = BSWAP8 (H in host order)"
AGGREGATED = "Xi <- the kernel's aggregated GHASH over H, P2, P3, P4 (cut Htable)"
STANDARD = "Xi <- GHASH_H(Xi; C1..Cn), SP 800-38D Algorithm 2, H = E_K(0^128) from this run"
GCM_AE = "(C, T) = GCM-AE_K(IV, P, A), SP 800-38D Algorithm 4 (derived)"
POWERS_TRUSTED = ("instantiation of P2, P3, P4 at H^2, H^3, H^4: their definitions at cut "
                  "Htable, where the table gcm_init_v8 stored in this run is proved to hold them")
CUTS_TRUSTED = ("instantiation of the cut variables at their definitions (H = E_K(0^128), "
                "EK0 = E_K(J0), Y = the AAD's hash, X = the kernel's; each definition proved equal to the "
                "bytes at its cut)")
COMPOSITION_TRUSTED = ("GCM-AE composed as derived_gcm_ae (proofs/aes_gcm_e2e.py): SP 800-38D "
                       "§7.1 steps 1-6 for whole blocks and a 96-bit IV, T = E_K(J0) xor "
                       "GHASH_H(A || C || L)")
GCM_AE_TRUSTED = (POWERS_TRUSTED, CUTS_TRUSTED, COMPOSITION_TRUSTED)


def le_read(byte_terms: list):
    """The little-endian read of bytes in memory order."""
    return concat(*reversed(byte_terms))


def stored_schedule(w: list):
    """The schedule's bytes as aes_v8_set_encrypt_key stores them (each w[i]
    big-endian), read little-endian."""
    return le_read([b for x in w for b in be_bytes(x)])


def bswap_halves(read):
    """The caller's BSWAP8 of ctx.H's two 64-bit halves (Glue.writes)."""
    old = [read("ctx", 16 + i) for i in range(16)]
    return [("ctx", 16 + 8 * h + i, old[8 * h + 7 - i]) for h in (0, 1) for i in range(8)]


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
    """GCM-AE as the derivation composes it, for whole blocks: C = GCTR_w(inc32(J0), P),
    T = EK0 ⊕ GHASH_H(A || C || [len(A)]_64 || [len(C)]_64).  At H = E_K(0^128) and
    EK0 = E_K(J0) this is SP 800-38D Algorithm 4 (tests: against ``cryptography``)."""
    J0 = gcm.pre_counter_block(IV)
    C = gcm.gctr(w, gcm.inc32(J0), P)
    return C, xor(EK0, gcm.ghash_input(H, list(A), C))


class AesGcmE2E(KeySize, CallSequenceProof):
    """Parameters: ``bits`` (128/192/256), ``blocks`` or ``bytes`` (up to 64)."""
    name = "aes_gcm_e2e"
    spec = SPEC
    symbol = "aes_v8_set_encrypt_key"
    listing = load_listing("aes_v8_set_encrypt_key")
    may_change = ("key", "out", "ctx", "ivec")

    def object_spec(self):
        return getattr(self, "object", None) or tuple(member_spec(m) for m in MEMBERS)

    @property
    def kernel(self) -> str:
        return f"aes_gcm_enc_{self.bits}_kernel"

    @property
    def callees(self) -> tuple:
        return tuple((s, load_listing(s)) for s in self.called())

    def called(self) -> tuple:
        return ("aes_v8_encrypt", "gcm_init_v8", self.kernel)

    @property
    def length(self) -> int:
        """The message length in bytes, as the kernel proof reads it (``bytes`` or
        ``blocks``), at most 4 blocks here."""
        kernel = AesGcmKernel(**self.params)
        if kernel.blocks > MAX_BLOCKS:
            from lnsym.errors import UserError
            raise UserError(f"{self.name} proofs take at most {MAX_BLOCKS} blocks")
        return kernel.length

    @property
    def blocks(self) -> int:
        return -(-self.length // 16)

    def title(self):
        n = self.length
        size = f"{n} bytes" if n % 16 else f"{n // 16} block{'s' if n > 16 else ''}"
        return f"{self.name} (AES-{self.bits}, {size})"

    # -- preconditions -----------------------------------------------------------------
    def ctx_region(self, Xi0) -> Region:
        """Xi = Xi0, H zeroed (CRYPTO_gcm128_init's memset), Htable unknown."""
        xi = be_bytes(Xi0)

        def init(off):
            if off < 16:
                return xi[off]
            return const(0, 8) if off < 32 else var(f"ctx[{off}]", 8)
        return Region("ctx", var("ctx", 64), 0, CTX_BYTES, init=init)

    def initial_counter(self):
        return concat(var("IV", 96), var("ctr", 32))

    def initial_xi(self):
        return var("Xi0", 128)

    def extra_regions(self) -> list:
        return []

    def setup(self, image):
        regions, regs, assumptions = set_key_setup(self.bits)
        padded = 16 * self.blocks
        self.Xi0 = self.initial_xi()
        self.CB = self.initial_counter()
        regions += [Region("in", var("in", 64), 0, padded, writable=False),
                    Region("out", var("out", 64), 0, padded),
                    self.ctx_region(self.Xi0), block_region("ivec", self.CB),
                    *self.extra_regions()]
        return Setup(regs, regions, assumptions=assumptions)

    # -- the sequence ------------------------------------------------------------------
    def key_and_table(self, st) -> list:
        """set_encrypt_key, H = E_K(0), BSWAP8, gcm_init_v8, with their cuts."""
        rounds = ROUNDS[self.bits]
        self.w = [var(f"w{i}", 32) for i in range(4 * (rounds + 1))]
        self.H = var("H", 128)
        self.P = [var(f"P{m}", 128) for m in (2, 3, 4)]
        key_words = user_key_schedule(st, self.bits)
        ctx, key = var("ctx", 64), var("key", 64)
        zero = aes.cipher(block_to_bytes(const(0, 128)), self.w)
        return [
            Call(self.symbol, {}),
            Cut("w", "key", 0, stored_schedule(key_words), stored_schedule(self.w),
                {f"w{i}": x for i, x in enumerate(key_words)}),
            Call("aes_v8_encrypt", {"x0": add(ctx, const(16, 64)), "x1": add(ctx, const(16, 64)),
                                    "x2": key}),
            Cut("H", "ctx", 16, le_read(zero), le_read(block_to_bytes(self.H)),
                {"H": gcm.hash_subkey(self.w)}),
            Glue(BSWAP_TEXT, bswap_halves),
            Call("gcm_init_v8", {"x0": add(ctx, const(32, 64)), "x1": add(ctx, const(16, 64))}),
            Cut("Htable", "ctx", 32, le_read(htable_bytes(htable_of(self.H))),
                le_read(htable_bytes(htable(self.H, *self.P))),
                dict(zip(("P2", "P3", "P4"), powers(self.H)))),
        ]

    def kernel_call(self) -> Call:
        return Call(self.kernel, {"x0": var("in", 64), "x1": const(8 * self.length, 64),
                                  "x2": var("out", 64), "x3": var("ctx", 64),
                                  "x4": var("ivec", 64), "x5": var("key", 64)})

    def sequence(self, st) -> list:
        return self.key_and_table(st) + [self.kernel_call()]

    # -- postcondition -----------------------------------------------------------------
    def plaintext(self, st) -> list:
        inp = st.mem.region("in")
        return [inp.initial(i) for i in range(self.length)]

    def key_table_outputs(self, st) -> list:
        """The schedule's ``rounds`` and untouched bytes, ctx.H in host order, Htable."""
        key = st.mem.region("key")
        nw = 32 * len(self.w)              # bits of the schedule
        outs = [Output("rd_key = w (stored as at cut w)", ("mem", "key", 0, nw // 8),
                       stored_schedule(self.w)),
                Output("rounds", ("mem", "key", 240, 4), const(ROUNDS[self.bits], 32))]
        outs += [Output(f"key[{off}] unchanged", ("mem", "key", off, 1), key.initial(off))
                 for off in range(nw // 8, 240)]
        h = block_to_bytes(self.H)
        host = [h[8 * half + 7 - i] for half in (0, 1) for i in range(8)]
        outs.append(Output("ctx.H = E_K(0^128) in host order", ("mem", "ctx", 16, 16),
                           le_read(host)))
        table = htable_bytes(htable(self.H, *self.P))
        outs += [Output(f"Htable[{i}] unchanged since cut Htable", ("mem", "ctx", 32 + 16 * i, 16),
                        le_read(table[16 * i:16 * i + 16])) for i in range(6)]
        return outs

    def text_outputs(self, st, ICB) -> list:
        """out = GCTR_w(ICB, in), bytes past a partial block unchanged, the counter."""
        n, padded = self.length, 16 * self.blocks
        self.C = gcm.gctr(self.w, ICB, self.plaintext(st))
        out = st.mem.region("out")
        outs = [Output(f"out[{i}]", ("mem", "out", i, 1), self.C[i]) for i in range(n)]
        outs += [Output(f"out[{i}] unchanged (past the length)", ("mem", "out", i, 1),
                        out.initial(i)) for i in range(n, padded)]
        last = gcm.counter_blocks(ICB, self.blocks + 1)[-1]
        outs.append(Output("ivec <- inc32^blocks(ICB)", ("mem", "ivec", 0, 16), as_memory(last)))
        return outs

    def postcondition(self, st, setup):
        outs = self.cut_outputs() + self.key_table_outputs(st) + self.text_outputs(st, self.CB)
        self.aggregated = kernel_aggregated([self.H, *self.P], gcm.pad_blocks(self.C), self.Xi0)
        outs.append(Output(AGGREGATED, ("mem", "ctx", 0, 16), as_memory(self.aggregated)))
        outs.append(Output("return value: length in bytes", ("reg", "x0", 63, 0),
                           const(self.length, 64)))
        return outs

    def corollaries(self, st, setup):
        blocks = gcm.pad_blocks(self.C)
        return [Corollary(STANDARD, (AGGREGATED,),
                          lambda: aggregated_is_ghash(self.aggregated, self.H, self.Xi0, blocks,
                                                      self.P, kernel_aggregated),
                          TRUSTED + (POWERS_TRUSTED,))]


class AesGcmAeE2E(AesGcmE2E):
    """GCM-AE for whole blocks: parameters ``bits``, ``blocks`` (1..4), ``aad`` (0 or 1
    blocks)."""
    name = "aes_gcm_ae_e2e"

    @property
    def aad(self) -> int:
        a = int(self.params.get("aad", 0))
        if a not in (0, 1) or "bytes" in self.params:
            from lnsym.errors import UserError
            raise UserError(f"{self.name} takes whole blocks and 0 or 1 AAD blocks")
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
        self.hash = kernel_aggregated(powers4, gcm.pad_blocks(self.C), start)
        self.L = gcm.length_block(16 * self.aad, self.length)
        steps += [self.kernel_call(),
                  Cut("X", "ctx", 0, as_memory(self.hash), as_memory(self.X), {"X": self.hash}),
                  Glue("CRYPTO_gcm128_finish: Xi ^= [len(A)]_64 || [len(C)]_64",
                       xor_writes("ctx", lambda read: block_to_bytes(self.L))),
                  Call("gcm_gmult_v8", {"x0": ctx, "x1": add(ctx, const(32, 64))}),
                  Glue("CRYPTO_gcm128_finish: Xi ^= EK0 (the tag T = Xi)",
                       xor_writes("ctx", lambda read: [read("EK0", i) for i in range(16)]))]
        return steps

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
        blocks = self.A + gcm.pad_blocks(self.C) + [self.L]
        A_bytes = [b for a in self.A for b in block_to_bytes(a)]
        C, T = derived_gcm_ae(self.w, self.H, self.EK0, be_bytes(var("IV", 96)),
                              self.plaintext(st), A_bytes)
        if any(c is not d for c, d in zip(C, self.C)):
            return False, "ring", "the proven ciphertext is not GCTR_K(inc32(J0), P)"
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
