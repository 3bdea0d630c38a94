"""Proof: libgcrypt's ``_gcry_aes_ctr_enc_armv8_ce`` for every block count (AES-128/192/256).

Statement: block i of dst = block i of src XOR AES_K(ctr + i) for every i < n (ctr the
16-byte counter as a big-endian 128-bit number, + modulo 2^128), and the counter is
written back as ctr + n, for every 1 ≤ n < 2^58 (src and dst of n blocks do not wrap).

Control flow (listings/_gcry_aes_ctr_enc_armv8_ce.lst, one path per key size, e.g.
AES-128's): below 4 blocks one block at a time (head +0x3ac); from 4, groups of 4: the
first group's counters and first 4 rounds before the loop, then the loop (head +0x134,
back edge +0x2b4; AES-192 +0x55c, AES-256 +0xa14)
finishes group k, stores it, loads group k + 1 and starts its rounds; after the loop
the last group is finished and the remaining r = n mod 4 blocks go one at a time.
Each group's counters come from one of two paths (``adds x11, x11, x12; b.hs``: does
the counter's low byte overflow within the group?): lane additions or ``adds; adc``.

The split (``lnsym.proof.cases``, coverage checked by z3):
* n = 1..7: the bounded proofs (``GcryAesCtr``, both carry paths from 4 blocks);
* n = 4·(num + 1) + r, r = 0..3, 1 ≤ num < 2^56 (n ≥ 8): one induction per r over
  the 4-way loop (``lnsym.proof.path_induction``: the carry branch split inside the
  entry run, the step and the last pass; one output group written per pass).  The
  fold's block is a group of 4 input blocks and its running value the counter:
  Fold(k) = ctr + 4k.  At the head after k passes the code holds ctr + 4(k + 1) in
  v0 (bytes), x9:x10 (halves) and x11 (low byte, shifted), and group k's counters
  after 4 AES rounds in v1..v4: the supplied invariant (``head_state``).
"""
from __future__ import annotations

from lnsym.backends.symbolic import Region
from lnsym.proof.all_lengths import AllLengths
from lnsym.proof.cases import N, Case, CaseSplit, ResidueCase, residue_class
from lnsym.proof.path_induction import OutputFold, PathAllLengths
from lnsym.proof.routine import Output
from lnsym.prover import reuse
from lnsym.terms.bv import add, and_, concat, const, eq, extract, uge, var
from proofs.libgcrypt.aes import GcryAesCtr
from proofs.specs import aes

LOOP_HEAD = {128: 0x134, 192: 0x55C, 256: 0xA14}   # the 4-way loop's head per key size
GROUP = 4                  # blocks per pass
SHORT = 2 * GROUP - 1      # n <= 7: bounded proofs (the loop is entered from 8 blocks)
NUM_BITS = 56
CTR = var("ctr", 128)      # the counter block as a big-endian number
HEAD_ROUNDS = 4            # AES rounds of group k done before the loop head


def counter_bytes(value) -> list:
    """The 16 bytes of a 128-bit counter value, most significant first."""
    return [extract(value, 127 - 8 * j, 120 - 8 * j) for j in range(16)]


def register(data: list):
    """The 128-bit register ld1 loads from 16 bytes (byte 0 least significant)."""
    return concat(*reversed(data))


def first_rounds(in_bytes: list, w: list, rounds: int) -> list:
    """FIPS 197 §5.1 Cipher stopped after the MixColumns of round ``rounds``: the state
    AddRoundKey(w[0..3]), then ``rounds`` times SubBytes, ShiftRows, MixColumns, with
    AddRoundKey of round r's words between rounds (the code's aese/aesmc pairs)."""
    state = [[in_bytes[r + 4 * c] for c in range(4)] for r in range(4)]
    for rnd in range(rounds):
        state = aes.AddRoundKey(state, w[4 * rnd:4 * rnd + 4])
        state = aes.MixColumns(aes.ShiftRows(aes.SubBytes(state)))
    return [state[r][c] for c in range(4) for r in range(4)]


class GcryAesCtrGroupLoop(ResidueCase, PathAllLengths, AllLengths, GcryAesCtr):
    """One residue r = params['tail_blocks']: n = 4·(num + 1) + r, num ≥ 1, by induction
    over the 4-way loop; bounded instances (counterexamples) are ``GcryAesCtr``."""
    bound_bits = NUM_BITS
    group_blocks = GROUP
    bounded_search = (0, 1, 2)

    def setup(self, image):
        """All lengths: x4 = 4·(num + 1) + r, the counter's bytes those of ``CTR``."""
        setup = super().setup(image)
        if not self.all_lengths:
            return setup
        setup.regs[self.registers["blocks"]] = self.group_count()
        ctr = counter_bytes(CTR)
        setup.regions = [r for r in setup.regions if r.name != "counter"]
        setup.regions.append(Region("counter", var("counter", 64), 0, 16,
                                    init=lambda off: ctr[off]))
        return setup

    @property
    def blocks(self) -> int:           # all lengths: src and dst hold block 0 (a group)
        return GROUP if self.all_lengths else super().blocks

    def keystream(self, value) -> list:
        """AES_K(value): each residue's induction asks for the same counter terms."""
        return reuse.cached(("aes", value, tuple(self.s)),
                            lambda: aes.cipher(counter_bytes(value), self.s))

    def encrypted(self, fold, data: list) -> list:
        """The blocks of ``data`` XOR the key stream from counter ``fold[0]`` on."""
        out = []
        for i in range(len(data) // 16):
            ks = self.keystream(add(fold[0], const(i, 128)))
            out += [data[16 * i + j] ^ ks[j] for j in range(16)]
        return out

    def head_state(self, k, fold, block) -> dict:
        """The head after k passes: Fold(k) = ctr + 4k; v0, x9:x10, x11 hold Fold(k) + 4,
        v1..v4 group k's counters after 4 rounds (v5..v8, group k's input, derived)."""
        memo = self.__dict__.setdefault("_head_states", {})
        if (k, fold[0]) not in memo:        # asked once per location; the same for each r
            memo[k, fold[0]] = reuse.cached(("ctr head", fold[0], tuple(self.s)),
                                            lambda: self._head_state(fold[0]))
        return memo[k, fold[0]]

    def _head_state(self, fold) -> dict:
        nxt = add(fold, const(GROUP, 128))
        state = {"v0": register(counter_bytes(nxt)), "x9": extract(nxt, 127, 64),
                 "x10": extract(nxt, 63, 0), "x11": concat(extract(nxt, 7, 0), const(0, 56))}
        for i in range(GROUP):
            ctr_i = counter_bytes(add(fold, const(i, 128)))
            state[f"v{i + 1}"] = register(first_rounds(ctr_i, self.s, HEAD_ROUNDS))
        return state

    def fold_statement(self, image) -> OutputFold:
        self.setup(image)
        tail = 16 * (GROUP + self.tail_blocks)

        def finish(fold, rest):
            return [add(fold[0], const(GROUP + self.tail_blocks, 128)),
                    *self.encrypted(fold, rest)]

        def outputs(final):
            outs = [Output(f"dst[16·4·num + {i}]", ("mem", "dst@num", i, 1), final[1 + i])
                    for i in range(tail)]
            return outs + [Output(f"counter[{j}]", ("mem", "counter", j, 1), b)
                           for j, b in enumerate(counter_bytes(final[0]))]
        return OutputFold([CTR], lambda fold, block: [add(fold[0], const(GROUP, 128))], "src",
                          16 * GROUP, outputs, NUM_BITS, invariant=self.head_state,
                          tail_bytes=tail, finish=finish, loop_head=LOOP_HEAD[self.bits], cut_at_exit=True,
                          output_region="dst", emit=self.encrypted)


def covers_residue(r: int):
    """n = 4·(num + 1) + r with 1 ≤ num < 2^56 (n ≥ 8)."""
    return and_(residue_class(GROUP, r, NUM_BITS), uge(N, const(2 * GROUP, 64)))


class GcryAesCtrAllLengths(CaseSplit, GcryAesCtr):
    """_gcry_aes_ctr_enc_armv8_ce for every 1 ≤ n < 2^58 (params bits: 128, 192, 256):
    n ≤ 7 bounded, four inductions over the 4-way loop beyond."""

    def title(self):
        return f"{self.name} (AES-{self.bits}, every block count, 1 ≤ n < 2^{self.bound_bits})"

    def cases(self) -> list:
        bits = self.bits
        return ([Case(f"n = {n}", eq(N, const(n, 64)), GcryAesCtr(bits=bits, blocks=n))
                 for n in range(1, SHORT + 1)]
                + [Case(f"n = 4·(num + 1) + {r}, 1 ≤ num < 2^{NUM_BITS}", covers_residue(r),
                        GcryAesCtrGroupLoop(bits=bits, all_lengths=True, tail_blocks=r))
                   for r in range(GROUP)])
