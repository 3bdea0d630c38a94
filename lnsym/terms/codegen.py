"""Compiling term DAGs to straight-line Python source.

``Emitter`` turns terms into Python expressions over local variable names,
binding every shared or non-trivial node to a temporary exactly once, in
dependency order.  The concrete backend uses it to compile whole basic blocks.
"""
from __future__ import annotations

# Helpers the generated code may call; bound in the compiled function's globals.
from lnsym.terms.bv import BV, _sdiv, _srem, _udiv, _urem, clmul_int, mask  # noqa: F401  (used by name)
from lnsym.terms.pauth import add_pac_int, auth_int, strip_int

RUNTIME = {"_udiv": _udiv, "_urem": _urem, "_sdiv": _sdiv, "_srem": _srem, "_clmul": clmul_int,
           "_pac_add": add_pac_int, "_pac_auth": auth_int, "_pac_strip": strip_int}


def _sx(expr, w):
    s = 1 << (w - 1)
    return f"(({expr} ^ {s:#x}) - {s:#x})"


def _expr(t: BV, a: list, consts) -> str:
    """Python expression for node ``t`` given its argument expressions ``a``."""
    op, w = t.op, t.width
    m = f"{mask(w):#x}"
    if op == "add":
        return f"(({' + '.join(a)}) & {m})"
    if op == "neg":
        return f"(-{a[0]} & {m})"
    if op == "mul":
        return f"(({a[0]} * {a[1]}) & {m})"
    if op in ("and", "or", "xor"):
        sym = {"and": " & ", "or": " | ", "xor": " ^ "}[op]
        return f"({sym.join(a)})"
    if op == "not":
        return f"({a[0]} ^ {m})"
    if op == "extract":
        hi, lo = t.params
        return f"(({a[0]} >> {lo}) & {m})" if lo else f"({a[0]} & {m})"
    if op == "concat":
        pos = w
        parts = []
        for x, e in zip(t.args, a):
            pos -= x.width
            if x.op == "const" and x.params[0] == 0:
                continue
            parts.append(f"({e} << {pos})" if pos else e)
        if not parts:
            return "0"
        return "(" + " | ".join(parts) + ")"
    if op == "sext":
        return f"({_sx(a[0], t.args[0].width)} & {m})"
    if op == "shlv":
        return f"((({a[0]} << {a[1]}) & {m}) if {a[1]} < {w} else 0)"
    if op == "lshrv":
        return f"({a[0]} >> {a[1]})"
    if op == "ashrv":
        return f"(({_sx(a[0], w)} >> {a[1]}) & {m})"
    if op == "ite":
        return f"({a[1]} if {a[0]} else {a[2]})"
    if op in ("eq", "ult", "ule"):
        sym = {"eq": "==", "ult": "<", "ule": "<="}[op]
        return f"int({a[0]} {sym} {a[1]})"
    if op in ("slt", "sle"):
        aw = t.args[0].width
        sym = "<" if op == "slt" else "<="
        return f"int({_sx(a[0], aw)} {sym} {_sx(a[1], aw)})"
    if op in ("udiv", "urem", "sdiv", "srem"):
        return f"(_{op}({a[0]}, {a[1]}, {w}) & {m})"
    if op == "lookup":
        return f"{consts(t.params[0])}[{a[0]}]"
    if op == "clmul":
        return f"_clmul({a[0]}, {a[1]})"
    if op == "clz":
        return f"({w} - {a[0]}.bit_length())"
    if op == "pac_add":
        return f"_pac_add({a[0]}, {a[1]}, {t.params[0]!r})"
    if op == "pac_strip":
        return f"_pac_strip({a[0]})"
    if op == "pac_auth":
        return f"_pac_auth({a[0]}, {a[1]}, {t.params[0]!r}, {t.params[1]})"
    raise NotImplementedError(f"codegen: no rule for operator {op!r}")


class Emitter:
    """Accumulates lines of Python computing terms; ``value(t)`` returns an expression."""

    def __init__(self, bindings: dict, prefix: str = "t", lets: dict | None = None):
        self.names: dict = dict(bindings)   # term -> python expression (usually a name)
        self.lets: dict = lets or {}        # variable -> term it stands for (emitted on use)
        self.lines: list = []
        self.prefix = prefix
        self.counter = 0
        self.constants: dict = {}           # name -> python object for the namespace
        self._const_names: dict = {}

    def const_name(self, obj) -> str:
        name = self._const_names.get(obj)
        if name is None:
            name = self._const_names[obj] = f"_K{len(self.constants)}"
            self.constants[name] = obj
        return name

    def value(self, term: BV) -> str:
        names = self.names
        stack = [term]
        while stack:
            t = stack[-1]
            if t in names:
                stack.pop()
                continue
            if t.op == "const":
                names[t] = hex(t.params[0])
                stack.pop()
                continue
            if t.op == "var":
                body = self.lets.get(t)
                if body is not None:
                    if body in names:
                        names[t] = names[body]
                        stack.pop()
                    else:
                        stack.append(body)
                    continue
                raise KeyError(f"codegen: variable {t.params[0]!r} has no binding")
            pending = [x for x in t.args if x not in names]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            expr = _expr(t, [names[x] for x in t.args], self.const_name)
            name = f"{self.prefix}{self.counter}"
            self.counter += 1
            self.lines.append(f"{name} = {expr}")
            names[t] = name
        return names[term]

    def bind(self, term: BV, name: str) -> None:
        self.names[term] = name
