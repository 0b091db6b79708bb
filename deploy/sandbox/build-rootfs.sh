#!/bin/sh
# Offline sandbox image: a Debian minbase root filesystem for `docker import`.
# Usage: build-rootfs.sh ROOTFS_DIR MIRROR_URL [SUITE]
# The suite picks the CPython: bullseye 3.9, bookworm 3.11 (default), trixie 3.13.
set -eu
rootfs="$1"
mirror="$2"
suite="${3:-bookworm}"

debootstrap --variant=minbase \
    --include=python3,python-is-python3,python3-pip,python3-venv,python3-pytest,git,patch,make,ca-certificates \
    "$suite" "$rootfs" "$mirror"

chroot "$rootfs" groupadd --gid 10001 sandbox
chroot "$rootfs" useradd --uid 10001 --gid 10001 --home-dir /workspace --no-create-home \
    --shell /bin/sh sandbox
mkdir -p "$rootfs/workspace"
chown 10001:10001 "$rootfs/workspace"

# Smaller image: no package caches, lists, docs, manuals or translations are needed to run tests.
rm -rf "$rootfs/var/cache/apt/"* "$rootfs/var/lib/apt/lists/"* "$rootfs/var/log/"* \
    "$rootfs/usr/share/doc/"* "$rootfs/usr/share/man/"* "$rootfs/usr/share/info/"* \
    "$rootfs/usr/share/locale/"* "$rootfs/usr/share/lintian" "$rootfs/tmp/"*
find "$rootfs/usr/lib/python3" -name __pycache__ -prune -exec rm -rf {} +
# Precompile so each sandboxed run does not recompile the standard library and pytest.
chroot "$rootfs" sh -c 'python3 -m compileall -q /usr/lib/python3 /usr/lib/python3.*' \
    >/dev/null 2>&1 || true
