"""Obligations proved once per process and reused where the same terms come again.

Terms are hash-consed, so two obligations with the same ``impl`` and ``spec``
nodes state the same equation (for every value of their variables).  Within a
``sharing()`` block, ``prove_all`` (``lnsym.prover.engine``) looks each
obligation up here first: one proved before in this process is reported
proved again, its method naming the rung that closed it and the obligation
that did (``reused``).  Only proofs for every input are kept (made without a
precondition, or by a rung that does not use it: ``engine.FOR_EVERY_INPUT``), so a
kept proof holds under any precondition too; a refuted or stuck obligation is
tried again each time.

``cached`` keeps other pure results the same way (a spec's terms for one input term).
``holds_under`` / ``remember_under`` keep equations z3 proved under stated facts,
with the facts its unsat core named: such an equation holds wherever those facts
are stated again (another case's hypotheses, another path's), however many others.

Where it pays: the cases of a length split (``lnsym.proof.cases``) re-run the
same loop step, so its running values are the same terms in every case, and
an induction's last pass (its exit) repeats the step's.
"""
from __future__ import annotations

import contextlib
import contextvars

_proved: dict = {}            # (impl, spec) -> (method, name of the obligation that proved it)
_values: dict = {}            # key -> a term-valued result computed once (``cached``)
_under: dict = {}             # (impl, spec) -> fact sets, each enough for impl == spec
_active = contextvars.ContextVar("lnsym_prover_reuse", default=False)

REUSED = "same terms as"      # in a reused result's method


@contextlib.contextmanager
def sharing(enabled: bool = True):
    """Within the block, proved obligations are remembered and reused."""
    token = _active.set(bool(enabled))
    try:
        yield
    finally:
        _active.reset(token)


def active() -> bool:
    return _active.get()


def reused(ob):
    """The earlier proof of ``ob``'s very terms, as a result named for ``ob`` (or None)."""
    from lnsym.prover.engine import ObligationResult
    hit = _proved.get((ob.impl, ob.spec)) if _active.get() else None
    if hit is None:
        return None
    method, first = hit
    return ObligationResult(ob.name, "proved", f"{method} ({REUSED} proved earlier in this "
                                               f"process)", 0.0, detail=f"as '{first}'")


def proved(impl, spec) -> bool:
    """Whether ``impl == spec`` was proved for every input earlier in this process."""
    return _active.get() and (impl, spec) in _proved


def known(key):
    """The value ``cached`` keeps under ``key`` (None when there is none, or outside
    ``sharing()``)."""
    return _values.get(key) if _active.get() else None


def cached(key, compute, keep=None):
    """``compute()``, remembered under ``key`` within a ``sharing()`` block: for pure
    functions of hash-consed terms (a spec's key stream for one counter term, a z3
    answer under stated facts), which the cases of a split ask for again.  With
    ``keep``, only a value ``keep(value)`` accepts is remembered (e.g. a proof)."""
    if not _active.get():
        return compute()
    if key in _values:
        return _values[key]
    value = compute()
    if keep is None or keep(value):
        _values[key] = value
    return value


def holds_under(impl, spec, facts) -> bool:
    """Whether ``impl == spec`` was proved earlier in this process from facts that are
    all among ``facts`` (1-bit terms): then those facts imply it here too."""
    if not _active.get():
        return False
    known = _under.get((impl, spec))
    if not known:
        return False
    have = set(facts)
    return any(core <= have for core in known)


def remember_under(impl, spec, core) -> None:
    """``impl == spec`` follows from the facts ``core`` (e.g. z3's unsat core)."""
    if _active.get() and core is not None:
        known = _under.setdefault((impl, spec), [])
        if not any(c <= core for c in known):
            known.append(frozenset(core))


def remember(ob, result) -> None:
    if _active.get() and result.status == "proved" and result.method != "structural" \
            and REUSED not in result.method:            # structural: nothing to save
        _proved.setdefault((ob.impl, ob.spec), (result.method, ob.name))


__all__ = ["REUSED", "active", "cached", "holds_under", "known", "proved", "remember", "remember_under",
           "reused", "sharing"]
