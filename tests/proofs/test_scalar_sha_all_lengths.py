"""The scalar sha256/512_block_data_order for every block count: the derived
invariant covers memory (ctx holds Fold(k), the stack spills), the
OPENSSL_armcap_P = 0 assumption is stated and decides the capability branches,
and loop mutants are refuted at a concrete block count and replayed."""
from __future__ import annotations

import subprocess

import pytest
from patching import instruction_patch, refuted_loop_mutant
from tooling import need_tool

from lnsym.backends.symbolic import Region, SymMemory
from lnsym.elf.image import load_image
from lnsym.proof.all_lengths import AllLengths
from lnsym.proof.induction import FoldStatement, Induction
from lnsym.proof.loops import NUM, read_cell, written_cells
from lnsym.proof.routine import Output, RoutineProof, Setup, le_bytes, read_le
from lnsym.terms.bv import add, concat, const, var
from proofs import registry


def test_written_cells_are_aligned_slots_of_the_changed_bytes():
    before, after = SymMemory(), SymMemory()
    for mem in (before, after):
        mem.add(Region("stack", var("sp_0", 64), -64, 0))
        mem.add(Region("ctx", var("ctx", 64), 0, 32))
    st = after.region("stack")
    for i in range(8):                          # a spilled pointer at sp - 16
        st.bytes[-16 + i] = const(i, 8)
    after.region("ctx").bytes.update({4: const(1, 8), 5: const(2, 8)})
    after.region("ctx").bytes[0] = before.region("ctx").byte(0)   # same term: unchanged
    cells = written_cells(before, after)
    assert cells == {"stack[-0x10:8]": ("stack", -16, 8), "ctx[0x4:2]": ("ctx", 4, 2)}
    assert read_cell(after, cells["ctx[0x4:2]"]) is const(0x0201, 16)
    assert read_cell(after, cells["stack[-0x10:8]"]) is concat(*[const(i, 8)
                                                                for i in reversed(range(8))])
    assert written_cells(before, after, skip=("stack", "ctx")) == {}


openssl = pytest.mark.openssl


# A loop that keeps its pointer and its counter only on the stack and stores its running
# sum to ctx every block: both stack slots are affine cells, ctx a running one.
SUM_LOOP = """
    .text
    .global sum_blocks
    .type sum_blocks, %function
sum_blocks:                     // ctx[0] += the 64-bit words inp[0..num-1]
    sub sp, sp, #32
    str x1, [sp, #8]
    str x2, [sp, #16]
    ldr x3, [x0]
1:  ldr x1, [sp, #8]
    ldr x4, [x1], #8
    str x1, [sp, #8]
    add x3, x3, x4
    str x3, [x0]
    ldr x2, [sp, #16]
    subs x2, x2, #1
    str x2, [sp, #16]
    b.ne 1b
    add sp, sp, #32
    ret
    .size sum_blocks, .-sum_blocks
"""


class SumBlocks(AllLengths, RoutineProof):
    """ctx holds S + the sum of num 64-bit words (mod 2^64), for every num."""
    name = symbol = "sum_blocks"
    spec = "the sum of the input's 64-bit words"
    may_change = ("ctx",)

    def setup(self, image):
        self.S = var("S", 64)
        ctx = Region("ctx", var("ctx", 64), 0, 8, init=lambda off: le_bytes(self.S, off))
        blocks = 1 if self.all_lengths else self.params["blocks"]
        inp = Region("inp", var("inp", 64), 0, 8 * blocks, writable=False)
        count = NUM if self.all_lengths else const(blocks, 64)
        return Setup({"x0": var("ctx", 64), "x1": var("inp", 64), "x2": count}, [ctx, inp])

    def postcondition(self, st, setup):
        inp = st.mem.region("inp")
        total = add(self.S, *[read_le(inp, 8 * b, 8) for b in range(self.params["blocks"])])
        return [Output("sum", ("mem", "ctx", 0, 8), total)]

    def fold_statement(self, image):
        self.setup(image)
        return FoldStatement([self.S], lambda f, block: [add(f[0], concat(*reversed(block)))],
                             "inp", 8, lambda f: [Output("sum", ("mem", "ctx", 0, 8), f[0])])


def _sum_object(tmp_path):
    gas = need_tool("aarch64-linux-gnu-as")
    src = tmp_path / "sum.S"
    src.write_text(SUM_LOOP)
    subprocess.run([gas, "-o", str(tmp_path / "sum.o"), str(src)], check=True)
    return str(tmp_path / "sum.o")


def test_spilled_pointer_and_counter_are_affine_cells(tmp_path):
    proof = SumBlocks(all_lengths=True)
    proof.object = _sum_object(tmp_path)
    image = load_image(proof.object)
    shape = Induction(proof, image, proof.fold_statement(image), 60).shape()
    assert shape.affine["stack[-0x18:8]"] == 8           # inp + 8·k
    assert shape.affine["stack[-0x10:8]"] == -1          # num - k
    assert "ctx[0x0:8]" in shape.running and "x3" in shape.running
    report = proof.check()
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    names = [r.name for r in report.results]
    assert any(n.startswith("step: affine stack[-0x10:8]") for n in names)
    assert any(n.startswith("step: running ctx[0x0:8]") for n in names)


def test_a_pointer_that_stays_put_is_refuted(tmp_path):
    """``ldr x4, [x1], #8`` without its write-back: the spilled pointer no longer
    advances, the step cannot read block k there, and 2 blocks (block 0 summed twice)
    give a counterexample replayed concretely."""
    obj = _sum_object(tmp_path)
    image = load_image(obj)
    at = image.symbol("sum_blocks").addr + 4 * 5             # ldr x4, [x1], #8
    assert int.from_bytes(image.read(at, 4), "little") == 0xF8408424
    proof = SumBlocks(all_lengths=True)
    report = proof.check(obj, patches={at: 0xF9400024})     # ldr x4, [x1]
    assert report.status == "refuted", report.replay
    assert any(r.name.startswith("step:") and r.status != "proved" for r in report.results)
    assert report.counterexample_blocks == 2
    assert "confirmed: the outputs differ" in report.replay


def _proof(bits: int, variant: str = "all"):
    return registry.make(f"sha{bits}_block_data_order/{variant}")


@openssl
@pytest.mark.parametrize("bits", [256, 512])
def test_scalar_all_lengths_proved(openssl_lib, bits):
    report = _proof(bits).check()
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert report.name == (f"sha{bits}_block_data_order (all num, 1 ≤ num < 2^58), "
                           "integer path only: OPENSSL_armcap_P = 0")
    names = [r.name for r in report.results]
    assert {n.split(":")[0] for n in names} == {"base", "step", "exit"}
    # ctx, stored every block, is checked as running state in the step
    assert any(n.startswith("step: running ctx[0x0:8]") for n in names)
    assert "step: k + 1 < num takes the back edge" in names
    assert any(n.startswith("exit: frame:") for n in names)
    assert "preconditions (assumed, decide branches): OPENSSL_armcap_P = 0" in \
        report.trusted_base
    assert any(line.startswith("induction over the loop iterations") for line in
               report.trusted_base)


@openssl
@pytest.mark.parametrize("bits,stride", [(256, 64), (512, 128)])
def test_memory_is_classified_like_registers(openssl_lib, bits, stride):
    proof = _proof(bits)
    image = load_image(proof.object_spec())
    shape = Induction(proof, image, proof.fold_statement(image), 60).shape()
    wb = bits // 64
    ctx = [f"ctx[{off:#x}:8]" for off in range(0, 8 * wb, 8)]
    assert set(ctx) <= set(shape.running)               # a stored copy of Fold(k)
    assert "stack[-0x10:8]" in shape.scratch             # the spilled input pointer
    assert shape.affine["x1"] == stride
    assert {"x0", "x2", "x29", "x30", "sp"} <= set(shape.invariant)
    assert "running    ctx[0x0:8]" in shape.describe()


@openssl
def test_armcap_assumption_decides_the_capability_branch(openssl_lib):
    """Without the stated OPENSSL_armcap_P = 0 the first branch depends on a symbolic
    word: the run stops with an error, it never takes a path silently."""
    from proofs.sha_block_data_order import Sha256BlockDataOrder

    class NoAssumption(Sha256BlockDataOrder):
        def setup(self, image):
            setup = super().setup(image)
            setup.assumptions = {}
            return setup
    report = NoAssumption(blocks=1).check()
    assert report.status == "error"
    assert "depends on symbolic data" in report.error


@openssl
def test_names_select_the_all_lengths_proof_and_blocks_the_bounded(openssl_lib):
    assert registry.select(["sha256_block_data_order"]) == ["sha256_block_data_order/all"]
    assert "sha512_block_data_order/all" in registry.names()
    assert "sha512_block_data_order/1" not in registry.names()
    report = registry.make("sha256_block_data_order/all", all_lengths=False, blocks=2).check()
    assert report.status == "proved"
    assert report.name == "sha256_block_data_order (2 blocks), integer path only: OPENSSL_armcap_P = 0"


# (bits, what, offset, listed word, mutant word, smallest block count that shows it)
MUTANTS = [
    (256, "block count: add x2, x1, x2, lsl #6 -> lsl #5 (end = inp + 32·num)",
     0x48, 0x8B021822, 0x8B021422, 2),
    (256, "pointer: add x1, x1, #0x38 -> #0x78", 0xDDC, 0x9100E021, 0x9101E021, 2),
    (256, "pointer and its spilled copy: ldp w3, w4, [x1], #8 -> #0x48",
     0x58, 0x28C11023, 0x28C91023, 2),
    (256, "exit: b.ne -> b.eq (the loop test inverted)", 0xE1C, 0x54FF91E1, 0x54FF91E0, 2),
    (256, "ctx store: stp w24, w25, [x0, #16] -> stp w24, w24", 0xE14, 0x29026418, 0x29026018, 1),
    (256, "rounds loop back edge: cbnz w19 to its head + 4", 0xDC4, 0x35FFC213, 0x35FFC233, 1),
    (512, "block count: add x2, x1, x2, lsl #7 -> lsl #6 (end = inp + 64·num)",
     0x40, 0x8B021C22, 0x8B021822, 2),
    (512, "pointer: add x1, x1, #0x70 -> #0xf0", 0xDD4, 0x9101C021, 0x9103C021, 2),
    (512, "pointer and its spilled copy: ldp x3, x4, [x1], #16 -> #0x90",
     0x50, 0xA8C11023, 0xA8C91023, 2),
    (512, "exit: b.ne -> b.eq (the loop test inverted)", 0xE14, 0x54FF91E1, 0x54FF91E0, 2),
    (512, "ctx store: stp x24, x25, [x0, #32] -> stp x24, x24", 0xE0C, 0xA9026418, 0xA9026018, 1),
    (512, "rounds loop back edge: cbnz x19 to its head + 4", 0xDBC, 0xB5FFC213, 0xB5FFC233, 1),
]


@openssl
@pytest.mark.parametrize("bits,what,off,old,new,blocks",
                         [pytest.param(*m, id=f"sha{m[0]}: {m[1]}") for m in MUTANTS])
def test_loop_mutant_refuted_and_replayed(openssl_lib, bits, what, off, old, new, blocks):
    refuted_loop_mutant(_proof(bits), off, old, new, blocks)


@openssl
@pytest.mark.parametrize("bits,off,old,new", [(256, 0xE1C, 0x54FF91E1, 0x54FF91C1),
                                              (512, 0xE14, 0x54FF91E1, 0x54FF91C1)])
def test_back_edge_to_the_ctx_spill_is_equivalent(openssl_lib, bits, off, old, new):
    """The back edge moved one instruction up, onto ``stp x0, x2, [x29, #96]`` (it
    stores the same ctx and end pointers again): the loop head's stack slots are
    then scratch, written before they are read, and the proof still holds."""
    proof = _proof(bits)
    image = load_image(proof.object_spec())
    report = proof.check(patches=instruction_patch(proof, image, off, old, new))
    assert report.listing_diffs
    assert report.status == "proved", [(r.name, r.detail) for r in report.failed]
