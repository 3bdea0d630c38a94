"""Compiling term DAGs to numpy code over limbs (see ``runtime``).

A w-bit term becomes ``ceil(w / 64)`` limb expressions, least significant
first, each bound once to a local.  Bitwise operators, extract, concat, ite
and equality have rules at any width; arithmetic, shifts, comparisons,
lookups, clmul and clz have numpy rules up to 64 bits (plus the wide variable
shifts TBL needs).  Anything else runs the single-input backend's own Python
expression lane by lane (``runtime.scalar_fallback``): slower, never different.
"""
from __future__ import annotations

import re

import numpy as np

from lnsym.backends.batch import recognise, runtime
from lnsym.terms.bv import BV, mask
from lnsym.terms.codegen import RUNTIME as SCALAR_RUNTIME
from lnsym.terms.codegen import _expr as scalar_expr

RUNTIME = {"np": np, "_b": runtime.bool_limb, "_ite": runtime.ite, "_shlv": runtime.shlv,
           "_lshrv": runtime.lshrv, "_ashrv": runtime.ashrv, "_lookup": runtime.lookup,
           "_clz": runtime.clz, "_clmul": runtime.clmul, "_lshrv_wide": runtime.lshrv_wide,
           "_shlv_wide": runtime.shlv_wide, "_scalar": runtime.scalar_fallback,
           **{k.name: k.fn for k in recognise.KERNELS.values()}}


def nlimbs(width: int) -> int:
    return (width + 63) // 64


def limb_width(width: int, j: int) -> int:
    return min(64, width - 64 * j)


def const_limbs(value: int, width: int) -> tuple:
    return tuple(hex((value >> (64 * j)) & mask(limb_width(width, j))) for j in range(nlimbs(width)))


def extract_limbs(src: tuple, hi: int, lo: int, bound=lambda e: 64) -> list:
    """(expression, bound) of each limb of bits hi..lo of a value given as limb expressions.

    ``bound(e)`` is an upper bound on the bit length of limb ``e``: a mask that
    cannot clear anything is left out (the common ``extract`` of a zero-extended
    value costs nothing).
    """
    out = []
    width = hi - lo + 1
    for j in range(nlimbs(width)):
        b = lo + 64 * j
        lw = limb_width(width, j)
        k, s = divmod(b, 64)
        e = f"({src[k]} >> {s})" if s else src[k]
        bits = max(0, bound(src[k]) - s)
        spill = s and k + 1 < len(src) and 64 - s < lw and bound(src[k + 1]) > 0
        if spill:
            e = f"({e} | ({src[k + 1]} << {64 - s}))"
            bits = max(bits, bound(src[k + 1]) + 64 - s)
        if bits > lw:              # bits above lw remain from the limb or from the spill
            e = f"({e} & {mask(lw):#x})"
            bits = lw
        out.append((e, bits))
    return out


def concat_limbs(parts: list, bound=lambda e: 64) -> list:
    """``parts``: (limb expressions, width), most significant first; (expression, bound)
    of each limb of the concatenation."""
    width = sum(w for _, w in parts)
    acc: list = [[] for _ in range(nlimbs(width))]
    bits = [0] * nlimbs(width)
    pos = width
    for limbs, w in parts:
        pos -= w
        for i, e in enumerate(limbs):
            if e == "0x0":
                continue
            start, lw = pos + 64 * i, min(limb_width(w, i), bound(e))
            for j in range(nlimbs(width)):
                d = start - 64 * j
                if d >= 64 or d + lw <= 0:
                    continue
                if d > 0:
                    piece = f"({e} << {d})"
                    if d + lw > 64:
                        piece = f"({piece} & {mask(64):#x})"
                elif d < 0:
                    piece = f"({e} >> {-d})"
                else:
                    piece = e
                acc[j].append(piece)
                bits[j] = max(bits[j], min(64, d + lw))
    return [((("(" + " | ".join(p) + ")") if len(p) > 1 else (p[0] if p else "0x0")), bits[j])
            for j, p in enumerate(acc)]


class BatchEmitter:
    """Accumulates lines of numpy code; ``value(t)`` returns a tuple of limb expressions."""

    def __init__(self, bindings: dict, lets: dict | None = None, use_kernels: bool = True):
        self.names: dict = {}                   # term -> tuple of limb expressions
        self.bounds: dict = {}                  # limb name -> bound on its bit length
        for term, limbs in bindings.items():
            self.bind(term, limbs)
        self.lets: dict = lets or {}
        self.lines: list = []
        self.counter = 0
        self.constants: dict = {}
        self._const_names: dict = {}
        self._kernel_calls: dict = {}           # (kernel, operands) -> limbs of its outputs
        self.use_kernels = use_kernels          # recognise whole instructions (``recognise``)

    def const_name(self, key, make) -> str:
        name = self._const_names.get(key)
        if name is None:
            name = self._const_names[key] = f"_K{len(self.constants)}"
            self.constants[name] = make()
        return name

    def bind(self, term: BV, limbs: tuple) -> None:
        self.names[term] = tuple(limbs)
        for j, e in enumerate(limbs):
            self.bounds[e] = limb_width(term.width, j)

    def bound(self, e: str) -> int:
        """An upper bound on the bit length of the limb expression ``e``."""
        b = self.bounds.get(e)
        if b is not None:
            return b
        return int(e, 16).bit_length() if e.startswith("0x") else 64

    def value(self, term: BV) -> tuple:
        names = self.names
        stack = [term]
        while stack:
            t = stack[-1]
            if t in names:
                stack.pop()
                continue
            if t.op == "const":
                names[t] = const_limbs(t.params[0], t.width)
                stack.pop()
                continue
            if t.op == "var":
                body = self.lets.get(t)
                if body is None:
                    raise KeyError(f"batch codegen: variable {t.params[0]!r} has no binding")
                if body in names:
                    names[t] = names[body]
                    stack.pop()
                else:
                    stack.append(body)
                continue
            m = recognise.match(t) if self.use_kernels else None
            pending = [x for x in (m.sources if m else t.args) if x not in names]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            names[t] = self._kernel(m) if m else self._node(t, [names[x] for x in t.args])
        return names[term]

    def _kernel(self, m) -> tuple:
        """Limbs of a recognised instruction's value; one call serves all its outputs."""
        key = (m.kernel.name, m.sources, m.params)
        outs = self._kernel_calls.get(key)
        if outs is None:
            args = ", ".join([x for s in m.sources for x in self.names[s]] + [str(p) for p in m.params])
            outs = self._kernel_calls[key] = self._call(f"{m.kernel.name}({args})",
                                                        2 * m.kernel.outputs)
        return outs[2 * m.output:2 * m.output + 2]

    # -- one node ---------------------------------------------------------------------------
    def _fresh(self) -> str:
        self.counter += 1
        return f"t{self.counter}"

    def _assign(self, exprs, width: int) -> tuple:
        """Bind each limb expression (or (expression, bound)) to a local; plain names and
        literals are reused.  A bound not given is the limb's width."""
        base = self._fresh()
        out = []
        for j, item in enumerate(exprs):
            e, bits = item if isinstance(item, tuple) else (item, limb_width(width, j))
            if e.isidentifier() or e.startswith("0x"):
                out.append(e)
                continue
            name = f"{base}_{j}"
            self.lines.append(f"{name} = {e}")
            self.bounds[name] = min(bits, limb_width(width, j))
            out.append(name)
        return tuple(out)

    def _call(self, call: str, n: int) -> tuple:
        base = self._fresh()
        names = tuple(f"{base}_{j}" for j in range(n))
        self.lines.append(f"{', '.join(names)}, = {call}")
        return names

    def _node(self, t: BV, a: list) -> tuple:
        op, w = t.op, t.width
        wide = w > 64 or any(x.width > 64 for x in t.args)
        bound = self.bound
        if op in ("and", "or", "xor"):
            sym = {"and": " & ", "or": " | ", "xor": " ^ "}[op]
            pick = min if op == "and" else max
            return self._assign([("(" + sym.join(x[j] for x in a) + ")",
                                  pick(bound(x[j]) for x in a)) for j in range(nlimbs(w))], w)
        if op == "not":
            return self._assign([f"({x} ^ {mask(limb_width(w, j)):#x})" for j, x in enumerate(a[0])], w)
        if op == "extract":
            return self._assign(extract_limbs(a[0], *t.params, bound), w)
        if op == "concat":
            return self._assign(concat_limbs([(x, arg.width) for x, arg in zip(a, t.args)], bound), w)
        if op == "ite":
            return self._assign([(f"_ite({a[0][0]}, {x}, {y})", max(bound(x), bound(y)))
                                 for x, y in zip(a[1], a[2])], w)
        if op == "eq":
            return self._assign(["_b(" + " & ".join(f"({x} == {y})" for x, y in zip(a[0], a[1])) + ")"],
                                w)
        if op in ("lshrv", "shlv") and wide:
            return self._call(f"_{op}_wide(({', '.join(a[0])},), ({', '.join(a[1])},), {w})",
                              nlimbs(w))
        if op == "clmul" and t.args[0].width <= 64:
            return self._call(f"_clmul({a[0][0]}, {a[1][0]}, {t.args[0].width})", nlimbs(w))
        if op == "lookup" and not wide and t.args[0].width <= 16:
            table = t.params[0]
            k = self.const_name(("lookup", table), lambda: np.array(table, dtype=np.uint64))
            return self._assign([(f"_lookup({k}, {a[0][0]})", max(table).bit_length())], w)
        if op == "add" and not wide and len(a) > 8:      # bounded nesting for long sums
            acc = self._assign([self._narrow_add(w, [x[0] for x in a[:8]])], w)
            for k in range(8, len(a), 7):
                part = [acc] + a[k:k + 7]
                acc = self._assign([self._narrow_add(w, [x[0] for x in part])], w)
            return acc
        if not wide:
            e = self._narrow(t, [x[0] for x in a])
            if e is not None:
                return self._assign([e], w)
        return self._fallback(t, a)

    def _narrow(self, t: BV, a: list) -> str | None:
        """numpy/int expression for an operator on values of at most 64 bits."""
        op, w = t.op, t.width
        m = f"{mask(w):#x}"
        if op == "add":
            return self._narrow_add(w, a)
        if op == "mul" and self.bound(a[0]) + self.bound(a[1]) <= w:
            return (f"({a[0]} * {a[1]})", self.bound(a[0]) + self.bound(a[1]))
        if op == "neg":
            return f"((0 - {a[0]}) & {m})"
        if op == "mul":
            return f"(({a[0]} * {a[1]}) & {m})"
        if op == "sext":
            s = 1 << (t.args[0].width - 1)
            return f"((({a[0]} ^ {s:#x}) - {s:#x}) & {m})"
        if op in ("shlv", "lshrv", "ashrv"):
            return f"_{op}({a[0]}, {a[1]}, {w})"
        if op in ("ult", "ule"):
            return f"_b({a[0]} {'<' if op == 'ult' else '<='} {a[1]})"
        if op in ("slt", "sle"):
            s = f"{1 << (t.args[0].width - 1):#x}"
            return f"_b(({a[0]} ^ {s}) {'<' if op == 'slt' else '<='} ({a[1]} ^ {s}))"
        if op == "clz":
            return f"_clz({a[0]}, {w})"
        return None

    def _narrow_add(self, w: int, a: list) -> tuple:
        """A sum of limbs of at most w bits; the mask is left out while no carry can
        reach bit w (so no uint64 wrap-around either)."""
        e, bits = a[0], self.bound(a[0])
        for x in a[1:]:
            bits = max(bits, self.bound(x)) + 1
            if bits > w:
                e, bits = f"(({e} + {x}) & {mask(w):#x})", w
            else:
                e = f"({e} + {x})"
        return e, bits

    def _fallback(self, t: BV, a: list) -> tuple:
        consts: dict = {}

        def name_const(obj):
            key = f"_S{len(consts)}"
            consts[key] = obj
            return key
        params = [f"a{i}" for i in range(len(a))]
        body = scalar_expr(t, params, name_const)
        ns = dict(SCALAR_RUNTIME)
        ns.update(consts)
        fn = eval(f"lambda {', '.join(params)}: {body}", ns)
        k = self.const_name(("scalar", t), lambda: fn)
        args = ", ".join("(" + ", ".join(x) + ",)" for x in a)
        return self._call(f"_scalar({k}, {nlimbs(t.width)}, {args})", nlimbs(t.width))


_TEMP = re.compile(r"\b(?:t|ld)\d+_\d+\b")


def free_dead(body: list, tail: str) -> list:
    """``body`` with each temporary deleted after its last use, so only live lane arrays
    stay allocated (a block can hold thousands; keeping them all defeats the caches)."""
    last: dict = {}
    for i, ln in enumerate(body):
        for name in _TEMP.findall(ln):
            last[name] = i
    for name in _TEMP.findall(tail):
        last.pop(name, None)
    dead: dict = {}
    for name, i in last.items():
        dead.setdefault(i, []).append(name)
    out = []
    for i, ln in enumerate(body):
        out.append(ln)
        if i in dead:
            out.append("del " + ", ".join(dead[i]))
    return out
