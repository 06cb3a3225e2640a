#!/usr/bin/env bash
# Build (or reuse) a minimal Debian root for the second-stack test, from
# Debian's own packages: debootstrap --variant=minbase with what building
# chunkbench and its core and read tests need.
#   make_root.sh RELEASE DIR
# Exit 0 with DIR/.chunkbench-root-ok when the root is ready (a second call
# reuses it), 77 when this host cannot run debootstrap or chroot at all.
set -euo pipefail
release=$1 dir=$2
pkgs=libhdf5-openmpi-dev,openmpi-bin,libopenmpi-dev,cmake,gcc,libc6-dev,make,pkg-config,libcjson-dev,libcurl4-openssl-dev,libssl-dev,python3,python3-h5py,python3-numpy,strace,procps,nginx-light,curl
stamp=$dir/.chunkbench-root-ok
# The stamp names the package list, so a changed list builds a new root.
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$release $pkgs" ]; then
    echo "reusing the $release root in $dir"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: building a $release root needs root (debootstrap, chroot); running as $(id -un)"
    exit 77
fi
if ! command -v debootstrap >/dev/null; then
    echo "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 debootstrap >/dev/null ||
        { echo "SKIP: debootstrap is not installed and cannot be installed"; exit 77; }
fi
if ! chroot / true 2>/dev/null; then
    echo "SKIP: this host cannot chroot (no CAP_SYS_CHROOT?)"
    exit 77
fi
# The mirror apt already uses (deb822 or one-line sources).
mirror=$(grep -hoE '^URIs: *[^ ]+' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 | sed 's/^URIs: *//' || true)
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb +(\[[^]]*\] +)?[^ ]+' /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 | awk '{print $NF}' || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
rm -rf "$dir"
mkdir -p "$dir"
echo "building a $release root in $dir from $mirror (about 1-2 minutes)"
t0=$(date +%s)
# debootstrap may end with a package left unconfigured (libltdl-dev on trixie);
# apt-get -f install finishes the job, so its status is not final.
debootstrap --variant=minbase --include="$pkgs" "$release" "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 ||
    echo "debootstrap ended with status $? (see $dir.debootstrap.log); finishing with apt-get -f install"
[ -x "$dir/usr/bin/apt-get" ] || { echo "FAIL: debootstrap made no usable root (see $dir.debootstrap.log)"; exit 1; }
DEBIAN_FRONTEND=noninteractive chroot "$dir" apt-get -f install -y -qq >>"$dir.debootstrap.log" 2>&1 ||
    { echo "FAIL: apt-get -f install in the root failed (see $dir.debootstrap.log)"; exit 1; }
chroot "$dir" dpkg --audit | grep -q . && { echo "FAIL: packages left unconfigured in the root"; exit 1; }
# debootstrap leaves its own /debootstrap behind when it ends early, and a
# debootstrap run inside the root then takes itself for a second stage there
# ("No such script: /debootstrap/scripts/sid"): this root may build the next.
rm -rf "$dir/debootstrap"
chroot "$dir" apt-get clean
echo "$release $pkgs" >"$stamp"
echo "root ready in $(( $(date +%s) - t0 )) s"
