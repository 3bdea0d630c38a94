"""Proof: OpenSSL's ChaCha20_neon computes RFC 8439 ChaCha20 encryption (§2.4.1).

Routine: ``ChaCha20_neon(u8 *out, const u8 *inp, size_t len, const u32 key[8],
const u32 counter[4])`` from libcrypto.a:libcrypto-lib-chacha-armv8.o (listing:
listings/ChaCha20_neon.lst, and ChaCha20_ctr32.lst for the byte loop it
shares below 64 bytes).  ``ChaCha20_ctr32`` branches to it when
len >= 192 and OPENSSL_armcap_P has the NEON bit; below 512 bytes the code
stays in it (from 512 it goes on to ``ChaCha20_512_neon``).  Each pass of its
loop makes 5 key-stream blocks: one in the scalar registers (counter + 0) and
four in NEON lanes (counter + 1..4, a 32-bit lane addition).  After the loop,
whole blocks are XORed and stored one by one, and a partial last block goes
through a 64-byte copy of its key stream on the stack and a byte loop.  The
proof calls ``ChaCha20_neon`` directly, with the same arguments.

Preconditions
  x0 = out: a writable region of len bytes;
  x1 = inp: len symbolic bytes;
  x2 = len, concrete (the ``length`` parameter, 1..1024: one or two passes of the
  loop below 512 bytes; from 512 the routine branches to ChaCha20_512_neon, whose
  loop makes 8 blocks per 512 bytes -- two scalar ones, counter + 0 and
  ``add x28, x28, #1``, and six in NEON lanes -- then steps the scalar counter by
  ``add x28, x28, #7``; the rest goes through this loop from 192 bytes, else
  through ChaCha20_ctr32's scalar loop and byte loop);
  x3 = key: 8 symbolic 32-bit words k0..k7, stored little-endian;
  x4 = counter: 4 symbolic words, the block counter then nonce words n0..n2,
  little-endian (RFC 8439 §2.3's state words 12..15);
  the regions, the stack and the object's sections are pairwise disjoint.
  Up to 320 bytes nothing is assumed about the counter's value: within one pass
  the scalar block uses the counter itself and the lanes add 1..4 modulo 2^32, as
  the RFC.  The next pass's scalar block counter is ``add x28, x28, #5`` on the
  64-bit register that holds nonce word n0 in its high half, so when the 32-bit
  counter wraps there the block uses n0 + 1 (the lanes, ``add v8.4s``, wrap
  modulo 2^32 as the RFC): above 320 bytes the statement states the
  precondition OpenSSL's callers guarantee (CRYPTO_ctr128_encrypt_ctr32 splits
  its calls where the counter would wrap): counter + blocks <= 2^32.
Postcondition
  out[i] = inp[i] XOR key-stream byte i, the key stream of blocks counter,
  counter + 1, ... (mod 2^32) under key and nonce (proofs/specs/chacha20.py).
Frame
  returns to x30; x19-x29, sp and d8-d15 preserved; only out changes (the
  stack below sp holds, and then zeroes, a partial block's key stream).
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Output, RoutineProof, Setup, le_bytes
from lnsym.terms.bv import const, uge, var
from proofs.listing import load_listing
from proofs.specs import chacha20

MEMBER = "libcrypto-lib-chacha-armv8.o"
SPEC = "RFC 8439 §2.4.1 ChaCha20 encryption, 32-bit block counter (proofs/specs/chacha20.py)"
ONE_PASS = 320            # one pass of the 5-block loop: no precondition
CTR32_LISTING = load_listing("ChaCha20_ctr32")


def words_region(name: str, words: list) -> Region:
    """A region of 32-bit words stored little-endian, based at the variable ``name``."""
    return Region(name, var(name, 64), 0, 4 * len(words),
                  init=lambda off: le_bytes(words[off // 4], off % 4), writable=False)


class ChaCha20Neon(RoutineProof):
    name = "ChaCha20_neon"
    member = MEMBER
    symbol = "ChaCha20_neon"
    listing = load_listing("ChaCha20_neon")
    spec = SPEC
    may_change = ("out",)
    max_length = 1024         # from 512 bytes ChaCha20_neon goes on to ChaCha20_512_neon
    counter_wraps_after = ONE_PASS   # longer statements need the no-wrap precondition

    @property
    def length(self) -> int:
        n = int(self.params.get("length", 64))
        if not 1 <= n <= self.max_length:
            from lnsym.errors import UserError
            raise UserError(f"{self.name} proofs take 1 to {self.max_length} bytes, not {n}")
        return n

    def no_wrap(self) -> list:
        """The precondition counter + blocks <= 2^32, when the length needs it (the
        parameter ``no_wrap=False`` drops it: the statement is then refuted)."""
        n = self.length
        if n <= self.counter_wraps_after or not self.params.get("no_wrap", True):
            return []
        blocks = -(-n // 64)
        return [uge(const((1 << 32) - blocks, 32), self.counter)]

    def title(self):
        n = self.length
        if n < 64:
            return f"{self.name} ({n} bytes: a partial block)"
        whole = f"{n // 64} block{'s' if n // 64 != 1 else ''}"
        return f"{self.name} ({n} bytes: {whole}{f' + {n % 64} bytes' if n % 64 else ''})"

    def other_listings(self) -> tuple:
        # below 64 bytes the code branches back into ChaCha20_ctr32's byte loop
        own = (("ChaCha20_ctr32", CTR32_LISTING),)
        if self.length >= 512:
            own += (("ChaCha20_512_neon", load_listing("ChaCha20_512_neon")),)
        return own

    def setup(self, image):
        n = self.length
        self.key = [var(f"k{i}", 32) for i in range(8)]
        self.counter = var("ctr", 32)
        self.nonce = [var(f"n{i}", 32) for i in range(3)]
        regions = [Region("out", var("out", 64), 0, n),
                   Region("inp", var("inp", 64), 0, n, writable=False),
                   words_region("key", self.key),
                   words_region("counter", [self.counter, *self.nonce])]
        regs = {"x0": var("out", 64), "x1": var("inp", 64), "x2": const(n, 64),
                "x3": var("key", 64), "x4": var("counter", 64)}
        return Setup(regs, regions, preconditions=self.no_wrap())

    def postcondition(self, st, setup):
        inp = st.mem.region("inp")
        plain = [inp.initial(i) for i in range(self.length)]
        out = chacha20.encrypt_terms(self.key, self.counter, self.nonce, plain)
        return [Output(f"out[{i}]", ("mem", "out", i, 1), out[i]) for i in range(self.length)]


class ChaCha20Ctr32(ChaCha20Neon):
    """``ChaCha20_ctr32`` itself below 192 bytes: the scalar path, one block at a time.

    Its block counter is the low half of a 64-bit register (``add x28, x28, #1``), so
    from the second block on the counter carries into nonce word n0 when it wraps:
    RFC 8439's 32-bit counter and OpenSSL's agree only while counter + blocks - 1
    < 2^32, which OpenSSL's callers ensure.  One block (1..64 bytes) needs no
    precondition; longer statements state counter + blocks <= 2^32 (without it
    they are refuted at counter 0xffffffff, tests/proofs/test_chacha20_proofs.py).
    From 192 bytes the routine may branch to ChaCha20_neon: not this statement."""
    name = "ChaCha20_ctr32"
    symbol = "ChaCha20_ctr32"
    listing = CTR32_LISTING
    max_length = 191
    counter_wraps_after = 64

    def other_listings(self) -> tuple:
        return ()
