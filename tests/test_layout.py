"""The package layout: the core never imports its users; old import paths still work."""
import ast
import importlib
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE_PACKAGES = ["terms", "elf", "machine", "backends", "prover", "proof", "safety"]
ROOT_MODULES = {"__init__.py", "__main__.py", "errors.py", "numbers.py"}
USERS = ("conformance", "proofs")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def core_files():
    for pkg in CORE_PACKAGES:
        yield from sorted((ROOT / "lnsym" / pkg).rglob("*.py"))
    for name in ROOT_MODULES:
        yield ROOT / "lnsym" / name


def test_core_never_imports_conformance_or_proofs():
    bad = [f"{p.relative_to(ROOT)}:{line} imports {mod}"
           for p in core_files() for line, mod in imported_modules(p)
           if mod.split(".")[0] in USERS]
    assert bad == []


def test_core_has_no_relative_imports():
    """Absolute imports only, so a module's dependencies read the same wherever it lives."""
    bad = []
    for p in sorted((ROOT / "lnsym").rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                bad.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert bad == []


def test_package_root_holds_only_cross_cutting_modules():
    assert {p.name for p in (ROOT / "lnsym").glob("*.py")} <= ROOT_MODULES


def test_import_rule_is_checked_by_this_test():
    """The checker itself sees a forbidden import (so the rule can fail)."""
    fake = ROOT / "tests" / "_layout_probe.py"
    fake.write_text("from conformance.trace import record\n")
    try:
        assert [m for _, m in imported_modules(fake)] == ["conformance.trace"]
    finally:
        fake.unlink()


@pytest.mark.parametrize("old, new", [
    ("lnsym.bv", "lnsym.terms.bv"), ("lnsym.symbolic", "lnsym.backends.symbolic"),
    ("lnsym.lift", "lnsym.machine.lift"), ("lnsym.goal", "lnsym.proof.goal"),
    ("lnsym.commands.prove", "lnsym.cli.commands.prove"),
])
def test_old_module_paths_alias_the_new_ones(old, new):
    sys.modules.pop(old, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mod = importlib.import_module(old)
    assert mod is importlib.import_module(new)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_old_package_paths_reexport():
    from lnsym.elf import load_image
    from lnsym.elf.image import load_image as new_load
    from lnsym.proof import RoutineProof
    from lnsym.proof.routine import RoutineProof as new_proof
    assert load_image is new_load and RoutineProof is new_proof
