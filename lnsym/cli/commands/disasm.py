"""``lnsym disasm OBJECT [--symbol NAME]``: a listing comparing capstone and lnsym.

OBJECT is a file, ``archive.a:member.o`` or the name of one of the OpenSSL
target routines (``lnsym targets``).  Each word shows its address, the word,
capstone's text, and lnsym's status: ``ok`` (lnsym decodes and lifts it; its
own text is shown when it differs from capstone's), ``unimplemented``,
``unallocated``, ``undecodable`` or ``error``.  Words that a ``$d`` mapping
symbol marks as data, or that capstone rejects, are listed as data.
"""
from __future__ import annotations

import json
import os

from isa_specs.errors import DecodeError
from lnsym.elf import targets
from lnsym.elf.image import load_image
from lnsym.machine.disasm import capstone_text, normalise
from lnsym.machine.lift import lift


def register(sub):
    p = sub.add_parser("disasm", help="disassemble an object with capstone and lnsym")
    p.add_argument("object", help="FILE, ARCHIVE.a:MEMBER.o, or a target routine name")
    p.add_argument("--symbol", help="only this function")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def classify(word: int, addr: int, data: bool = False) -> dict:
    """One listing row: capstone's and lnsym's view of ``word`` at ``addr``."""
    cs = capstone_text(word, addr)
    row = {"address": addr, "word": f"{word:#010x}", "capstone": cs, "lnsym": None}
    if data or cs is None:
        row.update(kind="data", status="data", agree=None)
        return row
    row["kind"] = "code"
    try:
        text = lift(word, addr).inst.disasm(addr)
    except DecodeError as e:
        row.update(status=e.kind, agree=None, reason=e.reason)
        return row
    except Exception as e:      # a semantics bug: shown, never hidden
        row.update(status="error", agree=None, reason=f"{type(e).__name__}: {e}")
        return row
    row.update(lnsym=text, status="ok", agree=normalise(text) == normalise(cs))
    return row


def listing(image, symbol: str | None) -> list[tuple[str | None, list[dict]]]:
    """[(label, rows)]: one block per function asked for, else per executable segment."""
    if symbol is not None:
        addr, code = image.code(symbol)
        return [(symbol, _rows(image, addr, code))]
    labels = {}
    for s in image.symbols.values():
        if s.kind in ("func", "notype") and s.section is not None:
            labels.setdefault(s.addr, s.name)
    blocks = []
    for seg in image.segments:
        if seg.executable:
            blocks.append((seg.name, _rows(image, seg.addr, seg.data, labels)))
    return blocks


def _rows(image, addr: int, code: bytes, labels: dict | None = None) -> list[dict]:
    rows = []
    for off in range(0, len(code) - 3, 4):
        a = addr + off
        row = classify(int.from_bytes(code[off:off + 4], "little"), a, image.is_data(a))
        if labels and a in labels:
            row["label"] = labels[a]
        rows.append(row)
    if len(code) % 4:
        tail = code[len(code) & ~3:]
        rows.append({"address": addr + (len(code) & ~3), "word": tail.hex(), "kind": "data",
                     "status": "data", "capstone": None, "lnsym": None, "agree": None})
    return rows


def summarise(rows: list[dict]) -> dict:
    out: dict = {}
    for r in rows:
        out[r["status"]] = out.get(r["status"], 0) + 1
    out["disagree"] = sum(1 for r in rows if r.get("agree") is False)
    return out


def run(args):
    spec, symbol = args.object, args.symbol
    if not os.path.exists(spec) and spec in targets.TARGET_ROUTINES:
        spec, symbol = targets.routine_spec(spec), symbol or spec
    image = load_image(spec)
    blocks = listing(image, symbol)
    all_rows = [r for _, rows in blocks for r in rows]
    if args.json:
        print(json.dumps({"object": image.path, "symbol": symbol,
                          "blocks": [{"label": lb, "rows": rows} for lb, rows in blocks],
                          "summary": summarise(all_rows)}, indent=1))
        return 0
    for label, rows in blocks:
        print(f"{label}:")
        for r in rows:
            if r.get("label") and r["label"] != label:
                print(f"<{r['label']}>:")
            if r["kind"] == "data":
                print(f"  {r['address']:#10x}: {r['word']:<10}  .data")
                continue
            note = r["status"]
            if r["status"] == "ok" and not r["agree"]:
                note = f"ok, lnsym: {r['lnsym']}"
            print(f"  {r['address']:#10x}: {r['word'][2:]}  {r['capstone']:<40} {note}")
    s = summarise(all_rows)
    print("; " + ", ".join(f"{k}: {v}" for k, v in sorted(s.items())))
    return 0
