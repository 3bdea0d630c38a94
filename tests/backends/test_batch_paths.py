"""Lanes that part ways: per-lane branches, per-lane addresses, faults and step limits.

The snippet (GNU assembler words, checked against lnsym's disassembly) branches on
a per-lane register, loads and stores at per-lane addresses, and ends with a
conditional branch some lanes take.  Every lane is compared with a single-input
run of the same words (``lnsym.backends.snippet.run_words``).
"""
from __future__ import annotations

import numpy as np
import pytest

from lnsym.backends.batch.run import run_words
from lnsym.backends.concrete import StepLimit
from lnsym.backends.snippet import CODE_BASE
from lnsym.backends.snippet import run_words as run_single
from lnsym.machine.decoder import decode
from lnsym.machine.disasm import normalise
from lnsym.machine.memory import Memory, MemoryFault

SNIPPET = [
    (0xB4000080, "cbz x0, .+16"),
    (0x38606822, "ldrb w2, [x1, x0]"),
    (0x91000463, "add x3, x3, #0x1"),
    (0x14000002, "b .+8"),
    (0xD28009A2, "mov x2, #0x4d"),
    (0xF8207882, "str x2, [x4, x0, lsl #3]"),
    (0xF10004A5, "subs x5, x5, #0x1"),
    (0x54000041, "b.ne .+8"),
    (0xF94000E6, "ldr x6, [x7]"),
    (0xD503201F, "nop"),
]
WORDS = [w for w, _ in SNIPPET]
TABLE, OUT, CELL = 0x10000, 0x20000, 0x30000
LANES = 40


def test_snippet_words_are_what_they_say():
    for i, (word, text) in enumerate(SNIPPET):
        pc = CODE_BASE + 4 * i
        got = normalise(decode(word, pc).disasm(pc))
        assert got.split()[0] == normalise(text).split()[0], (hex(word), got)


def lanes_inputs():
    rng = np.random.default_rng(5)
    x0 = rng.integers(0, 200, LANES, dtype=np.uint64)
    x0[::5] = 0                                     # these lanes take the cbz
    x5 = rng.integers(1, 3, LANES, dtype=np.uint64)  # b.ne taken unless x5 == 1
    table = rng.integers(0, 256, 256, dtype=np.uint8).tobytes()
    regs = {"x0": x0, "x1": TABLE, "x3": 1000, "x4": OUT, "x5": x5, "x7": CELL}
    memory = [(TABLE, table), (OUT, bytes(8 * 256)), (CELL, (0x1122334455667788).to_bytes(8, "little"))]
    return regs, memory


def test_divergent_lanes_match_single_input_runs():
    regs, memory = lanes_inputs()
    r = run_words(WORDS, regs, memory, lanes=LANES, base=CODE_BASE)
    assert len(r.groups) > 2                          # the lanes really split
    outs = r.read(OUT, 8 * 256)
    for i in range(LANES):
        mem = Memory()
        for addr, data in memory:
            mem.load(addr, data)
        lane_regs = {k: (int(v[i]) if isinstance(v, np.ndarray) else v) for k, v in regs.items()}
        st, mem = run_single(WORDS, lane_regs, mem)
        for loc in ("x0", "x2", "x3", "x5", "x6", "nzcv"):
            assert int(r.reg(loc)[i]) == st.get(loc), (i, loc)
        assert bytes(outs[i]) == mem.read_bytes(OUT, 8 * 256), i
        taken, last = int(regs["x0"][i]) == 0, int(regs["x5"][i]) == 1
        assert r.steps[i] == (6 if taken else 8) + last     # cbz skips 2; ldr runs when x5 was 1


def test_unmapped_per_lane_address_is_a_fault_naming_it():
    regs, memory = lanes_inputs()
    regs["x0"] = np.full(LANES, 3, dtype=np.uint64)
    regs["x0"][7] = 1 << 40                          # one lane reads far outside the table
    with pytest.raises(MemoryFault, match=r"read of 1 byte\(s\) at unmapped address 0x10000010000"):
        run_words(WORDS, regs, memory, lanes=LANES, base=CODE_BASE)


def test_step_limit_is_an_error():
    regs, memory = lanes_inputs()
    with pytest.raises(StepLimit, match="did not return within 3 instructions"):
        run_words(WORDS, regs, memory, lanes=LANES, base=CODE_BASE, max_steps=3)


@pytest.mark.openssl
def test_store_to_code_stops_the_run_as_in_the_single_input_backend(openssl_lib):
    """sha256_block_armv8 told that its context is its own code: both backends refuse."""
    from lnsym.backends.batch import run_batch
    from lnsym.backends.runner import run_routine
    from lnsym.elf.image import load_image
    from lnsym.machine.memory import CodeStoreFault
    image = load_image(f"{openssl_lib}:libcrypto-lib-sha256-armv8.o")
    code = image.symbol("sha256_block_armv8").addr
    regs = {"x0": code, "x1": 0x200000, "x2": 1}
    with pytest.raises(CodeStoreFault) as single:
        run_routine(image, "sha256_block_armv8", regs, [(0x200000, bytes(64))])
    blocks = np.random.default_rng(1).integers(0, 256, (8, 64), dtype=np.uint8)
    with pytest.raises(CodeStoreFault) as batch:
        run_batch(image, "sha256_block_armv8", regs, [(0x200000, blocks)])
    assert str(batch.value) == str(single.value)


LINES = [
    (0x3C838020, "stur q0, [x1, #56]"),      # per-lane data across a 64-byte line boundary
    (0x3CC38021, "ldur q1, [x1, #56]"),
    (0xF8626823, "ldr x3, [x1, x2]"),        # per-lane addresses, some across lines
    (0x91000463, "add x3, x3, #0x1"),
    (0xF8226823, "str x3, [x1, x2]"),
    (0x3DC00C24, "ldr q4, [x1, #48]"),
    (0x78626825, "ldrh w5, [x1, x2]"),
]


def test_per_lane_lines_and_addresses_match_single_input_runs():
    words = [w for w, _ in LINES]
    for i, (word, text) in enumerate(LINES):
        pc = CODE_BASE + 4 * i
        assert normalise(decode(word, pc).disasm(pc)).split()[0] == normalise(text).split()[0]
    rng = np.random.default_rng(8)
    q0 = [int(a) << 64 | int(b) for a, b in rng.integers(0, 2**63, (LANES, 2))]
    x2 = rng.integers(0, 121, LANES, dtype=np.uint64)
    x2[:4] = [0, 60, 57, 120]                       # inside a line, across, across, at the end
    buf = rng.integers(0, 256, 128, dtype=np.uint8).tobytes()
    r = run_words(words, {"v0": q0, "x1": TABLE, "x2": x2},
                  [(TABLE, buf)], lanes=LANES, base=CODE_BASE)
    after = r.read(TABLE, 128)
    for i in range(LANES):
        mem = Memory()
        mem.load(TABLE, buf)
        st, mem = run_single(words, {"v0": q0[i], "x1": TABLE, "x2": int(x2[i])}, mem)
        for loc in ("v1", "x3", "v4", "x5"):
            assert int(r.reg(loc)[i]) == st.get(loc), (i, loc)
        assert after[i].tobytes() == mem.read_bytes(TABLE, 128), i
