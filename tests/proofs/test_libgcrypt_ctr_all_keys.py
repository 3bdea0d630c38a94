"""libgcrypt's _gcry_aes_ctr_enc_armv8_ce for every block count with AES-192 and
AES-256 keys (rows ``/all-192``, ``/all-256``): each key size has its own copy of the
4-way loop (heads +0x55c, +0xa14), so each gets its own loop mutants (two fast-path
counter lanes, the counter stride), each refuted at the smallest block count that
shows it and replayed, as for AES-128 (test_libgcrypt_ctr_all.py).  Mutants wrong on
the carry path too (a round key, the input pointer) are not here: the bounded search
for their counterexample grinds on that path, which no random input takes."""
from __future__ import annotations

import pytest
from test_libgcrypt_ctr_all import assert_mutant_refuted

from proofs import registry
from proofs.libgcrypt.ctr_all import LOOP_HEAD, GcryAesCtrGroupLoop

NAME = "_gcry_aes_ctr_enc_armv8_ce"
# per key size: the offsets in the loop of the fast path's third and fourth counter lanes
# (n = 8 shows them) and of the counter stride (n = 9 shows it)
LOOP_SITES = {192: (0x688, 0x68C, 0x690), 256: (0xB80, 0xB84, 0xB88)}
# each: key bits, what it changes, its offset and word in the listing, the mutant word,
# the residue n mod 4 whose induction it breaks, and the least block count that shows it
MUTANTS = [m for bits, (lane3, lane4, stride) in LOOP_SITES.items() for m in (
    (bits, "fast path: the third counter lane add v3.8h, v0.8h, v9.8h -> v10.8h",
     lane3, 0x4E698403, 0x4E6A8403, 0, 8),
    (bits, "fast path: the fourth counter lane add v4.4s, v0.4s, v10.4s -> v9.4s",
     lane4, 0x4EAA8404, 0x4EA98404, 0, 8),
    (bits, "counter stride: add v0.2d, v0.2d, v11.2d (+4) -> v10.2d (+3)",
     stride, 0x4EEB8400, 0x4EEA8400, 1, 9))]


def test_rows_name_their_key_size():
    """The rows exist by name (not in the default list) and say their key size."""
    for bits in (192, 256):
        name = f"{NAME}/all-{bits}"
        assert registry.select([name]) == [name]
        assert name not in registry.names()
        proof = registry.make(name)
        assert proof.bits == bits
        assert proof.title() == f"{NAME} (AES-{bits}, every block count, 1 ≤ n < 2^58)"


@pytest.mark.parametrize("bits", (192, 256))
def test_mutants_sit_inside_their_loop(bits):
    """Every mutant patches an instruction of its key size's loop (head to back edge)."""
    proof = GcryAesCtrGroupLoop(bits=bits, all_lengths=True, tail_blocks=0)
    back_edge = {192: 0x71C, 256: 0xC14}[bits]
    words = {off: word for off, word, _ in proof.listing}
    assert words[back_edge] >> 24 == 0x54                  # b.cond back to the head
    for b, _what, off, old, _new, _r, _n in MUTANTS:
        if b == bits:
            assert LOOP_HEAD[bits] <= off < back_edge and words[off] == old


@pytest.mark.parametrize("bits,what,off,old,new,residue,blocks", MUTANTS,
                         ids=[f"{m[0]}: {m[1]}" for m in MUTANTS])
def test_mutant_refuted(libgcrypt_lib, bits, what, off, old, new, residue, blocks):
    """Each mutant leaves its residue's induction unproved; the bounded search finds the
    smallest block count that shows it, and the counterexample replays concretely."""
    assert_mutant_refuted(bits, off, old, new, residue, blocks)
