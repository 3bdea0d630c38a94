"""A counterexample found on one path of a path split is replayed under QEMU too (as an
all-lengths proof's bounded search does): its obligation's name carries the path's
label, which the replay looks through."""
from __future__ import annotations

from patching import instruction_patch

from lnsym.elf.image import load_image
from lnsym.proof.cex import confirm_under_qemu
from lnsym.proof.routine import patched
from proofs.libgcrypt.aes import GcryAesCtr


def test_carry_path_counterexample_confirmed_under_qemu(libgcrypt_lib, qemu):
    """libgcrypt CTR at 4 blocks with the carry path's first lane dropping its carry
    (``adc x14, x9, xzr`` -> ``add``): refuted on that path, and QEMU agrees."""
    proof = GcryAesCtr(bits=128, blocks=4)
    image = load_image(proof.object_spec())
    patches = instruction_patch(proof, image, 0x434, 0x9A1F012E, 0x8B1F012E)
    report = proof.check(patches=patches)
    assert report.status == "refuted"
    refuted = next(r for r in report.results if r.status == "refuted")
    assert refuted.name.startswith("[path ")
    text, confirmed = confirm_under_qemu(proof, patched(image, patches), report.results)
    assert confirmed is True, text
    assert "confirmed under QEMU: the outputs differ" in text
