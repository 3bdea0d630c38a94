"""lnsym.proof.streams and the block counter of lnsym.proof.loops: the counter read at
iteration k is one canonical term whatever way k is written; a num-only subterm is
replaced only where the hypotheses fix it; a phase of an output stream must write
exactly its range, each byte equal to the expected one."""
from __future__ import annotations

from lnsym.backends.hypotheses import Hypotheses
from lnsym.backends.symbolic import Region
from lnsym.proof.loops import NUM, K, advanced
from lnsym.proof.streams import OutputStream, StreamInduction, settle
from lnsym.terms.bv import add, and_, concat, const, extract, mul, ult, var, xor

CTR = var("ctr", 32)


def test_counter_at_k_plus_one_is_the_counter_at_k_advanced():
    one = add(K, const(1, 64))
    assert add(advanced(CTR, 4, K), const(4, 32)) is advanced(CTR, 4, one)
    assert advanced(CTR, 4, const(0, 64)) is CTR
    assert advanced(CTR, 4, const(3, 64)) is add(CTR, const(12, 32))
    assert advanced(CTR, 4, NUM) is add(CTR, mul(const(4, 32), extract(NUM, 31, 0)))


def _bit_length():
    n = add(mul(const(4, 64), NUM), const(5, 64))
    return concat(extract(n, 56, 0), const(0, 7))


def test_settle_replaces_what_the_hypotheses_fix_and_nothing_else():
    x = var("x", 64)
    mask = and_(_bit_length(), const(0x7F, 64))         # 0: a whole number of blocks
    hyps = Hypotheses([ult(NUM, const(1 << 54, 64))])
    assert settle(xor(x, mask), hyps, {}) is x
    length = add(x, _bit_length())                      # num-dependent: kept
    assert settle(length, hyps, {}) is length
    assert settle(xor(x, NUM), hyps, {}) is xor(x, NUM)


def _phase(first=2):
    ind = object.__new__(StreamInduction)
    ind.stream = OutputStream("out", first, lambda k, fold, data: [xor(b, const(1, 8))
                                                            for b in data])
    return ind


def test_a_phase_writes_exactly_its_range():
    data = [var(f"in[{i}]", 8) for i in range(4)]
    out = Region("out@k", var("out", 64), 0, 4)
    for j in (2, 3):
        out.bytes[j] = xor(data[j], const(1, 8))
    obs, written = _phase()._written("step", out, data, K, [], 2, 4)
    assert written.status == "proved"
    assert [(o.impl is o.spec) for o in obs] == [True, True]
    out.bytes[0] = data[0]                              # outside [2, 4): not proved
    _obs, stray = _phase()._written("step", out, data, K, [], 2, 4)
    assert stray.status == "stuck" and "outside [2, 4)" in stray.detail
    del out.bytes[0], out.bytes[3]                      # a byte of the range not written
    _obs, missing = _phase()._written("step", out, data, K, [], 2, 4)
    assert missing.status == "stuck" and "does not write out@k[3]" in missing.detail
