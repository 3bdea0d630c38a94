"""``lnsym coverage OBJECT [--symbol NAME] [--json]``: how much of a routine lnsym models.

A whole ``ARCHIVE.a`` is reported member by member (``archive_coverage``).

OBJECT is a file, ``archive.a:member.o`` or the name of one of the OpenSSL
target routines (``lnsym targets``), which then selects that routine.  For each
routine (by default every function symbol of the object) it counts

* ``instructions``: code words (words a ``$d`` mapping symbol marks as data,
  and words capstone rejects, are data in code and not counted);
* ``decoded``: words lnsym's decoder turns into an instruction record;
* ``implemented``: words whose semantics lift without error;

and lists each missing instruction (address, word, capstone's text, lnsym's
error).  The command reports; it exits 0 whatever the coverage, 2 for usage
errors (an unreadable object, an unknown symbol), and 1 when a routine has no
instructions at all (every word marked data, e.g. a lost ``$x`` mapping
symbol): its percentage is ``n/a``, never 100 % of nothing.
"""
from __future__ import annotations

import json
import os

from isa_specs.errors import DecodeError
from lnsym.elf import targets
from lnsym.elf.archive import is_archive
from lnsym.elf.image import load_image
from lnsym.errors import UserError
from lnsym.machine.decoder import decode
from lnsym.machine.disasm import capstone_text
from lnsym.machine.lift import lift


def register(sub):
    p = sub.add_parser("coverage", help="count the instructions of routines lnsym implements")
    p.add_argument("object", help="FILE, ARCHIVE.a:MEMBER.o, a whole ARCHIVE.a (one line "
                                  "per member), or a target routine name")
    p.add_argument("--symbol", action="append", default=None, metavar="NAME",
                   help="only this function (repeatable); default: every function")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def word_status(word: int, addr: int) -> tuple[bool, bool, str | None]:
    """(decoded, implemented, error text) for one code word."""
    try:
        decode(word, addr)
    except DecodeError as e:
        return False, False, f"{e.kind}: {e.reason}"
    try:
        lift(word, addr)
    except DecodeError as e:
        return True, False, f"{e.kind}: {e.reason}"
    except Exception as e:          # a semantics bug: reported, never hidden
        return True, False, f"error: {type(e).__name__}: {e}"
    return True, True, None


def routine_coverage(image, name: str) -> dict:
    """The coverage record of one function symbol of ``image``."""
    addr, code = image.code(name)
    counts = {"instructions": 0, "decoded": 0, "implemented": 0, "data": 0}
    missing = []
    for off in range(0, len(code) - 3, 4):
        a = addr + off
        word = int.from_bytes(code[off:off + 4], "little")
        text = None if image.is_data(a) else capstone_text(word, a)
        if text is None:
            counts["data"] += 1
            continue
        counts["instructions"] += 1
        decoded, implemented, error = word_status(word, a)
        counts["decoded"] += decoded
        counts["implemented"] += implemented
        if not implemented:
            missing.append({"address": a, "word": f"{word:#010x}", "capstone": text,
                            "error": error})
    n = counts["instructions"]
    pct = round(100.0 * counts["implemented"] / n, 2) if n else None
    return {"routine": name, "address": addr, **counts, "percent": pct,
            "missing": missing}


def coverage(image, symbols: list[str] | None = None) -> list[dict]:
    """Coverage records for ``symbols`` (default: every function symbol of ``image``)."""
    names = list(dict.fromkeys(symbols)) if symbols else [s.name for s in image.functions()]
    return [routine_coverage(image, n) for n in names]


def resolve(spec: str, symbols: list[str] | None) -> tuple[str, list[str] | None]:
    """A bare target routine name stands for its archive member and itself."""
    if not os.path.exists(spec) and spec in targets.TARGET_ROUTINES:
        return targets.routine_spec(spec), symbols or [spec]
    return spec, symbols


def totals(records: list[dict]) -> dict:
    out = {k: sum(r[k] for r in records) for k in ("instructions", "decoded", "implemented")}
    n = out["instructions"]
    out["percent"] = round(100.0 * out["implemented"] / n, 2) if n else None
    return out


def _pct(p) -> str:
    return "    n/a" if p is None else f"{p:>6.2f}%"


def run(args):
    if os.path.isfile(args.object) and is_archive(args.object):
        from lnsym.cli.archive_coverage import archive_coverage, print_report
        if args.symbol:
            raise UserError("--symbol picks routines of one object; name the member as "
                            f"{args.object}:MEMBER.o")
        return print_report(archive_coverage(args.object, routine_coverage), args.json)
    spec, symbols = resolve(args.object, args.symbol)
    image = load_image(spec)
    records = coverage(image, symbols)
    total = totals(records)
    empty = [r["routine"] for r in records if not r["instructions"]]
    status = _report_empty(image, records, empty)
    if args.json:
        print(json.dumps({"object": image.path, "routines": records, "total": total},
                         indent=1))
        return status
    width = max([len(r["routine"]) for r in records] + [7])
    print(f"{'routine':<{width}}  {'instrs':>6}  {'decoded':>7}  {'impl':>6}  {'%':>7}")
    for r in records:
        print(f"{r['routine']:<{width}}  {r['instructions']:>6}  {r['decoded']:>7}  "
              f"{r['implemented']:>6}  {_pct(r['percent'])}")
    print(f"{'total':<{width}}  {total['instructions']:>6}  {total['decoded']:>7}  "
          f"{total['implemented']:>6}  {_pct(total['percent'])}")
    for r in records:
        for m in r["missing"]:
            print(f"  {r['routine']} {m['address']:#x}: {m['word'][2:]}  "
                  f"{m['capstone']:<36} {m['error']}")
    return status


def _report_empty(image, records, empty) -> int:
    """1 (with one sentence on stderr) when something asked for has no instructions."""
    import sys
    if not records:
        print(f"lnsym: {image.path} has no function symbols, so there is nothing to count "
              f"(is its section-name table or symbol table intact?)", file=sys.stderr)
        return 1
    if empty:
        print(f"lnsym: {len(empty)} routine(s) have no instructions, every word being "
              f"marked data (a lost $x mapping symbol?): {', '.join(empty[:5])}",
              file=sys.stderr)
        return 1
    return 0
