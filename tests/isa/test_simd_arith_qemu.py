"""Advanced SIMD integer arithmetic against QEMU (qemu-aarch64 -cpu max): random words of
every three-same/three-different/two-reg-misc/shift-immediate/across-lanes encoding and
their scalar forms, on random states and on lanes biased to saturation/rounding edges."""
from __future__ import annotations

import conformance.generate as G
from conformance.cosim import run, select_encodings

SEED = 20240623
MODULES = ("simd.three_same,simd.three_different,simd.two_reg_misc,simd.shift_imm,"
           "simd.across_lanes,simd.scalar_three_same,simd.scalar_three_different,"
           "simd.scalar_two_reg_misc,simd.scalar_pairwise,simd.scalar_shift_imm")


def _report(res):
    return "\n".join(f"{m.case.id} {m.case.word:#010x}: {m.diffs[:3]}"
                     for m in res.mismatches[:10])


def _edge_v(rng):
    """A vector whose lanes (of one random size) sit near 0, +-1, the signed limits..."""
    e = rng.choice((8, 16, 32, 64))
    m = (1 << e) - 1
    out = 0
    for i in range(128 // e):
        lane = rng.choice((0, 1, m, 1 << (e - 1), (1 << (e - 1)) - 1, (1 << (e - 1)) + 1,
                           rng.randrange(-e - 3, e + 4) & m, rng.getrandbits(e)))
        out |= lane << (i * e)
    return out


def test_simd_arith_random_words_match_qemu(qemu, cross_gcc):
    encs = select_encodings(MODULES)
    assert len(encs) == 16
    res = run(SEED, 40, encs, jobs=1)
    assert res.cases >= 40 * 16
    assert res.failed == 0, _report(res)


def test_simd_arith_edge_lanes_match_qemu(qemu, cross_gcc, monkeypatch):
    monkeypatch.setattr(G, "_rand_vs", lambda rng: [_edge_v(rng) for _ in range(32)])
    res = run(SEED + 1, 40, select_encodings(MODULES), jobs=1)
    assert res.failed == 0, _report(res)
