"""``lnsym run ... --batch N`` (options and output of the run command's batch mode): one routine

Every lane starts from the ``--reg``/``--mem`` state; then per lane:
``--random ADDR:LEN`` fills LEN random bytes (``--seed``), ``--lane-mem ADDR=FILE.npy``
writes row i of an ``(N, LEN)`` ``uint8`` array, ``--lane-reg REG=FILE.npy`` sets
entry i of an ``(N,)`` integer array (``(N, 2)`` 64-bit limbs, low first, for a V
register).  Outputs: the instruction count, registers and ``--dump`` bytes of every
lane, as JSON (``--json``) or a short summary, and all of it plus the per-lane inputs
in an ``.npz`` archive (``--npz FILE``; one ``.npy`` array per name).
"""
from __future__ import annotations

import json
import sys

import numpy as np

from lnsym.backends.concrete import StepLimit
from lnsym.cli.args import parse_dumps, resolve_address
from lnsym.errors import UserError
from lnsym.machine.lift import LOCATION_WIDTHS
from lnsym.machine.memory import MemoryFault
from lnsym.numbers import parse_count, parse_int


def add_batch_options(p) -> None:
    p.add_argument("--batch", metavar="N", help="run N lanes at once on the batch backend")
    p.add_argument("--random", action="append", default=[], metavar="ADDR:LEN",
                   help="with --batch: LEN random bytes at ADDR, different in every lane")
    p.add_argument("--lane-mem", action="append", default=[], metavar="ADDR=FILE.npy",
                   help="with --batch: row i of an (N, LEN) uint8 array at ADDR in lane i")
    p.add_argument("--lane-reg", action="append", default=[], metavar="REG=FILE.npy",
                   help="with --batch: entry i of an (N,) integer array in REG of lane i")
    p.add_argument("--seed", default="0", help="with --batch: seed of the --random bytes")
    p.add_argument("--npz", metavar="FILE", help="with --batch: write inputs and outputs here")


def batch_requested(args) -> bool:
    extra = args.random or args.lane_mem or args.lane_reg or args.npz
    if args.batch is None and extra:
        raise UserError("--random, --lane-mem, --lane-reg and --npz need --batch N")
    return args.batch is not None


def _load_npy(path: str, what: str) -> np.ndarray:
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as e:
        raise UserError(f"{what}: cannot read {path!r} as a .npy array ({e})") from None
    if not isinstance(arr, np.ndarray) or arr.dtype.kind not in "ui":
        raise UserError(f"{what}: {path!r} does not hold an integer array")
    return arr


def lane_inputs(args, image, lanes: int, regs: dict) -> tuple[dict, list]:
    """(registers, memory) for ``run_batch``: the uniform ones plus the per-lane options."""
    regs = dict(regs)
    memory = []
    rng = np.random.default_rng(parse_int(args.seed, "--seed"))
    for key, addr, n in parse_dumps(args.random, image):
        memory.append((addr, rng.integers(0, 256, (lanes, n), dtype=np.uint8)))
    for item in args.lane_mem:
        addr, eq, path = item.partition("=")
        if not eq or not path:
            raise UserError(f"--lane-mem {item!r} is not of the form ADDR=FILE.npy")
        arr = _load_npy(path, f"--lane-mem {addr}")
        if arr.ndim != 2 or arr.shape[0] != lanes or arr.min(initial=0) < 0 or arr.max(initial=0) > 255:
            raise UserError(f"--lane-mem {addr}: {path!r} must be an ({lanes}, LEN) array of bytes, "
                            f"got shape {arr.shape}")
        memory.append((resolve_address(image, addr.strip()), arr.astype(np.uint8)))
    for item in args.lane_reg:
        name, eq, path = item.partition("=")
        name = name.strip().lower()
        if not eq or not path:
            raise UserError(f"--lane-reg {item!r} is not of the form REG=FILE.npy")
        if name not in LOCATION_WIDTHS or name == "pc":
            raise UserError(f"--lane-reg {item!r}: unknown register {name!r}")
        arr = _load_npy(path, f"--lane-reg {name}")
        limbs = (LOCATION_WIDTHS[name] + 63) // 64
        if arr.shape not in ((lanes,), (lanes, limbs)) or arr.min(initial=0) < 0:
            raise UserError(f"--lane-reg {name}: {path!r} must hold {lanes} non-negative values, "
                            f"got shape {arr.shape}")
        regs[name] = arr.astype(np.uint64)
    return regs, memory


def run_batch_command(args, image, symbol: str, regs: dict, writes: list, max_steps: int) -> int:
    from lnsym.backends.batch import run_batch
    lanes = parse_count(args.batch, "--batch")
    dumps = parse_dumps(args.dump, image)
    lane_regs, lane_memory = lane_inputs(args, image, lanes, regs)
    try:
        result = run_batch(image, symbol, lane_regs, list(writes) + lane_memory, lanes=lanes,
                           max_steps=max_steps)
    except StepLimit as e:
        print(f"lnsym: stopped at --max-steps {max_steps}: {e}", file=sys.stderr)
        return 1
    out = {"steps": result.steps}
    for name in LOCATION_WIDTHS:
        if name != "pc":
            out[name] = result.reg(name)
    for key, addr, n in dumps:
        try:
            out[f"dump:{key}"] = result.read(addr, n)
        except MemoryFault:
            raise UserError(f"--dump {key}: the range {addr:#x}..{addr + n:#x} is not "
                            f"all mapped after the run") from None
    if args.npz:
        _write_npz(args.npz, out, lane_regs, lane_memory)
    if args.json:
        print(json.dumps({"lanes": lanes, "steps": out["steps"].tolist(),
                          "regs": {k: [hex(int(v)) for v in out[k]] for k in out
                                   if k in LOCATION_WIDTHS},
                          "dumps": {key: [row.tobytes().hex() for row in out[f"dump:{key}"]]
                                    for key, _, _ in dumps}}))
    else:
        steps = out["steps"]
        paths = len(result.groups)
        print(f"{lanes} lanes returned after {steps.min()}..{steps.max()} instructions "
              f"({paths} path{'s' if paths > 1 else ''})")
        for key, _, _ in dumps:
            rows = out[f"dump:{key}"]
            for i in range(min(lanes, 4)):
                print(f"  lane {i} [{key}] {rows[i].tobytes().hex()}")
            if lanes > 4:
                print(f"  ... {lanes - 4} more lanes (--json or --npz for all)")
    return 0


def _write_npz(path: str, out: dict, regs: dict, memory: list) -> None:
    arrays = {}
    for k, v in out.items():
        arrays[k.replace(":", "_")] = _limb_array(v) if v.dtype == object else v
    for name, v in regs.items():
        if isinstance(v, np.ndarray):
            arrays[f"in_{name}"] = v
    for addr, arr in memory:
        arrays[f"in_mem_{addr:#x}"] = arr
    try:
        np.savez(path, **arrays)
    except OSError as e:
        raise UserError(f"--npz: cannot write {path!r} ({e.strerror})") from None


def _limb_array(values: np.ndarray) -> np.ndarray:
    """Python ints of up to 128 bits -> ``(N, 2)`` ``uint64`` limbs, low first."""
    ints = [int(v) for v in values]
    return np.array([[v & (2**64 - 1), v >> 64] for v in ints], dtype=np.uint64).reshape(-1, 2)
