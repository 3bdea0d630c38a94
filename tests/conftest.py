"""Shared fixtures.  Tools (QEMU, the cross compiler, the OpenSSL objects) are
skipped when absent on a developer machine, but a missing tool is a failure
when ``LNSYM_REQUIRE_TOOLS=1`` or ``CI=true``: CI must run those tests."""
from __future__ import annotations

import pytest
from tooling import need, need_tool, tools_required  # noqa: F401  (re-exported)


@pytest.fixture
def qemu():
    return need_tool("qemu-aarch64")


@pytest.fixture
def cross_gcc():
    return need_tool("aarch64-linux-gnu-gcc")


@pytest.fixture(scope="session")
def openssl_lib():
    """The cached OpenSSL arm64 ``libcrypto.a`` (``make openssl`` fetches it)."""
    from lnsym.elf import targets
    from lnsym.errors import UserError
    try:
        path = targets.openssl_archive(fetch=False)
    except UserError:
        path = None
    need(path is not None, "the OpenSSL arm64 libcrypto.a (make openssl)")
    return path


@pytest.fixture(scope="session")
def libgcrypt_lib():
    """The cached libgcrypt arm64 ``libgcrypt.a`` (``make libgcrypt`` fetches it)."""
    from lnsym.elf import targets
    from lnsym.errors import UserError
    try:
        path = targets.library_archive("libgcrypt")
    except UserError:
        path = None
    need(path is not None, "the libgcrypt arm64 libgcrypt.a (make libgcrypt)")
    return path
