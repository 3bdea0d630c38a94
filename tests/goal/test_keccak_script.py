"""The KeccakF1600_ce proof script, a mutant it refutes (with the departing instruction,
confirmed under QEMU), and the interactive console driven through a pipe."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tooling import tools_required

from lnsym.elf.image import load_image
from lnsym.terms.bv import const
from proofs import registry
from proofs.specs import keccak

LNSYM = [sys.executable, "-m", "lnsym"]


def test_keccak_f_is_rnd_iterated():
    """What the script's composition step relies on, on sample lanes."""
    lanes = [const((0x9E3779B97F4A7C15 * (i + 1)) & (2 ** 64 - 1), 64) for i in range(25)]
    S = lanes
    for r in range(keccak.n_r):
        S = keccak.Rnd(S, r)
    assert keccak.n_r == 24 and [s.params[0] for s in S] == \
        [t.params[0] for t in keccak.keccak_f(lanes)]


def test_script_proves_keccakf1600_ce(openssl_lib):
    proof = registry.make("KeccakF1600_ce")
    said = []
    rep = proof.check(say=said.append)
    assert rep.status == "proved", [str(r) for r in rep.failed]
    assert rep.steps == 1660 and len(rep.results) == 170 + 26   # + the frame of 26 runs
    assert any("round lemma" in s for s in said)
    assert rep.seconds["total"] < 60
    # the second run finds the round lemma in the (per-test) cache
    said.clear()
    assert registry.make("KeccakF1600_ce").check(say=said.append).status == "proved"
    assert any("cached" in s for s in said)


def test_mutant_refuted_with_departure_and_qemu(openssl_lib):
    proof = registry.make("KeccakF1600_ce")
    image = load_image(proof.object_spec())
    base = image.symbol(proof.symbol).addr
    # +0x50: xar v1.2d, v6.2d, v30.2d, #20 -> #21 (a wrong ρ rotation)
    rep = proof.check(patches={base + 0x50: 0xCE9E54C1})
    assert rep.status == "refuted"
    text = rep.replay
    assert "first checkpoint that differs: lanes after 1 round(s)" in text
    assert "departs from the spec at +0x50: ce9e54c1  xar v1.2d, v6.2d, v30.2d, #0x15" in text
    assert "confirmed: the implementation departs from the spec" in text
    if shutil.which("qemu-aarch64") or tools_required():
        assert "QEMU confirms the implementation's outputs" in text, text


def test_interactive_console_closes_a_goal_and_saves_a_script(openssl_lib, tmp_path):
    script = tmp_path / "steps.py"
    stdin = "\n".join([
        "g = goal.words(64)[3]",
        "r = g.prove(timeout=10)",
        "print('STATUS', r.status)",
        "print('HELP', 'Goal' in Goal.__doc__ or '', bool(goal.__doc__))",
        "x = var('x', 64)",
        "l = Lemma('rot', (x << 1) | (x >> 63), concat(extract(x, 62, 0), extract(x, 63, 63)))",
        "print('LEMMA', l.prove().proved)",
        f"save({str(script)!r})",
        "",
    ])
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    # the OpenSSL archive lives in the real cache: point the lemma cache only
    env.pop("XDG_CACHE_HOME")
    env["LNSYM_LEMMA_DIR"] = str(tmp_path / "lemmas")
    r = subprocess.run(LNSYM + ["prove", "KeccakF1600_ce", "--interactive"], input=stdin,
                       capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    assert "STATUS proved" in r.stdout and "LEMMA True" in r.stdout, r.stdout + r.stderr
    assert "lnsym interactive proof: KeccakF1600_ce" in r.stderr + r.stdout
    text = script.read_text()
    assert "globals().update(namespace('KeccakF1600_ce'))" in text
    assert "g = goal.words(64)[3]" in text and "save(" not in text.split("\n", 3)[-1]
    # the saved script runs on its own
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=300, env=env, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    assert "STATUS proved" in out.stdout and "LEMMA True" in out.stdout


def test_interactive_needs_one_name(openssl_lib):
    r = subprocess.run(LNSYM + ["prove", "--interactive"], capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode == 2 and "exactly one proof NAME" in r.stderr
