"""``lnsym run OBJECT [--symbol NAME]``: run a routine concretely.

OBJECT may be a bare target routine name (``lnsym targets``).  Exit status: 0
returned, 1 the run failed or stopped at ``--max-steps`` (said on stderr), 2 bad input.
"""
from __future__ import annotations

import json
import sys

from lnsym.backends.concrete import StepLimit
from lnsym.backends.runner import DEFAULT_MAX_STEPS, run_routine
from lnsym.cli.args import (
    add_routine_arguments,
    add_state_options,
    check_has_code,
    first_unmapped,
    parse_dumps,
    parse_mem,
    parse_regs,
    resolve_routine,
)
from lnsym.cli.batch_run import add_batch_options, batch_requested, run_batch_command
from lnsym.errors import UserError
from lnsym.numbers import parse_count


def register(sub):
    p = sub.add_parser("run", help="run a routine concretely from an ELF symbol")
    add_routine_arguments(p)
    add_state_options(p)
    p.add_argument("--dump", action="append", default=[], metavar="ADDR:LEN",
                   help="print LEN bytes at ADDR after the run")
    p.add_argument("--max-steps", default=str(DEFAULT_MAX_STEPS),
                   help="stop with an error after this many instructions")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_batch_options(p)
    p.set_defaults(func=run)


def run(args):
    from lnsym.elf.image import load_image
    regs = parse_regs(args.reg)
    max_steps = parse_count(args.max_steps, "--max-steps")
    spec, symbol = resolve_routine(args.object, args.symbol)
    image = load_image(spec)
    check_has_code(image, symbol)
    writes = parse_mem(args.mem, image)
    if batch_requested(args):
        return run_batch_command(args, image, symbol, regs, writes, max_steps)
    dumps = parse_dumps(args.dump, image)
    try:
        result = run_routine(image, symbol, regs, writes, max_steps)
    except StepLimit as e:
        print(f"lnsym: stopped at --max-steps {max_steps}: {e}", file=sys.stderr)
        return 1
    st = result.state
    out_regs = {f"x{i}": f"{st.x[i]:#x}" for i in range(31)}
    out_regs["sp"] = f"{st.sp:#x}"
    out_regs.update({f"v{i}": f"0x{st.v[i]:032x}" for i in range(32)})
    out_regs["nzcv"] = f"{st.nzcv:#x}"
    dumped = {}
    for key, addr, n in dumps:
        hole = first_unmapped(result.memory, addr, n)
        if hole is not None:
            raise UserError(f"--dump {key}: address {hole:#x} of the range "
                            f"{addr:#x}..{addr + n:#x} is not mapped after the run")
        dumped[key] = result.memory.read_bytes(addr, n).hex()
    if args.json:
        print(json.dumps({"steps": result.steps, "regs": out_regs, "dumps": dumped}))
    else:
        print(f"returned after {result.steps} instructions")
        for i in range(0, 31, 4):
            print("  " + "  ".join(f"x{j:<2}={st.x[j]:#018x}" for j in range(i, min(i + 4, 31))))
        print(f"  sp ={st.sp:#018x}  nzcv={st.nzcv:04b}")
        for i in range(32):
            if st.v[i]:
                print(f"  v{i:<2}=0x{st.v[i]:032x}")
        for key, data in dumped.items():
            print(f"  [{key}] {data}")
    return 0
