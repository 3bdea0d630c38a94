"""Per-class constraints for the random instruction generator.

The generator fills every field of an encoding diagram at random; the rules
here keep the cases meaningful and runnable inside the harness.  They are
keyed by module name (``fnmatch`` patterns over the full module name, e.g.
``isa_specs.branch.*``) and applied in this order:

1. ``FIELD_RULES``: a chooser per field name for the matching modules,
   ``rng -> value`` (the raw field value).  Branch immediates (``imm26``,
   ``imm19``, ``imm14``) stay within ``PAD`` instructions and are never 0 (a
   branch to itself would never reach a landing slot); load/store offsets
   (``imm12``) stay small so the access lands in the 4 KiB scratch buffer;
   a literal load's ``imm19`` stays inside the landing pad.
2. ``WORD_RULES``: a predicate on the decoded fields; a word failing it is
   redrawn.  Loads and stores never use the same register as base and as
   transfer register (CONSTRAINED UNPREDICTABLE with writeback), nor the
   same register twice in a load pair.
3. Inferred from the instruction's lifted summary (generic, for every class):
   - X28 is the harness's state pointer: a word whose semantics read or
     write x28 is redrawn;
   - every register in a memory address: the base (the ``Rn`` register or
     SP) points into the scratch buffer, 16-byte aligned, at
     ``SCRATCH_BASE + 1536 .. 2560``; other registers in the address (index
     registers) get small values;
   - every register the next PC depends on (BR, BLR, RET ...) holds the
     address of a landing slot ``entry + 4 k``, 0 < |k| <= PAD;
   - an instruction that may branch, or reads memory relative to the PC,
     is placed in a landing pad of ``PAD`` slots on each side.
   SP always points into the scratch buffer (16-byte aligned).
4. ``PRELUDES``: instructions the harness runs just before the one under
   test (the model runs only the instruction).  A store-exclusive is
   preceded by a load-exclusive of the same size from the same address into
   X28 (the harness register, free at that point), so the exclusive monitor
   is armed: without it the Arm ARM lets the store fail (QEMU's does), while
   lnsym models a single thread whose store-exclusives always succeed.
5. ``STATE_RULES``: adjustments of the random input registers after the
   generic ones, ``fn(rng, fields, x, sp, read)`` where ``read(addr, n)`` is
   the little-endian value of the scratch buffer's initial bytes.  A
   compare-and-swap gets, half of the time, a compare value equal to the
   memory it addresses, so the swap really happens.
6. ``EXCLUDED``: encodings not checked, each with the reason (e.g. a known
   QEMU deviation, or an instruction that would break the harness); the
   report lists them.
"""
from __future__ import annotations

import fnmatch

PAD = 100            # landing slots on each side of a branching instruction
BRANCH_REACH = 90    # largest |offset| (instructions) given to branches and literal loads
REG_FIELDS = ("Rt", "Rt2", "Rs")


def _signed(width: int, lo: int, hi: int, nonzero: bool):
    def choose(rng):
        while True:
            v = rng.randint(lo, hi)
            if v or not nonzero:
                return v & ((1 << width) - 1)
    return choose


def _small_unsigned(limit: int):
    return lambda rng: rng.randrange(limit)


FIELD_RULES = {
    "isa_specs.branch.*": {
        "imm26": _signed(26, -BRANCH_REACH, BRANCH_REACH, True),
        "imm19": _signed(19, -BRANCH_REACH, BRANCH_REACH, True),
        "imm14": _signed(14, -BRANCH_REACH, BRANCH_REACH, True),
    },
    "isa_specs.system.sysreg_move": {      # NZCV only: see _nzcv_only
        "o0": lambda rng: 1, "op1": lambda rng: 3, "CRn": lambda rng: 4,
        "CRm": lambda rng: 2, "op2": lambda rng: 0,
    },
    "isa_specs.ldst.*": {
        "imm12": _small_unsigned(64),
        "imm19": _signed(19, -BRANCH_REACH, BRANCH_REACH - 4, False),
    },
}


def _distinct_transfer_and_base(f: dict) -> bool:
    n = f.get("Rn")
    if n is not None and n != 31 and any(f.get(r) == n for r in REG_FIELDS):
        return False
    return not ("Rt" in f and "Rt2" in f and f["Rt"] == f["Rt2"])


def _nzcv_only(f: dict) -> bool:
    # MRS/MSR of NZCV only (op0=3 op1=3 CRn=4 CRm=2 op2=0): moves of FPCR, TPIDR_EL0 ...
    # would change the harness's own state, whatever lnsym models.
    return (f["o0"], f["op1"], f["CRn"], f["CRm"], f["op2"]) == (1, 3, 4, 2, 0)


WORD_RULES = {
    "isa_specs.ldst.*": [_distinct_transfer_and_base],
    "isa_specs.system.sysreg_move": [lambda f: "o0" not in f or _nzcv_only(f)],
}

def _ldxr_prelude(f: dict) -> list:
    # LDXR{B,H} / LDXR W28|X28, [Xn]: size 001000 0 1 0 11111 0 11111 Rn Rt
    return [(f["size"] << 30) | (0b001000010 << 21) | (0x1F << 16) | (0x1F << 10)
            | (f["Rn"] << 5) | 28]


def _ldxp_prelude(f: dict) -> list:
    # LDXP X28|W28, XZR|WZR, [Xn]: 1 sz 001000011 11111 0 Rt2 Rn Rt
    return [(1 << 31) | (f["sz"] << 30) | (0b001000011 << 21) | (0x1F << 16) | (0x1F << 10)
            | (f["Rn"] << 5) | 28]


PRELUDES = {
    "isa_specs.ldst.ldst_exclusive:decode_store_exclusive": _ldxr_prelude,
    "isa_specs.ldst.ldst_exclusive:decode_store_exclusive_pair": _ldxp_prelude,
}


def prelude(module: str, name: str, fields: dict) -> list:
    fn = PRELUDES.get(f"{module}:{name}")
    return fn(fields) if fn else []


def _cas_matches(rng, f, x, sp, read):
    if rng.random() < 0.5:
        return
    base = sp if f["Rn"] == 31 else x[f["Rn"]]
    if "size" in f:                                 # CAS{B,H,}: one register
        if f["Rs"] != 31:
            x[f["Rs"]] = read(base, 1 << f["size"])
        return
    n = 4 << f["sz"]                                # CASP: an even register pair
    if f["Rs"] < 30:
        x[f["Rs"]] = read(base, n)
        x[f["Rs"] + 1] = read(base + n, n)


STATE_RULES = {
    "isa_specs.ldst.atomic_cas": _cas_matches,
}


def adjust_state(module: str, rng, fields: dict, x: list, sp: int, read) -> None:
    for fn in _match(STATE_RULES, module):
        fn(rng, fields, x, sp, read)


# "module" or "module:encoding" -> reason.  Matched with fnmatch.
EXCLUDED: dict[str, str] = {
    "isa_specs.system.*exception*": "SVC/HVC/SMC/BRK/HLT trap to the OS; not runnable in the harness",
    "isa_specs.system.sysreg_move:decode_msr_imm": "PSTATE writes (DAIF, SPSel ...) would change the harness's own state",
    "isa_specs.system.sysreg_move:decode_sys": "SYS (DC, IC, TLBI ...) acts on caches and memory outside the scratch buffer",
}


def _match(pattern_map: dict, module: str):
    for pat, v in pattern_map.items():
        if fnmatch.fnmatchcase(module, pat):
            yield v


def field_choosers(module: str) -> dict:
    out = {}
    for rules in _match(FIELD_RULES, module):
        out.update(rules)
    return out


def word_rules(module: str) -> list:
    out = []
    for rules in _match(WORD_RULES, module):
        out.extend(rules)
    return out


def exclusion(module: str, name: str) -> str | None:
    """The reason an encoding is not checked, or None."""
    for key, reason in EXCLUDED.items():
        if ":" in key:
            mpat, epat = key.split(":", 1)
            if fnmatch.fnmatchcase(module, mpat) and fnmatch.fnmatchcase(name, epat):
                return reason
        elif fnmatch.fnmatchcase(module, key):
            return reason
    return None
