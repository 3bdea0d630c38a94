"""Data-processing instructions against QEMU (qemu-aarch64 -cpu max): random words of every
dpi/dpreg encoding, plus every opcode of the sparse 1/2/3-source classes, on random states."""
from __future__ import annotations

import random

import conformance.generate as G
from conformance.cosim import run, select_encodings
from lnsym.machine.lift import lift

SEED = 20240611


def _report(res):
    lines = [f"{m.case.id} {m.case.word:#010x}: {m.diffs[:3]}" for m in res.mismatches[:10]]
    return "\n".join(lines)


def test_dp_random_words_match_qemu(qemu, cross_gcc):
    encs = select_encodings("dpi,dpreg")
    res = run(SEED, 40, encs, jobs=1)
    assert res.cases >= 40 * 12
    assert res.failed == 0, _report(res)


def _sparse_words():
    """Every allocated opcode of DP 1/2/3 source with registers x0..x7 (both sizes)."""
    out = {}
    rng = random.Random(SEED)
    regs = lambda: (rng.randrange(8), rng.randrange(8), rng.randrange(8), rng.randrange(8))
    for sf in (0, 1):
        for opcode in range(6):
            if sf == 0 and opcode == 3:
                continue
            for _ in range(4):
                d, n, _, _ = regs()
                out.setdefault("dp_1src", []).append(
                    (1 << 30) | (sf << 31) | (0b11010110 << 21) | (opcode << 10) | (n << 5) | d)
        for opcode in (2, 3, 8, 9, 10, 11, 16, 17, 18, 20, 21, 22, 19, 23):
            if (opcode in (19, 23)) != (sf == 1):
                continue
            for _ in range(4):
                d, n, m, _ = regs()
                out.setdefault("dp_2src", []).append(
                    (sf << 31) | (0b11010110 << 21) | (m << 16) | (opcode << 10) | (n << 5) | d)
        for op31, o0 in ((0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (5, 0), (5, 1), (6, 0)):
            if sf == 0 and op31:
                continue
            for _ in range(4):
                d, n, m, a = regs()
                out.setdefault("dp_3src", []).append(
                    (sf << 31) | (0b11011 << 24) | (op31 << 21) | (m << 16) | (o0 << 15)
                    | (a << 10) | (n << 5) | d)
    return out


def test_dp_sparse_opcodes_match_qemu(qemu, cross_gcc, monkeypatch):
    words = _sparse_words()

    def chosen_word(rng, enc, seed=0):
        w = rng.choice(words[enc.module.rsplit(".", 1)[-1]])
        return w, lift(w)

    monkeypatch.setattr(G, "random_word", chosen_word)
    encs = [e for e in select_encodings("dpreg") if e.module.rsplit(".", 1)[-1] in words]
    assert len(encs) == 3
    res = run(SEED, 150, encs, jobs=1)
    assert res.cases == 450
    assert res.failed == 0, _report(res)
