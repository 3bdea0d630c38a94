"""KeccakF1600_ce in the interactive console (its first goal: one round from the loop
head on fresh lanes), driven through a pipe; the spec fact its induction's last step
uses.  The proof itself and its mutants: tests/proofs/test_keccak_induction.py."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lnsym.terms.bv import const
from proofs.specs import keccak

LNSYM = [sys.executable, "-m", "lnsym"]


def test_keccak_f_is_rnd_iterated():
    """What the induction's result relies on (keccak_f = Rnd iterated), on sample lanes."""
    lanes = [const((0x9E3779B97F4A7C15 * (i + 1)) & (2 ** 64 - 1), 64) for i in range(25)]
    S = lanes
    for r in range(keccak.n_r):
        S = keccak.Rnd(S, r)
    assert keccak.n_r == 24 and [s.params[0] for s in S] == \
        [t.params[0] for t in keccak.keccak_f(lanes)]


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
