#!/bin/sh
# Print the path of a headless-capable Chromium; install Debian's package only
# when none is present (tests must not touch the system otherwise).
set -eu
for c in chromium chromium-browser; do
    if p=$(command -v "$c" 2>/dev/null); then
        echo "$p"
        exit 0
    fi
done
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium is missing and cannot be installed here (need root + apt-get)" >&2
    exit 1
fi
echo "installing Debian's chromium (once)" >&2
export DEBIAN_FRONTEND=noninteractive
# The lock: other tests may install packages at the same time (ctest -j).
flock -w 900 /tmp/chunkbench-apt.lock apt-get update -qq >&2
flock -w 900 /tmp/chunkbench-apt.lock apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends chromium fonts-dejavu-core >&2
command -v chromium
