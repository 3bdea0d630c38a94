"""``lnsym run --batch N``: SHA-256 on N random (or file-given) inputs, checked against hashlib.

Each lane's message is one padded block; the context starts at the FIPS 180-4
initial value in every lane (``--mem``), the block is random per lane
(``--random``) or read from a ``.npy`` file (``--lane-mem``).  The ``.npz`` output
holds the inputs, so each lane's digest is recomputed with hashlib.
"""
from __future__ import annotations

import hashlib
import json
import struct

import numpy as np
import pytest

from lnsym.cli.main import main

CTX, INP = 0x100000, 0x200000
IV = struct.pack("<8I", 0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19)
BASE = ["run", "sha256_block_armv8", "--reg", f"x0={CTX:#x}", "--reg", f"x1={INP:#x}",
        "--reg", "x2=1", "--mem", f"{CTX:#x}={IV.hex()}", "--dump", f"{CTX:#x}:32"]


def padded(msg: bytes) -> bytes:
    return msg + b"\x80" + bytes(55 - len(msg)) + (8 * len(msg)).to_bytes(8, "big")


def digest_of(ctx: bytes) -> bytes:
    return struct.pack(">8I", *struct.unpack("<8I", ctx))


@pytest.mark.openssl
def test_lane_mem_from_file_hashes_like_hashlib(openssl_lib, tmp_path, capsys):
    msgs = [bytes([i]) * (i % 56) for i in range(40)]
    blocks = np.array([list(padded(m)) for m in msgs], dtype=np.uint8)
    np.save(tmp_path / "blocks.npy", blocks)
    argv = BASE + ["--batch", "40", "--lane-mem", f"{INP:#x}={tmp_path / 'blocks.npy'}", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    (rows,) = out["dumps"].values()
    assert len(rows) == 40 and out["lanes"] == 40 and set(out["steps"]) == {123}
    for m, row in zip(msgs, rows):
        assert digest_of(bytes.fromhex(row)) == hashlib.sha256(m).digest()


@pytest.mark.openssl
def test_random_lanes_saved_to_npz(openssl_lib, tmp_path, capsys):
    npz = tmp_path / "out.npz"
    argv = BASE + ["--batch", "300", "--random", f"{INP:#x}:64", "--seed", "9", "--npz", str(npz)]
    assert main(argv) == 0
    assert "300 lanes returned after 123..123 instructions (1 path)" in capsys.readouterr().out
    data = np.load(npz)
    blocks, ctx = data[f"in_mem_{INP:#x}"], data[f"dump_{CTX:#x}_32"]
    assert blocks.shape == (300, 64) and len({b.tobytes() for b in blocks}) == 300
    one = ["run", "sha256_block_armv8", "--reg", f"x0={CTX:#x}", "--reg", f"x1={INP:#x}",
           "--reg", "x2=1", "--mem", f"{CTX:#x}={IV.hex()}", "--mem", f"{INP:#x}={blocks[7].tobytes().hex()}",
           "--dump", f"{CTX:#x}:32", "--json"]
    assert main(one) == 0
    (single,) = json.loads(capsys.readouterr().out)["dumps"].values()
    assert bytes.fromhex(single) == ctx[7].tobytes()
    assert data["steps"].tolist() == [123] * 300 and data["v0"].shape == (300, 2)


@pytest.mark.parametrize("extra, message", [
    (["--random", f"{INP:#x}:64"], "need --batch N"),
    (["--batch", "0"], "must be at least 1"),
    (["--batch", "4", "--lane-reg", "x9=/nonexistent.npy"], "cannot read '/nonexistent.npy'"),
    (["--batch", "4", "--lane-reg", "q1=/x.npy"], "unknown register 'q1'"),
    (["--batch", "4", "--random", "0x200000"], "is not of the form ADDR:LEN"),
])
def test_bad_batch_options_are_one_sentence(openssl_lib, capsys, extra, message):
    assert main(BASE + extra) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


@pytest.mark.openssl
def test_wrong_lane_count_in_file(openssl_lib, tmp_path, capsys):
    np.save(tmp_path / "b.npy", np.zeros((3, 64), np.uint8))
    assert main(BASE + ["--batch", "4", "--lane-mem", f"{INP:#x}={tmp_path / 'b.npy'}"]) == 2
    assert "must be an (4, LEN) array of bytes, got shape (3, 64)" in capsys.readouterr().err


@pytest.mark.openssl
def test_lane_reg_block_counts_split_the_lanes(openssl_lib, tmp_path, capsys):
    """x2 (the block count) differs per lane: the loop exit splits the lanes into paths,
    and every lane still equals a single-input run."""
    counts = np.array([1, 2, 2, 1, 3, 1], dtype=np.uint64)
    np.save(tmp_path / "n.npy", counts)
    argv = ["run", "sha256_block_armv8", "--reg", f"x0={CTX:#x}", "--reg", f"x1={INP:#x}",
            "--mem", f"{CTX:#x}={IV.hex()}", "--random", f"{INP:#x}:192", "--batch", "6",
            "--lane-reg", f"x2={tmp_path / 'n.npy'}", "--dump", f"{CTX:#x}:32",
            "--npz", str(tmp_path / "o.npz")]
    assert main(argv) == 0
    assert "(3 paths)" in capsys.readouterr().out
    data = np.load(tmp_path / "o.npz")
    blocks = data[f"in_mem_{INP:#x}"]
    for i, n in enumerate(counts.tolist()):
        one = ["run", "sha256_block_armv8", "--reg", f"x0={CTX:#x}", "--reg", f"x1={INP:#x}",
               "--reg", f"x2={n}", "--mem", f"{CTX:#x}={IV.hex()}",
               "--mem", f"{INP:#x}={blocks[i].tobytes().hex()}", "--dump", f"{CTX:#x}:32", "--json"]
        assert main(one) == 0
        out = json.loads(capsys.readouterr().out)
        assert bytes.fromhex(next(iter(out["dumps"].values()))) == data[f"dump_{CTX:#x}_32"][i].tobytes()
        assert out["steps"] == int(data["steps"][i])
