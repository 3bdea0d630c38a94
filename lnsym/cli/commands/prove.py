"""``lnsym prove [NAME...]``: run shipped proofs and print a table.

Exit code: 0 all proved, 1 something refuted (counterexample shown), 3 stuck
or unknown, 2 usage error.
"""
from __future__ import annotations

import json
import sys

from lnsym.elf.image import load_image
from lnsym.errors import UserError
from lnsym.machine.disasm import capstone_text
from lnsym.numbers import parse_int


def register(sub):
    p = sub.add_parser("prove", help="prove routines equal to their reference specs")
    p.add_argument("names", nargs="*", metavar="NAME", help="proofs to run (default: all)")
    p.add_argument("--object", help="prove this object instead of the OpenSSL member "
                                    "(e.g. a patched build): FILE or ARCHIVE.a:MEMBER.o")
    p.add_argument("--blocks", help="block count (for proofs that take one)")
    p.add_argument("--timeout", default="60", help="solver seconds per obligation")
    p.add_argument("--json", action="store_true")
    p.add_argument("--verbose", "-v", action="store_true", help="show every obligation")
    p.add_argument("--no-cache", action="store_true",
                   help="prove every lemma afresh instead of taking it from the lemma cache")
    p.add_argument("--interactive", "-i", action="store_true",
                   help="open a Python console on the proof's goals (one NAME; see "
                        "docs/stuck-goals.md)")
    p.set_defaults(func=run)


def _row(name, rep):
    return (name, str(rep.steps), rep.status, f"{rep.seconds.get('total', 0):.1f}s")


def run(args):
    from proofs import registry
    if getattr(args, "interactive", False):
        if len(args.names) != 1 or args.names[0] not in registry.PROOFS:
            raise UserError("--interactive takes exactly one proof NAME (e.g. "
                            "sha256_block_armv8/1 or KeccakF1600_ce)")
        from lnsym.cli.repl import interact
        return interact(args.names[0], args.object)
    names = registry.select(args.names)
    blocks = parse_int(args.blocks, "--blocks") if args.blocks else None
    if blocks is not None:
        if blocks < 1:
            raise UserError("--blocks must be at least 1")
        names = list(dict.fromkeys(n.split("/")[0] + "/1" if n.split("/")[0] + "/1" in registry.PROOFS
                                   else n for n in names))
    timeout = float(parse_int(args.timeout, "--timeout"))
    if getattr(args, "no_cache", False):
        from lnsym.proof.lemma_cache import set_cache_enabled
        set_cache_enabled(False)
    reports = []
    for name in names:
        proof = registry.make(name, blocks=blocks)
        if not args.json:
            print(f"proving {proof.title()} ...", file=sys.stderr, flush=True)
            _print_diffs(proof, args.object)
        rep = _check_with_safety(proof, args.object, timeout)
        reports.append(rep)
    if args.json:
        print(json.dumps([_json(r) for r in reports], indent=1))
    else:
        _table(reports, args.verbose)
    if any(r.status == "refuted" for r in reports):
        return 1
    if any(r.status == "stuck" for r in reports):
        return 3
    return 0


def _check_with_safety(proof, object_spec, timeout):
    """``proof.check`` with the constant-time and memory-safety observers on its run
    (``lnsym.proof.safety``); the report gains ``safety`` and, for each 'yes', the
    trusted-base lines it rests on."""
    from lnsym.proof.safety import SafetyCollector
    collector = SafetyCollector(public=getattr(proof, "public_inputs", ()))
    with collector.watching():
        rep = proof.check(object_spec, timeout=timeout)
    stopped = ""
    if rep.status not in ("proved", "refuted", "stuck"):      # the run did not complete
        stopped = getattr(rep, "error", "") or f"status {rep.status}"
    rep.safety = collector.result(stopped)
    if rep.status == "proved":
        rep.trusted_base += [t for t in rep.safety.trusted_base if t not in rep.trusted_base]
    return rep


def _safety_cells(rep) -> tuple:
    s = getattr(rep, "safety", None)
    if s is None:
        return ("n/a", "n/a")
    return (s.ct_summary, s.mem_summary)


def _print_diffs(proof, object_spec):
    """Say, before proving, which code or constant-data words differ from the listing."""
    image = load_image(object_spec or proof.object_spec())
    diffs = proof.listing_diffs(image)
    if not diffs:
        return
    base = image.symbol(proof.symbol).addr
    print(f"note: {len(diffs)} word(s) of code or constant data differ from the proof's "
          f"listing; proving what is actually there:", file=sys.stderr)
    for off, want, got, text in diffs[:20]:
        if got is None:
            got_s = "(none)"
        elif text == "data":
            got_s = f"{got:08x}"
        else:
            got_s = f"{got:08x} ({capstone_text(got, base + off) or 'undecodable'})"
        sign = "+" if off >= 0 else "-"
        print(f"  {sign}{abs(off):#06x}: listing {want:08x} ({text}), object {got_s}",
              file=sys.stderr)
    if len(diffs) > 20:
        print(f"  ... and {len(diffs) - 20} more", file=sys.stderr)


def _json(rep):
    return {"name": rep.name, "status": rep.status, "steps": rep.steps,
            "seconds": {k: round(v, 3) for k, v in rep.seconds.items()},
            "trusted_base": rep.trusted_base,
            "listing_diffs": [{"offset": o, "listing": w, "object": g} for o, w, g, _ in rep.listing_diffs],
            "obligations": [{"name": r.name, "status": r.status, "method": r.method,
                             "seconds": round(r.seconds, 3),
                             "counterexample": {k: hex(v) for k, v in (r.counterexample or {}).items()}
                             if r.status == "refuted" else None, "detail": r.detail}
                            for r in rep.results],
            "replay": rep.replay,
            **({"ct_mem": rep.safety.as_json()} if getattr(rep, "safety", None) else {})}


def _table(reports, verbose):
    head = ("routine", "instructions", "result", "time", "solver", "obligations", "CT", "MEM")
    rows = [head]
    for r in reports:
        methods = {}
        for o in r.results:
            methods[o.method] = methods.get(o.method, 0) + 1
        how = ", ".join(f"{n} {m}" for m, n in sorted(methods.items()))
        rows.append((r.name, str(r.steps), r.status.upper(), f"{r.seconds.get('total', 0):.1f}s",
                     f"{r.seconds.get('solver', 0):.1f}s", f"{len(r.results)} ({how})",
                     *_safety_cells(r)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    for i, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    for r in reports:
        bad = r.failed
        if verbose or bad:
            print(f"\n{r.name}:")
            for o in (r.results if verbose else bad):
                print(f"  {o.status:8} {o.name}  [{o.method}, {o.seconds:.2f}s] {o.detail}")
                if o.status == "refuted" and o.counterexample:
                    cex = ", ".join(f"{k}={v:#x}" for k, v in sorted(o.counterexample.items())[:12])
                    print(f"           counterexample: {cex}")
            if r.replay:
                print("  " + r.replay.replace("\n", "\n  "))
    if reports:
        print("\ntrusted base (of the PROVED above; each proof's own list is in --json):")
        for line in dict.fromkeys(line for r in reports for line in r.trusted_base):
            print(f"  - {line}")
