"""Shared fixtures.  Tools (QEMU, the cross compiler, the OpenSSL objects) are
skipped when absent on a developer machine, but a missing tool is a failure
when ``LNSYM_REQUIRE_TOOLS=1`` or ``CI=true``: CI must run those tests."""
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


@pytest.fixture
def qemu():
    return need_tool("qemu-aarch64")


@pytest.fixture
def cross_gcc():
    return need_tool("aarch64-linux-gnu-gcc")


@pytest.fixture(scope="session")
def openssl_lib():
    """The cached OpenSSL arm64 ``libcrypto.a`` (``make openssl`` fetches it)."""
    from lnsym import targets
    from lnsym.errors import UserError
    try:
        path = targets.openssl_archive(fetch=False)
    except UserError:
        path = None
    need(path is not None, "the OpenSSL arm64 libcrypto.a (make openssl)")
    return path
