"""A bounded fuzz of the CLI (fixed seeds, a few seconds): mutated archives, ELF objects,
trace files and arguments.  For every run: no hang (an alarm per case), an exit status
of 0, 1 or 2 (4 would be an internal error), and when it fails, one sentence on stderr
naming no Python exception.  Over the whole test the process's peak memory grows by
less than 256 MiB (sizes are checked against the file before allocating)."""
from __future__ import annotations

import json
import random
import resource
import signal
import subprocess

import pytest
from cli_check import EXCEPTION_NAME, assemble, call
from tooling import need_tool

from conformance.trace import LOCS

CASE_SECONDS = 10
WEIRD = ["", " ", "-1", "0", "-0x10", "0x", "0xzz", "١٢", "1_000", "1e400", "inf", "nan",
         "Infinity", "1.5", "true", "0x10000000000000000", "99999999999999999999",
         "=", ":", "+", "table+", "table+١", "nosuch", "x" * 300, "9" * 5000, "\x00", "é"]


class Hang(BaseException):
    pass


def _alarm(signum, frame):
    raise Hang()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    d = tmp_path_factory.mktemp("fuzz")
    obj = assemble(d)
    ar = need_tool("aarch64-linux-gnu-ar")
    member = d / "a_long_member_name_for_the_table.o"
    member.write_bytes(obj.read_bytes())
    subprocess.run([ar, "rcs", str(d / "lib.a"), str(member)], check=True)
    return d, obj


def _check(capsys, argv, bad: bool = False):
    """One CLI run under an alarm; its outcome must be a well-formed result."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_SECONDS)
    try:
        rc, out, err = call(capsys, argv)
    except Hang:
        pytest.fail(f"lnsym {argv!r} did not finish within {CASE_SECONDS} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert rc in (0, 1, 2), (argv, rc, err)
    if bad:
        assert rc == 2, (argv, rc, err)
    lines = err.strip().splitlines()
    if rc != 0 and lines:
        assert len(lines) == 1, (argv, err)
        assert lines[0].startswith("lnsym: ") and len(lines[0]) < 400, (argv, err)
        assert not EXCEPTION_NAME.search(lines[0]), (argv, err)
    elif rc == 2:
        pytest.fail(f"lnsym {argv!r} exited 2 without saying why")
    return rc


def _mutate(rng, data: bytes, span: int) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(min(span, len(b)))
        kind = rng.random()
        if kind < 0.4:
            b[at] = rng.randrange(256)
        elif kind < 0.8:
            width = rng.choice((2, 4, 8))
            value = rng.choice((0, 1, 0xFFFF, 1 << 31, (1 << 63) + rng.randrange(1 << 20),
                                rng.randrange(1 << (8 * width))))
            b[at:at + width] = (value % (1 << 8 * width)).to_bytes(width, "little")
        else:
            del b[rng.randrange(len(b)):]
            if not b:
                break
    return bytes(b)


def test_fuzz_archives(base, capsys):
    d, _ = base
    good = (d / "lib.a").read_bytes()
    rng = random.Random(1801)
    sizes = [b"-60", b"8_960", "١٢".encode(), b"9999999999", b"", b"0x10", b" 1 2"]
    for i in range(45):
        data = bytearray(good)
        if i % 3 == 0:                   # a size field of the first or second member
            at = 8 + 48 if rng.random() < 0.5 else good.index(b"`\n", 70) - 10
            data[at:at + 10] = rng.choice(sizes).ljust(10)[:10]
        elif i % 3 == 1:
            data[8:24] = rng.choice([b"#1/abc", b"#1/99999", b"/9999", b"//", b"#1/4"]).ljust(16)
        else:
            data = bytearray(_mutate(rng, bytes(data), 400))
        path = d / f"fuzz{i}.a"
        path.write_bytes(bytes(data))
        _check(capsys, ["disasm", f"{path}:a_long_member_name_for_the_table.o", "--symbol",
                        "ok"])


def test_fuzz_elf(base, capsys):
    d, obj = base
    good = obj.read_bytes()
    shoff = int.from_bytes(good[0x28:0x30], "little")
    rng = random.Random(1802)
    for i in range(60):
        if i % 2:
            data = _mutate(rng, good, 64)                      # the ELF header
        else:                                                  # the section headers
            data = bytearray(good)
            at = shoff + rng.randrange(len(good) - shoff)
            data[at:at + 8] = rng.randrange(1 << 64).to_bytes(8, "little")
            data = bytes(data)
        path = d / f"fuzz{i}.o"
        path.write_bytes(data)
        _check(capsys, ["coverage", path] if i % 4 < 2 else ["run", path, "--symbol", "ok"])


def _trace_lines():
    first = {"pc": "0x10000", **{k: "0x0" for k in LOCS}}
    return [{"lnsym_trace": 1, "symbol": "ok", "regs": {"x0": "0x1"},
             "mem": [["0x100000", "00ff"]]}, first, {"pc": "0x10004", "x0": "0x2"}]


def test_fuzz_traces(base, capsys):
    d, obj = base
    rng = random.Random(1803)
    values = [None, True, 1.5, -16, 2 ** 70, 2 ** 200, "zz", [], {}, "0x" + "f" * 40, "١"]
    for i in range(80):
        recs = _trace_lines()
        k = rng.randrange(len(recs))
        rec = recs[k]
        key = rng.choice(list(rec))
        rec[key] = rng.choice(values)
        text = "\n".join(json.dumps(r) for r in recs)
        if i % 5 == 0:
            text = text.replace("0x", rng.choice(["Infinity", "1e400", "NaN"]), 1)
        data = text.encode()
        if i % 7 == 0:
            data = data[:rng.randrange(len(data))] + b"\xff\xfe"
        path = d / f"fuzz{i}.trace"
        path.write_bytes(data)
        _check(capsys, ["trace", obj, "--symbol", "ok", "--check", path])


def test_fuzz_arguments(base, capsys):
    _, obj = base
    rng = random.Random(1804)
    templates = [
        lambda t: ["decode", t], lambda t: ["decode", "0x94000001", "--pc", t],
        lambda t: ["run", obj, "--symbol", "ok", "--reg", f"x0={t}"],
        lambda t: ["run", obj, "--symbol", "ok", "--reg", t],
        lambda t: ["run", obj, "--symbol", "ok", "--mem", f"0x100000={t}"],
        lambda t: ["run", obj, "--symbol", "ok", "--mem", f"{t[:40]}=00"],
        lambda t: ["run", obj, "--symbol", "ok", "--dump", f"0x10000:{t}"],
        lambda t: ["run", obj, "--symbol", "ok", "--dump", f"{t[:40]}:4"],
        lambda t: ["run", obj, "--symbol", "ok", "--max-steps", t],
        lambda t: ["coverage", obj, "--symbol", t[:40]],
        lambda t: ["conform", "--count", t, "--classes", "no-such-class*"],
        lambda t: ["prove", "aes_v8_encrypt/128", "--timeout", t, "--blocks", "1"],
        lambda t: ["prove", "aes_v8_encrypt/128", "--time-limit", t, "--blocks", "1"],
    ]
    peak0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(150):
        token = rng.choice(WEIRD) if rng.random() < 0.7 else "".join(
            rng.choice("0123456789abcdefx:=+-_. ") for _ in range(rng.randint(0, 12)))
        _check(capsys, rng.choice(templates)(token))
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak0
    assert grown_kib < 256 * 1024, f"peak memory grew by {grown_kib // 1024} MiB"


def test_fuzz_memory_stays_bounded(base, capsys):
    """The .bss and segment sizes of the issue (1 GiB, 16 GiB) never get allocated."""
    d, obj = base
    peak0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    good = obj.read_bytes()
    shoff = int.from_bytes(good[0x28:0x30], "little")
    shnum = int.from_bytes(good[0x3c:0x3e], "little")
    for i in range(shnum):
        for size in (1 << 30, 16 << 30):
            data = bytearray(good)
            data[shoff + i * 64 + 0x20:shoff + i * 64 + 0x28] = size.to_bytes(8, "little")
            path = d / f"big{i}-{size}.o"
            path.write_bytes(bytes(data))
            _check(capsys, ["coverage", path])
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak0
    assert grown_kib < 256 * 1024, f"peak memory grew by {grown_kib // 1024} MiB"
