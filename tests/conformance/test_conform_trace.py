"""Whole-routine traces of real OpenSSL code: lnsym agrees with QEMU instruction by instruction."""
from __future__ import annotations

import pytest

from conformance import trace as T
from lnsym.elf.image import load_image


@pytest.fixture
def openssl(openssl_lib):
    return openssl_lib


def test_qemu_log_parser_rejects_incomplete_dumps():
    with pytest.raises(Exception, match="lacks"):
        T.parse_qemu_log(" PC=0000000000001000 X00=0000000000000001\n")


@pytest.mark.parametrize("obj,symbol,regs", [
    ("libcrypto-lib-sha256-armv8.o", "sha256_block_armv8", {"x2": 1}),
    ("libcrypto-lib-sha512-armv8.o", "sha512_block_data_order", {"x2": 1}),
    ("libcrypto-lib-ghashv8-armx.o", "gcm_ghash_v8", {"x2": 0x201000, "x3": 64}),
])
def test_openssl_routine_trace_agrees(qemu, cross_gcc, openssl, tmp_path, monkeypatch,
                                      obj, symbol, regs):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    image = load_image(f"{openssl}:{obj}")
    regs = {"x0": 0x200000, "x1": 0x201000, **regs}
    writes = [(0x200000, bytes(range(64)) * 4), (0x201000, b"abc" * 100)]
    states, final = T.record(image, symbol, regs, writes)
    assert len(states) > 50 and final          # every routine here stores its result
    path = tmp_path / "t.jsonl"
    T.write_trace(path, {"object": obj, "symbol": symbol}, states, final)
    header, again, final2 = T.read_trace(path)
    assert again == states and header["symbol"] == symbol and final2 == final
    assert T.replay(image, symbol, regs, writes, states, final) is None
    # a final memory lnsym does not produce is reported after the last instruction
    page = min(final)
    bad = dict(final)
    bad[page] = bytes([final[page][0] ^ 0xFF]) + final[page][1:]
    d = T.replay(image, symbol, regs, writes, states, bad)
    assert d is not None and d.diffs[0][0] == f"mem[{page:#x}]" and "final memory" in d.error
    # a recorded state that lnsym cannot reproduce is reported at that instruction
    states[10] = dict(states[10], x5=states[10]["x5"] ^ 1)
    d = T.replay(image, symbol, regs, writes, states)
    assert d is not None and d.index <= 10 and d.diffs
