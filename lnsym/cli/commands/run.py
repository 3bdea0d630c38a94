"""``lnsym run OBJECT --symbol NAME``: run a routine concretely."""
from __future__ import annotations

import json

from lnsym.backends.runner import DEFAULT_MAX_STEPS, run_routine
from lnsym.cli.args import add_state_options, parse_dumps, parse_mem, parse_regs
from lnsym.errors import UserError
from lnsym.machine.memory import MemoryFault
from lnsym.numbers import parse_int


def register(sub):
    p = sub.add_parser("run", help="run a routine concretely from an ELF symbol")
    p.add_argument("object", help="ELF file or ARCHIVE.a:MEMBER.o")
    p.add_argument("--symbol", required=True, help="routine to call")
    add_state_options(p)
    p.add_argument("--dump", action="append", default=[], metavar="ADDR:LEN",
                   help="print LEN bytes at ADDR after the run")
    p.add_argument("--max-steps", default=str(DEFAULT_MAX_STEPS),
                   help="stop with an error after this many instructions")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args):
    from lnsym.elf.image import load_image
    regs = parse_regs(args.reg)
    max_steps = parse_int(args.max_steps, "--max-steps")
    if max_steps <= 0:
        raise UserError(f"--max-steps {args.max_steps!r} must be a positive number")
    image = load_image(args.object)
    writes = parse_mem(args.mem, image)
    dumps = parse_dumps(args.dump, image)
    result = run_routine(image, args.symbol, regs, writes, max_steps)
    st = result.state
    out_regs = {f"x{i}": f"{st.x[i]:#x}" for i in range(31)}
    out_regs["sp"] = f"{st.sp:#x}"
    out_regs.update({f"v{i}": f"0x{st.v[i]:032x}" for i in range(32)})
    out_regs["nzcv"] = f"{st.nzcv:#x}"
    dumped = {}
    for key, addr, n in dumps:
        try:
            dumped[key] = result.memory.read_bytes(addr, n).hex()
        except MemoryFault as e:
            raise UserError(f"--dump {key}: {e} after the run") from None
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
