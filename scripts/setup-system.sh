#!/usr/bin/env bash
# System prerequisites for lnsym on Debian/Ubuntu: QEMU user mode, the AArch64
# cross toolchain (gcc, as, objdump) and python3 venv support.
# Quiet and exit 0 when everything is present; installs what is missing when
# run as root; otherwise prints the exact command to run and exits 1.
set -euo pipefail

missing=()
have() { command -v "$1" >/dev/null 2>&1; }

have qemu-aarch64 || missing+=(qemu-user)
have aarch64-linux-gnu-objdump && have aarch64-linux-gnu-as || missing+=(binutils-aarch64-linux-gnu)
have aarch64-linux-gnu-gcc || missing+=(gcc-aarch64-linux-gnu)
PY=${PY:-python3}
if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    missing+=(python3-venv)
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if ! have apt-get; then
    echo "setup-system: missing ${missing[*]} and apt-get is not available;" \
         "install the equivalents with your package manager." >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    echo "setup-system: installing ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    exit 0
fi

echo "setup-system: missing system packages; run:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
exit 1
