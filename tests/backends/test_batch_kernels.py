"""Whole-instruction kernels (``lnsym.backends.batch.kernels``) equal the lifted semantics.

For each recognised instruction (AESE, AESD, AESMC, AESIMC, SHA256H, SHA256H2,
SHA256SU0, SHA256SU1, TBL, ADD .4S, USHR/SLI .4S, REV16/32/64) the lifted summary is
recognised, compiled to its kernel and evaluated on random lanes,
on lanes where every operand is the same (the kernels' int path), and on the 128
unit vectors (MixColumns and its inverse are linear: agreeing on a basis and on
random values, a linear kernel equals them everywhere); every lane is compared with
the single-input evaluation, with the numba loops and with the numpy kernels.  Terms
that are not exactly an instruction's summary (one operator changed) are not
recognised.
"""
from __future__ import annotations

import random

import pytest

from lnsym.backends.batch import jit, kernels, recognise
from lnsym.backends.batch.terms import compile_terms, evaluate_lanes
from lnsym.machine.lift import lift
from lnsym.terms import bv
from lnsym.terms.evaluate import evaluate

LANES = 64
WORDS = {"aese": 0x4E284820, "aesd": 0x4E285820, "aesmc": 0x4E286820, "aesimc": 0x4E287820,
         "sha256h": 0x5E024020, "sha256h2": 0x5E025020, "tbl": 0x4E020020,
         "sha256su0": 0x5E282820, "sha256su1": 0x5E026020, "add.4s": 0x4EA28420,
         "rev16": 0x4E201820, "rev32": 0x6E200820, "rev64": 0x4E200820,
         "rev32.8h": 0x6E600820, "rev64.8h": 0x4E600820,
         "ushr#1": 0x6F3F0420, "ushr#20": 0x6F2C0420, "ushr#31": 0x6F210420,
         "sli#1": 0x6F215420, "sli#12": 0x6F2C5420, "sli#31": 0x6F3F5420}


@pytest.fixture(autouse=True, params=["jit", "numpy"] if jit.ENABLED else ["numpy"])
def kernel_mode(request, monkeypatch):
    """Every test runs on the numba loops (when numba is installed) and on numpy."""
    monkeypatch.setattr(kernels, "USE_JIT", request.param == "jit")
    monkeypatch.setattr(kernels, "JIT_MIN_LANES", 1)


def summary(name):
    return lift(WORDS[name], 0).writes["v0"]


def check_lanes(term, values, lanes):
    got = evaluate_lanes([term], values, lanes)[0]
    for i in range(lanes):
        env = {k: (v if isinstance(v, int) else v[i]) for k, v in values.items()}
        assert got[i] == evaluate(term, env), (i, env)


@pytest.mark.parametrize("name", list(WORDS))
def test_kernel_equals_summary_on_random_lanes(name):
    t = summary(name)
    m = recognise.match(t)
    assert m is not None and m.kernel.name in recognise.KERNELS
    rng = random.Random(name)
    names = sorted(v.params[0] for v in bv_vars(t))
    check_lanes(t, {n: [rng.getrandbits(128) for _ in range(LANES)] for n in names}, LANES)
    check_lanes(t, {n: rng.getrandbits(128) for n in names}, 3)            # uniform lanes
    if len(names) > 1:                                                      # mixed
        check_lanes(t, {n: (rng.getrandbits(128) if i else [rng.getrandbits(128)] * 5)
                        for i, n in enumerate(names)}, 5)


@pytest.mark.parametrize("name", ["aesmc", "aesimc"])
def test_mix_columns_kernels_on_a_basis(name):
    t = summary(name)
    check_lanes(t, {"v1": [1 << i for i in range(128)]}, 128)


def test_tbl_with_small_indices():
    """Indices below 32: half select a byte, half give zero; per lane and lane-uniform
    (ChaCha's rotate by 8 bits is a uniform TBL)."""
    t, rng = summary("tbl"), random.Random(7)

    def index():
        return sum(rng.randrange(32) << (8 * j) for j in range(16))
    tables = [rng.getrandbits(128) for _ in range(LANES)]
    check_lanes(t, {"v1": tables, "v2": [index() for _ in range(LANES)]}, LANES)
    rot8 = sum(((j // 4) * 4 + (j + 1) % 4) << (8 * j) for j in range(16))
    for idx in (rot8, index(), index()):
        check_lanes(t, {"v1": tables, "v2": idx}, LANES)


@pytest.mark.parametrize("word", [0x0EE2E020, 0x4EE2E020, 0x0E22E020])
def test_pmull_on_random_lanes(word):
    """PMULL/PMULL2 .1Q (64 x 64 bits) and PMULL .8H (8 x 8 bits): runtime.clmul."""
    t, rng = lift(word, 0).writes["v0"], random.Random(word)
    values = {"v1": [rng.getrandbits(128) for _ in range(LANES)],
              "v2": [rng.getrandbits(128) for _ in range(LANES)]}
    values["v1"][:3] = [0, (1 << 128) - 1, 1 << 63]
    check_lanes(t, values, LANES)


def test_generated_code_calls_the_kernel():
    fn, _ = compile_terms([summary("aesmc")])
    assert "_k_mix" in fn.__code__.co_names


def test_sha256h_and_h2_share_one_kernel_call():
    fn, _ = compile_terms([summary("sha256h"), summary("sha256h2")])
    assert fn.__code__.co_names.count("_k_sha256") == 1


def test_a_changed_term_is_not_recognised():
    t = summary("aesmc")
    v1 = bv.var("v1", 128)
    flipped = bv.concat(bv.extract(t, 127, 8), bv.not_(bv.extract(t, 7, 0)))
    assert recognise.match(flipped) is None
    other = bv.concat(bv.extract(t, 127, 8), bv.extract(v1, 7, 0))
    assert recognise.match(other) is None
    rng = random.Random(1)
    check_lanes(flipped, {"v1": [rng.getrandbits(128) for _ in range(8)]}, 8)


def bv_vars(t):
    from lnsym.terms.dag import variables
    return variables(t)
