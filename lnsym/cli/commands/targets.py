"""``lnsym targets``: the OpenSSL AArch64 routines found in the cached ``libcrypto.a``.

``--fetch`` downloads Debian's ``libssl-dev:arm64`` first when it is not cached
(see ``lnsym.targets``); ``--all`` lists every function of the assembly members
instead of the target routines.
"""
from __future__ import annotations

import json
import sys

from lnsym.elf import targets
from lnsym.elf.archive import open_archive
from lnsym.elf.image import load_image


def register(sub):
    p = sub.add_parser("targets", help="list the OpenSSL AArch64 target routines")
    p.add_argument("--fetch", action="store_true",
                   help="download libssl-dev:arm64 first if it is not cached")
    p.add_argument("--quiet", action="store_true", help="print nothing (with --fetch)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true",
                   help="every function in the AArch64 assembly members")
    p.set_defaults(func=run)


def routine_rows(all_functions: bool = False) -> list[dict]:
    path = targets.openssl_archive()
    if all_functions:
        members = [m for m in open_archive(path).names() if targets.ASM_MEMBER.search(m)]
        wanted = None
    else:
        members = list(dict.fromkeys(targets.TARGET_ROUTINES.values()))
        wanted = targets.TARGET_ROUTINES
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
    path = targets.openssl_archive(fetch=args.fetch, progress=progress)
    if args.quiet:
        return 0
    rows = routine_rows(args.all)
    if args.json:
        print(json.dumps({"archive": str(path), "stamp": targets.stamp(), "routines": rows},
                         indent=1))
        return 0
    st = targets.stamp() or {}
    print(f"{path}  ({st.get('package', '?')} {st.get('version', '?')})")
    print(f"{'symbol':<28} {'member':<36} {'size':>6} {'insns':>6}")
    for r in rows:
        print(f"{r['symbol']:<28} {r['member']:<36} {r['size']:>6} {r['instructions']:>6}")
    return 0
