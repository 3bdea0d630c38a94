"""Loop heads from the control-flow graph, and decisions under loop hypotheses."""
from __future__ import annotations

import pytest

from lnsym.backends.cfg import loops, static_successors
from lnsym.backends.hypotheses import Hypotheses
from lnsym.elf.image import load_image
from lnsym.elf.targets import member_spec
from lnsym.terms.bv import add, const, eq, ite, mul, neg, sub, ult, var

K, NUM, INP = var("k", 64), var("num", 64), var("inp", 64)


def test_successors_of_a_conditional_branch():
    succ, dynamic = static_successors(0xB5FFF1A2, 0x11DC)      # cbnz x2, #-0x1cc
    assert succ == [0x11DC - 0x1CC, 0x11E0] and not dynamic
    assert static_successors(0xD65F03C0, 0x11E8) == ([], True)  # ret: no static successor


@pytest.mark.openssl
def test_loops_of_the_sha_routines(openssl_lib):
    image = load_image(member_spec("libcrypto-lib-sha256-armv8.o"))
    base = image.symbol("sha256_block_armv8").addr
    (lp,) = loops(image, "sha256_block_armv8")
    assert (lp.head - base, lp.back_edge - base, lp.exit - base) == (0x10, 0x1DC, 0x1E0)
    scalar = loops(image, "sha256_block_data_order")      # block loop and rounds loop
    assert len(scalar) == 2
    outer = max(scalar, key=lambda x: x.back_edge - x.head)
    assert all(outer.head <= x.head and x.back_edge <= outer.back_edge for x in scalar)


def test_hypotheses_decide_a_csel_pointer():
    k1 = add(K, const(1, 64))
    last = eq(add(NUM, neg(K), const((1 << 64) - 1, 64)), const(0, 64))
    pointer = ite(last, add(INP, mul(const(128, 64), K)), add(INP, mul(const(128, 64), K),
                                                               const(128, 64)))
    h = Hypotheses([ult(k1, NUM)])
    assert h.simplify(pointer) is add(INP, mul(const(128, 64), K), const(128, 64))
    assert h.value(sub(pointer, add(INP, mul(const(128, 64), K)))) is const(128, 64)
    # without the hypothesis the pointer is not fixed
    assert Hypotheses([]).value(sub(pointer, add(INP, mul(const(128, 64), K)))) is None


def test_hypotheses_never_return_an_excluded_model():
    import z3
    h = Hypotheses([ult(NUM, const(1 << 58, 64))])
    holds, model = h.implies(h.low(NUM) == 5)
    assert not holds and model is not None
    assert model.eval(h.low(NUM)).as_long() < 1 << 58
    holds, _ = h.implies(z3.ULT(h.low(NUM), 1 << 58))
    assert holds


def test_tracked_hypotheses_name_the_facts_a_proof_used():
    """Hypotheses(track=True): a proof's last_core is a subset of the facts that implies
    the claim alone; a refutation leaves no core and gives a model of the facts."""
    import z3

    from lnsym.backends.hypotheses import Hypotheses
    from lnsym.terms.bv import const, eq, uge, var
    a, b = var("core_a", 8), var("core_b", 8)
    facts = [uge(a, const(5, 8)), eq(b, const(3, 8))]
    hyps = Hypotheses(facts, track=True)
    holds, _ = hyps.implies(z3.UGE(hyps.low(a), 4))
    assert holds and hyps.last_core is not None and hyps.last_core <= set(facts)
    alone = Hypotheses(list(hyps.last_core))
    assert alone.implies(z3.UGE(alone.low(a), 4))[0]
    assert facts[1] not in hyps.last_core                    # b plays no part
    holds, model = hyps.implies(z3.UGE(hyps.low(a), 6))
    assert not holds and hyps.last_core is None
    assert model.eval(hyps.low(b)).as_long() == 3 and model.eval(hyps.low(a)).as_long() == 5
