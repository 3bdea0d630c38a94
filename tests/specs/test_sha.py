"""FIPS 180-4 reference specs (proofs.specs.sha1/sha256/sha512) vs the standard and hashlib."""
from __future__ import annotations

import hashlib
import random

import pytest

from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate
from proofs.specs import bytes as sb
from proofs.specs import sha1, sha256, sha512

HASHES = [(sha1, hashlib.sha1), (sha256, hashlib.sha256), (sha512, hashlib.sha512)]


def test_constants_match_the_standard_tables():
    # §4.2.2 / §5.3.3
    assert (sha256.K[0], sha256.K[1], sha256.K[63]) == (0x428A2F98, 0x71374491, 0xC67178F2)
    assert sha256.H0 == (0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                         0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19)
    # §4.2.3 / §5.3.5
    assert sha512.K[0] == 0x428A2F98D728AE22 and sha512.K[79] == 0x6C44198C4A475817
    assert sha512.H0[0] == 0x6A09E667F3BCC908 and sha512.H0[7] == 0x5BE0CD19137E2179
    assert len(sha256.K) == 64 and len(sha512.K) == 80


def test_byte_word_helpers():
    data = bytes(range(1, 9))
    t = sb.const_bytes(data)
    assert int(sb.be_word(t)) == int.from_bytes(data, "big")
    assert int(sb.le_word(t)) == int.from_bytes(data, "little")
    assert sb.to_bytes(sb.be_words_to_bytes(sb.be_words(t, 4))) == data
    assert sb.to_bytes(sb.le_words_to_bytes(sb.le_words(t, 2))) == data


@pytest.mark.parametrize("msg, digests", [
    (b"abc", ("a9993e364706816aba3e25717850c26c9cd0d89d",
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
              "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
              "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")),
])
def test_fips_180_examples(msg, digests):
    for (mod, _), want in zip(HASHES, digests):
        assert mod.hash_bytes(msg).hex() == want


def test_padding_lengths():
    for n in (0, 55, 56, 63, 64, 111, 112, 127, 128):
        assert len(sha256.pad(b"x" * n)) % 64 == 0 and len(sha512.pad(b"x" * n)) % 128 == 0
    assert sha256.pad(b"")[0] == 0x80 and len(sha256.pad(b"x" * 56)) == 128
    assert len(sha512.pad(b"x" * 112)) == 256


def test_random_messages_vs_hashlib():
    rng = random.Random(180)
    lengths = [0, 1, 55, 56, 64, 111, 112, 128, 1000] + [rng.randrange(1001) for _ in range(3)]
    for n in lengths:
        msg = rng.randbytes(n)
        for mod, ref in HASHES:
            assert mod.hash_bytes(msg) == ref(msg).digest(), (mod.__name__, n)


def _symbolic_check(mod, nwords, size, ref, rng):
    H = [bv.var(f"H{i}", size) for i in range(nwords)]
    M = [bv.var(f"M{i}", size) for i in range(16)]
    before = bv.term_count()
    rounds = mod.rounds(H, M)
    out = mod.compress(H, M)
    assert all(not bv.is_const(x) for x in out) and bv.term_count() > before
    # (a) a one-block message from the standard IV: the digest agrees with hashlib
    msg = rng.randbytes(rng.randrange(40))
    block = mod.pad(msg)
    env = {f"H{i}": v for i, v in enumerate(mod.H0)}
    env.update((f"M{i}", int.from_bytes(block[size // 8 * i:size // 8 * (i + 1)], "big"))
               for i in range(16))
    memo: dict = {}
    digest = b"".join(evaluate(x, env, memo).to_bytes(size // 8, "big") for x in out)
    assert digest == ref(msg).digest()
    # (b) random chaining value and block: every round agrees with the constant path
    env = {f"H{i}": rng.getrandbits(size) for i in range(nwords)}
    env.update((f"M{i}", rng.getrandbits(size)) for i in range(16))
    Hc = [bv.const(env[f"H{i}"], size) for i in range(nwords)]
    Mc = [bv.const(env[f"M{i}"], size) for i in range(16)]
    memo = {}
    concrete_rounds = mod.rounds(Hc, Mc)
    for t in (1, len(rounds) // 2, len(rounds) - 1):
        assert [evaluate(x, env, memo) for x in rounds[t]] == [int(x) for x in concrete_rounds[t]]
    assert [evaluate(x, env, memo) for x in out] == [int(x) for x in mod.compress(Hc, Mc)]


def test_symbolic_sha1_compress():
    _symbolic_check(sha1, 5, 32, hashlib.sha1, random.Random(1))


def test_symbolic_sha256_compress():
    _symbolic_check(sha256, 8, 32, hashlib.sha256, random.Random(256))


def test_symbolic_sha512_compress():
    _symbolic_check(sha512, 8, 64, hashlib.sha512, random.Random(512))


def test_specs_are_independent_of_isa_specs():
    import subprocess
    import sys
    code = ("import sys, proofs.specs.sha1, proofs.specs.sha256, proofs.specs.sha512, "
            "proofs.specs.aes, proofs.specs.ghash, proofs.specs.keccak, proofs.specs.chacha20; "
            "print(any(m.split('.')[0] == 'isa_specs' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
