"""Proof: OpenSSL's AES-GCM kernels compute GCTR and fold the ciphertext into GHASH
(SP 800-38D §6.4, §6.5), for up to 12 blocks, a partial last block included.

Routines: ``aes_gcm_{enc,dec}_{128,192,256}_kernel(const u8 *in, u64 bit_length,
u8 *out, u64 Xi[2], u8 ivec[16], const AES_KEY *key)`` from
libcrypto.a:libcrypto-lib-aes-gcm-armv8_64.o (listings: listings/<symbol>.lst).
Encryption hashes its output, decryption its input: in both the hashed blocks are
the ciphertext.
``Xi`` points into OpenSSL's GCM128_CONTEXT: the running hash Xi, then 16 bytes the
kernel does not read, then ``Htable`` (gcm_init_v8's table) at Xi + 32.
Code paths: the main loop handles 4 blocks at a time while more than 4 remain,
interleaving the AES rounds of one group with the GHASH of the previous one; the
tail takes the last 1..4 blocks at once, each multiplied by the power of H for
its distance from the end.

Preconditions
  x0 = in: 16*blocks symbolic bytes; x1 = 128*blocks (the length in bits);
  x2 = out: 16*blocks writable bytes;
  x3 = Xi: 16 symbolic bytes (the standard's byte order), 16 unknown bytes, then
  ``htable(H, P2, P3, P4)`` (proofs/specs/ghash_htable.py) for symbolic H, P2..P4;
  x4 = ivec: the counter block CB = IV || ctr, IV 96 and ctr 32 symbolic bits, as its
  16 bytes in the standard's order (big-endian counter);
  x5 = key: the AES schedule w[0..4Nr+3] as aes_v8_set_encrypt_key stores it
  (big-endian words, ``rounds`` = Nr = 10/12/14; proofs/aes_v8_encrypt.py), every
  w[i] symbolic;
  the regions, the stack and the object's sections are pairwise disjoint;
  from 5 blocks on, in + 64*j < in + 64*floor((16*blocks - 1)/64) as signed 64-bit
  numbers for each group j before the last (the main loop's tests are signed
  comparisons of pointers; user-space addresses are below 2^48): a stated
  assumption, listed in the trusted base.
Postcondition
  out = GCTR_w(CB, in) (§6.5 Algorithm 3: block i XORed with CIPH(inc32^i(CB)));
  a partial last block leaves out's bytes past the length as they were;
  Xi = the running hash folded over the ciphertext blocks (out for encryption, in
  for decryption; a partial block zero-padded) as the kernel groups them
  (``kernel_aggregated``: groups of 4, then the last 1..4 at once) with the table's
  values as the powers of H; the counter word of ivec = ctr + blocks (mod 2^32),
  the IV bytes unchanged; the return value is the length in bytes.
Frame
  returns to x30; x19-x29, sp and d8-d15 preserved; only out, Xi and ivec change (of
  the Xi region, only Xi's 16 bytes: the table and the unread bytes stay as they were).
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.machine.lift import LOCATION_WIDTHS, PC, lift
from lnsym.proof.routine import Corollary, Output, RoutineProof, Setup
from lnsym.terms.bv import add, concat, const, extract, substitute, var
from proofs.aes_v8_encrypt import schedule_region
from proofs.aes_v8_set_encrypt_key import ROUNDS
from proofs.blocks import as_memory, block_region
from proofs.gcm_gmult_v8 import symbolic_table
from proofs.ghash_algebra import TRUSTED, aggregated_is_ghash
from proofs.listing import load_listing
from proofs.specs import gcm
from proofs.specs.ghash import GF128
from proofs.specs.ghash_htable import htable_bytes

MEMBER = "libcrypto-lib-aes-gcm-armv8_64.o"
SPEC = ("SP 800-38D §6.5 GCTR with inc32 and §6.4 GHASH (proofs/specs/gcm.py, ghash.py); "
        "FIPS 197 AES-{bits} Cipher (proofs/specs/aes.py); OpenSSL's Htable layout "
        "(proofs/specs/ghash_htable.py)")
AGGREGATED = "Xi <- aggregated GHASH over the ciphertext"
STANDARD = ("Xi <- GHASH_H(Xi; C1..Cn), SP 800-38D Algorithm 2 over the ciphertext blocks, "
            "when P_m = H^m (the table gcm_init_v8 stores)")
HTABLE_AT = 32            # Htable's offset from Xi in GCM128_CONTEXT
XI_BYTES = HTABLE_AT + 96
MAX_BLOCKS = 12           # bounded proofs: the tail (1-4 blocks), the main loop's pipelined first
                          # pass (5-8 blocks) and one pass of its steady-state body (9-12)


def kernel_aggregated(powers4: list, blocks: list, X0, field=GF128):
    """GHASH folded as the kernel groups blocks: groups of 4 while more than 4 remain,
    then the last 1..4 as one group.  A group (Z_1..Z_k) with running value Y gives
    (Y xor Z_1)•P_k xor Z_2•P_(k-1) xor ... xor Z_k•P_1, ``powers4 = [P_1..P_4]``."""
    Y, i, n = X0, 0, len(blocks)
    while i < n:
        k = min(n - i, 4)
        group = blocks[i:i + k]
        terms = [field.mul(field.add(Y, group[0]), powers4[k - 1])]
        terms += [field.mul(z, powers4[k - 1 - j]) for j, z in enumerate(group[1:], 1)]
        Y = field.add(*terms)
        i += k
    return Y


CMP_X0_X5, B_GE = 0xEB05001F, 0x54002C2A      # the main loop's entry test (listing +0x18c, +0x238)


def below_as_signed(a, b):
    """The condition of ``cmp a, b; b.ge`` as the executor computes it for x0 = a,
    x5 = b: a 1-bit term (N xor V), 1 -- fall through, not taken -- when a < b as
    signed 64-bit numbers.  Built from the two instructions' lifted summaries, the
    way ``SymState.step`` instantiates them (no run, so no observer sees it)."""
    cmp, bge = lift(CMP_X0_X5, 0), lift(B_GE, 4)
    nzcv = substitute(cmp.writes["nzcv"], {var("x0", 64): a, var("x5", 64): b})
    nxt = substitute(bge.next_pc, {var("nzcv", LOCATION_WIDTHS["nzcv"]): nzcv, PC: const(4, 64)})
    return nxt.args[0]


def xi_region(Xi, entries: list) -> Region:
    """Xi (16 bytes, most significant first), 16 unknown bytes, then the table."""
    table = htable_bytes(entries)
    top = Xi.width - 1

    def init(off):
        if off < 16:
            return extract(Xi, top - 8 * off, top - 7 - 8 * off)
        if off >= HTABLE_AT:
            return table[off - HTABLE_AT]
        return var(f"Xi[{off}]", 8)
    return Region("Xi", var("Xi", 64), 0, XI_BYTES, init=init)


class AesGcmKernel(RoutineProof):
    """Parameters: ``bits`` (128, 192, 256), ``decrypt`` (bool), and ``blocks`` or ``bytes``."""
    member = MEMBER
    may_change = ("out", "Xi", "ivec")

    @property
    def spec(self) -> str:
        return SPEC.format(bits=self.bits)

    @property
    def bits(self) -> int:
        return int(self.params.get("bits", 128))

    @property
    def decrypt(self) -> bool:
        return bool(self.params.get("decrypt", False))

    @property
    def symbol(self) -> str:
        return f"aes_gcm_{'dec' if self.decrypt else 'enc'}_{self.bits}_kernel"

    name = symbol

    @property
    def listing(self) -> tuple:
        return load_listing(self.symbol)

    @property
    def length(self) -> int:
        """The message length in bytes: ``bytes``, or 16 * ``blocks``."""
        n = int(self.params.get("bytes", 16 * int(self.params.get("blocks", 1))))
        if not 1 <= n <= 16 * MAX_BLOCKS:
            from lnsym.errors import UserError
            raise UserError(f"{self.symbol} proofs take 1 to {16 * MAX_BLOCKS} bytes, not {n}")
        return n

    @property
    def blocks(self) -> int:
        return -(-self.length // 16)

    def title(self):
        n = self.length
        if n % 16:
            whole = f"{n // 16} block{'s' if n // 16 != 1 else ''}"
            return f"{self.name} ({n} bytes: {whole} + {n % 16} bytes)"
        return f"{self.name} ({self.blocks} block{'s' if self.blocks > 1 else ''})"

    def kernel_state(self, in_bytes: int, out_bytes: int, bit_length) -> tuple:
        """The symbolic inputs (schedule w, Xi0, H and P2..P4, CB = IV || ctr), the
        regions (``in_bytes`` of in, ``out_bytes`` of out) and the argument registers."""
        rounds = ROUNDS[self.bits]
        self.w = [var(f"w{i}", 32) for i in range(4 * (rounds + 1))]
        self.Xi0 = var("Xi0", 128)
        self.H, self.P, entries = symbolic_table()
        self.CB = concat(var("IV", 96), var("ctr", 32))
        regions = [Region("in", var("in", 64), 0, in_bytes, writable=False),
                   Region("out", var("out", 64), 0, out_bytes),
                   xi_region(self.Xi0, entries),
                   block_region("ivec", self.CB),
                   schedule_region("key", self.w, rounds)]
        regs = {"x0": var("in", 64), "x1": bit_length, "x2": var("out", 64),
                "x3": var("Xi", 64), "x4": var("ivec", 64), "x5": var("key", 64)}
        return regions, regs

    def setup(self, image):
        n, padded = self.length, 16 * self.blocks
        # the kernel loads and stores whole blocks: a partial last block reads 16 bytes
        # of in and of out, and stores out's own bytes back past the length
        regions, regs = self.kernel_state(padded, padded, const(8 * n, 64))
        assumptions, wording = {}, {}
        main = (padded - 1) & ~63          # bytes handled by the 4-block main loop
        for done in range(0, main, 64):
            # before each group the kernel tests ``in + done < in + main`` as *signed*
            # numbers: true for user-space addresses (below 2^63), not implied by
            # "regions do not wrap"
            fact = below_as_signed(add(var("in", 64), const(done, 64)),
                                   add(var("in", 64), const(main, 64)))
            assumptions[fact] = 1
            wording[fact] = f"in{f' + {done}' if done else ''} < in + {main} as signed 64-bit numbers"
        return Setup(regs, regions, assumptions=assumptions, wording=wording)

    def gctr_output(self, st) -> list:
        inp = st.mem.region("in")
        return gcm.gctr(self.w, self.CB, [inp.initial(i) for i in range(self.length)])

    def ciphertext(self, st) -> list:
        """The hashed bytes: the output when encrypting, the input when decrypting."""
        if self.decrypt:
            inp = st.mem.region("in")
            return [inp.initial(i) for i in range(self.length)]
        return self.gctr_output(st)

    def postcondition(self, st, setup):
        n, padded = self.length, 16 * self.blocks
        C = self.gctr_output(st)
        self.aggregated = kernel_aggregated([self.H, *self.P], gcm.pad_blocks(self.ciphertext(st)),
                                            self.Xi0)
        last = gcm.counter_blocks(self.CB, self.blocks + 1)[-1]
        out = st.mem.region("out")
        outs = [Output(f"out[{i}]", ("mem", "out", i, 1), C[i]) for i in range(n)]
        outs += [Output(f"out[{i}] unchanged (past the length)", ("mem", "out", i, 1),
                        out.initial(i)) for i in range(n, padded)]
        outs.append(Output(AGGREGATED, ("mem", "Xi", 0, 16), as_memory(self.aggregated)))
        xi = st.mem.region("Xi")                 # only Xi itself may change, not the table
        outs += [Output(f"frame: Xi[{off:#x}] unchanged", ("mem", "Xi", off, 1), xi.initial(off))
                 for off in sorted(xi.bytes) if off >= 16 and xi.bytes[off] is not xi.initial(off)]
        outs.append(Output("ivec <- inc32^blocks(CB)", ("mem", "ivec", 0, 16), as_memory(last)))
        outs.append(Output("return value: length in bytes", ("reg", "x0", 63, 0), const(n, 64)))
        return outs

    def corollaries(self, st, setup):
        blocks = gcm.pad_blocks(self.ciphertext(st))
        return [Corollary(STANDARD, (AGGREGATED,),
                          lambda: aggregated_is_ghash(self.aggregated, self.H, self.Xi0, blocks,
                                                      self.P, kernel_aggregated),
                          TRUSTED + (("instantiation of the free table values P2, P3, P4 "
                                      "at H^2, H^3, H^4"),))]
