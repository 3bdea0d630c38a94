"""Evaluating term DAGs on many assignments at once (random simulation, tests).

``compile_terms`` emits one numpy function for a list of roots over their
variables; ``evaluate_lanes`` runs it on one value per lane for each variable
and returns each root's value per lane as Python ints.
"""
from __future__ import annotations

import numpy as np

from lnsym.backends.batch.emit import RUNTIME, BatchEmitter, free_dead, nlimbs
from lnsym.backends.batch.executor import to_limbs
from lnsym.backends.batch.runtime import _lane_ints
from lnsym.terms.bv import variables


def compile_terms(roots: list):
    """``(fn, vars)``: ``fn(limbs_of_each_var)`` -> a limb tuple for each root."""
    vs = sorted(variables(*roots), key=lambda v: v.params[0])
    names = {v: tuple(f"a{i}_{j}" for j in range(nlimbs(v.width))) for i, v in enumerate(vs)}
    em = BatchEmitter(dict(names))
    outs = [em.value(r) for r in roots]
    ret = ", ".join("(" + ", ".join(o) + ",)" for o in outs)
    lines = ["def terms(A):"]
    lines += [f"    {', '.join(names[v])}, = A[{i}]" for i, v in enumerate(vs)]
    lines += [f"    {ln}" for ln in free_dead(em.lines, ret)]
    lines.append(f"    return ({ret},)" if outs else "    return ()")
    ns = dict(RUNTIME)
    ns.update(em.constants)
    exec(compile("\n".join(lines), "<batch terms>", "exec"), ns)
    return ns["terms"], vs


def evaluate_lanes(roots: list, values: dict, lanes: int) -> list:
    """Each root's value in each lane, as lists of Python ints.

    ``values``: variable name -> an int (every lane) or a sequence of ``lanes`` ints.
    A variable not given is an error (``KeyError``), never a silent zero.
    """
    fn, vs = compile_terms(roots)
    args = [to_limbs(values[v.params[0]], v.width, lanes) for v in vs]
    return [lane_ints(limbs, lanes) for limbs in fn(args)]


def lane_ints(limbs: tuple, lanes: int) -> list:
    """A limb tuple as one Python int per lane."""
    if all(type(x) is not np.ndarray for x in limbs):
        v = 0
        for j, x in enumerate(limbs):
            v |= int(x) << (64 * j)
        return [v] * lanes
    return _lane_ints(limbs, lanes)


