"""CT and MEM alongside the shipped proofs (what ``lnsym prove`` prints), and a
mutant of a proof's object caught by the same observers."""
from __future__ import annotations

import pytest

from lnsym.cli.commands.prove import _check_with_safety
from lnsym.cli.prove_output import safety_cells
from proofs import registry


@pytest.mark.parametrize("name", ["sha256_block_armv8/1", "aes_v8_e2e/128", "gcm_init+gmult_v8"])
def test_shipped_proof_is_constant_time_and_memory_safe(openssl_lib, name):
    rep = _check_with_safety(registry.make(name), None, 60.0)
    assert rep.status == "proved"
    assert safety_cells(rep)[0] == "yes" and safety_cells(rep)[1].startswith("yes (stack ")
    assert any(t.startswith("constant time: secret: every input except pointers")
               for t in rep.trusted_base)
    assert any("PSTATE.DIT = 1" in t for t in rep.trusted_base)
    assert any(t.startswith("memory safety:") for t in rep.trusted_base)


def test_proof_of_a_mutant_with_a_secret_branch_reports_ct_no(openssl_lib):
    from lnsym.elf.image import load_image
    proof = registry.make("sha256_block_armv8/1")
    base = load_image(proof.object_spec()).symbol(proof.symbol).addr
    proof_check = proof.check

    def check(object_spec, timeout):     # the proof run on the mutant object
        return proof_check(object_spec, patches={base + 0x1C: 0x0E013C89,     # umov w9, v4.b[0]
                                                 base + 0x20: 0x35000049},    # cbnz w9, .+8
                           timeout=timeout)
    proof.check = check
    try:
        rep = _check_with_safety(proof, None, 60.0)
    except Exception as e:                # the run stops at the branch (before 'error' status)
        pytest.fail(f"the proof run raised instead of reporting: {e}")
    assert rep.status != "proved"
    assert rep.safety.ct == "no" and rep.safety.ct_findings[0].pc == base + 0x20
    assert "constant time" not in " ".join(rep.trusted_base)
