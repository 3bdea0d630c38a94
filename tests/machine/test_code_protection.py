"""Concrete memory: stores by instructions to code are errors (no self-modifying
code model); loading code and stores next to it are not."""
from __future__ import annotations

import pytest

from lnsym.machine.memory import CodeStoreFault, Memory


def protected():
    m = Memory()
    m.load(0x10000, bytes(range(16)))
    m.map(0x10010, 0x100)                  # data on the same page as the code
    m.protect_code(0x10000, 16)
    return m


@pytest.mark.parametrize("addr,size", [(0x10000, 4), (0x1000c, 8), (0x0fffc, 8)])
def test_store_touching_code_is_an_error_naming_the_instruction(addr, size):
    m = protected()
    if addr < 0x10000:
        m.map(addr, 4)
    with pytest.raises(CodeStoreFault, match=r"instruction at 0x1234 writes .* executable "
                                             r"memory .* self-modifying code is not modelled"):
        m.write(addr, size, 0, 0x1234)
    assert m.read(0x10000, 4) == 0x03020100            # nothing was written


def test_stores_beside_code_and_loads_of_code_pass():
    m = protected()
    m.write(0x10010, 8, 0x1122334455667788, 0x40)        # same page, not code
    assert m.read(0x10010, 8) == 0x1122334455667788
    m.load(0x10000, b"\xff" * 4)                          # the loader is not a store
    assert m.read(0x10000, 4) == 0xFFFFFFFF


def test_runner_protects_executable_segments(openssl_lib):
    from lnsym.backends.runner import prepare
    from lnsym.elf.image import load_image
    from lnsym.elf.targets import member_spec
    image = load_image(member_spec("libcrypto-lib-sha256-armv8.o"))
    mem, _cpu = prepare(image, "sha256_block_armv8")
    text = next(s for s in image.segments if s.executable)
    with pytest.raises(CodeStoreFault):
        mem.write(text.addr + 8, 4, 0xD503201F, text.addr)
