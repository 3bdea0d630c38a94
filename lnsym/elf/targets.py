"""The real targets: AArch64 routines of production libraries, as Debian ships them.

Two libraries (``LIBRARIES``): OpenSSL 3.0's ``libcrypto.a`` from
``libssl-dev:arm64`` and libgcrypt 1.10's ``libgcrypt.a`` from
``libgcrypt20-dev:arm64``.  ``fetch()`` downloads a package with apt *without*
touching the system's dpkg architectures or package lists: apt runs with a
private state and cache directory under the lnsym cache and
``APT::Architecture=arm64``, using the host's sources (Debian serves arm64 from
the same mirror).  The ``.deb`` is unpacked in Python (``ar`` + ``data.tar.*``)
and only the static library is kept, at ``$XDG_CACHE_HOME/lnsym/<library>/``
(default ``~/.cache/lnsym``), next to ``stamp.json`` (package version, sha256).
Nothing is committed.
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
from dataclasses import dataclass
from pathlib import Path

from lnsym.elf.archive import Archive
from lnsym.errors import UserError


@dataclass(frozen=True)
class Library:
    name: str               # "openssl": the --library value and the cache directory
    title: str              # "OpenSSL", for messages
    package: str            # the Debian package holding the static library
    in_deb: str             # the library's path inside the package
    routines: dict          # routine -> member defining it (the proof and test targets)
    asm_member: re.Pattern  # members holding hand-written AArch64 assembly

    @property
    def archive_name(self) -> str:
        return os.path.basename(self.in_deb)

    @property
    def deb_prefix(self) -> str:
        return self.package.split(":")[0] + "_"


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

# routine -> libgcrypt.a member (libgcrypt 1.10's cipher/*-aarch64*.S)
LIBGCRYPT_ROUTINES = {
    "_gcry_sha256_transform_armv8_ce": "sha256-armv8-aarch64-ce.o",
    "_gcry_sha1_transform_armv8_ce": "sha1-armv8-aarch64-ce.o",
    "_gcry_aes_enc_armv8_ce": "rijndael-armv8-aarch64-ce.o",
    "_gcry_aes_dec_armv8_ce": "rijndael-armv8-aarch64-ce.o",
    "_gcry_aes_ctr_enc_armv8_ce": "rijndael-armv8-aarch64-ce.o",
    "_gcry_ghash_setup_armv8_ce_pmull": "cipher-gcm-armv8-aarch64-ce.o",
    "_gcry_ghash_armv8_ce_pmull": "cipher-gcm-armv8-aarch64-ce.o",
}

LIBRARIES = {
    "openssl": Library("openssl", "OpenSSL", "libssl-dev:arm64",
                       "usr/lib/aarch64-linux-gnu/libcrypto.a", TARGET_ROUTINES, ASM_MEMBER),
    "libgcrypt": Library("libgcrypt", "libgcrypt", "libgcrypt20-dev:arm64",
                         "usr/lib/aarch64-linux-gnu/libgcrypt.a", LIBGCRYPT_ROUTINES,
                         re.compile(r"aarch64")),
}
PACKAGE = LIBRARIES["openssl"].package
LIBCRYPTO_IN_DEB = LIBRARIES["openssl"].in_deb


def library(name: str = "openssl") -> Library:
    if name not in LIBRARIES:
        raise UserError(f"no library named {name!r} (known: {', '.join(LIBRARIES)})")
    return LIBRARIES[name]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lnsym"


def archive_path(lib: str = "openssl") -> Path:
    return cache_dir() / lib / library(lib).archive_name


def stamp_path(lib: str = "openssl") -> Path:
    return cache_dir() / lib / "stamp.json"


def stamp(lib: str = "openssl") -> dict | None:
    try:
        return json.loads(stamp_path(lib).read_text())
    except (OSError, ValueError):
        return None


def library_archive(lib: str = "openssl", fetch: bool = False, progress=None) -> Path:
    """The path of a library's cached static archive (downloading it first if ``fetch``)."""
    path = archive_path(lib)
    if path.is_file() and stamp(lib) is not None:
        return path
    if fetch:
        return fetch_library(lib, progress)
    hint = f"make {lib}"
    fetch_cmd = "lnsym targets --fetch" if lib == "openssl" else \
        f"lnsym targets --library {lib} --fetch"
    raise UserError(f"the {library(lib).title} arm64 objects are not in {path.parent}; "
                    f"run '{hint}' or '{fetch_cmd}'")


def openssl_archive(fetch: bool = False, progress=None) -> Path:
    """The path of the cached ``libcrypto.a`` (downloading it first if ``fetch``)."""
    return library_archive("openssl", fetch, progress)


def member_spec(member: str, lib: str = "openssl") -> str:
    """``<cache>/<library>.a:member.o``, for ``lnsym.elf.load_image``."""
    return f"{library_archive(lib)}:{member}"


def find_routine(routine: str) -> tuple[str, str] | None:
    """(library, member) of a known target routine, or None."""
    for lib in LIBRARIES.values():
        if routine in lib.routines:
            return lib.name, lib.routines[routine]
    return None


def routine_spec(routine: str) -> str:
    """The load spec of the member defining one of the libraries' target routines."""
    found = find_routine(routine)
    if found is None:
        known = [r for lib in LIBRARIES.values() for r in lib.routines]
        raise UserError(f"{routine!r} is not a known target routine "
                        f"(known: {', '.join(known)})")
    return member_spec(found[1], found[0])


# -- fetching -----------------------------------------------------------------------------

def _apt(args: list[str], apt_dir: Path, cwd: Path, lib: Library) -> None:
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
        raise UserError(f"apt-get is not available, so the {lib.title} arm64 package cannot "
                        f"be fetched; copy a {lib.archive_name} built for arm64 to "
                        f"{archive_path(lib.name)}") from None
    if r.returncode != 0:
        lines = [ln for ln in (r.stderr + r.stdout).splitlines()
                 if ln.startswith(("E:", "Err"))] or (r.stderr or r.stdout).splitlines()[-1:]
        raise UserError(f"'apt-get {args[0]}' for {lib.package} failed: "
                        f"{' / '.join(lines) or 'exit status ' + str(r.returncode)}")


def _open_tar(member_name: str, data: bytes) -> tarfile.TarFile:
    if member_name.endswith((".xz", ".gz", ".bz2")) or member_name.endswith(".tar"):
        return tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    raise UserError(f"the package uses {member_name}, which Python's tarfile cannot read")


def unpack_deb(deb: Path, in_deb: str = LIBCRYPTO_IN_DEB) -> tuple[bytes, str]:
    """(bytes of the file ``in_deb``, package version) from a ``.deb``."""
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
            if m.name.lstrip("./") == in_deb:
                return t.extractfile(m).read(), version
    raise UserError(f"{deb} does not contain {in_deb}")


def fetch_openssl(progress=None) -> Path:
    return fetch_library("openssl", progress)


def fetch_library(name: str = "openssl", progress=None) -> Path:
    """Download a library's package (private apt state) and keep its static archive."""
    lib = library(name)
    say = progress or (lambda msg: None)
    apt_dir = cache_dir() / "apt"
    for d in ("lists/partial", "cache/archives/partial"):
        (apt_dir / d).mkdir(parents=True, exist_ok=True)
    say(f"updating arm64 package lists (private, in {apt_dir})")
    _apt(["update"], apt_dir, apt_dir, lib)
    debs = apt_dir / f"debs-{lib.name}"
    shutil.rmtree(debs, ignore_errors=True)
    debs.mkdir(parents=True)
    say(f"downloading {lib.package}")
    _apt(["download", lib.package], apt_dir, debs, lib)
    found = sorted(debs.glob(f"{lib.deb_prefix}*_arm64.deb"))
    if not found:
        raise UserError(f"apt-get download {lib.package} produced no .deb in {debs}")
    blob, version = unpack_deb(found[-1], lib.in_deb)
    target = archive_path(lib.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".a.tmp")
    tmp.write_bytes(blob)
    os.replace(tmp, target)
    info = {"package": lib.package, "version": version, "deb": found[-1].name,
            "sha256": hashlib.sha256(blob).hexdigest(), "size": len(blob)}
    stamp_path(lib.name).write_text(json.dumps(info, indent=1) + "\n")
    shutil.rmtree(debs, ignore_errors=True)
    say(f"kept {target} ({lib.package} {version})")
    return target
