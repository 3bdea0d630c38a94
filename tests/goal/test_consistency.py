"""Stated facts that no input satisfies are refused before a run (lnsym.proof.consistency):
under them every obligation would hold vacuously."""
from __future__ import annotations

import pytest

from lnsym.backends.symbolic import Region
from lnsym.proof.consistency import ContradictoryFacts, check_satisfiable
from lnsym.proof.loops import NUM
from lnsym.proof.routine import Setup
from lnsym.terms.bv import add, const, eq, ule, ult, var
from proofs.aes_v8_set_encrypt_key import AesV8SetEncryptKey
from proofs.sha256_block_armv8 import Sha256BlockArmv8

P = var("p", 64)


def test_contradictory_assumptions_are_refused():
    setup = Setup({}, [], assumptions={eq(P, const(0, 64)): 0, ule(P, const(0, 64)): 1})
    with pytest.raises(ContradictoryFacts, match="no input satisfies"):
        check_satisfiable("t", setup)


def test_a_precondition_contradicting_an_assumption_is_refused():
    setup = Setup({}, [], assumptions={ult(P, const(16, 64)): 1},
                  preconditions=[ule(const(32, 64), P)])
    with pytest.raises(ContradictoryFacts):
        check_satisfiable("t", setup)


def test_the_layout_counts_a_region_at_the_top_of_memory_cannot_exist():
    # p within 8 bytes of 2^64 contradicts a 64-byte region at p that does not wrap
    top = ule(const((1 << 64) - 8, 64), P)
    setup = Setup({}, [Region("buf", P, 0, 64)], preconditions=[top])
    with pytest.raises(ContradictoryFacts):
        check_satisfiable("t", setup)
    check_satisfiable("t", Setup({}, [Region("buf", P, 0, 4)], preconditions=[top]))


def test_satisfiable_facts_pass():
    check_satisfiable("t", Setup({}, [Region("buf", P, 0, 64)],
                                 assumptions={eq(P, const(0, 64)): 0},
                                 preconditions=[ult(add(P, const(64, 64)), const(1 << 40, 64))]))
    check_satisfiable("t", Setup({}, []))        # no facts: nothing to check


class VacuousKeyProof(AesV8SetEncryptKey):
    """The real proof plus an assumption that contradicts its own 'userKey is not null'."""
    def setup(self, image):
        s = super().setup(image)
        s.assumptions[ule(var("userKey", 64), const(0, 64))] = 1       # userKey is null
        return s


def test_a_proof_with_contradictory_facts_stops_with_a_clear_error():
    with pytest.raises(ContradictoryFacts, match="would prove nothing"):
        VacuousKeyProof(bits=128).check(replay=False)


def test_the_trusted_base_states_a_fact_in_its_words():
    fact = ult(P, const(1 << 63, 64))
    base = AesV8SetEncryptKey(bits=128).trusted_base(
        [], Setup({}, [], assumptions={fact: 1}, preconditions=[fact],
                  wording={fact: "p is a user-space address"}))
    stated = [line for line in base if "p is a user-space address" in line]
    assert len(stated) == 2, base                  # as an assumption and as a precondition
    unworded = AesV8SetEncryptKey(bits=128).trusted_base([], Setup({}, [], assumptions={fact: 1}))
    line = next(x for x in unworded if x.startswith("preconditions (assumed"))
    assert "user-space" not in line and line.endswith("= 1"), line     # the term printed


class ContradictoryAllLengths(Sha256BlockArmv8):
    """The all-lengths statement with a fact that contradicts its range 1 <= num."""
    def fold_statement(self, image):
        stmt = super().fold_statement(image)
        stmt.facts = (*stmt.facts, (ult(NUM, const(1, 64)), "num < 1"))
        return stmt


def test_an_all_lengths_statement_with_contradictory_facts_is_refused():
    with pytest.raises(ContradictoryFacts, match="num < 1|would prove nothing"):
        ContradictoryAllLengths(all_lengths=True).check(replay=False)
