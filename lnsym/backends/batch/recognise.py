"""Where a kernel replaces a block's terms: recognising whole instructions.

A kernel (``kernels``) is used only where the block's term *is* an
instruction's lifted summary applied to some operands: ``match`` builds the
summary of a representative instruction word (``lnsym.machine.lift``) on
placeholder operands, substitutes the candidate operands (the variables of the
term: in a block every register an instruction reads is one) and accepts only
when the hash-consed result is the very same node.  Nothing is guessed: a term
that is not recognised is compiled operator by operator, as before.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import permutations

from lnsym.backends.batch.kernels import (
    add_4s,
    aes_inv_mix_columns,
    aes_inv_sub_shift,
    aes_mix_columns,
    aes_sub_shift,
    sha256_hash,
    sha256_su0,
    sha256_su1,
    sli_4s,
    tbl1,
    ushr_4s,
)
from lnsym.machine.lift import lift
from lnsym.terms.bv import BV, var
from lnsym.terms.dag import substitute


@dataclass(frozen=True)
class Kernel:
    name: str            # the runtime name the generated code calls
    fn: object
    outputs: int         # 128-bit values returned (the caller picks one)


KERNELS = {
    "_k_sub_shift": Kernel("_k_sub_shift", aes_sub_shift, 1),
    "_k_inv_sub_shift": Kernel("_k_inv_sub_shift", aes_inv_sub_shift, 1),
    "_k_mix": Kernel("_k_mix", aes_mix_columns, 1),
    "_k_inv_mix": Kernel("_k_inv_mix", aes_inv_mix_columns, 1),
    "_k_sha256": Kernel("_k_sha256", sha256_hash, 2),
    "_k_tbl1": Kernel("_k_tbl1", tbl1, 1),
    "_k_su0": Kernel("_k_su0", sha256_su0, 1),
    "_k_su1": Kernel("_k_su1", sha256_su1, 1),
    "_k_add_4s": Kernel("_k_add_4s", add_4s, 1),
    "_k_ushr_4s": Kernel("_k_ushr_4s", ushr_4s, 1),
    "_k_sli_4s": Kernel("_k_sli_4s", sli_4s, 1),
}
# REV16/REV32/REV64 of bytes, REV32/REV64 of halfwords: a TBL whose index is fixed
for _name, _flip in (("_k_rev16", 1), ("_k_rev32", 3), ("_k_rev64", 7), ("_k_rev32h", 2),
                     ("_k_rev64h", 6)):
    _index = sum((j ^ _flip) << (8 * j) for j in range(16))
    KERNELS[_name] = Kernel(_name, lambda lo, hi, i=_index: tbl1(lo, hi, i & ((1 << 64) - 1), i >> 64),
                            1)

# (kernel, word, V registers in the kernel's argument order, which output):
# every word names v0, v1 (and v2) as in ``aese v0.16b, v1.16b``.
SPECS = [
    ("_k_mix", 0x4E286820, ("v1",), 0),                      # aesmc v0, v1
    ("_k_inv_mix", 0x4E287820, ("v1",), 0),                 # aesimc v0, v1
    ("_k_sub_shift", 0x4E284820, ("v0", "v1"), 0),         # aese v0, v1
    ("_k_inv_sub_shift", 0x4E285820, ("v0", "v1"), 0),     # aesd v0, v1
    ("_k_sha256", 0x5E024020, ("v0", "v1", "v2"), 0),       # sha256h q0, q1, v2.4s
    ("_k_sha256", 0x5E025020, ("v1", "v0", "v2"), 1),       # sha256h2 q0, q1, v2.4s
    ("_k_tbl1", 0x4E020020, ("v1", "v2"), 0),                # tbl v0.16b, {v1.16b}, v2.16b
    ("_k_su0", 0x5E282820, ("v0", "v1"), 0),                 # sha256su0 v0.4s, v1.4s
    ("_k_su1", 0x5E026020, ("v0", "v1", "v2"), 0),           # sha256su1 v0.4s, v1.4s, v2.4s
    ("_k_add_4s", 0x4EA28420, ("v1", "v2"), 0),              # add v0.4s, v1.4s, v2.4s
    ("_k_rev16", 0x4E201820, ("v1",), 0),                    # rev16 v0.16b, v1.16b
    ("_k_rev32", 0x6E200820, ("v1",), 0),                    # rev32 v0.16b, v1.16b
    ("_k_rev64", 0x4E200820, ("v1",), 0),                    # rev64 v0.16b, v1.16b
    ("_k_rev32h", 0x6E600820, ("v1",), 0),                   # rev32 v0.8h, v1.8h
    ("_k_rev64h", 0x4E600820, ("v1",), 0),                   # rev64 v0.8h, v1.8h
]
# USHR v0.4s, v1.4s, #(64 - imm7) and SLI v0.4s, v1.4s, #(imm7 - 32), imm7 = 33..63
# (USHR #32 is the constant 0 and SLI #0 is v1 itself: nothing to recognise)
SPECS += [("_k_ushr_4s", 0x6F000420 | (v << 16), ("v1",), 0, (64 - v,)) for v in range(33, 64)]
SPECS += [("_k_sli_4s", 0x6F005420 | (v << 16), ("v0", "v1"), 0, (v - 32,)) for v in range(33, 64)]


@dataclass(frozen=True)
class Match:
    kernel: Kernel
    sources: tuple       # operand terms, in the kernel's argument order
    output: int
    params: tuple = ()


@dataclass(frozen=True)
class _Template:
    kernel: Kernel
    term: BV
    placeholders: tuple  # in the kernel's argument order
    walk_order: tuple    # the placeholders in the order ``_walk`` meets them
    output: int
    params: tuple        # constants the kernel takes after the operands' limbs


def _walk(t: BV, limit: int):
    """(operator counts, variables in first-met order) of ``t``'s DAG, or ``None`` past
    ``limit`` nodes.  In a block every register an instruction reads is a variable
    (``concrete._cut``), so an instruction's operands are among them."""
    counts: Counter = Counter()
    sources, queued, stack = [], {t}, [t]
    while stack:
        u = stack.pop()
        if u.op == "var":
            sources.append(u)
        else:
            counts[u.op] += 1
            fresh = [a for a in dict.fromkeys(reversed(u.args)) if a not in queued]
            queued.update(fresh)
            stack += fresh
            if len(queued) > limit:
                return None
    return frozenset(counts.items()), tuple(sources)


_templates: dict = {}        # fingerprint -> templates
_limit = [0]
_matches: dict = {}


def _build_templates() -> None:
    for name, word, operands, output, *params in SPECS:
        summary = lift(word, 0).writes["v0"]
        holes = tuple(var(f"_kernel{i}", 128) for i in range(len(operands)))
        mapping = {var(r, 128): h for r, h in zip(operands, holes)}
        term = substitute(summary, mapping)
        walked = _walk(term, 1 << 20)
        fingerprint, order = walked
        _templates.setdefault((fingerprint, len(order)), []).append(
            _Template(KERNELS[name], term, holes, order, output, params[0] if params else ()))
        _limit[0] = max(_limit[0], sum(n for _, n in fingerprint) + len(order) + 1)


def match(t: BV) -> Match | None:
    """The kernel whose instruction summary ``t`` is, with its operands; else ``None``."""
    if t.width != 128 or t.op != "concat":
        return None
    if t in _matches:
        return _matches[t]
    if not _templates:
        _build_templates()
    if len(_matches) > 200_000:
        _matches.clear()
    found = None
    walked = _walk(t, _limit[0])
    if walked is not None:
        fingerprint, sources = walked
        for tpl in _templates.get((fingerprint, len(sources)), ()):
            found = _try(tpl, t, sources)
            if found:
                break
    _matches[t] = found
    return found


def _try(tpl: _Template, t: BV, sources: tuple) -> Match | None:
    for perm in permutations(sources):           # the walk's own order first
        mapping = dict(zip(tpl.walk_order, perm))
        if substitute(tpl.term, mapping) is t:
            return Match(tpl.kernel, tuple(mapping[h] for h in tpl.placeholders), tpl.output,
                         tpl.params)
    return None
