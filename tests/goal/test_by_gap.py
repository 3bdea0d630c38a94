"""``induction.by_gap``: a loop-hypothesis query decided over num = k + gap + d.

The claim is the step's back edge of a loop that counts down by 6 (libgcrypt's
6-way GHASH loop: ``sub x3, x3, #6; cmp x3, #6; b.hs``).  The change of variables
must keep the claim the same: a true one is proved, a false one refuted with a
model that is a real counterexample of the original claim."""
from __future__ import annotations

from lnsym.proof.induction import by_gap
from lnsym.proof.loops import NUM, K
from lnsym.terms.bv import add, const, ite, mul, neg, uge, ult

HEAD, EXIT = 0x1007C, 0x101E0
ONE = const(1, 64)
FACTS = [uge(NUM, ONE), ult(NUM, const(1 << 56, 64)), ult(K, NUM), ult(add(K, ONE), NUM)]


def counter_after_pass(r: int):
    """x3 after pass k + 1 of n = 6·(num + 1) + r blocks: 6·num + r − 6·(k + 1)."""
    return add(mul(const(6, 64), NUM), const(r, 64), neg(mul(const(6, 64), add(K, ONE))))


def next_pc(r: int, limit: int):
    return ite(uge(counter_after_pass(r), const(limit, 64)), const(HEAD, 64), const(EXIT, 64))


def test_back_edge_of_a_six_block_loop_proved():
    for r in range(6):
        result = by_gap("back edge", FACTS, next_pc(r, 6), const(HEAD, 64), 2)
        assert result.status == "proved", (r, result.detail)
        assert result.method.endswith("over num = k + 2 + d")


def test_a_wrong_exit_test_is_refuted_with_a_real_counterexample():
    """b.hs against 12 leaves the loop one pass early: at k + 2 = num."""
    result = by_gap("back edge", FACTS, next_pc(0, 12), const(HEAD, 64), 2)
    assert result.status == "refuted"
    env = result.counterexample
    k, num = env["k"], env["num"]
    assert k + 1 < num < 1 << 56                         # inside the hypotheses
    assert (6 * num - 6 * (k + 1)) % (1 << 64) < 12      # the original claim fails there
    assert result.detail == f"fails at num = {num}, k = {k}"


def test_a_refutation_under_a_fact_with_a_boolean_variable_reports_the_inputs_only():
    """The model of a refuted side condition may hold boolean variables (a tracked fact's
    mark, a fact over a 1-bit predicate): the counterexample keeps the bit-vector inputs."""
    import z3

    from lnsym.backends.hypotheses import Hypotheses
    from lnsym.proof.induction import by_hypotheses
    hyps = Hypotheses(FACTS)
    flag = z3.Bool("some_flag")
    hyps.solver.add(flag)
    r = by_hypotheses("k is 0", hyps, lambda low: z3.And(low(K) == 0, z3.Or(flag, True)))
    assert r.status == "refuted" and r.counterexample["k"] != 0
    assert all(isinstance(v, int) for v in r.counterexample.values())
