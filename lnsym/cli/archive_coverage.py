"""``lnsym coverage ARCHIVE.a``: coverage of every member of a static library.

Each member is loaded on its own (relocations, GOT, externs as ``lnsym.elf``
does for ``ARCHIVE.a:MEMBER.o``) and every function symbol in it is counted as
for one object (``coverage.routine_coverage``).  The report has one line per
member (loaded or the loader's sentence, routines, instructions, implemented)
and a total: members loaded, instructions, implemented, and the instructions
not implemented grouped by mnemonic (count, and how many members use it).

Exit status: 0 when every member loads, 1 when some member does not (the
report says which and why), 2 for usage errors.
"""
from __future__ import annotations

import json
from collections import Counter

from lnsym.elf.archive import open_archive
from lnsym.elf.image import load_image
from lnsym.errors import UserError


def member_record(path: str, member: str, routine_coverage) -> dict:
    """The coverage record of one member: loaded or why not, and its counts."""
    rec = {"member": member, "loaded": True, "error": None, "routines": 0,
           "instructions": 0, "decoded": 0, "implemented": 0, "missing": Counter()}
    try:
        image = load_image(f"{path}:{member}")
    except UserError as e:
        rec.update(loaded=False, error=str(e))
        return rec
    for sym in image.functions():
        r = routine_coverage(image, sym.name)
        rec["routines"] += 1
        for k in ("instructions", "decoded", "implemented"):
            rec[k] += r[k]
        rec["missing"].update(m["capstone"].split()[0] for m in r["missing"])
    return rec


def archive_coverage(path: str, routine_coverage, members: list[str] | None = None) -> dict:
    """Per-member records and the total for the archive at ``path``."""
    names = members or open_archive(path).names()
    records = [member_record(path, m, routine_coverage) for m in names]
    by_mnemonic: Counter = Counter()
    users: Counter = Counter()
    for r in records:
        by_mnemonic.update(r["missing"])
        users.update(set(r["missing"]))
    total = {"members": len(records), "loaded": sum(r["loaded"] for r in records),
             **{k: sum(r[k] for r in records)
                for k in ("routines", "instructions", "decoded", "implemented")}}
    n = total["instructions"]
    total["percent"] = round(100.0 * total["implemented"] / n, 2) if n else None
    missing = [{"mnemonic": m, "count": c, "members": users[m]}
               for m, c in sorted(by_mnemonic.items(), key=lambda kv: (-kv[1], kv[0]))]
    for r in records:
        r["missing"] = dict(sorted(r["missing"].items()))
    return {"archive": str(path), "members": records, "total": total,
            "not_implemented": missing}


def print_report(report: dict, as_json: bool) -> int:
    records, total = report["members"], report["total"]
    if as_json:
        print(json.dumps(report, indent=1))
    else:
        width = max([len(r["member"]) for r in records] + [6])
        print(f"{'member':<{width}}  {'routines':>8}  {'instrs':>7}  {'impl':>7}  {'%':>7}")
        for r in records:
            if not r["loaded"]:
                print(f"{r['member']:<{width}}  not loaded: {r['error']}")
                continue
            n = r["instructions"]
            pct = f"{100.0 * r['implemented'] / n:6.2f}%" if n else "    n/a"
            print(f"{r['member']:<{width}}  {r['routines']:>8}  {n:>7}  "
                  f"{r['implemented']:>7}  {pct}")
        pct = "n/a" if total["percent"] is None else f"{total['percent']:.2f}%"
        print(f"total: {total['loaded']} of {total['members']} members loaded, "
              f"{total['routines']} routines, {total['instructions']} instructions, "
              f"{total['implemented']} implemented ({pct})")
        if report["not_implemented"]:
            print("not implemented, by mnemonic (instructions, members):")
            for m in report["not_implemented"]:
                print(f"  {m['mnemonic']:<12} {m['count']:>7}  {m['members']:>4}")
    return 0 if total["loaded"] == total["members"] else 1
