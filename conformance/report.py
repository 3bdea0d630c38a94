"""Human-readable and JSON descriptions of conformance mismatches."""
from __future__ import annotations

from lnsym.machine.disasm import capstone_text
from lnsym.machine.lift import lift


def lnsym_text(word: int, pc: int) -> str:
    try:
        return lift(word, pc).inst.disasm(pc)
    except Exception as e:          # the report must not die on a disassembler bug
        return f"<{type(e).__name__}: {e}>"


def _fmt(name: str, v) -> str:
    if v is None or isinstance(v, str):
        return str(v)
    if name.startswith("v"):
        return f"0x{v:032x}"
    if name == "nzcv":
        return f"{v:04b}"
    if name == "pc":
        return f"slot {v}"
    return f"{v:#018x}"


def _relevant(case) -> list:
    s = lift(case.word, case.entry)
    locs = set(s.reads) | set(s.writes)
    order = [f"x{i}" for i in range(31)] + ["sp", "nzcv"] + [f"v{i}" for i in range(32)]
    return [n for n in order if n in locs]


def describe(m, runner_name: str = "qemu") -> str:
    """A mismatch (``cosim.Mismatch``) as text."""
    c = m.case
    lines = [f"MISMATCH case {c.id}  word {c.word:#010x} at {c.entry:#x}",
             f"  lnsym:    {lnsym_text(c.word, c.entry)}",
             f"  capstone: {capstone_text(c.word, c.entry)}"]
    ins = c.state.as_dict()
    lines.append("  input (locations the instruction reads or writes):")
    for n in _relevant(c):
        lines.append(f"    {n:5} = {_fmt(n, ins[n])}")
    if m.diffs:
        lines.append(f"  differences (lnsym / {runner_name}):")
        for name, mv, rv in m.diffs:
            lines.append(f"    {name:5}: {_fmt(name, mv)}  /  {_fmt(name, rv)}")
    else:
        where = ("both fault" if m.real.fault else
                 f"both reach slot {m.real.slot} (pc {c.entry + 4 * m.real.slot:#x})")
        lines.append(f"  no differences: {where}")
    if m.real.fault:
        lines.append(f"  {runner_name}: {m.real.fault}")
    if c.model.fault:
        lines.append(f"  lnsym: {c.model.fault}")
    lines.append(f"  reproduce: lnsym conform --replay {c.id}")
    return "\n".join(lines)


def as_json(m) -> dict:
    c = m.case

    def st(o):
        if o.state is None:
            return None
        d = {k: hex(v) for k, v in o.state.as_dict().items()}
        d["pc_slot"] = o.slot
        return d
    return {"case": c.id, "word": f"{c.word:#010x}", "address": hex(c.entry),
            "lnsym": lnsym_text(c.word, c.entry), "capstone": capstone_text(c.word, c.entry),
            "input": {k: hex(v) for k, v in c.state.as_dict().items()},
            "model": st(c.model), "real": st(m.real),
            "model_fault": c.model.fault, "real_fault": m.real.fault,
            "diffs": [[n, _fmt(n, a), _fmt(n, b)] for n, a, b in m.diffs]}
