"""``lnsym decode WORD``: the decoded record and its disassembly."""
from __future__ import annotations

import dataclasses
import json

from lnsym.errors import UserError
from lnsym.machine.decoder import decode
from lnsym.machine.disasm import capstone_text
from lnsym.numbers import parse_int


def register(sub):
    p = sub.add_parser("decode", help="decode one 32-bit instruction word")
    p.add_argument("word", help="the word, e.g. 0x910003fd")
    p.add_argument("--pc", default="0", help="address of the word (for PC-relative forms)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args):
    word = parse_int(args.word, "instruction word")
    if not 0 <= word < 1 << 32:
        raise UserError(f"instruction word {args.word} does not fit in 32 bits")
    pc = parse_int(args.pc, "--pc")
    if not 0 <= pc < 1 << 64:
        raise UserError(f"--pc {args.pc} is not a 64-bit address")
    if pc % 4:
        raise UserError(f"--pc {args.pc} is not a multiple of 4, as an instruction's "
                        f"address must be")
    inst = decode(word, pc)
    fields = dataclasses.asdict(inst) if dataclasses.is_dataclass(inst) else {}
    text = inst.disasm(pc)
    if args.json:
        print(json.dumps({"word": f"{word:#010x}", "class": type(inst).__name__,
                          "module": type(inst).__module__, "fields": fields, "text": text,
                          "capstone": capstone_text(word, pc)}))
    else:
        print(f"{word:#010x}  {text}")
        print(f"  {type(inst).__module__}.{type(inst).__name__}")
        for k, v in fields.items():
            print(f"  {k} = {v}")
    return 0
