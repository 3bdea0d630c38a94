"""The lemma cache: where proven lemmas are kept, and how far they are trusted.

An entry (``<cache>/<key>.json``, written by ``lnsym.proof.lemma.Lemma.prove``)
carries an HMAC-SHA256 of its key, statement hash, status and methods under a
random key local to the cache (``<cache>/.key``, mode 0600, made on first
use); an entry whose HMAC does not check is ignored.  The HMAC stops
forgeries by whoever cannot read that key, not by the key's owner, so a
proof that used a cached lemma names the cache in its trusted base
(``lemmas_used`` records the lemmas a block of code used, ``cache_trust``
words the line), and ``set_cache_enabled(False)`` -- or
``LNSYM_NO_LEMMA_CACHE=1`` -- makes every lemma be proved afresh.
"""
from __future__ import annotations

import contextlib
import contextvars
import hashlib
import hmac
import json
import os
from pathlib import Path


def cache_dir() -> Path:
    """``$LNSYM_LEMMA_DIR`` if set (tests), else ``$XDG_CACHE_HOME/lnsym/lemmas``."""
    if os.environ.get("LNSYM_LEMMA_DIR"):
        return Path(os.environ["LNSYM_LEMMA_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lnsym" / "lemmas"


_cache_enabled = [True]
_used = contextvars.ContextVar("lnsym_lemmas_used", default=None)


def set_cache_enabled(enabled: bool) -> None:
    """Off: every lemma is proved afresh (the cache is still written)."""
    _cache_enabled[0] = bool(enabled)


def cache_enabled() -> bool:
    return _cache_enabled[0] and os.environ.get("LNSYM_NO_LEMMA_CACHE", "") in ("", "0")


@contextlib.contextmanager
def cache_disabled(disabled: bool = True):
    """Within the block, every lemma is proved afresh (when ``disabled``)."""
    before = _cache_enabled[0]
    if disabled:
        _cache_enabled[0] = False
    try:
        yield
    finally:
        _cache_enabled[0] = before


@contextlib.contextmanager
def lemmas_used():
    """Within the block, records every lemma proved or found in the cache: a list of
    (name, how, cached)."""
    record: list = []
    token = _used.set(record)
    try:
        yield record
    finally:
        _used.reset(token)


def cache_trust(used: list) -> list:
    """The trusted-base line for the cached lemmas in ``used`` (none: no line)."""
    names = sorted({name for name, _how, cached in used if cached})
    if not names:
        return []
    return [(f"lemma cache {cache_dir()}: {', '.join(names)} taken from it (entries "
             f"HMAC-checked with the local key and re-checked on random inputs, proved by an "
             f"earlier run of the same sources; lnsym prove --no-cache proves them afresh)")]


def _mac_key() -> bytes:
    path = cache_dir() / ".key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes()
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
        return path.read_bytes()


def entry_mac(rec: dict) -> str:
    body = json.dumps([rec.get("key"), rec.get("status"), rec.get("statement"),
                       rec.get("methods")], sort_keys=True).encode()
    return hmac.new(_mac_key(), body, hashlib.sha256).hexdigest()




def mac_matches(rec: dict) -> bool:
    return isinstance(rec.get("mac"), str) and hmac.compare_digest(rec["mac"], entry_mac(rec))


def record_use(name: str, how: str, cached: bool) -> None:
    record = _used.get()
    if record is not None:
        record.append((name, how, cached))
