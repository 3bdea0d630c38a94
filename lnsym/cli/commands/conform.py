"""``lnsym conform``: check instruction semantics against QEMU (or an Arm host).

Random valid words of every implemented encoding run with random states in
a batched harness and in lnsym's model; every register, NZCV, the scratch
memory and the PC reached are compared (see conformance/README.md).
Exit status: 0 all cases agree, 1 mismatches, 2 usage or tool errors.
"""
from __future__ import annotations

import json

from lnsym.cli.progress import ProgressLine
from lnsym.errors import UserError
from lnsym.numbers import parse_count, parse_int


def register(sub):
    p = sub.add_parser("conform", help="check instruction semantics against QEMU or hardware")
    p.add_argument("--count", default="200", help="cases per encoding (default 200)")
    p.add_argument("--classes", default=None, metavar="PATTERN",
                   help="comma-separated glob(s) over MODULE:ENCODING, module or encoding "
                        "names, e.g. 'dpi.*' or 'crypto_aes'")
    p.add_argument("--seed", default="1", help="random seed (default 1)")
    p.add_argument("--runner", default="qemu",
                   help="'qemu' (qemu-aarch64 -cpu max,pauth=off,sve=off), 'native' (an "
                        "AArch64 host), 'auto' (native on AArch64 hosts, else qemu), or a "
                        "command prefix, e.g. 'ssh arm-box'")
    p.add_argument("--jobs", default="2", help="worker processes (default 2)")
    p.add_argument("--cluster", metavar="ADDRESS|local:N",
                   help="run the batches as Dask tasks: on N local worker processes, or on "
                        "the workers of the scheduler at ADDRESS (each uses its own runner; "
                        "--runner auto: native on AArch64 hosts, else qemu)")
    p.add_argument("--model", default="eval", choices=("eval", "exec", "batch"),
                   help="lnsym backend: summary evaluation (default), compiled blocks, or "
                        "the batch backend (numpy lanes)")
    p.add_argument("--report", action="store_true",
                   help="list every encoding with the cases passed so far, then exit")
    p.add_argument("--replay", metavar="SEED:MODULE:ENCODING:INDEX",
                   help="run exactly one case again and show it")
    p.add_argument("--max-shown", default="20", help="mismatches printed in full (default 20)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress on stderr (default: a live line on a terminal, a plain "
                        "line every LNSYM_PROGRESS_SECONDS, default 30, otherwise)")
    p.set_defaults(func=run)


_UNIMPLEMENTED = "all Unimplemented in lnsym"
_FEATURES = {"Memory Tagging Extension": "MTE", "Scalable Vector Extension": "SVE",
             "floating point": "floating point"}


def _feature(key: str) -> str:
    """What an encoding whose every word is Unimplemented belongs to: "MTE", or its
    module's first docstring line."""
    import importlib
    doc = importlib.import_module(key.split(":")[0]).__doc__ or key
    for long, short in _FEATURES.items():
        if long in doc:
            return short
    return doc.strip().splitlines()[0]


def _tool_errors(fn, *a, **k):
    from conformance.harness import ToolError
    try:
        return fn(*a, **k)
    except ToolError as e:
        raise UserError(str(e)) from None


def _run_on_cluster(args, seed, count, encs, progress):
    from conformance import distributed
    from lnsym.cli.cluster import close_client, open_client
    client = open_client(args.cluster)
    try:
        return _tool_errors(distributed.run, seed, count, encs, client, args.runner,
                            args.model, progress)
    finally:
        close_client(client)


def _print_hosts(res):
    for (host, cpu, runner), n in sorted(getattr(res, "by_host", {}).items()):
        print(f"  {n} cases on {host} ({cpu}, {runner})")


def run(args):
    from conformance import cosim, evidence, report
    for option, value in (("--classes", args.classes), ("--replay", args.replay)):
        if value is not None and not value.strip():
            raise UserError(f"{option} was given an empty value")
    if args.report:
        rows = evidence.report_rows()
        if args.json:
            print(json.dumps({"encodings": rows}))
        else:
            for r in rows:
                print(f"{r['module']:45} {r['encoding']:36} {r['passed']:8}  {r['status']}")
            none = sum(r["status"] == "NO EVIDENCE" for r in rows)
            print(f"{len(rows)} encodings, {none} with no evidence")
            cpus: dict = {}
            for r in rows:
                for cpu, n in r.get("cpus", {}).items():
                    cpus[cpu] = cpus.get(cpu, 0) + n
            for cpu, n in sorted(cpus.items()):
                print(f"  {n} cases on {cpu}")
        return 0
    if args.replay is not None:
        case, real, diffs = _tool_errors(cosim.replay, args.replay, args.runner)
        m = cosim.Mismatch(case, real, diffs)
        if args.json:
            print(json.dumps({"agree": not diffs, **report.as_json(m)}))
        else:
            text = report.describe(m, args.runner)
            if not diffs:
                text = text.replace("MISMATCH case", "AGREE case", 1)
            print(text)
        return 1 if diffs else 0
    count = parse_count(args.count, "--count")
    seed = parse_int(args.seed, "--seed")
    jobs = parse_count(args.jobs, "--jobs")
    shown = parse_count(args.max_shown, "--max-shown", 0)
    encs = cosim.select_encodings(args.classes)
    if not encs:
        raise UserError(f"no encoding matches {args.classes!r}")
    line = ProgressLine(enabled=not args.no_progress)

    def progress(res, secs):
        line.update(f"conform: {res.cases} cases, {res.failed} mismatches, {secs:.1f}s")
    if args.runner == "auto" and not args.cluster:
        from conformance.distributed import host_runner
        args.runner = host_runner("auto")
    if args.cluster:
        res = _run_on_cluster(args, seed, count, encs, progress)
    else:
        res = _tool_errors(cosim.run, seed, count, encs, args.runner, jobs, progress, args.model)
    line.clear()
    evidence.record(res, args.runner)
    rate = res.cases / res.seconds if res.seconds else 0.0
    checked = [r for r in res.results.values() if not r.excluded]
    if args.json:
        print(json.dumps({
            "seed": seed, "encodings": len(checked), "cases": res.cases,
            "mismatches": res.failed, "seconds": round(res.seconds, 3),
            "cases_per_second": round(rate, 1),
            "results": {k: {"passed": r.passed, "failed": r.failed, "excluded": r.excluded,
                            "error": r.error} for k, r in res.results.items()},
            "not_implemented": {k: _feature(k) for k, r in res.results.items()
                                if r.error and _UNIMPLEMENTED in r.error},
            "mismatch_details": [report.as_json(m) for m in res.mismatches[:shown]],
            "hosts": [{"host": h, "cpu": c, "runner": r, "cases": n}
                      for (h, c, r), n in sorted(getattr(res, "by_host", {}).items())]}))
    else:
        for m in res.mismatches[:shown]:
            print(report.describe(m, args.runner))
        for k, r in res.results.items():
            if r.error and _UNIMPLEMENTED in r.error:
                print(f"not implemented: {_feature(k)} ({k.split(':')[0]})")
            elif r.error:
                print(f"warning: {k}: {r.error}")
            elif r.failed:
                print(f"{k}: {r.failed} of {r.passed + r.failed} cases differ")
        print(f"{len(checked)} encodings, {res.cases} cases, {res.failed} mismatches, "
              f"{res.seconds:.1f}s ({rate:.0f} cases/s)")
        _print_hosts(res)
    return 1 if res.failed else 0
