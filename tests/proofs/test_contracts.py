"""proofs/contracts on routines of different conventions: a hand-written hash step
that takes its constant table by pointer (big-endian state, 32-bit count), and
OpenSSL's aes_v8_encrypt under the same block-cipher contract as libgcrypt's."""
from __future__ import annotations

import subprocess

import pytest
from tooling import need_tool

from lnsym.terms.bv import const
from lnsym.terms.evaluate import evaluate
from proofs.contracts import BlockCipherBlocks, HashBlocks, Table, narrow, stored_word

TOY = """
    .text
    .globl toy
    .type toy, %function
toy:                        // toy(u32be *state, const u8 *in, unsigned n, const u32 *K)
    ldr  w4, [x0]
    rev  w4, w4
    ldr  w5, [x3]
1:  ldr  w6, [x1], #4
    rev  w6, w6
    add  w4, w4, w6
    {add_k}
    subs w2, w2, #1
    b.ne 1b
    rev  w4, w4
    str  w4, [x0]
    mov  x0, #0
    ret
"""


def toy_compress(H, M, K):
    """The toy step: H0 + M0 + K0 (mod 2^32)."""
    return [H[0] + M[0] + K[0]]


def _toy_object(tmp_path, add_k="add w4, w4, w5"):
    gas = need_tool("aarch64-linux-gnu-as")
    src = tmp_path / "toy.s"
    src.write_text(TOY.format(add_k=add_k))
    subprocess.run([gas, "-o", str(tmp_path / "toy.o"), str(src)], check=True)
    return str(tmp_path / "toy.o")


def _toy_proof(obj, symbolic):
    class Toy(HashBlocks):
        name = symbol = "toy"
        object = obj
        spec = "toy step"
        compress = toy_compress
        word_bits, state_words, block_bytes = 32, 1, 4
        state_order = "big"
        count_bits = 32
        table = Table("x3", (0x1234_5678,), symbolic=symbolic)
        returns = 0
    return Toy


@pytest.mark.parametrize("symbolic", [False, True])
def test_hash_contract_with_table_narrow_count_and_big_endian_state(tmp_path, symbolic):
    Toy = _toy_proof(_toy_object(tmp_path), symbolic)
    report = Toy(blocks=3).check()
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert any(t.startswith("listing: none recorded") for t in report.trusted_base)
    mutant = _toy_proof(_toy_object(tmp_path, "nop"), symbolic)(blocks=2).check()
    assert mutant.status == "refuted"
    assert "confirmed: the outputs differ" in mutant.replay


def test_narrow_and_stored_word():
    x3 = narrow(10, 32, "x3")
    assert x3.width == 64
    assert evaluate(x3, lambda name: 0xFFFF_FFFF) == 0xFFFF_FFFF_0000_000A
    w = const(0x11223344, 32)
    assert int(stored_word(w, "little")) == 0x11223344
    assert int(stored_word(w, "big")) == 0x44332211
    with pytest.raises(ValueError, match="neither"):
        stored_word(w, "middle")


class OpensslAesEncrypt(BlockCipherBlocks):
    """aes_v8_encrypt(in, out, key): rounds stored at key+240, no rounds register."""
    name = symbol = "aes_v8_encrypt"
    library, member = "openssl", "libcrypto-lib-aesv8-armx.o"
    spec = "FIPS 197 §5.1 Cipher"
    registers = {"schedule": "x2", "dst": "x1", "src": "x0", "rounds": None,  # noqa: RUF012
                 "blocks": None}
    schedule_rounds_at = 240


@pytest.mark.parametrize("params", [{"bits": 192}, {"bits": 128, "in_place": True}])
def test_block_cipher_contract_states_openssl_too(openssl_lib, params):
    report = OpensslAesEncrypt(**params).check()
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]


def test_ghash_grouping_and_aggregated_forms():
    import random

    from proofs.contracts.ghash import aggregated, chunk_sizes
    from proofs.specs import ghash
    from proofs.specs.ghash_htable import ghash_aggregated, powers
    assert chunk_sizes(8, (6, 1)) == [6, 1, 1] and chunk_sizes(8, 6) == [6, 2]
    assert chunk_sizes(7, (4, 2, 1)) == [4, 2, 1]
    with pytest.raises(ValueError, match="cannot take"):
        chunk_sizes(3, (2,))
    rng = random.Random(13)
    H, X0 = const(rng.getrandbits(128), 128), const(rng.getrandbits(128), 128)
    blocks = [const(rng.getrandbits(128), 128) for _ in range(8)]
    P = [H]
    for _ in range(5):
        P.append(ghash.gf128_mul(P[-1], H))
    for n in range(1, 9):
        want = int(ghash.ghash(H, blocks[:n], X0))
        for group in (1, (6, 1), (4, 2, 1), 3):                 # at P_m = H^m: Algorithm 2
            assert int(aggregated(P, blocks[:n], X0, group)) == want, (n, group)
        assert int(aggregated(P, blocks[:n], X0, (4, 2, 1))) \
            == int(ghash_aggregated([H, *powers(H)], blocks[:n], X0))
    wrong = [P[0], P[2], P[1], *P[3:]]                              # H^2, H^3 swapped
    assert int(aggregated(wrong, blocks[:3], X0, 3)) != int(ghash.ghash(H, blocks[:3], X0))


def test_custom_preserved_set(tmp_path):
    """The toy routine overwrites x4..x6: stating x5 preserved refutes; dropping x19.. is fine."""
    from lnsym.proof.routine import CALLEE_SAVED
    Toy = _toy_proof(_toy_object(tmp_path), False)

    class StrictToy(Toy):
        preserved = (*CALLEE_SAVED, "x5")

    class LaxToy(Toy):
        preserved = ("sp",)
        preserved_v_low64 = ()

    strict = StrictToy(blocks=1).check()
    assert strict.status == "refuted"
    assert [r.name for r in strict.failed] == ["frame: x5 preserved"]
    lax = LaxToy(blocks=1).check()
    assert lax.status == "proved"
    assert not any(r.name.startswith("frame: x19") for r in lax.results)
