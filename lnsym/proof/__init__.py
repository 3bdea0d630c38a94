"""The proof API: routine proofs (``routine``), goals and proof steps (``goal``),
cached lemmas (``lemma``), sessions with cut points (``session``), readable
counterexamples (``cex``) and the services they borrow from above (``replay``).

``lnsym.proof`` re-exports the routine-proof names, as the 0.1 module did
(resolved on first use, so importing ``lnsym.proof.replay`` stays light)."""
from __future__ import annotations

import importlib

_ROUTINE_NAMES = {
    "CALLEE_SAVED", "RETURN", "STACK_BYTES", "TRUSTED_SEMANTICS", "Corollary", "Output",
    "ProofReport", "ProofSetupError", "RoutineProof", "Setup", "TwoCallProof",
    "differing_words", "image_regions", "le_bytes", "patched", "read_le",
}


def __getattr__(name):
    if name in _ROUTINE_NAMES:
        return getattr(importlib.import_module("lnsym.proof.routine"), name)
    raise AttributeError(f"module 'lnsym.proof' has no attribute {name!r}")
