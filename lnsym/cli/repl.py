"""``lnsym prove NAME --interactive``: a Python console on a proof's goals.

Bound names: ``proof`` (the RoutineProof), ``session`` (lnsym.session.Session),
``spec`` (the spec module the proof uses), ``goal`` (the first goal: the
proof's ``first_goal(session)`` if it has one, else its first output),
``Goal``, ``Lemma``, ``var``, ``const``, ``concat``, ``extract``, ``ite``,
``Region``, ``le_bytes``,
``show(x)``, ``save(path)`` (writes what was typed, every statement that ran
without an error, as a proof script that rebuilds this namespace) and
``history()``.  Readline history persists in ``~/.cache/lnsym/history``.
"""
from __future__ import annotations

import code
import os
import sys
import types
from pathlib import Path

BANNER = """lnsym interactive proof: {title}
  goal      {goal!r}
  names:    proof, session, spec, goal, Goal, Lemma, var, const, concat, extract, ite
  try:      print(goal.show())  goal.words(32)  goal.prove(timeout=10)  goal.smtlib('g.smt2')
            session.run(to=0x10)  Lemma('name', lhs, rhs).prove()  goal.use(lemma, A0=...)
            session.explain(counterexample)   help(goal)   save('proofs/my_script.py')"""


def history_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lnsym" / "history"


def spec_module(proof):
    mod = sys.modules.get(type(proof).__module__)
    for v in vars(mod).values() if mod else ():
        if isinstance(v, types.ModuleType) and v.__name__.startswith("proofs.specs."):
            return v
    return None


def namespace(name: str, object_spec: str | None = None, **params) -> dict:
    """The console's names for proof ``name`` (what a saved script starts from)."""
    from lnsym.backends.symbolic import Region
    from lnsym.proof.goal import Goal
    from lnsym.proof.lemma import Lemma
    from lnsym.proof.routine import le_bytes
    from lnsym.proof.session import Session
    from lnsym.terms import bv
    from proofs import registry
    proof = registry.make(name, **params)
    session = Session(proof, object_spec)
    first = getattr(proof, "first_goal", None)
    goal = first(session) if first else session.goal()
    return {"proof": proof, "session": session, "spec": spec_module(proof), "goal": goal,
            "Goal": Goal, "Lemma": Lemma, "var": bv.var, "const": bv.const,
            "concat": bv.concat, "extract": bv.extract, "ite": bv.ite, "bv": bv,
            "Region": Region, "le_bytes": le_bytes,
            "show": lambda x: print(x.show() if hasattr(x, "show") else x)}


def goal_list(ns: dict) -> str:
    """The banner's list of every goal name (``session.goal(NAME)`` opens one).  A proof
    script (one with ``first_goal``) is cut into segments, so its whole-routine
    goals are not built here: that would run the routine the script exists to avoid."""
    proof, session = ns["proof"], ns["session"]
    if getattr(proof, "first_goal", None) is not None:
        return ("\n  goals:    this proof is a script; session.goals() builds the whole-"
                "routine goals (it runs the routine)")
    names = [g.name for g in session.goals()]
    lines, cur = [], ""
    for n in names:                      # wrap between names, never inside one
        if cur and len(cur) + len(n) > 84:
            lines.append(cur)
            cur = ""
        cur += (", " if cur else "") + n
    body = ",\n".join(" " * 12 + ln for ln in lines + [cur])
    return (f"\n  goals ({len(names)}, session.goal(NAME) opens one; the memory frame and "
            f"the return to x30 hold by construction when the run ends):\n{body}")


class ProofConsole(code.InteractiveConsole):
    def __init__(self, ns: dict, name: str):
        super().__init__(ns, filename="<lnsym>")
        self.name = name
        self.ok: list = []                # source blocks that ran without an error
        self._error = False
        ns["save"] = self.save
        ns["history"] = lambda: print("\n".join(self.ok))

    def runsource(self, source, filename="<input>", symbol="single"):
        self._error = False
        more = super().runsource(source, filename, symbol)
        if not more and source.strip() and not self._error:
            head = source.strip().split("(")[0]
            if head not in ("save", "history", "help", "exit", "quit"):
                self.ok.append(source)
        return more

    def showtraceback(self):
        self._error = True
        super().showtraceback()

    def showsyntaxerror(self, filename=None, **kw):
        self._error = True
        super().showsyntaxerror(filename)

    def save(self, path: str) -> str:
        body = "\n".join(self.ok)
        text = (f'"""Proof script for {self.name}, recorded by lnsym prove --interactive."""\n'
                f"from lnsym.cli.repl import namespace\n\n"
                f"globals().update(namespace({self.name!r}))\n\n{body}\n")
        Path(path).write_text(text)
        print(f"saved {len(self.ok)} step(s) to {path}")
        return path


def interact(name: str, object_spec: str | None = None, stdin=None) -> int:
    ns = namespace(name, object_spec)
    console = ProofConsole(ns, name)
    hist = history_path()
    try:
        import readline
        hist.parent.mkdir(parents=True, exist_ok=True)
        if hist.is_file():
            readline.read_history_file(str(hist))
        import rlcompleter
        readline.set_completer(rlcompleter.Completer(ns).complete)
        readline.parse_and_bind("tab: complete")
    except (ImportError, OSError):
        readline = None
    try:
        console.interact(BANNER.format(title=ns["proof"].title(), goal=ns["goal"])
                         + goal_list(ns), exitmsg="")
    except SystemExit:
        pass
    finally:
        if readline is not None:
            try:
                readline.set_history_length(5000)
                readline.write_history_file(str(hist))
            except OSError:
                pass
    return 0
