"""Assembly syntax helpers for ``disasm()`` (Arm's preferred disassembly, as capstone prints it)."""
from __future__ import annotations


def gpr(n: int, width: int, sp: bool = False) -> str:
    """``x5``/``w5``; register 31 is ``sp``/``wsp`` when ``sp`` else ``xzr``/``wzr``."""
    if n == 31:
        if sp:
            return "sp" if width == 64 else "wsp"
        return "xzr" if width == 64 else "wzr"
    return f"{'x' if width == 64 else 'w'}{n}"


def imm(value: int) -> str:
    """An immediate the way capstone prints it: ``#0x1f``, ``#9``, ``#-0x10``."""
    if -10 < value < 10:
        return f"#{value}"
    return f"#-{-value:#x}" if value < 0 else f"#{value:#x}"


def vreg(n: int, arrangement: str | None = None) -> str:
    return f"v{n}.{arrangement}" if arrangement else f"v{n}"


def scalar_reg(n: int, bits: int) -> str:
    """``b``/``h``/``s``/``d``/``q`` register names by element size."""
    return {8: "b", 16: "h", 32: "s", 64: "d", 128: "q"}[bits] + str(n)


def label(target: int) -> str:
    return f"#{target:#x}"
