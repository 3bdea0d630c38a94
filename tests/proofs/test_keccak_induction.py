"""KeccakF1600_ce by induction over its 24 rounds (proofs/keccakf1600_ce.py): the
statement and its parts, where the loop and the table come from, and mutants of
the loop refuted by a concrete replay (lnsym, then QEMU)."""
from __future__ import annotations

import dataclasses
import shutil
from collections import Counter

import pytest
from tooling import tools_required

from lnsym.elf.image import load_image
from lnsym.proof.induction import Induction
from lnsym.proof.loops import ConstantTable
from proofs import registry
from proofs.keccakf1600_ce import LISTING, le_word, loop_offsets
from proofs.specs import keccak

pytestmark = pytest.mark.openssl


def setup():
    proof = registry.make("KeccakF1600_ce")
    image = load_image(proof.object_spec())
    return proof, image, image.symbol(proof.symbol).addr


def test_round_loop_is_proved_by_induction(openssl_lib):
    proof, _image, _base = setup()
    rep = proof.check()
    assert rep.status == "proved", [(r.name, r.status, r.detail) for r in rep.failed]
    assert rep.name == "KeccakF1600_ce (round loop by induction)"
    phases = Counter(r.name.split(":")[0] for r in rep.results)
    assert phases["table"] == 24 and phases["spec"] == 25 and phases["base"] >= 27
    running = [r.name for r in rep.results if r.name.startswith("step: running")]
    assert len(running) == 50                    # 25 lanes x (low, high) halves
    exits = {r.name for r in rep.results if r.name.startswith("exit:")}
    assert {f"exit: lane {i}" for i in range(25)} <= exits
    assert {"exit: frame: x19 preserved", "exit: frame: sp preserved"} <= exits
    assert "step: k + 1 < num takes the back edge" in {r.name for r in rep.results}
    trusted = "\n".join(rep.trusted_base)
    assert "result = Fold(24); the loop bound 24 is concrete" in trusted
    assert "FIPS 202 Algorithm 7" in trusted and "lemma cache" not in trusted
    assert rep.steps == 3 + 69 + 70              # entry -> head, one round, last round + ret


def test_the_fold_is_fips202_keccak_f():
    """The statement's step on table entry i is Rnd(., i), for the 24 entries the table
    must hold; a step with ι on the wrong lane, or a table one entry short, is not."""
    proof = registry.make("KeccakF1600_ce")
    stmt = proof.fold_statement(None)
    assert stmt.table.count == 24 and stmt.table.address is None
    assert [int.from_bytes(e, "little") for e in stmt.table.entries] == list(keccak.RC)
    assert all(r.status == "proved" for r in proof.spec_steps(stmt))

    def iota_on_lane_1(S, block):
        out = stmt.step(S, block)
        rc = le_word(block)
        return [out[0] ^ rc, out[1] ^ rc] + out[2:]
    wrong = proof.spec_steps(dataclasses.replace(stmt, step=iota_on_lane_1))
    assert [r.status for r in wrong[:24]] == ["stuck"] * 24 and wrong[24].status == "proved"
    short = ConstantTable(stmt.table.entries[:23])
    last = proof.spec_steps(dataclasses.replace(stmt, table=short))[-1]
    assert last.status == "stuck" and "the loop bound 23" in last.name


def test_loop_and_table_are_found_not_written(openssl_lib):
    """The loop head and back edge come from the control-flow graph, the table's
    address from the derived invariant (the pointer advancing by 8 from a constant)."""
    proof, image, base = setup()
    head, back = loop_offsets(image)
    text = {off: t for off, _w, t in LISTING}
    assert text[back].startswith("b.ne") and text[back - 4] == "subs x9, x9, #1"
    assert text[head].startswith("eor3")
    ind = Induction(proof, image, proof.fold_statement(image), 60.0)
    shape = ind.shape()
    assert shape.head == base + head and shape.affine == {"x9": -1, "x10": 8}
    assert {f"v{i}" for i in range(25)} <= set(shape.running)
    table = ind.anchor.params[0]
    assert [int.from_bytes(image.read(table + 8 * i, 8), "little") for i in range(24)] == \
        list(keccak.RC)
    assert proof.constant_data(image) == set(range(table, table + 192))


# (name, offset, word, a failed obligation of the induction); every one is refuted by
# the concrete replay of the routine from its entry
MUTANTS = [
    ("round counter: mov x9, #23", 0x0, 0xD28002E9, "step: k + 1 < num takes the back edge"),
    ("RC pointer stride 0: ld1r {v26.2d}, [x10]", 0xC4, 0x4D40CD5A, "base: derive"),
    ("RC pointer stride x0: ld1r {v26.2d}, [x10], x0", 0xC4, 0x4DC0CD5A, "base: derive"),
    ("exit condition: b.ne -> b.pl (25 rounds)", 0x120, 0x54FFF785, "exit: symbolic execution"),
    ("lane 2 not stored: bcax v25 for v2", 0x114, 0xCE3C6C59, "step: running v2[63:0]"),
    ("rotation: xar #20 -> #21", 0x50, 0xCE9E54C1, "step: running v1[63:0]"),
]


@pytest.mark.parametrize("name,off,word,failed", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_loop_mutant_is_refuted_and_replayed(openssl_lib, name, off, word, failed):
    proof, _image, base = setup()
    rep = proof.check(patches={base + off: word})
    assert rep.status == "refuted", (rep.status, [(r.name, r.status) for r in rep.failed])
    assert any(r.name.startswith(failed) for r in rep.failed), [r.name for r in rep.failed]
    assert "counterexample (run concretely from the entry)" in rep.replay
    assert "confirmed: the implementation departs from the spec" in rep.replay
    assert "first checkpoint that differs: lanes after" in rep.replay
    if shutil.which("qemu-aarch64") or tools_required():
        assert "QEMU confirms the implementation's outputs" in rep.replay, rep.replay


def test_rotation_mutant_names_the_departing_instruction(openssl_lib):
    proof, _image, base = setup()
    rep = proof.check(patches={base + 0x50: 0xCE9E54C1})
    assert "first checkpoint that differs: lanes after 1 round(s)" in rep.replay
    assert "departs from the spec at +0x50: ce9e54c1  xar v1.2d, v6.2d, v30.2d, #0x15" \
        in rep.replay


def test_a_wrong_round_constant_in_the_table_is_refuted(openssl_lib):
    proof, image, _base = setup()
    ind = Induction(proof, image, proof.fold_statement(image), 60.0)
    ind.shape()
    at = ind.anchor.params[0] + 8 * 5
    word = int.from_bytes(image.read(at, 4), "little") ^ 1
    rep = proof.check(patches={at: word})
    assert rep.status == "refuted"
    (bad,) = [r for r in rep.failed if r.name.startswith("table:")]
    assert bad.name == f"table: entry 5 at {at:#x} is the spec's" and "the spec's entry" in \
        bad.detail
    assert "confirmed: the implementation departs from the spec" in rep.replay


def test_an_equivalent_exit_condition_is_still_proved(openssl_lib):
    """b.ne -> b.gt: the counter is 23 - k >= 0 after the subs, so the two agree."""
    proof, _image, base = setup()
    rep = proof.check(patches={base + 0x120: 0x54FFF78C})
    assert rep.status == "proved", [(r.name, r.status) for r in rep.failed]


def test_a_loop_that_never_exits_is_not_proved(openssl_lib):
    """b.ne -> b: the exit obligation cannot run to the return, and the concrete run
    reads past the image; stuck (never proved, and not refuted without outputs)."""
    proof, _image, base = setup()
    rep = proof.check(patches={base + 0x120: 0x17FFFFBC})
    assert rep.status == "stuck"
    assert any(r.name == "exit: symbolic execution" for r in rep.failed)
    assert "the concrete run from the entry stops: read of 8 byte(s) at unmapped" in rep.replay
    assert "the induction is stuck, not refuted" in rep.replay


def test_a_variant_right_on_the_lanes_only_is_stuck_never_refuted(openssl_lib):
    """ι as eor v0.8b zeroes v0's high half, which the postcondition leaves open: the
    induction (which folds the high halves too) fails, the lanes are right for every
    input, so no concrete run refutes it."""
    proof, _image, base = setup()
    rep = proof.check(patches={base + 0x118: 0x2E3A1C00})
    assert rep.status == "stuck"
    assert [r.name for r in rep.failed] == ["step: running v0[127:64]"]
    assert "the induction is stuck, not refuted" in rep.replay
