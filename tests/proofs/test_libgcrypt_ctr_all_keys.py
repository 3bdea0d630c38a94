"""libgcrypt's _gcry_aes_ctr_enc_armv8_ce for every block count with AES-192 and
AES-256 keys (rows ``/all-192``, ``/all-256``): each key size has its own copy of the
4-way loop (heads +0x55c, +0xa14), so each gets its own loop mutants (two fast-path
counter lanes, the counter stride, and round keys only these key sizes use), each
refuted at the smallest block count that shows it and replayed, as for AES-128
(test_libgcrypt_ctr_all.py).  A round-key mutant is wrong on the carry path too,
which no random input takes: its bounded refutation there comes from inputs drawn
from z3 models of the path's facts (lnsym.prover.precondition), confirmed by a
concrete run and under QEMU."""
from __future__ import annotations

import re

import pytest
from patching import instruction_patch
from test_libgcrypt_ctr_all import assert_mutant_refuted

from lnsym.elf.image import load_image
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
# round keys in the loop that AES-128 never uses (rk10, rk11 from AES-192; rk12, rk13 at
# AES-256): every lane is wrong, on both carry paths, from the first group the loop ends
ROUND_KEY_MUTANTS = [
    (192, "round key: aese v1.16b, v27.16b (rk10) -> v26.16b (rk9)", 0x62C, 0x4E284B61,
     0x4E284B41, 0, 8),
    (192, "round key: aese v4.16b, v28.16b (rk11) -> v27.16b (rk10)", 0x658, 0x4E284B84,
     0x4E284B64, 0, 8),
    (256, "round key: aese v1.16b, v29.16b (rk12) -> v28.16b (rk11)", 0xB24, 0x4E284BA1,
     0x4E284B81, 0, 8),
    (256, "round key: aese v3.16b, v30.16b (rk13) -> v29.16b (rk12)", 0xB4C, 0x4E284BC3,
     0x4E284BA3, 0, 8)]


def test_rows_name_their_key_size():
    """The rows exist by name, are in the default list (every block count, like the
    AES-128 row) and say their key size."""
    for bits in (192, 256):
        name = f"{NAME}/all-{bits}"
        assert registry.select([name]) == [name]
        assert name in registry.names()
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
    for b, _what, off, old, _new, _r, _n in MUTANTS + ROUND_KEY_MUTANTS:
        if b == bits:
            assert LOOP_HEAD[bits] <= off < back_edge and words[off] == old


@pytest.mark.parametrize("bits,what,off,old,new,residue,blocks", MUTANTS,
                         ids=[f"{m[0]}: {m[1]}" for m in MUTANTS])
def test_mutant_refuted(libgcrypt_lib, bits, what, off, old, new, residue, blocks):
    """Each mutant leaves its residue's induction unproved; the bounded search finds the
    smallest block count that shows it, and the counterexample replays concretely."""
    assert_mutant_refuted(bits, off, old, new, residue, blocks)


@pytest.mark.parametrize("bits,what,off,old,new,residue,blocks", ROUND_KEY_MUTANTS,
                         ids=[f"{m[0]}: {m[1]}" for m in ROUND_KEY_MUTANTS])
def test_round_key_mutant_refuted_on_the_carry_path(libgcrypt_lib, bits, what, off, old, new,
                                                    residue, blocks):
    """The induction is refuted; at the smallest block count the bounded proof is
    refuted on every path, the carry path (the group's b.hs taken) included, which
    random simulation rarely reaches (inputs drawn from z3 models of its facts do);
    each path's counterexample replays concretely, and the first one under QEMU."""
    proof = GcryAesCtrGroupLoop(bits=bits, all_lengths=True, tail_blocks=residue)
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    assert (report.status, report.counterexample_blocks) == ("refuted", blocks), report.replay
    assert proof.confirmed is True and proof.qemu_confirmed is True
    assert "confirmed under QEMU: the outputs differ" in report.replay
    paths = re.split(r"\n(?=\[path )", report.replay.split("(bounded proof refuted):\n")[1])
    carry = [p for p in paths if re.match(r"\[path 0x[0-9a-f]+ taken", p)]
    assert carry and all("confirmed: the outputs differ" in p for p in paths), paths
    bounded = [r for r in report.results if r.name.startswith("bounded ")]
    assert any(r.status == "refuted" and re.search(r"\[path 0x[0-9a-f]+ taken", r.name)
               for r in bounded), [(r.name, r.method) for r in bounded]
