"""Issue 12: variants of the real OpenSSL routines that exploit gaps in the machine
model.  Each used to be PROVED; each must now stop with status "error" naming
the instruction, or be refuted with a counterexample that a concrete run confirms.

* below SP: data saved under SP without moving it (AAPCS64 has no red zone);
* self-modifying code: a store that patches an instruction (in an RWX ``.text``),
  executes it, then restores the original word;
* the frame of an induction: an instruction before KeccakF1600_ce's loop head
  (outside the step and exit) that clobbers x19 or moves SP.

Variant code that does not fit in the routine is placed in another routine of
the same object that the proof never runs (``trampoline``).
"""
from __future__ import annotations

import pytest
from patching import (
    adr_word,
    b_word,
    instruction_patch,
    listing_word,
    mov32_words,
    trampoline,
    write_rwx_member,
)

from lnsym.backends.runner import run_routine
from lnsym.elf.image import load_image
from lnsym.machine.memory import CodeStoreFault
from lnsym.proof.routine import MACHINE_ASSUMPTIONS, patched
from proofs import registry
from proofs.keccakf1600_ce import loop_offsets

pytestmark = pytest.mark.openssl

NOP, ISB, RET = 0xD503201F, 0xD5033FDF, 0xD65F03C0
MOVI_V0_0 = 0x6F00E400            # movi v0.2d, #0
STR_W12_X11 = 0xB900016C          # str w12, [x11]
KECCAK_B_LOOP = 0x14000002        # +0x8: b <loop head>
SHA256_MOV_X29_SP = 0x910003FD    # +0x4: mov x29, sp (dead: x29 is restored)


def setup(name):
    proof = registry.make(name)
    return proof, load_image(proof.object_spec())


def absolute(proof, image, patches):
    base = image.symbol(proof.symbol).addr
    return {base + off: w for off, w in patches.items()}


def assert_error(report, *needles):
    assert report.status == "error", (report.status, [(r.name, r.status) for r in report.failed])
    assert not report.results and report.error.count("\n") == 0
    for n in needles:
        assert n in report.error, report.error


# -- memory below SP ---------------------------------------------------------------------------
def sha256_below_sp(proof, image):
    """H (q0/q1) saved at [sp, #-32] instead of into v18/v19, reloaded before the
    feed-forward add in a slot dead for one block."""
    p = {}
    p.update(instruction_patch(proof, image, 0x2C, 0x4EA01C12, 0xAD3F07E0))  # stp q0, q1, [sp, #-32]
    p.update(instruction_patch(proof, image, 0x30, 0x4EA11C33, NOP))
    p.update(instruction_patch(proof, image, 0x1B4, 0xD103C063, 0xAD7F4FF2))  # ldp q18, q19, [sp, #-32]
    return p


def aes_below_sp(proof, image):
    """The input block spilled to [sp, #-16] and read back."""
    t = trampoline(proof, image, "aes_v8_xts_decrypt", [0x4C407002, 0x3C9F03E2, 0x3CDF03E2])
    (start,) = [min(t)]
    t[start + 12] = b_word(start + 12, 0xC)
    return {**absolute(proof, image, t),
            **instruction_patch(proof, image, 0x8, 0x4C407002, b_word(0x8, start))}


def keccak_below_sp(proof, image):
    """Lanes 0/1 saved at [sp, #-32] and read back before the loop."""
    t = trampoline(proof, image, "SHA3_squeeze_cext", [0xAD3F07E0, 0xAD7F07E0])
    start = min(t)
    t[start + 8] = b_word(start + 8, loop_offsets(image)[0])
    return {**absolute(proof, image, t),
            **instruction_patch(proof, image, 0x8, KECCAK_B_LOOP, b_word(0x8, start))}


BELOW_SP = [("sha256_block_armv8/1", sha256_below_sp, "stp q0, q1, [sp, #-0x20]"),
            ("aes_v8_encrypt/128", aes_below_sp, "stur q2, [sp, #-0x10]"),
            ("KeccakF1600_ce", keccak_below_sp, "stp q0, q1, [sp, #-0x20]")]


@pytest.mark.parametrize("name,build,text", BELOW_SP, ids=[n for n, *_ in BELOW_SP])
def test_access_below_sp_is_an_error_naming_the_instruction(openssl_lib, name, build, text):
    proof, image = setup(name)
    report = proof.check(patches=build(proof, image))
    assert_error(report, text, "below the stack pointer", "AAPCS64 has no red zone")


def test_below_sp_variant_is_otherwise_correct(openssl_lib):
    """Without a signal the sha256 variant computes the right hash: only the machine
    model (no red zone) tells it apart, as the adversary intended."""
    proof, image = setup("sha256_block_armv8/1")
    variant = patched(image, sha256_below_sp(proof, image))
    ctx, data = bytes(range(32)), bytes(range(100, 164))
    runs = [run_routine(im, proof.symbol, {"x0": 0x1000_0000, "x1": 0x2000_0000, "x2": 1},
                        [(0x1000_0000, ctx), (0x2000_0000, data)]) for im in (image, variant)]
    assert runs[0].memory.read_bytes(0x1000_0000, 32) == runs[1].memory.read_bytes(0x1000_0000, 32)


# -- self-modifying code --------------------------------------------------------------------
def smc_patches(proof, image, host: str, slot: int, hook: int, hook_word: int, back: int):
    """At ``hook`` (listing word ``hook_word``) branch to code in ``host`` that writes
    ``movi v0.2d, #0`` over the nop at ``slot``, runs ``isb`` and returns to ``back``;
    the ``ret`` branches to code that restores the nop, runs ``isb`` and returns."""
    t0 = min(trampoline(proof, image, host, [0]))
    t1 = t0 + 0x40
    first = [adr_word(11, t0, slot), *mov32_words(12, MOVI_V0_0), STR_W12_X11, ISB]
    first.append(b_word(t0 + 4 * len(first), back))
    second = [adr_word(11, t1, slot), *mov32_words(12, NOP), STR_W12_X11, ISB, RET]
    ret = max(off for off, _w, text in proof.listing if text == "ret")
    patches = {t0 + 4 * i: w for i, w in enumerate(first)}
    patches.update({t1 + 4 * i: w for i, w in enumerate(second)})
    assert (listing_word(proof, hook), listing_word(proof, ret)) == (hook_word, RET)
    patches.update({hook: b_word(hook, t0), ret: b_word(ret, t1)})   # offsets: for the member
    return patches, image.symbol(proof.symbol).addr + t0 + 12


def sha256_smc(proof, image):
    # the nop: +0x1b4 (sub x3, x3, #0xf0, dead for one block); the hook: +0x4 (mov x29, sp)
    patches, store = smc_patches(proof, image, "sha256_block_neon", 0x1B4, 0x4,
                                 SHA256_MOV_X29_SP, 0x8)
    patches[0x1B4] = NOP
    return patches, store


def keccak_smc(proof, image):
    # the nop is the routine's own (+0xc); the hook is the branch to the loop (+0x8)
    assert [t for off, _w, t in proof.listing if off == 0xC] == ["nop"]
    return smc_patches(proof, image, "SHA3_squeeze_cext", 0xC, 0x8, KECCAK_B_LOOP, 0xC)


@pytest.mark.parametrize("name,build", [("sha256_block_armv8/1", sha256_smc),
                                        ("KeccakF1600_ce", keccak_smc)],
                         ids=["sha256", "keccak"])
def test_self_modifying_code_in_rwx_text_is_an_error(openssl_lib, tmp_path, name, build):
    proof, image = setup(name)
    patches, store = build(proof, image)
    obj = write_rwx_member(openssl_lib, proof.member, proof.symbol, patches,
                           tmp_path / "variant.o")
    variant = load_image(str(obj))
    assert any(s.executable and s.writable for s in variant.segments)      # RWX
    report = proof.check(str(obj))
    assert_error(report, f"instruction at {store:#x}", "str w12, [x11]",
                 "stores 4 byte(s) to executable memory", "self-modifying code is not modelled")
    # the concrete backend refuses the same store
    with pytest.raises(CodeStoreFault, match=f"instruction at {store:#x} writes 4 byte"):
        run_routine(variant, proof.symbol, {"x0": 0x1000_0000, "x1": 0x2000_0000, "x2": 1},
                    [(0x1000_0000, bytes(32)), (0x2000_0000, bytes(64))])


# -- the whole routine's frame in an induction proof ------------------------------------------
@pytest.mark.parametrize("word,reg", [(0xAA1F03F3, "x19"), (0xD10043FF, "sp")],
                         ids=["mov x19, xzr", "sub sp, sp, #16"])
def test_keccak_entry_code_clobbering_the_frame_is_refuted(openssl_lib, word, reg):
    proof, image = setup("KeccakF1600_ce")
    patches = instruction_patch(proof, image, 0x8, KECCAK_B_LOOP, word)
    report = proof.check(patches=patches)
    assert report.status == "refuted", [(r.name, r.status) for r in report.failed]
    bad = [r for r in report.results if r.status == "refuted"]
    assert [r.name for r in bad] == [f"exit: frame: {reg} preserved"]
    assert bad[0].counterexample is not None
    assert f"{reg} preserved" in report.replay, report.replay
    assert "confirmed: the implementation departs from the spec" in report.replay


@pytest.mark.parametrize("word", [0xAA1F03F3, 0xD10043FF], ids=["mov x19, xzr", "sub sp, sp, #16"])
def test_sha256_clobbering_the_frame_is_refuted(openssl_lib, word):
    proof, image = setup("sha256_block_armv8/1")
    patches = instruction_patch(proof, image, 0x4, SHA256_MOV_X29_SP, word)
    report = proof.check(patches=patches)
    assert report.status == "refuted"
    assert "confirmed: the outputs differ" in report.replay, report.replay


def test_trusted_base_lists_the_machine_assumptions(openssl_lib):
    for name in ("sha256_block_armv8/1", "KeccakF1600_ce"):
        report = registry.make(name).check()
        assert report.status == "proved"
        assert all(a in report.trusted_base for a in MACHINE_ASSUMPTIONS)


def test_lnsym_run_of_the_smc_variant_fails_in_one_sentence(openssl_lib, tmp_path):
    import subprocess
    import sys
    proof, image = setup("sha256_block_armv8/1")
    patches, store = sha256_smc(proof, image)
    obj = write_rwx_member(openssl_lib, proof.member, proof.symbol, patches, tmp_path / "v.o")
    r = subprocess.run([sys.executable, "-m", "lnsym", "run", str(obj), "--symbol", proof.symbol,
                        "--reg", "x0=0x10000000", "--reg", "x1=0x20000000", "--reg", "x2=1",
                        "--mem", f"0x10000000={'00' * 32}", "--mem", f"0x20000000={'00' * 64}"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert f"instruction at {store:#x} writes 4 byte(s) to executable memory" in r.stderr
    assert r.stderr.strip().count("\n") == 0, r.stderr


@pytest.mark.parametrize("word,needle", [
    (0x4C00A820, "outside its bounds"),                          # st1 {v0.4s, v1.4s}, [x1]
    (0x4C00A860, "stores 16 byte(s) to executable memory"),      # st1 ..., [x3]: the K table
], ids=["past the input", "into the K table"])
def test_a_store_the_model_cannot_place_is_an_error_not_a_refutation(openssl_lib, word, needle):
    """Outcome 'error' (the run could not be completed), distinct from 'refuted'."""
    proof, image = setup("sha256_block_armv8/1")
    report = proof.check(patches=instruction_patch(proof, image, 0x1E0, 0x4C00A800, word))
    base = image.symbol(proof.symbol).addr
    assert_error(report, f"instruction at {base + 0x1e0:#x}", needle)
    assert report.steps > 100 and not report.replay
