"""Term DAGs evaluated node by node on many lanes (the prover's random simulation).

Compiling a whole DAG to source (``terms.compile_terms``) pays Python's
compiler for every node, which only a repeated evaluation recovers.  Here each
node runs a small numpy function compiled once per node *shape* (operator,
widths, parameters): a proof's thousands of nodes reuse a few hundred of them.
``simulate_lanes`` is ``lnsym.prover.sweep.simulate`` on numpy lanes: same
inputs (an environment per lane), same signatures (a tuple of ints per node).
"""
from __future__ import annotations

import numpy as np

from lnsym.backends.batch.emit import RUNTIME, BatchEmitter, const_limbs, nlimbs
from lnsym.backends.batch.runtime import _lane_ints
from lnsym.terms.bv import BV, mask, placeholder
from lnsym.terms.node import _mk

_shapes: dict = {}
_by_node: dict = {}          # node -> its shape's function (bounded: cleared when large)


def node_function(t: BV):
    """``f(*arg_limb_tuples) -> limb tuple`` computing ``t``'s operator."""
    fn = _by_node.get(t)
    if fn is None:
        if len(_by_node) > 500_000:
            _by_node.clear()
        fn = _by_node[t] = _shape_function(t)
    return fn


def _shape_function(t: BV):
    key = (t.op, t.width, t.params, tuple(a.width for a in t.args))
    fn = _shapes.get(key)
    if fn is None:
        args = [placeholder(f"_arg{i}", a.width) for i, a in enumerate(t.args)]
        template = _mk(t.op, t.width, tuple(args), t.params)
        names = {v: tuple(f"a{i}_{j}" for j in range(nlimbs(v.width))) for i, v in enumerate(args)}
        em = BatchEmitter(dict(names), use_kernels=False)   # one operator: no instruction
        out = em.value(template)
        params = ", ".join(f"A{i}" for i in range(len(args)))
        lines = [f"def node({params}):"]
        lines += [f"    {', '.join(names[v])}, = A{i}" for i, v in enumerate(args)]
        lines += [f"    {ln}" for ln in em.lines]
        lines.append(f"    return ({', '.join(out)},)")
        ns = dict(RUNTIME)
        ns.update(em.constants)
        exec(compile("\n".join(lines), f"<batch node {t.op}>", "exec"), ns)
        fn = _shapes[key] = ns["node"]
    return fn


class LaneSimulation:
    """Values of DAG nodes on ``lanes`` lanes, kept as limbs between calls."""

    def __init__(self, lanes: int, value_of):
        self.lanes = lanes
        self.value_of = value_of        # variable term -> sequence of lanes ints
        self.limbs: dict = {}

    def run(self, order: list) -> None:
        limbs = self.limbs
        for t in order:
            if t in limbs:
                continue
            if t.op == "const":
                limbs[t] = tuple(int(x, 16) for x in const_limbs(t.params[0], t.width))
            elif t.op == "var":
                vals = [v & mask(t.width) for v in self.value_of(t)]
                limbs[t] = _columns(vals, t.width)
            else:
                limbs[t] = node_function(t)(*[limbs[a] for a in t.args])

    def run_roots(self, *roots: BV) -> None:
        """Simulate every node under ``roots`` not simulated yet."""
        order, seen, limbs = [], set(), self.limbs
        stack = [(r, False) for r in roots]
        while stack:                        # post-order of the new nodes
            t, done = stack.pop()
            if done:
                order.append(t)
            elif t not in seen and t not in limbs:
                seen.add(t)
                stack.append((t, True))
                stack.extend((a, False) for a in t.args)
        self.run(order)

    def signature(self, t: BV) -> tuple:
        x = self.limbs[t]
        if len(x) == 1:
            v = x[0]
            if type(v) is np.ndarray:
                return tuple(v.tolist())
            return (int(v),) * self.lanes
        if all(type(v) is not np.ndarray for v in x):
            return (sum(int(v) << (64 * j) for j, v in enumerate(x)),) * self.lanes
        return tuple(_lane_ints(x, self.lanes))


def _columns(vals: list, width: int) -> tuple:
    if width <= 64:
        return (np.array(vals, dtype=np.uint64),)
    return tuple(np.array([(v >> (64 * j)) & 0xFFFF_FFFF_FFFF_FFFF for v in vals], dtype=np.uint64)
                 for j in range(nlimbs(width)))


def simulate_lanes(order: list, envs: list, known: dict | None = None) -> dict:
    """node -> tuple of values, one per environment, as ``sweep.simulate`` returns."""
    sim = LaneSimulation(len(envs), lambda t: [env(t) for env in envs])
    sig = dict(known) if known else {}
    todo = [t for t in order if t not in sig]
    for t in todo:                      # known arguments of new nodes enter as columns
        for a in t.args:
            if a in sig and a not in sim.limbs:
                sim.limbs[a] = (tuple(int(x, 16) for x in const_limbs(a.params[0], a.width))
                                if a.op == "const" else _columns(list(sig[a]), a.width))
    sim.run(todo)
    for t in order:
        if t not in sig:
            sig[t] = sim.signature(t)
    return sig
