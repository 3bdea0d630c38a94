"""Fixtures for running the OpenSSL target routines: ``routine_image(name)`` loads
the archive member defining ``name`` from the cached ``libcrypto.a``."""
from __future__ import annotations

import pytest

from lnsym.elf.image import load_image
from lnsym.elf.targets import TARGET_ROUTINES


@pytest.fixture
def routine_image(openssl_lib):
    def load(name: str):
        return load_image(f"{openssl_lib}:{TARGET_ROUTINES[name]}")
    return load
