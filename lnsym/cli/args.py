"""Option parsing shared by ``run`` and ``trace``: the object, --reg, --mem, --dump."""
from __future__ import annotations

import os
import re

from lnsym.errors import UserError
from lnsym.machine.lift import LOCATION_WIDTHS
from lnsym.numbers import parse_int, shown

REG_NAMES = [n for n in LOCATION_WIDTHS if n != "pc"]


def add_routine_arguments(p) -> None:
    """OBJECT (or a bare target routine name) and --symbol."""
    p.add_argument("object", help="FILE, ARCHIVE.a:MEMBER.o, or a target routine name "
                                  "(lnsym targets)")
    p.add_argument("--symbol", help="routine to call (default: the target routine named "
                                    "as OBJECT)")


def resolve_routine(spec: str, symbol: str | None) -> tuple[str, str]:
    """(object spec, symbol): a bare target routine name stands for its member and itself."""
    from lnsym.elf import targets
    if not os.path.exists(spec) and spec in targets.TARGET_ROUTINES:
        return targets.routine_spec(spec), symbol or spec
    if symbol is None:
        raise UserError(f"--symbol is required with {spec} (only a target routine name "
                        f"selects its routine; see lnsym targets)")
    return spec, symbol


def check_has_code(image, symbol: str) -> None:
    """A routine to run must be a defined symbol inside executable code."""
    sym = image.symbol(symbol)
    seg = image.segment_at(sym.addr)
    if sym.kind == "extern" or seg is None or not seg.executable:
        raise UserError(f"{symbol} is not code in {image.path} (it is "
                        f"{'undefined there' if sym.kind == 'extern' else 'data'}); "
                        f"it has nothing to run")


def resolve_address(image, text: str) -> int:
    """``0x1000``, ``4096``, ``SYMBOL`` or ``SYMBOL+OFF`` -> an address (ASCII numbers only)."""
    base, plus, off = text.strip().partition("+")
    base = base.strip()
    if re.fullmatch(r"-?[0-9].*", base):
        value = parse_int(base, "address")
    else:
        value = image.symbol(base).addr
    return value + (parse_int(off, "address offset") if plus else 0)


def add_state_options(p) -> None:
    p.add_argument("--reg", action="append", default=[], metavar="REG=VALUE",
                   help="initial register: x0-x30, sp, v0-v31, nzcv (decimal or 0x hex)")
    p.add_argument("--mem", action="append", default=[], metavar="ADDR=HEXBYTES",
                   help="write bytes at ADDR (a number, SYMBOL or SYMBOL+OFF); maps the pages")


def parse_regs(items) -> dict:
    regs = {}
    for item in items:
        name, eq, value = item.partition("=")
        name = name.strip().lower()
        if not eq or not value:
            raise UserError(f"--reg {shown(item)} is not of the form REG=VALUE")
        if name not in LOCATION_WIDTHS or name == "pc":
            raise UserError(f"--reg {shown(item)}: unknown register {shown(name)} "
                            f"(use x0-x30, sp, v0-v31 or nzcv)")
        v = parse_int(value, f"--reg {name} value")
        if not 0 <= v < 1 << LOCATION_WIDTHS[name]:
            raise UserError(f"--reg {shown(item)}: value does not fit in "
                            f"{LOCATION_WIDTHS[name]} bits")
        regs[name] = v
    return regs


def parse_hex_bytes(text: str, what: str) -> bytes:
    t = text.strip()
    if t.startswith(("0x", "0X")):
        t = t[2:]
    if not re.fullmatch(r"([0-9a-fA-F]{2})*", t):
        raise UserError(f"{what}: {shown(text)} is not an even number of hex digits")
    if not t:
        raise UserError(f"{what}: no bytes given")
    return bytes.fromhex(t)


def parse_mem(items, image) -> list:
    out = []
    for item in items:
        addr, eq, data = item.partition("=")
        if not eq:
            raise UserError(f"--mem {shown(item)} is not of the form ADDR=HEXBYTES")
        a = resolve_address(image, addr.strip())
        b = parse_hex_bytes(data, f"--mem {addr}")
        _check_range(a, len(b), f"--mem {addr}")
        out.append((a, b))
    return out


def _check_range(addr: int, size: int, what: str) -> None:
    if not 0 <= addr < 1 << 64 or addr + size > 1 << 64:
        raise UserError(f"{what}: {size} byte(s) at {addr:#x} do not fit in the 64-bit "
                        f"address space")


def parse_dumps(items, image) -> list:
    out = []
    for item in items:
        addr, colon, length = item.rpartition(":")
        if not colon or not addr:
            raise UserError(f"--dump {shown(item)} is not of the form ADDR:LEN")
        n = parse_int(length, f"--dump {shown(item)} length")
        if n <= 0:
            raise UserError(f"--dump {shown(item)}: the length must be positive")
        a = resolve_address(image, addr.strip())
        _check_range(a, n, f"--dump {item}")
        out.append((item, a, n))
    return out


def first_unmapped(memory, addr: int, size: int) -> int | None:
    """The first address of ``addr..addr+size`` that is not mapped, or None."""
    page = 4096
    a = addr
    while a < addr + size:
        if not memory.is_mapped(a, 1):
            return a
        a = (a // page + 1) * page
    return None
