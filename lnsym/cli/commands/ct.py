"""``lnsym ct OBJECT --symbol S --contract ...``: constant time and memory safety of a
routine that has no functional spec.

OBJECT is a file, ``ARCHIVE.a:MEMBER.o``, a member of the cached libcrypto.a
(``libcrypto-lib-aes_core.o``) or a target routine name.  The contract notation
is in ``lnsym.safety.contract``.  Every violation is printed with its address,
disassembly, the secrets it depends on, the term, a pair of secrets that
behaves differently and that pair's concrete replay.

Exit status: 0 CT and MEM yes, 1 a violation, 3 something not shown (unknown),
2 bad input.
"""
from __future__ import annotations

import json
import os

from lnsym.cli.args import add_routine_arguments, check_has_code, resolve_routine
from lnsym.numbers import parse_count


def register(sub):
    p = sub.add_parser("ct", help="check a routine constant-time and memory-safe")
    add_routine_arguments(p)
    p.add_argument("--contract", action="append", default=[], metavar="ITEMS",
                   help="regions, public values and secrets, e.g. 'in=x0:16, "
                        "out=x1:16:public, key=x2:244:ro, key[240:4]=10' (@FILE reads a file)")
    p.add_argument("--max-steps", default="200000", help="symbolic instructions at most")
    p.add_argument("--no-replay", action="store_true",
                   help="do not replay the violations concretely")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def object_spec(spec: str) -> str:
    """A bare libcrypto member name stands for that member of the cached archive."""
    if not os.path.exists(spec) and ":" not in spec and spec.endswith(".o"):
        from lnsym.elf.targets import member_spec
        return member_spec(spec)
    return spec


def run(args):
    from lnsym.elf.image import load_image
    from lnsym.safety.check import check_ct
    from lnsym.safety.contract import parse_contract
    contract = parse_contract(args.contract)
    max_steps = parse_count(args.max_steps, "--max-steps")
    spec, symbol = resolve_routine(object_spec(args.object), args.symbol)
    image = load_image(spec)
    check_has_code(image, symbol)
    ct_run = check_ct(image, symbol, contract, max_steps, replay=not args.no_replay)
    r = ct_run.result
    if args.json:
        out = {"symbol": symbol, "object": spec, "contract": contract.describe(),
               "instructions": ct_run.state.steps, "stopped": ct_run.stopped, **r.as_json()}
        print(json.dumps(out, indent=1))
    else:
        _print(symbol, spec, contract, ct_run)
    if "no" in (r.ct, r.mem):
        return 1
    return 0 if (r.ct, r.mem) == ("yes", "yes") else 3


def _print(symbol, spec, contract, ct_run):
    r = ct_run.result
    print(f"{symbol} ({spec}), {ct_run.state.steps} instructions run symbolically")
    print(f"contract: {contract.describe() or '(none: every register secret)'}")
    if ct_run.stopped:
        print(f"the run stopped early: {ct_run.stopped}")
    print(f"\nCT:  {r.ct_summary}")
    for f in r.ct_findings:
        print("  " + f.describe().replace("\n", "\n  "))
    if r.dit_pcs:
        shown = ", ".join(f"{p:#x}" for p in r.dit_pcs[:12])
        more = f" and {len(r.dit_pcs) - 12} more" if len(r.dit_pcs) > 12 else ""
        print(f"  timing depends on DIT being set (secret operands, on the DIT list): "
              f"{shown}{more}")
    print(f"MEM: {r.mem_summary}")
    for f in r.mem_findings:
        print("  " + f.describe())
    if r.trusted_base:
        print("\ntrusted base:")
        for line in r.trusted_base:
            print(f"  - {line}")
