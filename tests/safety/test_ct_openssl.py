"""Constant time on real OpenSSL code: the table-based C AES is not constant-time,
vpaes and the AES instructions are, and two mutants of sha256_block_armv8 (a
branch on a message byte, a K-table load indexed by a message byte) are caught,
each violation replayed concretely with its pair of secrets."""
from __future__ import annotations

import pytest

from lnsym.elf.image import load_image
from lnsym.elf.targets import member_spec
from lnsym.proof.routine import patched
from lnsym.safety.check import check_ct
from lnsym.safety.contract import parse_contract

AES_KEY = "out=x1:16:public, key=x2:244:ro, key[240:4]=10"
SHA256 = "ctx=x0:32, inp=x1:64, x2=1"
UMOV_W9_V4_B0 = 0x0E013C89          # umov w9, v4.b[0]   (the first message byte)
CBNZ_W9_PLUS8 = 0x35000049          # cbnz w9, .+8
LDR_Q16_X3_X9 = 0x3CE96870          # ldr q16, [x3, x9]  (x3: the K table)


@pytest.fixture(scope="module")
def image(openssl_lib):
    return lambda member: load_image(member_spec(member))


def test_table_based_aes_encrypt_is_not_constant_time(image):
    run = check_ct(image("libcrypto-lib-aes_core.o"), "AES_encrypt",
                   parse_contract([f"in=x0:16:public, {AES_KEY}"]))
    r = run.result
    assert r.ct == "no"
    first = r.ct_findings[0]
    assert first.kind == "address" and first.text().startswith("ldr ")
    # the first secret-indexed load: no load before it depended on the key
    assert first.secrets and all(s.startswith("key[") for s in first.secrets)
    keys = first.differing_secrets()
    assert keys and all(k.startswith("key[") for k in keys)      # a pair of keys
    assert first.values[0] != first.values[1]
    assert first.confirmed, first.replay                        # and two real runs differ
    assert r.mem == "unknown"            # a secret index is never shown in bounds


def test_vpaes_encrypt_is_constant_time(image):
    run = check_ct(image("libcrypto-lib-vpaes-armv8.o"), "vpaes_encrypt",
                   parse_contract([f"in=x0:16, {AES_KEY}"]))
    assert (run.result.ct, run.result.mem) == ("yes", "yes"), run.result.ct_summary
    assert run.result.dit_pcs                    # its secret arithmetic needs DIT
    assert run.state.steps > 300


def test_aes_v8_encrypt_is_constant_time(image):
    run = check_ct(image("libcrypto-lib-aesv8-armx.o"), "aes_v8_encrypt",
                   parse_contract([f"in=x0:16, {AES_KEY}"]))
    assert (run.result.ct, run.result.mem) == ("yes", "yes"), run.result.ct_summary


def _sha256_mutant(image, second_word):
    im = image("libcrypto-lib-sha256-armv8.o")
    base = im.symbol("sha256_block_armv8").addr
    # +0x1c rev32 v4 / +0x20 rev32 v5 (from the proof's listing) replaced
    assert im.read(base + 0x1C, 4) == (0x6E200884).to_bytes(4, "little")
    mutant = patched(im, {base + 0x1C: UMOV_W9_V4_B0, base + 0x20: second_word})
    return base, check_ct(mutant, "sha256_block_armv8", parse_contract([SHA256]))


def test_sha256_original_is_constant_time(image):
    run = check_ct(image("libcrypto-lib-sha256-armv8.o"), "sha256_block_armv8",
                   parse_contract([SHA256]))
    assert (run.result.ct, run.result.mem) == ("yes", "yes")


def test_sha256_mutant_branching_on_a_message_byte_is_not_constant_time(image):
    base, run = _sha256_mutant(image, CBNZ_W9_PLUS8)
    f = run.result.ct_findings[0]
    assert (run.result.ct, f.kind, f.pc, f.secrets) == ("no", "branch", base + 0x20, ["inp[0]"])
    assert sorted(f.values) == [base + 0x24, base + 0x28]
    assert f.confirmed, f.replay


def test_sha256_mutant_indexing_k_by_a_message_byte_is_not_constant_time(image):
    base, run = _sha256_mutant(image, LDR_Q16_X3_X9)
    f = run.result.ct_findings[0]
    assert (run.result.ct, f.kind, f.pc, f.secrets) == ("no", "address", base + 0x20, ["inp[0]"])
    assert f.confirmed, f.replay
