"""FIPS 202 reference spec (proofs.specs.keccak) vs the standard's constants and hashlib."""
from __future__ import annotations

import hashlib
import random

from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate
from proofs.specs import keccak


def test_round_constants_and_rho_offsets():
    assert keccak.RC[0] == 0x0000000000000001
    assert keccak.RC[1] == 0x0000000000008082
    assert keccak.RC[2] == 0x800000000000808A
    assert keccak.RC[23] == 0x8000000080008008
    assert len(keccak.RC) == 24
    # §3.2.2 Table 2, lanes (x, y) at index x + 5y
    assert keccak.RHO_OFFSETS[:5] == (0, 1, 190 % 64, 28, 91 % 64)
    assert keccak.RHO_OFFSETS[5:10] == (36, 300 % 64, 6, 55, 276 % 64)
    triangular = {(t + 1) * (t + 2) // 2 % 64 for t in range(24)}
    assert sorted(keccak.RHO_OFFSETS[1:]) == sorted(triangular)


def test_zero_state_permutation():
    # Keccak-f[1600] of the all-zero state: first lane F1258F7940E1DDE7 (Keccak team's KAT)
    out = keccak.keccak_f([bv.const(0, 64)] * 25)
    assert int(out[0]) == 0xF1258F7940E1DDE7
    assert int(out[1]) == 0x84D5CCF933C0478A


def test_sha3_and_shake_vs_hashlib():
    rng = random.Random(202)
    for n in (0, 1, 135, 136, 137, 168, rng.randrange(1001)):
        msg = rng.randbytes(n)
        assert keccak.sha3_256(msg) == hashlib.sha3_256(msg).digest(), n
        assert keccak.shake128(msg, 200) == hashlib.shake_128(msg).digest(200), n
    msg = rng.randbytes(100)
    assert keccak.sha3_512(msg) == hashlib.sha3_512(msg).digest()
    assert keccak.shake256(msg, 40) == hashlib.shake_256(msg).digest(40)


def test_symbolic_rounds_evaluate_like_the_constant_path():
    rng = random.Random(9)
    A = [bv.var(f"A{i}", 64) for i in range(25)]
    sym = keccak.Rnd(keccak.Rnd(A, 0), 1)
    env = {f"A{i}": rng.getrandbits(64) for i in range(25)}
    conc = keccak.Rnd(keccak.Rnd([bv.const(env[f"A{i}"], 64) for i in range(25)], 0), 1)
    memo: dict = {}
    assert [evaluate(x, env, memo) for x in sym] == [int(x) for x in conc]
