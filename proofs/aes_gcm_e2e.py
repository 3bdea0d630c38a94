"""Proof: AES-GCM composed from OpenSSL's routines, nothing assumed about the key
schedule, H or Htable (SP 800-38D §6.4, §6.5); GCM-AE on top: proofs/gcm_ae_e2e.py.

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
  Postcondition: out = GCTR_K(CB, in); Xi = the kernel's aggregated hash over H and
  the table's P2..P4 (bit level), and so (derived) Xi = GHASH_H(Xi; C_1..C_n),
  Algorithm 2; ivec's
  counter advanced by the blocks; the schedule, H and Htable as the standard and
  OpenSSL's layout say.  Xi, the IV and the counter are symbolic.

Cut points (lnsym/proof/sequence.py) after the key schedule (w = KeyExpansion(K)),
after E_K(0^128) (the variable H) and after gcm_init_v8 (the table, with variables
P2..P4 for H^2..H^4): each is an obligation, and what follows is proved for every
value of the variable.  So P_m = H^m is proved of the table gcm_init_v8 stored in
this run, not assumed; the Algorithm 2 step instantiates P_m at what that cut proved.
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.elf.targets import member_spec
from lnsym.proof.routine import Corollary, Output, Setup
from lnsym.proof.sequence import Call, CallSequenceProof, Cut, Glue
from lnsym.terms.bv import add, concat, const, var
from proofs.aes_gcm_kernel import AesGcmKernel, kernel_aggregated
from proofs.aes_v8_set_encrypt_key import ROUNDS, KeySize, set_key_setup, user_key_schedule
from proofs.blocks import as_memory, block_region
from proofs.ghash_algebra import TRUSTED, aggregated_is_ghash
from proofs.listing import load_listing
from proofs.specs import aes, gcm
from proofs.specs.bytes import be_bytes
from proofs.specs.ghash import block_to_bytes
from proofs.specs.ghash_htable import (
    HTABLE_BYTES,
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
POWERS_TRUSTED = ("instantiation of P2, P3, P4 at H^2, H^3, H^4: their definitions at cut "
                  "Htable, where the table gcm_init_v8 stored in this run is proved to hold them")


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
