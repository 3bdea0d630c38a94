"""Printing terms: a short one-line form, and a full form with sharing (let-bindings)."""
from __future__ import annotations

from collections import Counter

_INFIX = {"add": "+", "and": "&", "or": "|", "xor": "^", "mul": "*"}


def _atom(t):
    if t.op == "const":
        return f"{t.params[0]:#x}:{t.width}"
    if t.op == "var":
        return t.params[0]
    return None


def _render(t, child, max_args=None):
    a = _atom(t)
    if a is not None:
        return a
    op = t.op
    if op in _INFIX:
        args = t.args
        more = ""
        if max_args is not None and len(args) > max_args:
            args, more = args[:max_args], f" {_INFIX[op]} …{len(t.args) - max_args} more"
        return "(" + f" {_INFIX[op]} ".join(child(x) for x in args) + more + ")"
    if op == "not":
        return "~" + child(t.args[0])
    if op == "neg":
        return "-" + child(t.args[0])
    if op == "extract":
        return f"{child(t.args[0])}<{t.params[0]}:{t.params[1]}>"
    if op == "concat":
        return "(" + " : ".join(child(x) for x in t.args) + ")"
    if op == "sext":
        return f"sext{t.width}({child(t.args[0])})"
    if op == "eq":                  # commutative: show a constant operand second
        x, y = t.args
        if x.op == "const" and y.op != "const":
            x, y = y, x
        return f"eq({child(x)}, {child(y)})"
    if op == "ite":
        c, x, y = t.args
        return f"ite({child(c)}, {child(x)}, {child(y)})"
    if op == "lookup":
        return f"lookup[{hash(t.params[0]) & 0xffff:04x}]({child(t.args[0])})"
    return f"{op}(" + ", ".join(child(x) for x in t.args) + ")"


def short(t, depth: int = 3) -> str:
    """One line, subterms deeper than ``depth`` elided."""
    def child(x, d=[depth]):
        if d[0] <= 0 and _atom(x) is None:
            return "…"
        d[0] -= 1
        try:
            return _render(x, child, 6)
        finally:
            d[0] += 1
    return _render(t, child, 6)


def pretty(t, names: dict | None = None, max_lines: int = 400) -> str:
    """Multi-line form: every non-leaf node used more than once gets a name ``%n``."""
    uses: Counter = Counter()
    order = []
    seen = set()
    stack = [(t, False)]
    while stack:
        x, done = stack.pop()
        if done:
            order.append(x)
            continue
        if x in seen:
            continue
        seen.add(x)
        stack.append((x, True))
        for a in x.args:
            uses[a] += 1
            stack.append((a, False))
    names = dict(names or {})
    lines = []
    counter = [0]

    def child(x):
        if x in names:
            return names[x]
        return _render(x, child)

    for x in order:
        if x is not t and uses[x] > 1 and _atom(x) is None and x not in names:
            text = _render(x, child)
            counter[0] += 1
            names[x] = f"%{counter[0]}"
            lines.append(f"%{counter[0]} = {text}")
    lines.append(_render(t, child))
    if len(lines) > max_lines:
        lines = lines[: max_lines // 2] + [f"… {len(lines) - max_lines} lines elided …"] + lines[-max_lines // 2:]
    return "\n".join(lines)
