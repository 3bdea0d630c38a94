"""A routine's control-flow graph, from its code: successors and loops.

Each instruction is lifted once; its next-PC term, with the PC made concrete,
is a constant, an ``ite`` tree of constants (a conditional branch), or
something else (a return or an indirect branch: no static successor).  A
*back edge* is a branch to an address at or below its own; its target is a
*loop head*.  The graph only proposes where to cut: every fact about a loop is
then checked by the symbolic executor and the prover.
"""
from __future__ import annotations

from dataclasses import dataclass

from lnsym.machine.lift import PC, lift
from lnsym.terms.bv import const, substitute


@dataclass(frozen=True)
class Loop:
    head: int          # address of the loop head (the back edge's target)
    back_edge: int     # address of the branch instruction that jumps back
    exit: int          # the back edge's fall-through address (the loop exit)


def static_successors(word: int, pc: int) -> tuple[list, bool]:
    """(constant successor addresses, whether some successor is not a constant)."""
    s = lift(word, pc)
    if s.next_pc is None:
        return [pc + 4], False
    nxt = substitute(s.next_pc, {PC: const(pc, 64)})
    out, dynamic = [], False
    todo = [nxt]
    while todo:
        t = todo.pop()
        if t.op == "const":
            out.append(t.params[0])
        elif t.op == "ite":
            todo += [t.args[1], t.args[2]]
        else:
            dynamic = True
    return sorted(set(out)), dynamic


def routine_words(image, symbol: str) -> list:
    """(address, word) of each instruction of ``symbol`` (data in code skipped)."""
    sym = image.symbol(symbol)
    size = image.extent(sym)
    out = []
    for addr in range(sym.addr, sym.addr + size, 4):
        if image.is_data(addr):
            continue
        out.append((addr, int.from_bytes(image.read(addr, 4), "little")))
    return out


def loops(image, symbol: str) -> list:
    """Every back edge of ``symbol`` as a ``Loop``, innermost (latest head) first."""
    found = []
    for addr, word in routine_words(image, symbol):
        try:
            succ, _ = static_successors(word, addr)
        except Exception:          # an undecodable word is reported when executed
            continue
        for target in succ:
            if target <= addr and target != addr + 4:
                found.append(Loop(target, addr, addr + 4))
    return sorted(found, key=lambda lp: -lp.head)
