"""libgcrypt's _gcry_aes_ctr_enc_armv8_ce (AES-128) for every block count: the case
split (bounded n <= 7, one induction over the 4-way loop per n mod 4, the carry
branch split inside the induction, one output group per pass) is proved on the code
as Debian ships it; loop, tail and carry-path mutants are refuted at the smallest
block count that shows them and replayed; the split's coverage and the
path-induction helpers are checked on small terms."""
from __future__ import annotations

import pytest
from patching import instruction_patch
from splits import assert_split_coverage

from lnsym.elf.image import load_image
from lnsym.proof.loops import LoopShape
from lnsym.proof.path_induction import byte_obligations, is_small, merge_shapes, shared_facts
from lnsym.prover import Obligation
from lnsym.terms.bv import add, const, lookup, var
from proofs import registry
from proofs.libgcrypt.ctr_all import GcryAesCtrGroupLoop, covers_residue, first_rounds
from proofs.specs import aes

NAME = "_gcry_aes_ctr_enc_armv8_ce"
# each: what it changes, its offset and word in the listing, the mutant word, the residue
# n mod 4 whose induction it breaks, and the least block count whose output differs
MUTANTS = [
    ("loop, fast path: the third counter lane add v3.8h, v0.8h, v9.8h -> v10.8h",
     0x220, 0x4E698403, 0x4E6A8403, 0, 8),
    ("loop counter stride: add v0.2d, v0.2d, v11.2d (+4) -> v10.2d (+3)",
     0x228, 0x4EEB8400, 0x4EEA8400, 1, 9),
    ("loop pointer: ld1 {v5-v8}, [x2], #64 -> [x2] (no write-back)",
     0x204, 0x4CDF2045, 0x4C402045, 1, 9),
    ("loop exit count: sub x4, x4, #4 -> #5 (the block after the loop is dropped)",
     0x20C, 0xD1001084, 0xD1001484, 1, 9),
    ("tail: the single-block increment adds x10, x10, #1 -> #2", 0x3AC, 0xB100054A,
     0xB100094A, 2, 6),
    ("carry path: the first lane's carry adc x14, x9, xzr -> add (dropped)", 0x434,
     0x9A1F012E, 0x8B1F012E, 0, 4),
]


def test_every_block_count_proved(libgcrypt_lib):
    [selected] = registry.select([NAME])
    assert selected == f"{NAME}/all" and selected in registry.names()
    assert f"{NAME}/128x8" not in registry.names()          # bounded rows stay by name
    assert registry.select([f"{NAME}/128x8"]) == [f"{NAME}/128x8"]
    report = registry.make(selected).check(replay=False)
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert report.name == f"{NAME} (AES-128, every block count, 1 ≤ n < 2^58)"
    by_case: dict = {}
    for r in report.results:                # "[case label] obligation" -> {label: [names]}
        label, _, rest = r.name.partition("] ")
        by_case.setdefault(label.lstrip("[") if rest else "", []).append(rest or r.name)
    assert by_case[""] == ["cases: every 1 ≤ n < 2^58 is covered by a case"]
    assert {f"n = {n}" for n in range(1, 8)} < by_case.keys()
    for r in range(4):
        rows = by_case[f"n = 4·(num + 1) + {r}, 1 ≤ num < 2^56"]
        text = "\n".join(rows)
        for phase in ("base", "step", "exit"):      # each run split on the carry, covered
            assert f"{phase}: the 2 path(s) of its branches on data cover every input" in rows
            assert "not taken (-> 0x" in text and " taken (-> 0x" in text.replace("not taken", "")
        # group k's output does not depend on the path (its counters were made a pass
        # before): the same 64 obligations on both paths, proved once
        assert sum("step: output dst@k[" in row for row in rows) == 64
        tail = 16 * (4 + r)
        assert sum("exit: after the loop: dst[16·4·num + " in row for row in rows) == tail
        assert sum("exit: after the loop: counter[" in row for row in rows) == 16
    trusted = "\n".join(report.trusted_base)
    assert "path split inside the induction (paths per run: entry run: 2; step: 2; exit: 2)" \
        in trusted
    assert "pass k writes only dst + 64·k" in trusted
    assert "case split over the block count n" in trusted


def assert_mutant_refuted(bits: int, off: int, old: int, new: int, residue: int,
                          blocks: int) -> None:
    """The mutant leaves the AES-``bits`` induction of ``residue`` unproved; the bounded
    search finds ``blocks``, the smallest count that shows it, and the counterexample
    replays concretely."""
    proof = GcryAesCtrGroupLoop(bits=bits, all_lengths=True, tail_blocks=residue)
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    assert (report.status, report.counterexample_blocks) == ("refuted", blocks), report.replay
    assert proof.confirmed is True
    phases = {r.name.split(":")[0].split("] ")[-1] for r in report.failed}
    assert phases & {"base", "step", "exit"}, phases
    num = (blocks - residue) // 4 - 1
    assert f"counterexample at num = {num} ({blocks} blocks)" in report.replay
    assert "confirmed: the outputs differ" in report.replay


@pytest.mark.parametrize("what,off,old,new,residue,blocks", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_refuted(libgcrypt_lib, what, off, old, new, residue, blocks):
    """Each mutant leaves its residue's induction unproved; the bounded search finds the
    smallest block count that shows it, and the counterexample replays concretely."""
    assert_mutant_refuted(128, off, old, new, residue, blocks)


def test_case_split_coverage_checked():
    """z3 checks the split: dropping a case leaves a length uncovered, named; the
    inductions start at 8 blocks, so without n = 7 that count is uncovered."""
    assert_split_coverage(7, 4, covers_residue, dropped=2)


def test_head_rounds_are_the_cipher_prefix():
    """The invariant's AES state after 4 rounds, continued by the standard's rounds 5..10
    (AddRoundKey between), is FIPS 197 Cipher: concrete bytes, FIPS 197 C.1's key."""
    key = bytes(range(16))
    w = aes.key_expansion([const(int.from_bytes(key[i:i + 4], "big"), 32)
                           for i in range(0, 16, 4)], 4)
    block = [const(b, 8) for b in bytes.fromhex("00112233445566778899aabbccddeeff")]
    state = first_rounds(block, w, 4)
    s = [[state[r + 4 * c] for c in range(4)] for r in range(4)]
    for rnd in range(4, 10):
        s = aes.AddRoundKey(s, w[4 * rnd:4 * rnd + 4])
        if rnd < 9:
            s = aes.MixColumns(aes.ShiftRows(aes.SubBytes(s)))
        else:
            s = aes.ShiftRows(aes.SubBytes(s))
    s = aes.AddRoundKey(s, w[40:44])
    out = bytes(s[r][c].params[0] for c in range(4) for r in range(4))
    assert out.hex() == "69c4e0d86a7b0430d8cdb78070b4c55a"
    assert [b.params[0] for b in aes.cipher(block, w)] == list(out)


def _shape(**kinds) -> LoopShape:
    base = {loc: var(f"{loc}_0", 64) for group in kinds.values() for loc in
            (group if isinstance(group, list) else group.keys())}
    return LoopShape(0, 4, 8, base, None, [], [], **kinds)


def test_merge_shapes_keeps_only_what_every_path_agrees_on():
    """A temporary one carry path writes (x13) and a register one path adds to and the
    other not are scratch; what both paths agree on stays."""
    fast = _shape(running=["v0", "x9"], invariant=["x13", "x8"], affine={"x1": 64, "x10": 4})
    slow = _shape(running=["v0"], invariant=["x8"], affine={"x1": 64, "x10": 5},
                  scratch=["x13", "x9"])
    merged = merge_shapes([fast, slow])
    assert merged.running == ["v0"] and merged.invariant == ["x8"]
    assert merged.affine == {"x1": 64}
    assert sorted(merged.scratch) == ["x10", "x13", "x9"]


def test_path_helpers():
    a, b = var("a", 1), var("b", 1)
    assert shared_facts([{a: 1, b: 0}, {a: 1, b: 1}]) == {a: 1}
    assert shared_facts([{a: 1}, {a: 0}]) == {}
    x, y = var("x", 32), var("y", 32)
    parts = byte_obligations(Obligation("o", x, add(y, const(1, 32))))
    assert [p.name for p in parts] == [f"o byte {i}" for i in range(4)]
    assert parts[0].impl.width == 8
    assert is_small(add(x, y)) and not is_small(lookup(aes.SBOX, var("s", 8), 8))
    deep = x
    for i in range(500):
        deep = add(deep, var(f"z{i}", 32)) ^ var(f"w{i}", 32)
    assert not is_small(deep)


def test_side_conditions_proved_once_per_facts_they_need():
    """decided_under: z3 proves a claim and remembers the facts its proof used; under
    hypotheses stating those facts (and others) it is proved again without z3, under
    hypotheses missing one z3 is asked again; a false claim is refuted, not kept."""
    from lnsym.prover import reuse
    from lnsym.proof.path_induction import BY_Z3, LazyHypotheses, decided_under
    from lnsym.terms.bv import eq, uge
    x, y = var("side_x", 64), var("side_y", 64)
    needed, other = uge(x, const(8, 64)), eq(y, const(2, 64))
    with reuse.sharing():
        assert decided_under("same", LazyHypotheses([]), x, x).method == "structural"
        impl, spec = uge(x, const(4, 64)), const(1, 1)
        first = decided_under("first", LazyHypotheses([needed, other]), impl, spec)
        assert first.status == "proved" and first.method == BY_Z3
        hyps = LazyHypotheses([other, needed, uge(y, const(1, 64))])
        again = decided_under("again", hyps, impl, spec)
        assert again.status == "proved" and reuse.REUSED in again.method
        assert hyps._hyps is None                            # no solver was built
        alone = decided_under("alone", LazyHypotheses([other]), impl, spec)
        assert alone.status == "refuted" and alone.method == BY_Z3
        wrong = decided_under("wrong", LazyHypotheses([needed]), uge(x, const(9, 64)), spec)
        assert wrong.status == "refuted"
        assert not reuse.holds_under(uge(x, const(9, 64)), spec, [needed])


def test_a_tail_byte_no_output_names_is_not_proved(libgcrypt_lib):
    """The window after the loop is outside the frame, so a statement leaving one of its
    bytes unnamed would let a write there go unchecked: the induction is stuck."""
    class Unnamed(GcryAesCtrGroupLoop):
        def fold_statement(self, image):
            stmt = super().fold_statement(image)
            named = stmt.outputs
            stmt.outputs = lambda final: [o for o in named(final)
                                          if o.where != ("mem", "dst@num", 63, 1)]
            return stmt
    report = Unnamed(bits=128, all_lengths=True, tail_blocks=0).check(replay=False)
    assert report.status == "stuck"
    assert [(r.name, r.detail) for r in report.failed] == [
        ("exit: the outputs name every byte of dst@num", "dst@num[63] is named by no output")]
