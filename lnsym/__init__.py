"""lnsym: an Armv8-A (AArch64) symbolic simulator for cryptographic machine code.

The sub-packages follow the pipeline (README, "Architecture"):
``terms`` (bit-vector IR) -> ``elf`` (objects to bytes at addresses) ->
``machine`` (decode, lift) -> ``backends`` (concrete, symbolic) ->
``prover`` (normal forms, SAT/SMT) -> ``proof`` (routine proofs, goals,
lemmas) -> ``cli``.  The core never imports ``conformance`` or ``proofs``.

Until release 0.3 the flat module paths of 0.1 (``lnsym.bv``, ``lnsym.lift``,
``lnsym.symbolic``, ...) keep working as aliases of their new homes, with a
DeprecationWarning; ``lnsym.proof`` and ``lnsym.elf`` are packages that
re-export what those modules held.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

_MOVED = {
    "bv": "terms.bv", "evaluate": "terms.evaluate", "codegen": "terms.codegen",
    "smt": "terms.smt", "pretty": "terms.pretty",
    "elf_relocs": "elf.relocs", "archive": "elf.archive", "targets": "elf.targets",
    "decoder": "machine.decoder", "lift": "machine.lift", "asl": "machine.asl",
    "disasm": "machine.disasm", "memory": "machine.memory",
    "concrete": "backends.concrete", "symbolic": "backends.symbolic",
    "runner": "backends.runner", "snippet": "backends.snippet",
    "goal": "proof.goal", "lemma": "proof.lemma", "session": "proof.session",
    "cex": "proof.cex", "cliargs": "cli.args", "repl": "cli.repl",
    "commands": "cli.commands",
}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves ``lnsym.<old>`` (and ``lnsym.commands.<x>``) to the moved module."""

    @staticmethod
    def _target(fullname: str):
        if not fullname.startswith(__name__ + "."):
            return None
        rest = fullname[len(__name__) + 1:]
        head, _, tail = rest.partition(".")
        if head not in _MOVED:
            return None
        return f"{__name__}.{_MOVED[head]}" + (f".{tail}" if tail else "")

    def find_spec(self, fullname, path=None, target=None):
        if self._target(fullname) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        new = self._target(spec.name)
        warnings.warn(f"{spec.name} moved to {new}; the old path goes in lnsym 0.3",
                      DeprecationWarning, stacklevel=3)
        return importlib.import_module(new)

    def exec_module(self, module):
        pass


if not any(isinstance(f, _MovedModules) for f in sys.meta_path):
    sys.meta_path.insert(0, _MovedModules())
