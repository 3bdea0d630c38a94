"""`lnsym run` on OpenSSL's SHA-256/SHA-512 block functions agrees with the FIPS 180-4 spec.

The routines are run concretely (scalar integer path: OPENSSL_armcap_P left zero)
through the CLI on random chaining values and random blocks; the state they
leave in the context must be the spec's compression function iterated over the
blocks.  One run per hash also takes the Armv8 crypto-extension path (armcap bit
set, checked against the object's ``tst`` instruction) through the Python API:
both paths must give the same result.
"""
from __future__ import annotations

import json
import random

import pytest

from lnsym.backends.runner import run_routine
from lnsym.cli.main import main as lnsym_main
from lnsym.elf.image import load_image
from lnsym.terms.bv import const
from proofs.specs import sha256, sha512
from proofs.specs.bytes import be_words, const_bytes

CTX = 0x100000
INP = 0x200000

# (member, symbol, spec module, block bytes, word bytes, armv8 armcap bit)
HASHES = {
    "sha256": ("libcrypto-lib-sha256-armv8.o", "sha256_block_data_order", sha256, 64, 4, 1 << 4),
    "sha512": ("libcrypto-lib-sha512-armv8.o", "sha512_block_data_order", sha512, 128, 8, 1 << 6),
}


def spec_blocks(spec, wb: int, ctx: bytes, data: bytes, block: int) -> bytes:
    """The context after compressing every block of ``data`` (FIPS 180-4 §6.2.2 / §6.4.2)."""
    H = [const(int.from_bytes(ctx[i:i + wb], "little"), 8 * wb) for i in range(0, 8 * wb, wb)]
    for i in range(0, len(data), block):
        H = spec.compress(H, be_words(const_bytes(data[i:i + block]), wb))
    return b"".join(int(h).to_bytes(wb, "little") for h in H)


def cli_run(capsys, obj: str, symbol: str, ctx: bytes, data: bytes, nblocks: int) -> dict:
    argv = ["run", obj, "--symbol", symbol,
            "--reg", f"x0={CTX:#x}", "--reg", f"x1={INP:#x}", "--reg", f"x2={nblocks}",
            "--mem", f"{CTX:#x}={ctx.hex()}", "--mem", f"{INP:#x}={data.hex()}",
            "--dump", f"{CTX:#x}:{len(ctx)}", "--json"]
    rc = lnsym_main(argv)
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert err == ""
    return json.loads(out)


@pytest.mark.openssl
@pytest.mark.parametrize("nblocks", [1, 2, 7])
@pytest.mark.parametrize("name", sorted(HASHES))
def test_scalar_block_function_matches_spec(capsys, openssl_lib, name, nblocks):
    member, symbol, spec, block, wb, _ = HASHES[name]
    rng = random.Random(f"{name}-{nblocks}")
    ctx = rng.randbytes(8 * wb)
    data = rng.randbytes(block * nblocks)
    result = cli_run(capsys, f"{openssl_lib}:{member}", symbol, ctx, data, nblocks)
    got = bytes.fromhex(result["dumps"][f"{CTX:#x}:{len(ctx)}"])
    assert got == spec_blocks(spec, wb, ctx, data, block)
    assert result["steps"] > 0


def _tst_bits(image, symbol: str) -> set[int]:
    """The immediates of the ``tst w, #imm`` instructions at the routine's start."""
    from lnsym.machine.disasm import capstone_text
    addr, code = image.code(symbol)
    bits = set()
    for off in range(0, 64, 4):
        text = capstone_text(int.from_bytes(code[off:off + 4], "little"), addr + off) or ""
        if text.startswith("tst "):
            bits.add(int(text.split("#")[1], 0))
    return bits


@pytest.mark.openssl
@pytest.mark.parametrize("name", sorted(HASHES))
def test_armv8_path_agrees_with_scalar(openssl_lib, name):
    member, symbol, spec, block, wb, armcap = HASHES[name]
    image = load_image(f"{openssl_lib}:{member}")
    assert armcap in _tst_bits(image, symbol)
    cap_addr = image.externs["OPENSSL_armcap_P"]
    rng = random.Random(f"{name}-armv8")
    nblocks = 3
    ctx = rng.randbytes(8 * wb)
    data = rng.randbytes(block * nblocks)
    regs = {"x0": CTX, "x1": INP, "x2": nblocks}
    ins = [(CTX, ctx), (INP, data)]

    def run(cap: int):
        r = run_routine(image, symbol, regs, ins + [(cap_addr, cap.to_bytes(4, "little"))],
                        max_steps=1_000_000)
        return r.steps, r.memory.read_bytes(CTX, len(ctx))

    steps_scalar, scalar = run(0)
    steps_armv8, armv8 = run(armcap)
    assert armv8 == scalar == spec_blocks(spec, wb, ctx, data, block)
    # the crypto-extension path is a different, much shorter instruction stream
    assert steps_armv8 < steps_scalar // 2
