"""Tool requirements for tests: skip on a developer machine without the tool,
fail when ``LNSYM_REQUIRE_TOOLS=1`` or ``CI=true`` (CI must run those tests)."""
from __future__ import annotations

import os
import shutil

import pytest


def tools_required() -> bool:
    return os.environ.get("LNSYM_REQUIRE_TOOLS") == "1" or os.environ.get("CI") == "true"


def need(condition: bool, what: str) -> None:
    """Skip (developer machine) or fail (CI) unless ``condition``."""
    if condition:
        return
    if tools_required():
        pytest.fail(f"{what} is required here (CI or LNSYM_REQUIRE_TOOLS=1) but missing; "
                    f"run 'make setup'")
    pytest.skip(f"{what} not available (run 'make setup')")


def need_tool(exe: str) -> str:
    path = shutil.which(exe)
    need(path is not None, exe)
    return path
