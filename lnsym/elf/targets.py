"""The real targets: OpenSSL 3.0's AArch64 routines from Debian's ``libssl-dev:arm64``.

``fetch()`` downloads the package with apt *without* touching the system's
dpkg architectures or package lists: apt runs with a private state and cache
directory under the lnsym cache and ``APT::Architecture=arm64``, using the
host's sources (Debian serves arm64 from the same mirror).  The ``.deb`` is
unpacked in Python (``ar`` + ``data.tar.*``) and only ``libcrypto.a`` is kept,
at ``$XDG_CACHE_HOME/lnsym/openssl/libcrypto.a`` (default ``~/.cache/lnsym``),
next to ``stamp.json`` (package version, sha256).  Nothing is committed.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

from lnsym.elf.archive import Archive
from lnsym.errors import UserError

PACKAGE = "libssl-dev:arm64"
LIBCRYPTO_IN_DEB = "usr/lib/aarch64-linux-gnu/libcrypto.a"

# routine -> libcrypto.a member defining it (see /work/shared/targets/openssl-census.txt)
TARGET_ROUTINES = {
    "sha1_block_armv8": "libcrypto-lib-sha1-armv8.o",
    "sha256_block_armv8": "libcrypto-lib-sha256-armv8.o",
    "sha512_block_armv8": "libcrypto-lib-sha512-armv8.o",
    "aes_v8_set_encrypt_key": "libcrypto-lib-aesv8-armx.o",
    "aes_v8_encrypt": "libcrypto-lib-aesv8-armx.o",
    "gcm_init_v8": "libcrypto-lib-ghashv8-armx.o",
    "gcm_gmult_v8": "libcrypto-lib-ghashv8-armx.o",
    "gcm_ghash_v8": "libcrypto-lib-ghashv8-armx.o",
    "aes_gcm_enc_128_kernel": "libcrypto-lib-aes-gcm-armv8_64.o",
    "KeccakF1600_ce": "libcrypto-lib-keccak1600-armv8.o",
    "ChaCha20_neon": "libcrypto-lib-chacha-armv8.o",
    "sha256_block_data_order": "libcrypto-lib-sha256-armv8.o",
    "sha512_block_data_order": "libcrypto-lib-sha512-armv8.o",
}
# members holding hand-written AArch64 assembly (perlasm output)
ASM_MEMBER = re.compile(r"armv8|armx|arm64")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lnsym"


def archive_path() -> Path:
    return cache_dir() / "openssl" / "libcrypto.a"


def stamp_path() -> Path:
    return cache_dir() / "openssl" / "stamp.json"


def stamp() -> dict | None:
    try:
        return json.loads(stamp_path().read_text())
    except (OSError, ValueError):
        return None


def openssl_archive(fetch: bool = False, progress=None) -> Path:
    """The path of the cached ``libcrypto.a`` (downloading it first if ``fetch``)."""
    path = archive_path()
    if path.is_file() and stamp() is not None:
        return path
    if fetch:
        return fetch_openssl(progress)
    raise UserError(f"the OpenSSL arm64 objects are not in {path.parent}; "
                    f"run 'make openssl' or 'lnsym targets --fetch'")


def member_spec(member: str) -> str:
    """``<cache>/libcrypto.a:member.o``, for ``lnsym.elf.load_image``."""
    return f"{openssl_archive()}:{member}"


def routine_spec(routine: str) -> str:
    """The load spec of the member defining one of ``TARGET_ROUTINES``."""
    if routine not in TARGET_ROUTINES:
        raise UserError(f"{routine!r} is not a known target routine "
                        f"(known: {', '.join(TARGET_ROUTINES)})")
    return member_spec(TARGET_ROUTINES[routine])


# -- fetching -----------------------------------------------------------------------------

def _apt(args: list[str], apt_dir: Path, cwd: Path) -> None:
    opts = ["-o", "APT::Architecture=arm64", "-o", "APT::Architectures::=arm64",
            "-o", f"Dir::State::Lists={apt_dir / 'lists'}",
            "-o", f"Dir::Cache={apt_dir / 'cache'}",
            "-o", "Dir::State::status=/dev/null", "-q"]
    if os.geteuid() == 0:
        opts += ["-o", "APT::Sandbox::User=root"]
    cmd = ["apt-get", *opts, *args]
    try:
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900)
    except FileNotFoundError:
        raise UserError("apt-get is not available, so the OpenSSL arm64 package cannot be "
                        "fetched; copy a libcrypto.a built for arm64 to "
                        f"{archive_path()}") from None
    if r.returncode != 0:
        lines = [ln for ln in (r.stderr + r.stdout).splitlines()
                 if ln.startswith(("E:", "Err"))] or (r.stderr or r.stdout).splitlines()[-1:]
        raise UserError(f"'apt-get {args[0]}' for {PACKAGE} failed: "
                        f"{' / '.join(lines) or 'exit status ' + str(r.returncode)}")


def _open_tar(member_name: str, data: bytes) -> tarfile.TarFile:
    if member_name.endswith((".xz", ".gz", ".bz2")) or member_name.endswith(".tar"):
        return tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    raise UserError(f"the package uses {member_name}, which Python's tarfile cannot read")


def unpack_deb(deb: Path) -> tuple[bytes, str]:
    """(libcrypto.a bytes, package version) from a ``libssl-dev`` ``.deb``."""
    ar = Archive(deb, deb.read_bytes())
    version = "unknown"
    control = next((n for n in ar.names() if n.startswith("control.tar")), None)
    if control is not None:
        with _open_tar(control, ar.member(control).data) as t:
            for m in t.getmembers():
                if m.name.lstrip("./") == "control":
                    text = t.extractfile(m).read().decode("utf-8", "replace")
                    found = re.search(r"^Version:\s*(\S+)", text, re.M)
                    version = found.group(1) if found else version
    data = next((n for n in ar.names() if n.startswith("data.tar")), None)
    if data is None:
        raise UserError(f"{deb} has no data.tar member; it is not a Debian package")
    with _open_tar(data, ar.member(data).data) as t:
        for m in t.getmembers():
            if m.name.lstrip("./") == LIBCRYPTO_IN_DEB:
                return t.extractfile(m).read(), version
    raise UserError(f"{deb} does not contain {LIBCRYPTO_IN_DEB}")


def fetch_openssl(progress=None) -> Path:
    say = progress or (lambda msg: None)
    apt_dir = cache_dir() / "apt"
    for d in ("lists/partial", "cache/archives/partial", "debs"):
        (apt_dir / d).mkdir(parents=True, exist_ok=True)
    say(f"updating arm64 package lists (private, in {apt_dir})")
    _apt(["update"], apt_dir, apt_dir)
    debs = apt_dir / "debs"
    for old in debs.glob("*.deb"):
        old.unlink()
    say(f"downloading {PACKAGE}")
    _apt(["download", PACKAGE], apt_dir, debs)
    found = sorted(debs.glob("libssl-dev_*_arm64.deb"))
    if not found:
        raise UserError(f"apt-get download {PACKAGE} produced no .deb in {debs}")
    blob, version = unpack_deb(found[-1])
    target = archive_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".a.tmp")
    tmp.write_bytes(blob)
    os.replace(tmp, target)
    info = {"package": PACKAGE, "version": version, "deb": found[-1].name,
            "sha256": hashlib.sha256(blob).hexdigest(), "size": len(blob)}
    stamp_path().write_text(json.dumps(info, indent=1) + "\n")
    shutil.rmtree(debs, ignore_errors=True)
    say(f"kept {target} ({PACKAGE} {version})")
    return target
