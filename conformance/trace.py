"""Whole-routine traces: record per-instruction states under QEMU, replay lnsym along them.

Recording: a small static driver (``trace_driver.c`` + ``trace_enter.S``,
built once, cached, linked high at 0x3f000000000 so it never overlaps the
routine) receives the routine's memory exactly as ``lnsym run`` builds it
(``lnsym.runner.prepare``: the ELF image, the ``--mem`` writes, the stack)
plus an exit page at the return sentinel and a trampoline page; it maps
everything at the same addresses, loads the registers and enters the
routine.  QEMU runs it one instruction per translation block
(``-singlestep``, ``-one-insn-per-tb`` from 8.1) with ``-d cpu,fpu,nochain``
and ``-dfilter`` over the executable segments and the exit page, so the log
holds the full register state before every instruction of the routine and
once more at the return.

Trace format (JSON lines, ``lnsym-trace 1``): the first line is a header
``{"lnsym_trace": 1, "object", "symbol", "regs", "mem", "recorder"}`` (the
inputs, so a replay rebuilds the same memory); then one line per state, in
execution order: ``{"pc": "0x..", LOCATION: "0x..", ...}`` where the first
state lists every location (x0-x30, sp, nzcv, v0-v31) and later ones only
the locations that changed.  The last state is the one at the return
address (an exit page the driver maps next to the code).  Memory is not in the trace: a wrong store shows up at the first
load that reads it.

Replay: the model starts from the first state with the same memory and
steps (``Executor.step``) once per recorded state; the first state that
differs names the instruction before it, with a register diff and both
disassemblies.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lnsym.errors import UserError

from .harness import HERE, QEMU_CPU, ToolError, cache_dir, compiler

DRIVER_SOURCES = ("trace_driver.c", "trace_enter.S")
DRIVER_TEXT = 0x3F000000000
MAGIC = 0x315254594D534E4C
LOCS = [f"x{i}" for i in range(31)] + ["sp", "nzcv"] + [f"v{i}" for i in range(32)]
PAGE = 4096


def build_driver() -> Path:
    h = hashlib.sha256()
    for name in DRIVER_SOURCES:
        h.update((HERE / name).read_bytes())
    out = cache_dir() / f"trace-driver-{h.hexdigest()[:16]}"
    if out.exists():
        return out
    cc = compiler()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    r = subprocess.run([cc, "-static", "-O2", f"-Wl,-Ttext-segment={DRIVER_TEXT:#x}", "-o",
                        str(tmp)] + [str(HERE / s) for s in DRIVER_SOURCES],
                       capture_output=True, text=True)
    if r.returncode:
        raise ToolError(f"building the trace driver with {cc} failed: "
                        f"{(r.stderr or r.stdout).strip().splitlines()[-1:]}")
    os.replace(tmp, out)
    return out


def qemu_version(exe: str) -> tuple:
    r = subprocess.run([exe, "--version"], capture_output=True, text=True)
    m = re.search(r"version (\d+)\.(\d+)", r.stdout)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def singlestep_flag(exe: str) -> str:
    return "-one-insn-per-tb" if qemu_version(exe) >= (8, 1) else "-singlestep"


# -- the recorder --------------------------------------------------------------------------

def _ranges(pages) -> list:
    out = []
    for p in sorted(pages):
        if out and out[-1][1] == p:
            out[-1][1] = p + 1
        else:
            out.append([p, p + 1])
    return [(a * PAGE, (b - a) * PAGE) for a, b in out]


def _free_page(pages: set, near: int) -> int:
    p = near // PAGE + 1
    while p in pages:
        p += 1
    if abs(p * PAGE - near) >= 1 << 27:
        raise UserError("no free page within branch range of the routine for the trace driver")
    pages.add(p)
    return p * PAGE


def driver_input(mem, st) -> tuple:
    """(stdin bytes, exit address) for the driver: memory ``mem`` and state ``st``.

    The return address (X30) becomes an exit page next to the code: lnsym's
    own sentinel (0xdead00000000) is beyond a 47-bit host's user space.
    """
    pages = set(mem.pages)
    writes = [(p * PAGE, bytes(mem.pages[p])) for p in sorted(mem.pages) if any(mem.pages[p])]
    exit_addr = _free_page(pages, st.pc)       # the driver writes its code
    st = st.copy()
    st.x[30] = exit_addr
    # a trampoline within branch range of the entry: ldr x17, lit; b entry; lit
    tramp = _free_page(pages, st.pc)
    b = 0x14000000 | (((st.pc - (tramp + 4)) >> 2) & 0x3FFFFFF)
    writes.append((tramp, struct.pack("<IIQ", 0x58000051, b, st.x[17])))
    out = [struct.pack("<QQ", MAGIC, len(_ranges(pages)))]
    out += [struct.pack("<QQ", a, n) for a, n in _ranges(pages)]
    out.append(struct.pack("<Q", len(writes)))
    for a, data in writes:
        out.append(struct.pack("<QQ", a, len(data)) + data + b"\0" * (-len(data) % 8))
    out.append(struct.pack("<31Q", *st.x[:31]) + struct.pack("<QQQ", st.sp, st.nzcv << 28, 0))
    out.append(b"".join(v.to_bytes(16, "little") for v in st.v))
    out.append(struct.pack("<QQ", tramp, exit_addr))
    return b"".join(out), exit_addr, _ranges(pages)


_BLOCK = re.compile(r"^ ?PC=([0-9a-f]+)", re.M)
_REG = re.compile(r"\b(X\d\d|SP|PSTATE|Q\d\d)=([0-9a-f]+)(?::([0-9a-f]+))?")


def parse_qemu_log(text: str) -> list:
    """The states in a ``-d cpu,fpu`` log, each a dict location -> int (plus 'pc')."""
    states = []
    starts = [m.start() for m in _BLOCK.finditer(text)] + [len(text)]
    for a, b in zip(starts, starts[1:]):
        block = text[a:b]
        d = {"pc": int(_BLOCK.match(block).group(1), 16)}
        for name, v, lo in _REG.findall(block):
            if name[0] == "X":
                d[f"x{int(name[1:])}"] = int(v, 16)
            elif name == "SP":
                d["sp"] = int(v, 16)
            elif name == "PSTATE":
                d["nzcv"] = int(v, 16) >> 28
            else:
                d[f"v{int(name[1:])}"] = (int(v, 16) << 64) | int(lo or "0", 16)
        missing = [k for k in LOCS if k not in d]
        if missing:
            raise ToolError(f"QEMU's CPU log lacks {', '.join(missing[:4])} "
                            f"(is -d cpu,fpu supported by this QEMU?)")
        states.append(d)
    return states


def record(image, symbol: str, regs: dict, writes: list) -> tuple:
    """(states, final memory) of ``symbol`` run under QEMU.

    ``states``: the state before every instruction and at the return;
    ``final memory``: {page address: bytes} for every page of the run's
    memory that differs at the return from its initial contents.
    """
    from lnsym.backends.runner import prepare
    mem, st = prepare(image, symbol, regs, writes)
    exe = shutil.which("qemu-aarch64")
    if exe is None:
        raise ToolError("qemu-aarch64 was not found on PATH (install qemu-user; on an Arm "
                        "host see conformance/README.md for the gdb recorder)")
    driver = build_driver()
    data, exit_addr, ranges = driver_input(mem, st)
    code = [s for s in image.segments if s.executable and s.data]
    filt = ",".join(f"{s.addr:#x}+{len(s.data):#x}" for s in code) + f",{exit_addr:#x}+0x10"
    with tempfile.TemporaryDirectory() as d:
        log = Path(d) / "cpu.log"
        cmd = [exe, "-cpu", QEMU_CPU, singlestep_flag(exe), "-d", "cpu,fpu,nochain",
               "-dfilter", filt, "-D", str(log), str(driver)]
        r = subprocess.run(cmd, input=data, capture_output=True)
        if r.returncode != 0:
            err = r.stderr.decode(errors="replace").strip().splitlines()
            raise ToolError(f"the traced run failed with exit status {r.returncode}"
                            f"{': ' + err[-1] if err else ''}")
        states = parse_qemu_log(log.read_text())
    ends = [i for i, s in enumerate(states) if s["pc"] == exit_addr]
    if not ends:
        raise ToolError("the traced run did not return to its caller")
    if len(r.stdout) != sum(n for _, n in ranges):
        raise ToolError("the trace driver did not report the final memory")
    final, off = {}, 0
    for a, n in ranges:
        for p in range(a, a + n, PAGE):
            page = r.stdout[off + p - a: off + p - a + PAGE]
            if p // PAGE in mem.pages and page != bytes(mem.pages[p // PAGE]):
                final[p] = page
        off += n
    return states[:ends[0] + 1], final


# -- the trace file --------------------------------------------------------------------------

def write_trace(path, header: dict, states: list, final: dict | None = None) -> None:
    with open(path, "w") as f:
        f.write(json.dumps({"lnsym_trace": 1, **header}) + "\n")
        prev: dict = {}
        for s in states:
            rec = {"pc": hex(s["pc"])}
            rec.update({k: hex(s[k]) for k in LOCS if prev.get(k) != s[k]})
            f.write(json.dumps(rec) + "\n")
            prev = s
        if final is not None:
            f.write(json.dumps({"final_memory": [[hex(a), d.hex()]
                                                 for a, d in sorted(final.items())]}) + "\n")


def read_trace(path) -> tuple:
    """(header, full states, final memory or None); UserError naming the line if malformed.

    Every value is checked: hex strings (or non-negative JSON integers) that fit
    their location (64 bits, 128 for v registers, 4 for nzcv); a trace needs a
    header and at least two states (one instruction).
    """
    try:
        lines = Path(path).read_bytes().decode("utf-8").splitlines()
    except OSError as e:
        raise UserError(f"cannot read trace file {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise UserError(f"trace file {path} is not UTF-8 text") from None
    if not lines:
        raise UserError(f"trace file {path} is empty")
    states, cur = [], {}
    header = final = None
    for no, line in enumerate(lines, 1):
        try:
            rec = json.loads(line, parse_constant=_reject_constant)
            if not isinstance(rec, dict):
                raise ValueError("not a JSON object")
            if no == 1:
                if rec.get("lnsym_trace") != 1:
                    raise ValueError("not an lnsym trace header (lnsym_trace: 1)")
                header = rec
                continue
            if final is not None:
                raise ValueError("nothing may follow the final_memory line")
            if "final_memory" in rec:
                final = dict(trace_memory(rec["final_memory"], "final_memory"))
                continue
            if "pc" not in rec:
                raise ValueError("no pc")
            for k, v in rec.items():
                if k != "pc" and k not in LOCS:
                    raise ValueError(f"unknown location {k!r}")
                cur[k] = trace_value(v, k)
            if no == 2 and any(k not in cur for k in LOCS):
                raise ValueError("the first state must list every location")
            states.append(dict(cur))
        except (ValueError, TypeError, RecursionError) as e:
            raise UserError(f"trace file {path}, line {no}: malformed ({e})") from None
    if len(states) < 2:
        raise UserError(f"trace file {path} has {'only one state' if states else 'no states'}"
                        f"; a trace needs at least two (one instruction)")
    return header, states, final


_WIDTHS = {"pc": 64, "address": 64, "sp": 64, "nzcv": 4, **{f"x{i}": 64 for i in range(31)},
           **{f"v{i}": 128 for i in range(32)}}


def _reject_constant(name):
    raise ValueError(f"{name} is not a number a trace may hold")


def trace_value(v, name: str) -> int:
    """A location's value: a 0x-hex string or a JSON integer that fits the location."""
    if isinstance(v, str) and re.fullmatch(r"0[xX][0-9a-fA-F]+", v.strip()):
        value = int(v.strip(), 16)
    elif isinstance(v, int) and not isinstance(v, bool):
        value = v
    else:
        raise ValueError(f"{name} is {v!r}, not a 0x-hex string or an integer")
    width = _WIDTHS[name]
    if not 0 <= value < 1 << width:
        raise ValueError(f"{name} = {v!r} does not fit in {width} bits")
    return value


def trace_memory(items, what: str) -> list:
    """[(address, bytes)] from [["0xADDR", "HEXBYTES"], ...], each range inside 64 bits."""
    if not isinstance(items, list):
        raise ValueError(f"{what} is not a list of [address, hex bytes] pairs")
    out = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)):
            raise ValueError(f"{what} entry {item!r} is not an [address, hex bytes] pair")
        addr = trace_value(item[0], "address")
        if not re.fullmatch(r"([0-9a-fA-F]{2})*", item[1]):
            raise ValueError(f"{what} entry at {item[0]!r}: {item[1][:20]!r} is not hex bytes")
        data = bytes.fromhex(item[1])
        if addr + len(data) > 1 << 64:
            raise ValueError(f"{what} entry at {item[0]!r} runs past the 64-bit address space")
        out.append((addr, data))
    return out


def trace_inputs(header: dict, path) -> tuple:
    """(regs, memory writes) recorded in a trace header; UserError if malformed."""
    try:
        regs = header.get("regs", {})
        if not isinstance(regs, dict):
            raise ValueError("regs is not an object of register names to values")
        for k in regs:
            if k not in LOCS:
                raise ValueError(f"unknown register {k!r} in regs")
        return ({k: trace_value(v, k) for k, v in regs.items()},
                trace_memory(header.get("mem", []), "mem"))
    except ValueError as e:
        raise UserError(f"trace file {path}, line 1: malformed header ({e})") from None


# -- replay ------------------------------------------------------------------------------------

@dataclass
class Divergence:
    index: int          # state index after the diverging instruction
    pc: int             # the instruction
    word: int | None
    diffs: list         # (location, model, recorded)
    error: str | None = None


def replay(image, symbol: str, regs: dict, writes: list, states: list,
           final: dict | None = None):
    """Step lnsym along ``states``; None if every state agrees, else a Divergence.

    With ``final`` (the recorded final memory, pages that changed), the
    model's memory at the end is compared too: a page that differs is a
    Divergence at the last state with ``mem[ADDR]`` diffs (8-byte words).
    """
    from isa_specs.errors import DecodeError
    from lnsym.backends.concrete import ExecutionError, Executor
    from lnsym.backends.runner import prepare
    from lnsym.machine.memory import MemoryFault
    mem, st = prepare(image, symbol, regs, writes)
    initial = {n: bytes(p) for n, p in mem.pages.items()}
    first = states[0]
    for k in LOCS:
        st.set(k, first[k])
    st.pc = first["pc"]
    ex = Executor(mem, "off")      # QEMU_CPU records with pauth=off
    for i in range(1, len(states)):
        pc = st.pc
        word = mem.read(pc, 4) if mem.is_mapped(pc, 4) else None
        try:
            ex.step(st)
        except (DecodeError, ExecutionError, MemoryFault) as e:
            return Divergence(i, pc, word, [], str(e))
        want = states[i]
        diffs = [(k, st.get(k), want[k]) for k in ["pc"] + LOCS if st.get(k) != want[k]]
        if diffs:
            return Divergence(i, pc, word, diffs)
    if final is None:
        return None
    diffs = []
    for p in sorted(set(final) | {n * PAGE for n in mem.pages if n in initial
                                  and mem.pages[n] != initial[n]}):
        got = bytes(mem.pages[p // PAGE]) if p // PAGE in mem.pages else bytes(PAGE)
        want_page = final.get(p, initial.get(p // PAGE, bytes(PAGE)))
        for o in range(0, PAGE, 8):
            if got[o:o + 8] != want_page[o:o + 8]:
                diffs.append((f"mem[{p + o:#x}]", int.from_bytes(got[o:o + 8], "little"),
                              int.from_bytes(want_page[o:o + 8], "little")))
    if diffs:
        return Divergence(len(states), states[-1]["pc"], None, diffs,
                          "the final memory differs (the store that wrote it is not traced)")
    return None
