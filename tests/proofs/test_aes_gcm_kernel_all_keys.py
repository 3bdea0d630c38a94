"""aes_gcm_enc_192_kernel and aes_gcm_enc_256_kernel for every whole-block length: mutants
of their own copy of the 4-block main loop, which only the induction runs (the bounded
cases n <= 4 and num = 0, 5 to 8 blocks, skip it): a round key AES-128 never uses, a
counter increment, a Karatsuba middle term of the group hash.  Each is refuted by the
induction of tail t = 1 (only that case of the split runs), then at 9 blocks, the
smallest length whose run enters the loop, by a bounded proof whose counterexample
replays concretely and under QEMU."""
from __future__ import annotations

import pytest
from patching import instruction_patch

from lnsym.elf.image import load_image
from proofs.aes_gcm_kernel_all import ENC_LOOP_HEAD, KernelGroupLoop

pytestmark = pytest.mark.openssl

# the main loop's back edge (b.lt to the head) per key size
BACK_EDGE = {192: 0x640, 256: 0x6C8}
ROUND_KEYS_FROM = {192: 28, 256: 30}        # aese keys v18.. hold rk0..; these are new
# per key size, the offsets in the loop of: lane 1's AESE with the first new round key,
# lane 3's with the second, a counter increment, block 1's Karatsuba middle factor
SITES = {192: (0x5AC, 0x618, 0x448, 0x3D0), 256: (0x5D8, 0x6A0, 0x5A4, 0x424)}


def aese(lane: int, key: int) -> int:
    """The word of ``aese v<lane>.16b, v<key>.16b``."""
    return 0x4E284800 | key << 5 | lane


# (key bits, what it changes, offset in the listing, listed word, mutant word, tail t of
#  the induction, smallest block count of that t that differs)
MUTANTS = [m for bits, (lane1, lane3, counter, middle) in SITES.items()
           for k in (ROUND_KEYS_FROM[bits],) for m in (
    (bits, f"round key: aese v1.16b, v{k}.16b (rk{k - 18}) -> v{k - 1}.16b", lane1,
     aese(1, k), aese(1, k - 1), 1, 9),
    (bits, f"round key: aese v3.16b, v{k + 1}.16b (rk{k - 17}) -> v{k}.16b", lane3,
     aese(3, k + 1), aese(3, k), 1, 9),
    (bits, "counter increment: add w12, w12, #1 -> #2", counter, 0x1100058C, 0x1100098C, 1,
     9),
    (bits, "Karatsuba: block 1's middle factor eor v8.8b, v8.8b, v4.8b -> v5.8b", middle,
     0x2E241D08, 0x2E251D08, 1, 9))]


def _words(bits: int) -> dict:
    proof = KernelGroupLoop(bits=bits, decrypt=False, all_lengths=True, tail_blocks=1)
    return {off: (word, text) for off, word, text in proof.listing}


@pytest.mark.parametrize("bits", (192, 256))
def test_mutants_sit_inside_their_loop(bits):
    """Every mutant patches a listed instruction between its key size's loop head and
    back edge; the round keys mutated are ones the smaller key sizes' kernels never use
    in an AESE."""
    words = _words(bits)
    assert words[BACK_EDGE[bits]][1].startswith("b.lt")
    for b, what, off, old, _new, _t, _n in MUTANTS:
        if b == bits:
            assert ENC_LOOP_HEAD[bits] <= off < BACK_EDGE[bits], what
            assert words[off][0] == old, what
    smaller = [w for w in (128, 192) if w < bits]
    for reg in range(ROUND_KEYS_FROM[bits], ROUND_KEYS_FROM[bits] + 2):
        for w in smaller:
            assert not any(t.startswith("aese") and t.endswith(f"v{reg}.16b")
                           for _word, t in _words(w).values()), (w, reg)


@pytest.mark.parametrize("bits,what,off,old,new,tail,blocks", MUTANTS,
                         ids=[f"enc {m[0]}: {m[1]}" for m in MUTANTS])
def test_mutant_refuted_by_the_induction(openssl_lib, bits, what, off, old, new, tail,
                                         blocks):
    proof = KernelGroupLoop(bits=bits, decrypt=False, all_lengths=True, tail_blocks=tail)
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    outcome = (report.status, getattr(report, "counterexample_blocks", None),
               getattr(proof, "confirmed", None), getattr(proof, "qemu_confirmed", None))
    assert outcome == ("refuted", blocks, True, True), report.replay
    assert "step" in {r.name.split(":")[0] for r in report.failed}
    num = (blocks - tail) // 4 - 1
    assert f"counterexample at num = {num} ({blocks} blocks)" in report.replay
    assert "confirmed: the outputs differ" in report.replay
    assert "confirmed under QEMU: the outputs differ" in report.replay
