"""Block-cipher contracts: n blocks under a stored schedule, and CTR mode.

``BlockCipherBlocks``: ``f(schedule, dst, src[, rounds][, nblocks])`` (registers
named in ``registers``; leave one out with None).

Preconditions
  schedule: the round-key words s[0 .. 4(Nr+1)-1], each symbolic, stored in
  ``schedule_order`` ('big': each word's bytes in FIPS 197 order, as AES-CE code
  loads round keys with ld1); a concrete Nr at ``schedule_rounds_at`` if given
  (OpenSSL's AES_KEY: 240), and/or in the ``rounds`` register (``rounds_bits``
  wide: 32 for ``w3``, upper bits unconstrained); params bits = 128/192/256;
  src: 16 * blocks symbolic bytes; dst: 16 * blocks writable bytes; with the
  parameter in_place=True one region ``data`` serves as both (dst == src);
  otherwise all regions, the stack and the object are pairwise disjoint.
Postcondition
  each 16-byte block of dst is ``encrypt_block`` (FIPS 197 Cipher) of the same
  block of src under s; for direction 'decrypt', ``decrypt_block`` (EqInvCipher,
  §5.3.5) under dw, where dw round j is stored round Nr-j when
  ``decrypt_rounds_reversed`` (OpenSSL, libgcrypt) and round j otherwise;
  x0 = ``returns`` when given.
Frame
  as every proof: preserved registers and d8-d15 keep their values; only dst
  (or data) changes.

``CtrBlocks`` adds a ``counter`` register: a 16-byte region, symbolic; block i
of dst = src block i XOR E(counter + i), where the increment is of the whole
block as a big-endian 128-bit number (``counter_bits`` 128, libgcrypt) or of its
last 32 bits (``counter_bits`` 32, OpenSSL's ctr32); with ``counter_updated``,
the counter region holds counter + n afterwards (and may change).
"""
from __future__ import annotations

from typing import ClassVar

from lnsym.backends.symbolic import Region
from lnsym.proof.routine import Output, Setup
from lnsym.terms.bv import concat, const, extract, var
from proofs.contracts.base import Contract, narrow, word_bytes
from proofs.specs import aes

ROUNDS = {128: 10, 192: 12, 256: 14}


class BlockCipherBlocks(Contract):
    direction = "encrypt"
    encrypt_block = aes.cipher            # (16 byte terms, schedule words) -> 16 bytes
    decrypt_block = aes.eq_inv_cipher
    registers: ClassVar[dict] = {"schedule": "x0", "dst": "x1", "src": "x2", "rounds": "x3",
                                 "blocks": None}
    rounds_bits = 32
    schedule_order = "big"
    schedule_rounds_at = None
    decrypt_rounds_reversed = True
    variants = tuple({"bits": b} for b in ROUNDS)

    @property
    def bits(self) -> int:
        return int(self.params.get("bits", 128))

    @property
    def blocks(self) -> int:
        return int(self.params.get("blocks", 1))

    @property
    def in_place(self) -> bool:
        return bool(self.params.get("in_place", False))

    def schedule_region(self, rounds: int) -> Region:
        self.s = [var(f"s{i}", 32) for i in range(4 * (rounds + 1))]
        at = self.schedule_rounds_at
        size = max(16 * (rounds + 1), at + 4 if at is not None else 0)

        def init(off):
            if off < 16 * (rounds + 1):
                return word_bytes(self.s[off // 4], self.schedule_order)[off % 4]
            if at is not None and at <= off < at + 4:
                return extract(const(rounds, 32), 8 * (off - at) + 7, 8 * (off - at))
            return var(f"schedule[{off}]", 8)
        return Region("schedule", var("schedule", 64), 0, size, init=init)

    def data_regions(self) -> tuple[list, dict]:
        n = 16 * self.blocks
        r = self.registers
        if self.in_place:
            self.src_name = self.dst_name = "data"
            regions = [Region("data", var("data", 64), 0, n)]
        else:
            self.src_name, self.dst_name = "src", "dst"
            regions = [Region("src", var("src", 64), 0, n), Region("dst", var("dst", 64), 0, n)]
        regs = {r["src"]: var(self.src_name, 64), r["dst"]: var(self.dst_name, 64)}
        return regions, regs

    def setup(self, image):
        rounds = ROUNDS[self.bits]
        regions, regs = self.data_regions()
        regions.append(self.schedule_region(rounds))
        r = self.registers
        regs[r["schedule"]] = var("schedule", 64)
        if r.get("rounds"):
            regs[r["rounds"]] = narrow(rounds, self.rounds_bits, r["rounds"])
        if r.get("blocks"):
            regs[r["blocks"]] = narrow(self.blocks, 64, r["blocks"])
        self.may_change = (self.dst_name,)
        return Setup(regs, regions)

    def block_function(self):
        """The spec of one block: bytes -> bytes."""
        rounds = ROUNDS[self.bits]
        if self.direction == "encrypt":
            enc = type(self).encrypt_block
            return lambda block: enc(block, self.s)
        dw = self.s
        if self.decrypt_rounds_reversed:
            dw = [self.s[4 * (rounds - i // 4) + i % 4] for i in range(len(self.s))]
        dec = type(self).decrypt_block
        return lambda block: dec(block, dw)

    def postcondition(self, st, setup):
        src = st.mem.region(self.src_name)
        f = self.block_function()
        outs = []
        for b in range(self.blocks):
            out = f([src.initial(16 * b + i) for i in range(16)])
            outs += [Output(f"{self.dst_name}[{16 * b + i}]", ("mem", self.dst_name, 16 * b + i, 1),
                            out[i]) for i in range(16)]
        return outs + self.return_outputs()


class CtrBlocks(BlockCipherBlocks):
    registers: ClassVar[dict] = {"schedule": "x0", "dst": "x1", "src": "x2", "counter": "x3",
                                 "blocks": "x4",
                                 "rounds": "x5"}
    counter_bits = 128
    counter_updated = True

    def setup(self, image):
        setup = super().setup(image)
        setup.regions.append(Region("counter", var("counter", 64), 0, 16))
        setup.regs[self.registers["counter"]] = var("counter", 64)
        if self.counter_updated:
            self.may_change = (self.dst_name, "counter")
        return setup

    def counter_block(self, c0: list, i: int) -> list:
        """The 16 bytes of counter + i (big-endian increment of the low counter_bits)."""
        whole = concat(*c0)
        k = self.counter_bits
        low = extract(whole, k - 1, 0) + const(i, k)
        value = low if k == 128 else concat(extract(whole, 127, k), low)
        return [extract(value, 127 - 8 * j, 120 - 8 * j) for j in range(16)]

    def postcondition(self, st, setup):
        src, ctr = st.mem.region(self.src_name), st.mem.region("counter")
        c0 = [ctr.initial(j) for j in range(16)]
        enc = type(self).encrypt_block
        outs = []
        for b in range(self.blocks):
            key_stream = enc(self.counter_block(c0, b), self.s)
            outs += [Output(f"{self.dst_name}[{16 * b + i}]", ("mem", self.dst_name, 16 * b + i, 1),
                            src.initial(16 * b + i) ^ key_stream[i]) for i in range(16)]
        if self.counter_updated:
            final = self.counter_block(c0, self.blocks)
            outs += [Output(f"counter[{j}]", ("mem", "counter", j, 1), final[j]) for j in range(16)]
        return outs + self.return_outputs()
