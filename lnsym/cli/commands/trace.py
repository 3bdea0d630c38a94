"""``lnsym trace OBJECT --symbol NAME``: record a routine under QEMU, replay lnsym along it.

The run is recorded instruction by instruction (conformance/trace.py); lnsym
steps along the recorded states and reports the first instruction whose
result differs, with a register diff and both disassemblies.  ``--output``
keeps the trace (JSON lines); ``--check FILE`` replays a saved trace instead
of recording.  Exit status: 0 agree, 1 divergence, 2 usage or tool errors.
"""
from __future__ import annotations

import json

from lnsym.cli.args import (
    add_routine_arguments,
    add_state_options,
    check_has_code,
    parse_mem,
    parse_regs,
    resolve_routine,
)
from lnsym.errors import UserError


def register(sub):
    p = sub.add_parser("trace", help="trace a routine under QEMU and replay lnsym along it")
    add_routine_arguments(p)
    add_state_options(p)
    p.add_argument("--output", "-o", metavar="FILE", help="write the recorded trace here")
    p.add_argument("--check", metavar="FILE", help="replay this trace instead of recording")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def _fmt(k, v):
    if isinstance(v, str) or v is None:
        return str(v)
    return f"0x{v:032x}" if k.startswith("v") else f"{v:#x}"


def run(args):
    from conformance import trace as T
    from conformance.harness import ToolError
    from lnsym.elf.image import load_image
    from lnsym.machine.disasm import capstone_text
    from lnsym.machine.lift import lift
    regs = parse_regs(args.reg)
    spec, symbol = resolve_routine(args.object, args.symbol)
    image = load_image(spec)
    check_has_code(image, symbol)
    writes = parse_mem(args.mem, image)
    try:
        if args.check:
            header, states, final = T.read_trace(args.check)
            if header.get("symbol") not in (None, symbol):
                raise UserError(f"trace {args.check} is of {header.get('symbol')!r}, "
                                f"not {symbol!r}")
            trace_regs, trace_writes = T.trace_inputs(header, args.check)
            regs, writes = trace_regs or regs, trace_writes or writes
        else:
            states, final = T.record(image, symbol, regs, writes)
            if args.output:
                T.write_trace(args.output, {
                    "object": spec, "symbol": symbol,
                    "regs": {k: hex(v) for k, v in regs.items()},
                    "mem": [[hex(a), d.hex()] for a, d in writes],
                    "recorder": "qemu-aarch64 -cpu " + T.QEMU_CPU}, states, final)
    except ToolError as e:
        raise UserError(str(e)) from None
    d = T.replay(image, symbol, regs, writes, states, final)
    steps = len(states) - 1
    if d is None:
        if args.json:
            print(json.dumps({"agree": True, "instructions": steps}))
        else:
            print(f"lnsym agrees with the trace on all {steps} instructions")
        return 0
    text = None
    if d.word is not None:
        try:
            text = lift(d.word, d.pc).inst.disasm(d.pc)
        except Exception as e:
            text = f"<{e}>"
    cs = capstone_text(d.word, d.pc) if d.word is not None else None
    if args.json:
        print(json.dumps({"agree": False, "instruction_index": d.index - 1, "pc": hex(d.pc),
                          "word": None if d.word is None else f"{d.word:#010x}",
                          "lnsym": text, "capstone": cs, "error": d.error,
                          "diffs": [[k, _fmt(k, a), _fmt(k, b)] for k, a, b in d.diffs]}))
    else:
        what = ("after the last instruction" if d.word is None and d.index == len(states)
                else f"at instruction {d.index - 1}")
        print(f"first divergence {what} (pc {d.pc:#x}, word "
              f"{'?' if d.word is None else f'{d.word:#010x}'})")
        print(f"  lnsym:    {text}")
        print(f"  capstone: {cs}")
        if d.error:
            print(f"  lnsym stopped: {d.error}")
        for k, a, b in d.diffs:
            print(f"  {k:5} lnsym {_fmt(k, a)}  recorded {_fmt(k, b)}")
    return 1
