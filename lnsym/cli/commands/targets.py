"""``lnsym targets [--library openssl|libgcrypt]``: a library's AArch64 target routines.

``--library`` picks the library (default ``openssl``: the cached ``libcrypto.a``;
``libgcrypt``: ``libgcrypt.a``).  ``--fetch`` downloads its Debian package first
when it is not cached (see ``lnsym.elf.targets``); ``--all`` lists every function
of the library's AArch64 assembly members instead of the target routines.
"""
from __future__ import annotations

import json
import sys

from lnsym.elf import targets
from lnsym.elf.archive import open_archive
from lnsym.elf.image import load_image


def register(sub):
    p = sub.add_parser("targets", help="list a library's AArch64 target routines")
    p.add_argument("--library", default="openssl", choices=sorted(targets.LIBRARIES),
                   help="which library (default: openssl)")
    p.add_argument("--fetch", action="store_true",
                   help="download the library's Debian arm64 package first if it is not "
                        "cached")
    p.add_argument("--quiet", action="store_true", help="print nothing (with --fetch)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true",
                   help="every function in the AArch64 assembly members")
    p.set_defaults(func=run)


def routine_rows(all_functions: bool = False, library: str = "openssl") -> list[dict]:
    lib = targets.library(library)
    path = targets.library_archive(library)
    if all_functions:
        members = [m for m in open_archive(path).names() if lib.asm_member.search(m)]
        wanted = None
    else:
        members = list(dict.fromkeys(lib.routines.values()))
        wanted = lib.routines
    rows = []
    for member in members:
        image = load_image(f"{path}:{member}")
        for sym in image.functions():
            if wanted is not None and wanted.get(sym.name) != member:
                continue
            size = image.extent(sym)
            insns = sum(1 for a in range(sym.addr, sym.addr + size - 3, 4)
                        if not image.is_data(a))
            rows.append({"symbol": sym.name, "member": member, "address": sym.addr,
                         "size": size, "instructions": insns, "binding": sym.binding})
    if wanted is not None:
        order = list(wanted)
        rows.sort(key=lambda r: order.index(r["symbol"]))
    return rows


def run(args):
    progress = None if args.quiet else (lambda msg: print(f"lnsym: {msg}", file=sys.stderr))
    path = targets.library_archive(args.library, fetch=args.fetch, progress=progress)
    if args.quiet:
        return 0
    rows = routine_rows(args.all, args.library)
    if args.json:
        print(json.dumps({"library": args.library, "archive": str(path),
                          "stamp": targets.stamp(args.library), "routines": rows}, indent=1))
        return 0
    st = targets.stamp(args.library) or {}
    print(f"{path}  ({st.get('package', '?')} {st.get('version', '?')})")
    sw = max([len(r["symbol"]) for r in rows] + [28])
    print(f"{'symbol':<{sw}} {'member':<36} {'size':>6} {'insns':>6}")
    for r in rows:
        print(f"{r['symbol']:<{sw}} {r['member']:<36} {r['size']:>6} {r['instructions']:>6}")
    return 0
