"""What ``lnsym prove`` writes: the table, JSON records, JUnit XML and Markdown.

Every writer takes the list of ``ProofReport``s finished so far, so a report
file is complete after each proof (a CI job killed half-way keeps what ran).
A report whose status is ``"error"`` carries its one-sentence reason in
``report.error``.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

EXIT_CODES = {"proved": 0, "refuted": 1, "stuck": 3, "error": 4}


def exit_code(reports) -> int:
    """2 if a proof's setup was bad input, else 1 if anything is refuted, else 4 if a
    run could not complete, else 3 if something is stuck, else 0."""
    if any(getattr(r, "bad_input", False) for r in reports):
        return 2
    statuses = {r.status for r in reports}
    for status in ("refuted", "error", "stuck"):
        if status in statuses:
            return EXIT_CODES[status]
    return 0


def reason(rep) -> str:
    """One sentence: why a proof is not PROVED ('' when it is)."""
    if rep.status == "error":
        return getattr(rep, "error", "") or "the run could not be completed"
    if rep.status == "proved":
        return ""
    bad = rep.failed
    names = ", ".join(o.name for o in bad[:6]) + (f" and {len(bad) - 6} more" if len(bad) > 6
                                                 else "")
    if rep.status == "refuted":
        return f"refuted: {names} (counterexample replayed: see the report)"
    return f"not proved: {names}"


def construction_lines(proof) -> list:
    """The obligations a completed run meets by construction, for ``-v``: the memory
    frame (bytes never written keep their initial terms; written bytes of regions that
    may not change are obligations in the list) and the return to x30."""
    st = getattr(proof, "last_state", None)
    if st is None or getattr(st, "pc", 0) is not None:    # pc is None once it returned
        return []
    may = tuple(getattr(proof, "may_change", ()))
    written = sum(1 for r in st.mem.regions if r.name not in may and r.name != "stack"
                  for off in r.bytes if r.bytes[off] is not r.initial(off))
    return [f"memory frame: no byte outside {', '.join(may) or 'no region'} and the stack "
            f"below sp changes  [by construction: {written} written byte(s) of other regions "
            f"are 'frame: REGION[OFF] unchanged' obligations; every other byte was never "
            f"written]",
            "return to x30  [by construction: the run ended at a branch whose target is the "
            "x30 value on entry]"]


def json_record(rep) -> dict:
    cex = {}
    return {"name": rep.name, "status": rep.status, "steps": rep.steps,
            "error": getattr(rep, "error", "") or None, "reason": reason(rep) or None,
            "seconds": {k: round(v, 3) for k, v in rep.seconds.items()},
            "trusted_base": rep.trusted_base,
            "listing_diffs": [{"offset": o, "listing": w, "object": g}
                              for o, w, g, _ in rep.listing_diffs],
            "obligations": [{"name": r.name, "status": r.status, "method": r.method,
                             "seconds": round(r.seconds, 3),
                             "counterexample": {k: hex(v) for k, v in
                                                (r.counterexample or cex).items()}
                             if r.status == "refuted" else None, "detail": r.detail}
                            for r in rep.results],
            "replay": rep.replay,
            "unstated": getattr(rep, "unstated", []),
            "by_construction": getattr(rep, "construction", []),
            **({"ct_mem": rep.safety.as_json()} if getattr(rep, "safety", None) else {})}


def safety_cells(rep) -> tuple:
    """The CT and MEM cells (the constant-time and memory-safety observers' verdicts)."""
    s = getattr(rep, "safety", None)
    if s is None:
        return ("n/a", "n/a")
    return (s.ct_summary, s.mem_summary)


def _methods(rep) -> str:
    methods: dict = {}
    for o in rep.results:
        methods[o.method] = methods.get(o.method, 0) + 1
    return ", ".join(f"{n} {m}" for m, n in sorted(methods.items()))


def table_rows(reports) -> list:
    rows = []
    for r in reports:
        rows.append((r.name, str(r.steps), r.status.upper(),
                     f"{r.seconds.get('total', 0):.1f}s", f"{r.seconds.get('solver', 0):.1f}s",
                     f"{len(r.results)} ({_methods(r)})" if r.results else "-",
                     *safety_cells(r)))
    return rows


HEAD = ("routine", "instructions", "result", "time", "solver", "obligations", "CT", "MEM")


def trusted_lines(reports) -> list:
    return list(dict.fromkeys(line for r in reports if r.status == "proved"
                              for line in r.trusted_base))


def print_table(reports, verbose: bool, out) -> None:
    rows = [HEAD] + table_rows(reports)
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEAD))]
    for i, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip(), file=out)
        if i == 0:
            print("  ".join("-" * w for w in widths), file=out)
    for r in reports:
        if r.status == "error":
            print(f"\n{r.name}: ERROR: {reason(r)}", file=out)
            detail = getattr(r, "error_detail", "")
            if detail:
                print("  " + detail.replace("\n", "\n  "), file=out)
        if verbose or r.failed:
            print(f"\n{r.name}:", file=out)
            for o in (r.results if verbose else r.failed):
                print(f"  {o.status:8} {o.name}  [{o.method}, {o.seconds:.2f}s] {o.detail}",
                      file=out)
                if o.status == "refuted" and o.counterexample:
                    cex = ", ".join(f"{k}={v:#x}"
                                    for k, v in sorted(o.counterexample.items())[:12])
                    print(f"           counterexample: {cex}", file=out)
            if verbose and r.status == "proved":
                for text in getattr(r, "construction", []):
                    print(f"  proved   {text}", file=out)
            if r.replay:
                print("  " + r.replay.replace("\n", "\n  "), file=out)
    for r in reports:
        for note in getattr(r, "unstated", []):
            print(f"\nnote: {r.name}: {note}", file=out)
    lines = trusted_lines(reports)
    if lines:
        print("\ntrusted base (of the PROVED above; each proof's own list is in --json):",
              file=out)
        for line in lines:
            print(f"  - {line}", file=out)


def junit_xml(reports) -> str:
    """JUnit XML: one test case per proof; a refuted or stuck proof is a failure, a
    run that could not complete an error, each with the reason as its message."""
    suite = ET.Element("testsuite", name="lnsym prove", tests=str(len(reports)),
                       failures=str(sum(r.status in ("refuted", "stuck") for r in reports)),
                       errors=str(sum(r.status == "error" for r in reports)),
                       time=f"{sum(r.seconds.get('total', 0) for r in reports):.3f}")
    for r in reports:
        case = ET.SubElement(suite, "testcase", classname="lnsym.prove", name=r.name,
                             time=f"{r.seconds.get('total', 0):.3f}")
        if r.status == "proved":
            continue
        tag = "error" if r.status == "error" else "failure"
        body = ET.SubElement(case, tag, message=reason(r), type=r.status.upper())
        body.text = "\n".join([reason(r)] + [f"{o.status} {o.name}: {o.detail}"
                                             for o in r.failed] + ([r.replay] if r.replay
                                                                   else []))
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(reports) -> str:
    """The table, the reasons for anything not proved, and the trusted base."""
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in table_rows(reports)]
    bad = [r for r in reports if r.status != "proved"]
    if bad:
        lines += ["", "## Not proved", ""]
        lines += [f"- `{r.name}`: {r.status.upper()}: {_md(reason(r))}" for r in bad]
    trusted = trusted_lines(reports)
    if trusted:
        lines += ["", "## Trusted base (of the PROVED proofs)", ""]
        lines += [f"- {_md(t)}" for t in trusted]
    return "\n".join(lines) + "\n"
