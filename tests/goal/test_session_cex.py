"""Sessions on tiny assembled routines: cut points, state inspection, goals, and a
deliberately buggy routine whose counterexample replays (lnsym and QEMU)."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from tooling import need_tool, tools_required

import proofs  # noqa: F401  (registers the QEMU trace recorder, as a user's proof file does)
from lnsym.backends.symbolic import Region
from lnsym.elf.image import load_image
from lnsym.proof.routine import Output, RoutineProof, Setup
from lnsym.proof.session import Session
from lnsym.terms.bv import var

GOOD = """
    .text
    .globl f
f:  ldr x3, [x0]
    eor x3, x3, x1
    add x3, x3, x2
    str x3, [x0, #8]
    ret
"""
BUGGY = GOOD.replace("eor x3, x3, x1", "orr x3, x3, x1")


def assemble(tmp_path, name, text):
    gas = need_tool("aarch64-linux-gnu-as")
    (tmp_path / f"{name}.s").write_text(text)
    subprocess.run([gas, "-o", str(tmp_path / f"{name}.o"), str(tmp_path / f"{name}.s")],
                   check=True)
    return str(tmp_path / f"{name}.o")


def listing_of(path):
    image = load_image(path)
    addr, code = image.code("f")
    return tuple((i, int.from_bytes(code[i:i + 4], "little"), "") for i in range(0, len(code), 4))


class XorAdd(RoutineProof):
    """f(buf, k, c): buf[1] = (buf[0] ^ k) + c, 64-bit words."""
    name = "xor_add"
    symbol = "f"
    spec = "buf[1] = (buf[0] XOR x1) + x2"
    may_change = ("buf",)

    def setup(self, image):
        buf = Region("buf", var("buf", 64), 0, 16)
        return Setup({"x0": var("buf", 64), "x1": var("k", 64), "x2": var("c", 64)}, [buf])

    def postcondition(self, st, setup):
        b = st.mem.region("buf")
        w0 = b.initial(0)
        from lnsym.terms.bv import concat
        w0 = concat(*[b.initial(i) for i in reversed(range(8))])
        return [Output("buf[1]", ("mem", "buf", 8, 8), (w0 ^ var("k", 64)) + var("c", 64))]


@pytest.fixture
def objs(tmp_path):
    good = assemble(tmp_path, "good", GOOD)
    return good, assemble(tmp_path, "bad", BUGGY)


def test_cut_points_and_inspection(objs):
    good, _ = objs
    s = Session(XorAdd(), good)
    st = s.run(to=8)                       # stop before the add
    assert st.pc == s.base + 8 and st.steps == 2 and not st.done
    assert st.reg("x3") is s.state.initial["x1"] ^ st.words("buf", 8)[0]
    assert "x3" in st.show()
    st = s.run()
    assert st.done and st.steps == 5
    w = st.words("buf", 8)
    assert w[1] is (w[0] ^ var("k", 64)) + var("c", 64)
    assert st.lane("x3", 32, 1).width == 32
    goals = s.goals()
    assert goals[0].name == "buf[1]" and goals[0].closed
    assert all(g.prove(5).status == "proved" for g in goals)


def test_segment_is_universally_quantified(objs):
    good, _ = objs
    s = Session(XorAdd(), good)
    seg = s.segment(8, {"x0": var("buf", 64)}, tag="t")
    sub = s.last_segment
    end = sub.run()
    # from the cut: buf[1] = x3@t + x2@t, whatever x3 and x2 held there
    assert end.words("buf", 8)[1] is var("x3@t", 64) + var("x2@t", 64)
    assert seg.st.initial["x3"] is var("x3@t", 64)     # views are live: the state ran on


def test_scripted_check_of_the_good_routine(objs):
    good, _ = objs
    rep = XorAdd().check(good)
    assert rep.status == "proved"


def test_buggy_routine_counterexample_replays(objs):
    good, bad = objs

    class Proof(XorAdd):
        listing = listing_of(good)         # the code the proof was written for
    proof = Proof()
    s = Session(proof, bad)
    g = s.goal("buf[1]")
    r = g.prove(5)
    assert r.status == "refuted"
    ex = s.explain(r.counterexample, qemu=shutil.which("qemu-aarch64") is not None)
    assert ex.confirmed
    (name, impl, spec), = ex.outputs
    k, c = ex.inputs["x1"], ex.inputs["x2"]
    w0 = int.from_bytes(ex.writes[0][1][:8], "little")
    assert impl == ((w0 | k) + c) & (2 ** 64 - 1) and spec == ((w0 ^ k) + c) & (2 ** 64 - 1)
    assert impl != spec
    text = str(ex)
    assert "departs from the spec at +0x4" in text and "orr x3, x3, x1" in text
    assert "eor x3, x3, x1" in text                   # what the listing has there
    if shutil.which("qemu-aarch64") or tools_required():
        assert "QEMU confirms the implementation's outputs" in text, text
