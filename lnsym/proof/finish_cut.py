"""A cut point in the code after a loop: the last group, then the rest from a fresh value.

The code after a software-pipelined loop (``FoldStatement.finish``, e.g. GHASH's
last group of 4 blocks and an r-block tail) is as costly to prove as a bounded
proof of 4 + r blocks when it is one obligation.  Such code often reduces the
running value after the last group and only then takes the tail, so a cut
there splits it in two (``FoldStatement.finish_cut = FinishCut(offset, rest)``):

1. from the invariant at num (Fold(num) = F fresh), run to the cut address; every
   register that depends on F and is a running location of the loop whose
   head form depends on the fold alone (or that ``FinishCut.form`` names) must
   hold that form for ``step(F, tail block 0)``: the state the loop head would
   have after one more group (an obligation per location); every other register
   or memory byte that depends on F is replaced by a fresh variable (the rest is
   then proved for all its values: a generalisation);
2. from there, with those locations in head form over a fresh G, the routine
   must return with the postcondition for ``rest(G, the tail after block 0)``;
3. ``finish(F, tail)`` must be ``rest(step(F, tail block 0), the rest)``: the same
   terms (checked as obligations; built alike, they close structurally).  ``rest``
   over ``step(F, block 0)`` is built by calling it there, which is the value of
   ``rest`` over G at G = step(F, block 0) (term constructors keep values).

Instantiating G = step(F, block 0) in 2 (execution is the same function of the
state, and 1 says the cut state is the generalised one at that G) and using 3
gives the exit's claim for ``finish(F, tail)``.  Part 1 depends only on the last
group, so the cases of a length split whose tails share it prove it once
(``lnsym.prover.reuse``).
"""
from __future__ import annotations

from dataclasses import dataclass

from lnsym.proof.loops import NUM, LoopShape, LoopShapeError
from lnsym.proof.routine import RETURN
from lnsym.prover import Obligation
from lnsym.terms.bv import add, const, substitute, var
from lnsym.terms.dag import variables


@dataclass
class FinishCut:
    offset: int        # the cut's address, from the routine's symbol
    rest: object       # (fold values after the last group, tail bytes after it) -> final values
    # optional: fold values -> {location: term}, the locations holding the running value at
    # the cut when that is not their loop-head form (e.g. the head holds it already XORed
    # with the next block); checked like the head form, never assumed
    form: object = None


def run_to_cut(ind, shape: LoopShape, st, fold: list, tail: list) -> tuple:
    """(obligations, final fold values) of the code after the loop: without a cut,
    ([], finish(fold, tail)); with one, ``st`` is run to it and generalised there
    (module docstring) and the final values are ``rest`` over the fresh fold."""
    stmt = ind.stmt
    whole = fold if stmt.finish is None else list(stmt.finish(fold, tail))
    cut = getattr(stmt, "finish_cut", None)
    if cut is None:
        return [], whole
    bb = stmt.block_bytes
    pc = ind.image.symbol(ind.proof.symbol).addr + cut.offset
    st.run(RETURN, st.steps + ind.proof.max_steps, stop_at=pc)
    if st.pc != pc:
        raise LoopShapeError(f"the code after the loop does not reach the cut {pc:#x}")
    first, others = tail[:bb], tail[bb:]
    grouped = list(stmt.step(fold, first))
    fresh = shape.fold_vars("cut")
    later = list(cut.rest(fresh, others))
    where = f"exit: after the loop: cut at {pc:#x}"
    # rest built on the step's terms, not substituted into ``later``: the same value, and
    # its products are ``whole``'s own (built once: proofs' specs memoise them)
    obs = [Obligation(f"{where}: finish = the last group's step, then the rest [{i}]", w, r)
           for i, (w, r) in enumerate(zip(whole, cut.rest(grouped, others)))]
    # the obligations before the cut over the step's names for the fold and block: where
    # the code after the loop repeats a pass's work on the last group, they are then the
    # step's very terms (``lnsym.prover.reuse``); a bijective renaming keeps their truth
    rename = dict(zip(fold, shape.fold_vars("k")))
    rename.update(zip(first, [ind.window(1).initial(i) for i in range(bb)]))
    as_step = list(stmt.step([rename[v] for v in fold], [rename[b] for b in first]))
    obs += _generalise(st, shape, set(fold), _forms(shape, cut, as_step),
                       _forms(shape, cut, fresh), where, rename)
    return obs, later


def _forms(shape: LoopShape, cut: FinishCut, fold: list) -> dict:
    """{location: its term for the running value ``fold``} at the cut: ``cut.form``'s, or
    the head form of each register that is running and depends on the fold alone."""
    if cut.form is not None:
        return dict(cut.form(fold))
    k1 = add(NUM, const(1, 64))
    blockless = set(shape.inputs) | set(getattr(shape, "counters", None) or ())
    return {loc: shape.value(loc, k1, fold, [], "cut") for loc in shape.running
            if loc not in shape.cells and not variables(shape.base[loc]) & blockless}


def _generalise(st, shape: LoopShape, fvars: set, want: dict, fresh: dict, where: str,
                rename: dict):
    """The cut state's dependence on the fold: locations with a form must hold it for
    the last group's value (``want``, over the renamed variables: each an obligation)
    and become it over the fresh fold (``fresh``); anything else depending on the fold
    becomes a fresh variable."""
    obs = []
    targets = set(rename.values())
    for loc, term in list(st.regs.items()):
        if not variables(term) & fvars:
            continue
        if loc in want:
            if variables(term) & targets:       # a name clash: the renaming is not bijective
                raise LoopShapeError(f"at the cut, {loc} already uses the step's names")
            obs.append(Obligation(f"{where}: {loc} = its form after the last group",
                                  substitute(term, rename), want[loc]))
            st.regs[loc] = fresh[loc]
        else:
            st.regs[loc] = var(f"{loc}@cut", term.width)
    for region in st.mem.regions:
        for off, byte in list(region.bytes.items()):
            if variables(byte) & fvars:
                region.bytes[off] = var(f"{region.name}[{off:#x}]@cut", 8)
    return obs


def cut_trust(stmt) -> list:
    """The trusted-base line of a statement with a cut after the loop (none without)."""
    cut = getattr(stmt, "finish_cut", None)
    if cut is None:
        return []
    return [f"cut after the loop at +{cut.offset:#x} (checked above): the state there, with "
            f"the running value in its form for step(Fold(num), last group) and every other "
            f"value depending on Fold(num) generalised to a fresh variable, is an instance of "
            f"the state the rest was proved from (execution is a function of the state); "
            f"obligations before the cut are stated over the step's variable names (a "
            f"bijective renaming)"]


__all__ = ["FinishCut", "cut_trust", "run_to_cut"]
