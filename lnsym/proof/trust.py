"""What a proof report rests on and what it leaves open.

``TRUSTED_SEMANTICS`` and ``MACHINE_ASSUMPTIONS`` are printed in every trusted
base (extend the assumptions by appending); ``machine_model_trust`` adds the
parts of the machine model a run relied on (PAuth mode, the return-address
precondition, the exclusive monitor); ``unstated_effects`` says in words what a
statement does not constrain, so a PROVED that says little is seen as such.
"""
from __future__ import annotations

from lnsym.backends.symbolic import SymState

TRUSTED_SEMANTICS = ("isa_specs instruction semantics (conformance: lnsym conform / "
                     "lnsym trace against QEMU)")


MACHINE_ASSUMPTIONS = [
    "machine: one thread; no other observer or writer of memory during the call",
    ("machine: asynchronous exceptions and signals observe and change nothing but memory "
     "below SP, which the routine never accesses (AAPCS64 has no red zone; checked at every "
     "instruction)"),
    ("machine: code is not modified during the call (a store to an executable segment stops "
     "the run)"),
    ("machine: caches, speculation and timing are not modelled (PSTATE.DIT is not required "
     "by the functional statement; a constant-time line says when it is)"),
    ("machine: the object is placed and relocated as lnsym's loader does (lnsym/elf), "
     "standing for the system linker"),
]



PAUTH_TRUST = {
    "on": ("pointer authentication: FEAT_PAuth enabled with unknown keys (ComputePAC "
           "uninterpreted; user-mode Linux layout: 48-bit VA, TBI0; no PAuth2/FPAC, as "
           "QEMU 7.2 -cpu max)"),
    "off": "pointer authentication: absent (pauth=off: the PAC hint instructions are NOPs)",
}


def machine_model_trust(st: SymState) -> list:
    """Trusted-base lines for the parts of the machine model a run relied on."""
    lines = [PAUTH_TRUST[st.pauth],
             "preconditions: x30 holds a user-space return address (bits 63:48 zero)"]
    if st.exclusive_stores:
        lines.append("exclusive monitor: a store-exclusive that matches its load-exclusive "
                     "succeeds (an exception return between them, e.g. a preemption, which "
                     "clears the monitor on hardware, is not modelled)")
    return lines


def unstated_effects(st: SymState, postcondition: list, may_change) -> list:
    """What a proof's statement leaves unconstrained, in words: an empty
    postcondition, and bytes of a may-change region the run wrote that no
    output covers (their final value is then not part of what is proved)."""
    notes = []
    if not postcondition:
        notes.append("the postcondition is empty: only the frame is proved")
    covered: dict = {}
    for o in postcondition:
        if o.where[0] == "mem":
            _, region, off, size = o.where
            covered.setdefault(region, set()).update(range(off, off + size))
    for r in st.mem.regions:
        if r.name not in may_change:
            continue
        loose = sorted(off for off, b in r.bytes.items()
                       if off not in covered.get(r.name, ()) and b is not r.initial(off))
        if loose:
            notes.append(f"{len(loose)} byte(s) of {r.name!r} written by the routine are not "
                         f"constrained by the postcondition (offsets {_ranges(loose)})")
    return notes


def _ranges(offsets: list) -> str:
    runs, start = [], offsets[0]
    for a, b in zip(offsets, offsets[1:] + [None]):
        if b != a + 1:
            runs.append(f"{start:#x}" if start == a else f"{start:#x}..{a:#x}")
            start = b
    return ", ".join(runs[:8]) + (" ..." if len(runs) > 8 else "")
