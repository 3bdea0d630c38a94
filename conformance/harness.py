"""The batched QEMU/native harness: one process runs thousands of cases.

The harness program (``harness_main.c`` + ``harness_case.S``) is built once
with ``aarch64-linux-gnu-gcc -static`` and cached under the lnsym cache
directory, keyed by a hash of its sources.  A batch is piped to it on stdin:
every case's code (its *stub*: landing slots, the instruction under test,
more landing slots) is placed at the case's fixed address in a stub area
before anything runs, so no code is ever modified after it executed.  For
each case the harness resets a 4 KiB scratch buffer (at ``SCRATCH_BASE``,
the same address the model maps), loads X0-X30 (X28 is the harness's state
pointer and never an operand), SP, NZCV and V0-V31, branches to the
instruction, and when control reaches a landing slot ``k`` (slot ``k`` sits
at ``entry + 4 k``; fall-through is ``k = 1``) stores every register, NZCV,
the slot and the scratch buffer.  A fault in the instruction is caught
(SIGSEGV, SIGILL, ...) and reported as the case's status.

Layout (little-endian u64 unless said otherwise):

input record  (IN_SIZE=784): x0..x30 @0, sp @248, nzcv (bits 31:28) @256,
              entry @264, v0..v31 (16 bytes each) @272;
              then u64 nwords, u64 stub_addr, u32 words[nwords] padded to 8.
output record: x0..x30 @0, sp @248, nzcv @256, slot+KMAX @264,
              v0..v31 @272, status (0 or signal) @784, fault address @792,
              scratch length @800 (0 when the scratch buffer is unchanged, else
              SCRATCH_SIZE), then that many scratch bytes.
"""
from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = ("harness_main.c", "harness_case.S")

MAGIC = 0x31464D43594D534E
STUB_BASE = 0x4000000
TRAMP_BASE = STUB_BASE
STUB_AREA = STUB_BASE + 0x2000
STUB_AREA_END = STUB_BASE + 0x1000000
SCRATCH_BASE = 0x5000000
SCRATCH_SIZE = 4096
KMAX = 256
IN_SIZE = 784
OUT_STATE = 784
OUT_HEAD = OUT_STATE + 24
OUT_SIZE = OUT_HEAD + SCRATCH_SIZE

QEMU_CPU = "max,pauth=off,sve=off"
SIGNALS = {4: "SIGILL", 5: "SIGTRAP", 7: "SIGBUS", 8: "SIGFPE", 11: "SIGSEGV", 31: "SIGSYS"}
_Q31 = struct.Struct("<31Q")
_U64 = struct.Struct("<Q")


class ToolError(Exception):
    """A missing or failing tool (compiler, QEMU, runner): one sentence, CLI exit 2."""


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lnsym"


def land_word(slot_addr: int, k: int) -> int:
    """``b`` from ``slot_addr`` to landing trampoline ``k``."""
    target = TRAMP_BASE + 8 * (k + KMAX)
    return 0x14000000 | (((target - slot_addr) >> 2) & 0x3FFFFFF)


@dataclass
class State:
    """An architectural state: x[0..30], sp, nzcv (4 bits, N is bit 3), v[0..31]."""
    x: list
    sp: int
    nzcv: int
    v: list

    def as_dict(self) -> dict:
        d = {f"x{i}": self.x[i] for i in range(31)}
        d["sp"] = self.sp
        d["nzcv"] = self.nzcv
        d.update({f"v{i}": self.v[i] for i in range(32)})
        return d


@dataclass
class Outcome:
    """What one execution produced: a state, the landing slot, a fault, the scratch bytes."""
    state: State | None
    slot: int | None        # pc reached = entry + 4 * slot
    fault: str | None       # e.g. 'SIGSEGV at 0x1234', None when the case completed
    scratch: bytes | None   # None: unchanged (the batch's pristine bytes)


def pack_case(st: State, entry: int, stub_addr: int, words: list) -> bytes:
    v = b"".join(x.to_bytes(16, "little") for x in st.v)
    head = _Q31.pack(*st.x) + struct.pack("<QQQ", st.sp, st.nzcv << 28, entry) + v
    body = struct.pack(f"<QQ{len(words)}I", len(words), stub_addr, *words)
    if len(words) & 1:
        body += b"\0\0\0\0"
    return head + body


def pack_outcome(o: Outcome) -> bytes:
    """``o`` as the harness would write it (b"" for a fault: never byte-equal)."""
    if o.fault is not None or o.slot is None:
        return b""
    st = o.state
    v = b"".join(x.to_bytes(16, "little") for x in st.v)
    n = len(o.scratch) if o.scratch is not None else 0
    return (_Q31.pack(*st.x) + struct.pack("<QQQ", st.sp, st.nzcv << 28, o.slot + KMAX) + v
            + struct.pack("<QQQ", 0, 0, n) + (o.scratch or b""))


def unpack_outcome(buf, off: int) -> tuple:
    """(Outcome, offset of the next record)."""
    status, fault_addr, n = struct.unpack_from("<QQQ", buf, off + OUT_STATE)
    scratch = bytes(buf[off + OUT_HEAD: off + OUT_HEAD + n]) if n else None
    end = off + OUT_HEAD + n
    if status:
        name = SIGNALS.get(status, f"signal {status}")
        return Outcome(None, None, f"{name} at {fault_addr:#x}", scratch), end
    x = list(_Q31.unpack_from(buf, off))
    sp, nzcv, slot = struct.unpack_from("<QQQ", buf, off + 248)
    v = [int.from_bytes(buf[off + 272 + 16 * i: off + 288 + 16 * i], "little") for i in range(32)]
    return Outcome(State(x, sp, (nzcv >> 28) & 0xF, v), slot - KMAX, None, scratch), end


# -- building ----------------------------------------------------------------------------

def compiler() -> str:
    cc = os.environ.get("LNSYM_CROSS_CC", "aarch64-linux-gnu-gcc")
    if shutil.which(cc) is None:
        raise ToolError(f"the AArch64 cross compiler {cc!r} was not found on PATH "
                        f"(install gcc-aarch64-linux-gnu, or set LNSYM_CROSS_CC)")
    return cc


def build_harness() -> Path:
    """The harness executable, built once per source version and cached."""
    h = hashlib.sha256()
    for name in SOURCES:
        h.update((HERE / name).read_bytes())
    out = cache_dir() / f"conform-harness-{h.hexdigest()[:16]}"
    if out.exists():
        return out
    cc = compiler()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ToolError(f"cannot create the cache directory {out.parent}: {e.strerror}") from None
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    cmd = [cc, "-static", "-O2", "-o", str(tmp)] + [str(HERE / s) for s in SOURCES]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise ToolError(f"building the conformance harness with {cc} failed: "
                        f"{(r.stderr or r.stdout).strip().splitlines()[-1:]}")
    os.replace(tmp, out)
    return out


# -- running -----------------------------------------------------------------------------

def runner_prefix(runner: str) -> list:
    """The command prefix for ``--runner`` (qemu, native, or a user command)."""
    if runner == "qemu":
        exe = shutil.which("qemu-aarch64")
        if exe is None:
            raise ToolError("qemu-aarch64 was not found on PATH (install qemu-user, "
                            "or use --runner native on an AArch64 host)")
        return [exe, "-cpu", QEMU_CPU]
    if runner == "native":
        return []
    prefix = shlex.split(runner)
    if not prefix or shutil.which(prefix[0]) is None:
        raise ToolError(f"the runner command {runner!r} was not found")
    return prefix


def run_batch(prefix: list, exe: Path, cases: list, pristine: bytes,
              timeout: float | None = None) -> list:
    """Run packed cases (bytes from ``pack_case``) in one process; a list of Outcome."""
    return [unpack_outcome(r, 0)[0] for r in run_batch_raw(prefix, exe, cases, pristine, timeout)]


def run_batch_raw(prefix: list, exe: Path, cases: list, pristine: bytes,
                  timeout: float | None = None) -> list:
    """Like ``run_batch`` but each case's output record as bytes (see ``pack_outcome``)."""
    data = b"".join([struct.pack("<QQ", MAGIC, len(cases)), pristine] + cases)
    if timeout is None:
        timeout = 30 + len(cases) * 0.01
    cmd = prefix + [str(exe)]
    try:
        r = subprocess.run(cmd, input=data, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ToolError(f"the harness ({shlex.join(cmd)}) did not finish within "
                        f"{timeout:.0f}s for a batch of {len(cases)} cases") from None
    except OSError as e:
        raise ToolError(f"cannot start the runner {shlex.join(cmd)}: {e.strerror}") from None
    buf = r.stdout
    outs, off = [], 0
    while off + OUT_HEAD <= len(buf) and len(outs) < len(cases):
        end = off + OUT_HEAD + struct.unpack_from("<Q", buf, off + OUT_STATE + 16)[0]
        outs.append(buf[off:end])
        off = end
    if r.returncode != 0 or len(outs) != len(cases) or off != len(buf):
        err = r.stderr.decode(errors="replace").strip().splitlines()
        raise ToolError(f"the harness ({shlex.join(cmd)}) failed with exit status "
                        f"{r.returncode} after {len(outs)} of {len(cases)} "
                        f"cases{': ' + err[-1] if err else ''}")
    return outs
