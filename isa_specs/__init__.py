"""AArch64 instruction semantics, one module per Arm encoding class.

Modules live in the sub-packages below (``dpi`` data processing (immediate),
``dpreg`` data processing (register), ``branch``, ``ldst`` loads and stores,
``simd`` Advanced SIMD and the crypto extensions); shared pseudocode lives in
``pseudocode``.  ``all_encodings()`` discovers every ``@encoding`` below.
"""
from __future__ import annotations

import importlib
import pkgutil

CLASS_PACKAGES = ("dpi", "dpreg", "branch", "ldst", "simd", "system")


def instruction_modules() -> list:
    mods = []
    for pkg_name in CLASS_PACKAGES:
        try:
            pkg = importlib.import_module(f"{__name__}.{pkg_name}")
        except ModuleNotFoundError:
            continue
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
            mods.append(importlib.import_module(f"{pkg.__name__}.{info.name}"))
    return mods


def all_encodings() -> list:
    from .encoding import encodings_of
    out = []
    for m in instruction_modules():
        out.extend(encodings_of(m))
    return out
