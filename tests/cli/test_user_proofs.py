"""``lnsym prove FILE.py``: user proof files, --object given several times,
--record-listing, and the exit codes in Python (lnsym.proof.outcome)."""
from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from tooling import need_tool

from lnsym.cli.main import main
from lnsym.cli.prove_output import exit_code as cli_exit_code
from lnsym.proof.outcome import exit_code

sys.path.insert(0, str(Path(__file__).parents[1] / "proofs"))
from patching import write_patched_member

AES_FILE = '''
from proofs.contracts import BlockCipherBlocks


class GcryptAes(BlockCipherBlocks):
    name = "user_aes"
    object = "{archive}:rijndael-armv8-aarch64-ce.o"
    symbol = "_gcry_aes_enc_armv8_ce"
    spec = "FIPS 197 Cipher"
    returns = 0
    variants = ({{"bits": 128}}, {{"bits": 128, "in_place": True}})
'''

TWO_OBJECTS_FILE = '''
from lnsym.proof.routine import Output, RoutineProof, Setup
from lnsym.terms.bv import const, var


class Twice(RoutineProof):
    name = "twice"
    symbol = "twice"
    spec = "x0 = 3x + 9x + 1000"

    def setup(self, image):
        return Setup({"x0": var("x", 64)}, [])

    def postcondition(self, st, setup):
        x = var("x", 64)
        return [Output("x0", ("reg", "x0", 63, 0), x * const(12, 64) + const(1000, 64))]
'''


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_user_proof_file_proved_then_listing_recorded_then_mutant_refuted(
        libgcrypt_lib, tmp_path, capsys):
    f = _write(tmp_path, "my_aes.py", AES_FILE.format(archive=libgcrypt_lib))
    assert main(["prove", str(f), "--no-progress"]) == 0
    captured = capsys.readouterr()
    rows = [ln for ln in captured.out.splitlines() if ln.startswith("user_aes")]
    assert len(rows) == 2 and all("PROVED" in r for r in rows)
    assert "in_place=True" in rows[1]
    assert "has no listing" in captured.err
    assert "listing: none recorded" in captured.out
    assert main(["prove", str(f), "--record-listing", "--no-progress"]) == 0
    listing = tmp_path / "listings" / "user_aes.lst"
    assert listing.is_file() and "aese v0.16b, v17.16b" in listing.read_text()
    captured = capsys.readouterr()
    assert "recorded" in captured.err and "listing: none recorded" not in captured.out
    # a mutated member (last aese -> aesd) given with --object: listing diff + REFUTED
    mutant = write_patched_member(libgcrypt_lib, "rijndael-armv8-aarch64-ce.o",
                                  "_gcry_aes_enc_armv8_ce", {0x7c: 0x4e285b40},
                                  tmp_path / "mutant.o")
    assert main(["prove", str(f), "--object", str(mutant), "--no-progress"]) == 1
    captured = capsys.readouterr()
    assert "differ from the proof's listing" in captured.err
    assert "REFUTED" in captured.out and "confirmed: the outputs differ" in captured.out


def test_two_objects_linked_for_one_proof(tmp_path, capsys):
    sys.path.insert(0, str(Path(__file__).parents[1] / "elf"))
    from test_link import CALLEE_ASM, CALLER_ASM
    gas = need_tool("aarch64-linux-gnu-as")
    objs = []
    for name, text in (("caller", CALLER_ASM), ("callee", CALLEE_ASM)):
        (tmp_path / f"{name}.s").write_text(text)
        subprocess.run([gas, "-o", str(tmp_path / f"{name}.o"), str(tmp_path / f"{name}.s")],
                       check=True)
        objs += ["--object", str(tmp_path / f"{name}.o")]
    f = _write(tmp_path, "twice.py", TWO_OBJECTS_FILE)
    assert main(["prove", str(f), *objs, "--no-progress"]) == 0
    assert "PROVED" in capsys.readouterr().out
    # caller.o alone: 'helper' is an undefined symbol (zero-filled storage, not code)
    assert main(["prove", str(f), *objs[:2], "--no-progress"]) == 4
    assert "ERROR" in capsys.readouterr().out


@pytest.mark.parametrize("text,args,message", [
    ("def broken(:\n", [], "cannot load proofs from .* \\(line 1\\): SyntaxError"),
    ("import nonexistent_module_xyz\n", [], "\\(line 1\\): ModuleNotFoundError"),
    ("X = 1\n", [], "defines no proof"),
    ("X = 1\n", ["sha256_block_armv8"], "either proof files .* or built-in proof names"),
])
def test_bad_proof_files_are_one_sentence(tmp_path, capsys, text, args, message):
    import re
    f = _write(tmp_path, "p.py", text)
    assert main(["prove", str(f), *args, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert re.search(message, err) and err.count("\n") == 1, err


def test_record_listing_needs_proof_files(capsys):
    assert main(["prove", "sha256_block_armv8", "--record-listing"]) == 2
    assert "records the listings of proof files" in capsys.readouterr().err


class _Rep:
    def __init__(self, status, bad_input=False):
        self.status, self.bad_input = status, bad_input


def test_exit_code_in_python_matches_the_cli():
    statuses = ["proved", "refuted", "stuck", "error"]
    for n in range(1, 4):
        for combo in itertools.product(statuses, repeat=n):
            reps = [_Rep(s) for s in combo]
            assert exit_code(reps) == cli_exit_code(reps), combo
    assert exit_code([_Rep("proved"), _Rep("error", bad_input=True)]) == 2
    assert exit_code([_Rep("proved")]) == 0


SHA_FILE = '''
from proofs.contracts import HashBlocks
from proofs.specs import sha256


class Sha(HashBlocks):
    name = "user_sha256"
    library, member = "libgcrypt", "sha256-armv8-aarch64-ce.o"
    symbol = "_gcry_sha256_transform_armv8_ce"
    spec = "FIPS 180-4 SHA-256"
    compress = sha256.compress
    returns = 0
    variants = ({"all_lengths": True},)
'''


def test_record_listing_of_an_all_lengths_proof(libgcrypt_lib, tmp_path, capsys):
    f = _write(tmp_path, "sha.py", SHA_FILE)
    assert main(["prove", str(f), "--record-listing", "--no-progress"]) == 0
    text = (tmp_path / "listings" / "user_sha256.lst").read_text()
    assert "-00100  428a2f98  data" in text           # K[0], read through the GOT
    out = capsys.readouterr().out
    assert "(all n, 1 ≤ n < 2^58)" in out and " PROVED " in out
