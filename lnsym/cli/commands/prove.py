"""``lnsym prove [NAME...]``: run shipped proofs and print a table.

Exit status (also in ``lnsym prove --help`` and the README):

* 0: every proof PROVED;
* 1: something REFUTED (a counterexample, confirmed by a concrete replay);
* 2: bad input (an unknown proof, an option that does not apply, an unreadable
  object: nothing is run; or a proof whose own setup contradicts its
  preconditions: an ERROR row, the batch goes on);
* 3: something STUCK (neither proved nor refuted);
* 4: a run could not be completed (status ERROR: an unsupported instruction, a
  machine-model guard, the ``--time-limit``, or any exception in the proof).

With several outcomes the first of 2, 1, 4, 3 applies.  A proof that cannot run
is one ERROR row with its reason; the batch goes on.  ``--jsonl`` streams one
JSON object per proof as it finishes; ``--json`` keeps the single JSON array
printed at the end (one document, as before, for tools that parse one).
``--junit`` and ``--markdown`` files are rewritten after every proof.
"""
from __future__ import annotations

import argparse
import json
import sys

from lnsym.cli import prove_output as out
from lnsym.cli.progress import ProgressLine, ProofWatch
from lnsym.cli.time_limit import TimeLimitExceeded, check_supported, time_limit
from lnsym.elf.image import load_image
from lnsym.errors import UserError
from lnsym.machine.disasm import capstone_text
from lnsym.numbers import parse_count, parse_seconds

EPILOG = """exit status: 0 all proved, 1 refuted (counterexample replayed), 2 bad input,
3 stuck, 4 a run could not be completed (ERROR row with its reason); with
several outcomes the first of 2, 1, 4, 3 applies."""

# Options that only some proofs take: option -> the registry parameter it sets.
PARAMETER_OPTIONS = {"--blocks": "blocks"}


def register(sub):
    p = sub.add_parser("prove", help="prove routines equal to their reference specs",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("names", nargs="*", metavar="NAME", help="proofs to run (default: all; "
                   "see --list)")
    p.add_argument("--list", action="store_true",
                   help="list the proofs: names, instances and the options each accepts")
    p.add_argument("--object", action="append", metavar="OBJ",
                   help="prove this object instead of the proof's own (e.g. a patched "
                        "build): FILE or ARCHIVE.a:MEMBER.o; repeat it to link several "
                        "objects into one image")
    p.add_argument("--record-listing", action="store_true",
                   help="with proof files (FILE.py): write each proof's listing "
                        "(listings/NAME.lst next to the file) from the object first")
    p.add_argument("--blocks", help="block count (only for proofs that take one; see --list)")
    p.add_argument("--timeout", default="60",
                   help="solver seconds per obligation (default 60; fractions accepted)")
    p.add_argument("--time-limit", metavar="S",
                   help="wall-clock seconds per proof; a proof over it is an ERROR row "
                        "(checked between Python steps: one solver call, bounded by "
                        "--timeout, finishes first)")
    p.add_argument("--json", action="store_true",
                   help="print one JSON array of the reports at the end")
    p.add_argument("--jsonl", action="store_true",
                   help="print one JSON object per proof as it finishes (JSON Lines)")
    p.add_argument("--junit", metavar="FILE", help="write JUnit XML: one test case per proof")
    p.add_argument("--markdown", metavar="FILE",
                   help="write the table, reasons and trusted base as Markdown")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress on stderr (default: a live line on a terminal, a "
                        "plain line every LNSYM_PROGRESS_SECONDS, default 30, otherwise)")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="show every obligation (outputs, frame, memory frame, return to x30)")
    p.add_argument("-j", "--jobs", default="1", metavar="N",
                   help="run the proofs on N local processes (default 1)")
    p.add_argument("--cluster", metavar="ADDRESS|local:N",
                   help="run the proofs as Dask tasks: on N local worker processes or on "
                        "the workers of the scheduler at ADDRESS (README, Scale-out)")
    p.add_argument("--no-cache", action="store_true",
                   help="prove every lemma afresh instead of taking it from the lemma cache")
    p.add_argument("--interactive", "-i", action="store_true",
                   help="open a Python console on the proof's goals (one NAME; see "
                        "docs/stuck-goals.md)")
    p.set_defaults(func=run)


def list_proofs(registry) -> list:
    """[(routine, [instances], {parameter: [values]})] in registry order."""
    groups: dict = {}
    for name, (_, _, params) in registry.PROOFS.items():
        routine, _, instance = name.partition("/")
        g = groups.setdefault(routine, ([], {}))
        if instance:
            g[0].append(instance)
        for k, v in params.items():
            g[1].setdefault(k, []).append(v)
    return [(r, inst, params) for r, (inst, params) in groups.items()]


def _print_list(registry, as_json: bool) -> int:
    rows = list_proofs(registry)
    if as_json:
        print(json.dumps([{"routine": r, "instances": inst,
                           "options": [o for o, k in PARAMETER_OPTIONS.items() if k in params],
                           "parameters": {k: [v for v in vs if not isinstance(v, bool)]
                                          for k, vs in params.items()}}
                          for r, inst, params in rows], indent=1))
        return 0
    for routine, inst, params in rows:
        instances = " ".join(f"/{i}" for i in inst) or "(one proof)"
        shown = []
        for k, vs in params.items():
            values = ",".join(str(v) for v in vs if not isinstance(v, bool))
            option = next((o for o, key in PARAMETER_OPTIONS.items() if key == k), None)
            shown.append(f"{k}" + (f"={values}" if values else "")
                         + (f" ({option} N)" if option else " (by instance name)"))
        print(f"{routine:24} {instances:30} {'; '.join(shown) or 'no parameters'}")
    print("\nA routine name runs all its instances (or its /all proof); --object, "
          "--timeout, --time-limit and the output options apply to every proof.")
    return 0


def _parameters(registry, name) -> dict:
    return registry.PROOFS[name][2]


def _select(args, registry) -> tuple[list, int | None]:
    """The proof names to run and the --blocks override; UserError for options that do
    not apply to a selected proof."""
    names = registry.select(args.names)
    blocks = None
    if args.blocks is not None:
        blocks = parse_count(args.blocks, "--blocks")
        names = list(dict.fromkeys(
            n.split("/")[0] + "/1" if n.split("/")[0] + "/1" in registry.PROOFS else n
            for n in names))
        wrong = [n for n in names if "blocks" not in _parameters(registry, n)]
        if wrong:
            raise UserError(f"--blocks does not apply to {', '.join(wrong[:4])}"
                            f"{' ...' if len(wrong) > 4 else ''} (see lnsym prove --list)")
    return names, blocks


def _make(registry, name, blocks):
    try:
        return registry.make(name, blocks=blocks)
    except UserError:
        raise
    except Exception as e:
        raise UserError(f"proof {name} cannot be set up with these options: {e}") from None


def error_report(name: str, why: str, seconds: float, steps: int = 0):
    """An ERROR row for a proof whose check raised (the batch goes on)."""
    from lnsym.proof.routine import ProofReport
    rep = ProofReport(name, "error", steps, {"total": seconds}, [], [], [])
    rep.error = why
    return rep


def _exception_sentence(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else "an internal error without a message"


def run(args):
    from lnsym.cli import user_proofs
    from proofs import registry
    args.object = user_proofs.objects_arg(args.object)
    if args.record_listing and not user_proofs.is_proof_files(args.names):
        raise UserError("--record-listing records the listings of proof files (lnsym prove "
                        "FILE.py --record-listing)")
    if args.list:
        return _print_list(registry, args.json or args.jsonl)
    if getattr(args, "interactive", False):
        if len(args.names) != 1 or args.names[0] not in registry.PROOFS:
            raise UserError("--interactive takes exactly one proof NAME (e.g. "
                            "sha256_block_armv8/1 or KeccakF1600_ce)")
        from lnsym.cli.repl import interact
        return interact(args.names[0], args.object)
    user_files = user_proofs.is_proof_files(args.names)
    names, blocks = ([], None) if user_files else _select(args, registry)
    timeout = parse_seconds(args.timeout, "--timeout")
    limit = None
    if args.time_limit is not None:
        limit = parse_seconds(args.time_limit, "--time-limit")
        check_supported()
    if args.json and args.jsonl:
        raise UserError("--json and --jsonl are two formats of the same report; give one")
    proofs = user_proofs.load(args) if user_files else \
        [(n, _make(registry, n, blocks)) for n in names]
    for _, proof in proofs:                  # bad input is found before anything runs
        _print_diffs(proof, args.object, quiet=args.json or args.jsonl)
    _write_files(args, [])                   # an unwritable report file, too
    jobs = parse_count(args.jobs, "--jobs")
    if (args.cluster or jobs > 1) and args.no_cache:
        raise UserError("--no-cache applies to one process; give it without -j or --cluster")
    from lnsym.proof.lemma_cache import cache_disabled
    with cache_disabled(args.no_cache):      # --no-cache holds for this command only
        return _run_all(args, proofs, names, blocks, timeout, limit, jobs, user_files)


def _run_all(args, proofs, names, blocks, timeout, limit, jobs, user_files) -> int:
    line = ProgressLine(enabled=not args.no_progress)
    reports = []
    if args.cluster or jobs > 1:
        reports = _run_parallel(args, names, blocks, timeout, limit, jobs, user_files, line)
        proofs = []
    for name, proof in proofs:
        line.update(f"{proof.title()}: starting ({len(reports) + 1} of {len(proofs)})",
                    force=not line.tty)
        rep = _run_one(proof, args.object, timeout, limit, line)
        reports.append(rep)
        if args.jsonl:
            print(json.dumps(out.json_record(rep)), flush=True)
        _write_files(args, reports)
    _write_files(args, reports)
    if args.json:
        print(json.dumps([out.json_record(r) for r in reports], indent=1))
    elif not args.jsonl:
        out.print_table(reports, args.verbose, sys.stdout)
    return out.exit_code(reports)


def _run_parallel(args, names, blocks, timeout, limit, jobs, user_files, line) -> list:
    """The shipped proofs ``names`` as tasks on a local pool (-j N) or a Dask cluster;
    the reports in the order of ``names``, each streamed as it finishes."""
    from lnsym.cli import cluster
    if user_files:
        raise UserError("-j and --cluster run shipped proofs; proof files run in one process")
    done: list = []

    def finished(rep):
        done.append(rep)
        line.update(f"{len(done)} of {len(names)} proofs done ({rep.name}: {rep.status})",
                    force=not line.tty)
        if args.jsonl:
            print(json.dumps(out.json_record(rep)), flush=True)
        _write_files(args, done)
    if args.cluster:
        if limit is not None:
            raise UserError("--time-limit needs a process's main thread; it does not apply "
                            "with --cluster (use -j N)")
        client = cluster.open_client(args.cluster)
        try:
            return cluster.prove_all(client, names, blocks, args.object, timeout, finished)
        finally:
            cluster.close_client(client)
    return cluster.prove_local_pool(jobs, names, blocks, args.object, timeout, finished, limit)


def _run_one(proof, object_spec, timeout, limit, line):
    """One proof's report; an exception or the time limit becomes an ERROR row."""
    import time
    t0 = time.perf_counter()
    watch = ProofWatch(line, proof.title(), proof)
    try:
        with watch, time_limit(limit):
            rep = _check_with_safety(proof, object_spec, timeout)
        rep.construction = out.construction_lines(proof) if rep.status != "error" else []
        return rep
    except TimeLimitExceeded as e:
        return error_report(proof.title(), str(e), time.perf_counter() - t0,
                            _steps(proof))
    except UserError as e:                   # the proof's own setup is bad input (exit 2)
        print(f"lnsym: {e}", file=sys.stderr)
        rep = error_report(proof.title(), _exception_sentence(e), time.perf_counter() - t0)
        rep.bad_input = True
        return rep
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as e:                   # one proof's failure never aborts the batch
        return error_report(proof.title(), _exception_sentence(e),
                            time.perf_counter() - t0, _steps(proof))


def _steps(proof) -> int:
    st = getattr(proof, "last_state", None)
    return getattr(st, "steps", 0) if st is not None else 0


def _write_files(args, reports) -> None:
    for path, text in ((args.junit, out.junit_xml), (args.markdown, out.markdown)):
        if path:
            try:
                with open(path, "w") as f:
                    f.write(text(reports))
            except OSError as e:
                raise UserError(f"cannot write {path}: {e.strerror}") from None


def _check_with_safety(proof, object_spec, timeout):
    """``proof.check`` with the constant-time and memory-safety observers on its run
    (``lnsym.safety.collector``); the report gains ``safety`` and, for each 'yes', the
    trusted-base lines it rests on."""
    from lnsym.safety.collector import SafetyCollector
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


def _print_diffs(proof, object_spec, quiet=False):
    """Say, before proving, which code or constant-data words differ from the listing
    (a missing symbol or unreadable object is bad input: UserError)."""
    image = load_image(object_spec or proof.object_spec())
    diffs = proof.listing_diffs(image)
    if not diffs or quiet:
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
