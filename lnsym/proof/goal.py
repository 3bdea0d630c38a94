"""Goals: stuck proofs taken apart step by step (interactively or in a proof script).

A ``Goal`` is an equation ``lhs == rhs`` between bit-vector terms, for every
value of its variables, possibly under assumptions ``c == v`` on 1-bit terms
(from case splits).  Each step returns new goals and never mutates one:

* look:    ``show()`` (both sides with shared subterms named), ``diff()``
           (the innermost differing subterms), ``name(term, "label")``;
* split:   ``words(bits)`` / ``lanes(bits)`` / ``bits()`` / ``slice(hi, lo)``;
* rewrite: ``rewrite(lemma)`` (instances of the lemma's left sides replaced by
           the right sides), ``normalise()``;
* abstract ``abstract(*terms)`` / ``abstract_common()``: subterms present on
           both sides replaced by fresh variables (sound: a goal that holds
           for every value of the fresh variable holds for the subterm's value);
* cases:   ``cases(c)`` -> (goal assuming c == 1, goal assuming c == 0);
* solve:   ``prove(timeout)`` -> ``Result``; ``counterexample()``;
           ``smtlib(path)`` writes the query (unsat means proved).

A ``Session`` (``lnsym.session``) starts from a ``RoutineProof`` and produces
the goals; lemmas are ``lnsym.lemma.Lemma``.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from lnsym.terms.bv import BV, and_, const, eq, extract, ite, substitute, variables
from lnsym.terms.pretty import short

_fresh = itertools.count()


@dataclass
class Result:
    """The outcome of ``Goal.prove``."""
    goal: "Goal"
    status: str                  # proved / refuted / unknown
    method: str
    seconds: float
    counterexample: dict | None = None
    detail: str = ""

    def __bool__(self):
        return self.status == "proved"

    def __repr__(self):
        s = f"<{self.goal.name}: {self.status.upper()} by {self.method} in {self.seconds:.2f}s"
        if self.detail:
            s += f" ({self.detail})"
        if self.counterexample:
            cex = ", ".join(f"{k}={v:#x}" for k, v in sorted(self.counterexample.items())[:8])
            more = len(self.counterexample) - 8
            s += f"\n  counterexample: {cex}{f' (+{more} more)' if more > 0 else ''}"
        return s + ">"


@dataclass(frozen=True)
class Goal:
    """``lhs == rhs`` for all values of the variables, under ``assumptions``."""
    name: str
    lhs: BV
    rhs: BV
    assumptions: tuple = ()              # ((1-bit term, 0 or 1), ...)
    names: dict = field(default_factory=dict, compare=False, hash=False)
    history: tuple = ()                  # the steps that produced this goal

    def __post_init__(self):
        if self.lhs.width != self.rhs.width:
            raise ValueError(f"goal {self.name!r}: widths {self.lhs.width} and {self.rhs.width}")

    @property
    def width(self) -> int:
        return self.lhs.width

    def _derive(self, name, lhs, rhs, step, assumptions=None):
        return Goal(name, lhs, rhs, self.assumptions if assumptions is None else assumptions,
                    dict(self.names), self.history + (step,))

    def __repr__(self):
        a = "".join(f" [{short(c)} = {v}]" for c, v in self.assumptions)
        return (f"<goal {self.name}: {self.width} bits, {self.size()} nodes"
                f"{a}{' CLOSED' if self.closed else ''}>")

    # -- looking ---------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return self.lhs is self.rhs

    def size(self) -> int:
        seen, stack = set(), [self.lhs, self.rhs]
        while stack:
            t = stack.pop()
            if t not in seen:
                seen.add(t)
                stack.extend(t.args)
        return len(seen)

    def variables(self) -> list:
        return sorted({v.params[0] for v in variables(self.lhs, self.rhs)})

    def name_term(self, term: BV, label: str) -> "Goal":
        """Show ``term`` as ``label`` from now on (display only)."""
        self.names[term] = label
        return self

    def show(self, max_lines: int = 120) -> str:
        """Both sides; subterms used more than once (on either side) get names %n."""
        body, (lt, rt) = pretty_many([self.lhs, self.rhs], self.names)
        out = [f"goal {self.name} ({self.width} bits){' CLOSED' if self.closed else ''}"]
        for c, v in self.assumptions:
            out.append(f"  assuming {short(c, 4)} = {v}")
        if len(body) > max_lines:
            body = body[:max_lines // 2] + [f"… {len(body) - max_lines} lines …"] + body[-max_lines // 2:]
        out += ["  " + b for b in body]
        out += ["  lhs = " + lt, "  rhs = " + rt]
        return "\n".join(out)

    def __str__(self):
        return self.show()

    def diff(self, limit: int = 5) -> list:
        """The innermost pairs of subterms at which the two sides stop matching."""
        from lnsym.prover.diff import differing_subterms
        return differing_subterms(self.lhs, self.rhs, limit)

    def show_diff(self, limit: int = 5) -> str:
        return "\n".join(f"[{i}] lhs: {short(a, 4)}\n    rhs: {short(b, 4)}"
                         for i, (a, b) in enumerate(self.diff(limit)))

    # -- splitting -------------------------------------------------------------------------
    def slice(self, hi: int, lo: int) -> "Goal":
        return self._derive(f"{self.name}<{hi}:{lo}>", extract(self.lhs, hi, lo),
                            extract(self.rhs, hi, lo), f"slice({hi}, {lo})")

    def words(self, bits: int = 32) -> list:
        """The goal as goals on each ``bits``-bit word, least significant first."""
        if self.width % bits:
            raise ValueError(f"{self.width} bits do not split into {bits}-bit words")
        return [self._derive(f"{self.name}.w{i}", extract(self.lhs, bits * i + bits - 1, bits * i),
                             extract(self.rhs, bits * i + bits - 1, bits * i), f"words({bits})[{i}]")
                for i in range(self.width // bits)]

    lanes = words

    def bits(self) -> list:
        return self.words(1)

    # -- rewriting and abstraction -----------------------------------------------------------
    def normalise(self) -> "Goal":
        from lnsym.prover.normalise import Normaliser
        n = Normaliser()
        return self._derive(self.name, n(self.lhs), n(self.rhs), "normalise()")

    def rewrite(self, lemma, side: str = "both") -> "Goal":
        """Replace instances of the (proven) lemma's left sides by its right sides."""
        lhs, rhs, n = self.lhs, self.rhs, 0
        if side in ("both", "lhs"):
            lhs, k = lemma.rewrite(lhs)
            n += k
        if side in ("both", "rhs"):
            rhs, k = lemma.rewrite(rhs)
            n += k
        if n == 0:
            raise ValueError(f"lemma {lemma.name!r} has no instance in goal {self.name!r}")
        return self._derive(self.name, lhs, rhs, f"rewrite({lemma.name}) x{n}")

    def use(self, lemma, binding: dict | None = None, **kw) -> "Goal":
        """Rewrite with the lemma instance given by ``binding`` (variable name or term ->
        term or int): each instantiated left side present in the goal is replaced by
        the instantiated right side.  Exact (hash-consed) occurrences, no matching."""
        L, R = lemma.instance({**(binding or {}), **kw})
        m = {a: b for a, b in zip(L, R) if a is not b}
        memo: dict = {}
        lhs, rhs = substitute(self.lhs, m, memo), substitute(self.rhs, m, memo)
        if lhs is self.lhs and rhs is self.rhs and m:
            raise ValueError(f"no instance of lemma {lemma.name!r} with this binding occurs in "
                             f"goal {self.name!r}")
        return self._derive(self.name, lhs, rhs, f"use({lemma.name})",
                            tuple((substitute(c, m, memo), v) for c, v in self.assumptions))

    def replace(self, old: BV, new: BV, because) -> "Goal":
        """Replace ``old`` by ``new`` given a proven ``because`` (a Result or Lemma
        stating old == new)."""
        if not _justifies(because, old, new):
            raise ValueError("replace(): the justification does not state old == new")
        m = {old: new}
        return self._derive(self.name, substitute(self.lhs, m, {}), substitute(self.rhs, m, {}),
                            "replace()", tuple((substitute(c, m, {}), v) for c, v in self.assumptions))

    def abstract(self, *terms: BV, names=None) -> "Goal":
        """Each term replaced by a fresh variable on both sides (and in the assumptions)."""
        m = {}
        for i, t in enumerate(terms):
            nm = names[i] if names else f"k{next(_fresh)}"
            from lnsym.terms.bv import var
            m[t] = var(nm, t.width)
            self.names.setdefault(m[t], nm)
        memo: dict = {}
        return self._derive(self.name, substitute(self.lhs, m, memo), substitute(self.rhs, m, memo),
                            f"abstract({len(terms)})",
                            tuple((substitute(c, m, memo), v) for c, v in self.assumptions))

    def common(self, min_size: int = 2) -> list:
        """Maximal non-leaf subterms occurring on both sides (the candidates to abstract)."""
        def nodes(t):
            seen, stack = set(), [t]
            while stack:
                x = stack.pop()
                if x not in seen:
                    seen.add(x)
                    stack.extend(x.args)
            return seen
        left, right = nodes(self.lhs), nodes(self.rhs)
        both = {t for t in left & right if t.args}
        inner = {a for t in both for a in t.args}
        out = [t for t in both if t not in inner and _size(t) >= min_size]
        return sorted(out, key=lambda t: t.id)

    def abstract_common(self, min_size: int = 2) -> "Goal":
        cs = self.common(min_size)
        return self.abstract(*cs) if cs else self

    def cases(self, c: BV) -> tuple:
        """(goal assuming c = 1, goal assuming c = 0), c a 1-bit term; in each, c is
        replaced by its value (so ite(c, ..) folds)."""
        if c.width != 1:
            raise ValueError("cases(): the condition must be a 1-bit term")
        out = []
        for v in (1, 0):
            m = {c: const(v, 1)}
            out.append(self._derive(f"{self.name}|{short(c, 2)}={v}", substitute(self.lhs, m, {}),
                                    substitute(self.rhs, m, {}), f"cases({v})",
                                    self.assumptions + ((c, v),)))
        return tuple(out)

    # -- the solver ----------------------------------------------------------------------------
    def query(self) -> tuple:
        """(lhs', rhs') equal for all inputs iff the goal holds: the assumptions guard both
        sides (ite(assumptions, side, 0))."""
        if not self.assumptions:
            return self.lhs, self.rhs
        cond = and_(*[eq(c, const(v, 1)) for c, v in self.assumptions])
        z = const(0, self.width)
        return ite(cond, self.lhs, z), ite(cond, self.rhs, z)

    def prove(self, timeout: float = 30.0, sweep: bool = False) -> Result:
        """Simulation (counterexamples), normalisation, optional SAT sweeping, then z3."""
        from lnsym.prover import Obligation, prove_equal
        from lnsym.prover.sweep import Sweeper
        lhs, rhs = self.query()
        sw = Sweeper([rhs]) if sweep else None
        r = prove_equal(Obligation(self.name, lhs, rhs), sw, timeout)
        status = {"stuck": "unknown"}.get(r.status, r.status)
        return Result(self, status, r.method, r.seconds, r.counterexample, r.detail)

    def counterexample(self, timeout: float = 30.0) -> dict | None:
        r = self.prove(timeout)
        return r.counterexample if r.status == "refuted" else None

    def smtlib(self, path=None) -> str:
        from lnsym.prover.solve import smtlib
        text = smtlib(*self.query())
        if path is not None:
            with open(path, "w") as f:
                f.write(text)
        return text

    def evaluate(self, env: dict) -> tuple:
        """(lhs value, rhs value) with variables from ``env`` (missing ones are 0)."""
        from lnsym.terms.evaluate import evaluate
        f = lambda n: env.get(n, 0)   # noqa: E731
        return evaluate(self.lhs, f), evaluate(self.rhs, f)


def _size(t: BV) -> int:
    seen, stack = set(), [t]
    while stack and len(seen) < 64:
        x = stack.pop()
        if x not in seen:
            seen.add(x)
            stack.extend(x.args)
    return len(seen)


def pretty_many(roots: list, names: dict | None = None) -> tuple:
    """(definition lines, root texts): like ``lnsym.pretty.pretty`` over several roots,
    a node used more than once anywhere is printed once as ``%n`` (or its given name)."""
    from collections import Counter

    from lnsym.terms.pretty import _atom, _render
    uses: Counter = Counter()
    order, seen = [], set()
    stack = [(r, False) for r in reversed(roots)]
    while stack:
        x, done = stack.pop()
        if done:
            order.append(x)
            continue
        if x in seen:
            uses[x] += 1
            continue
        seen.add(x)
        stack.append((x, True))
        for a in x.args:
            stack.append((a, False))
    for r in roots:
        uses[r] += 0
    names = dict(names or {})
    lines, counter = [], itertools.count(1)

    def child(x):
        return names[x] if x in names else _render(x, child)
    for x in order:
        if x not in roots and uses[x] >= 1 and _atom(x) is None and x not in names:
            text = _render(x, child)
            names[x] = f"%{next(counter)}"
            lines.append(f"{names[x]} = {text}")
    return lines, [_render(r, child) for r in roots]


def _justifies(because, old, new) -> bool:
    from lnsym.proof.lemma import Lemma
    if isinstance(because, Result):
        g = because.goal
        return because.status == "proved" and not g.assumptions and \
            {g.lhs, g.rhs} == {old, new}
    if isinstance(because, Lemma):
        return because.proved and any({a, b} == {old, new} for a, b in zip(because.lhs, because.rhs))
    return False


def goals_report(results) -> str:
    return "\n".join(repr(r) for r in results)
