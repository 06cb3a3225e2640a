#!/bin/bash
# Stop the S3 server that scripts/s3_up.sh DIR started: SIGTERM to its
# process group, a bounded wait, then SIGKILL. Only the PID recorded in
# DIR/moto.pid is used; DIR/env.sh (the keys) is removed with it.
# Usage: scripts/s3_down.sh DIR
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
# shellcheck disable=SC1091
source "$(dirname "$0")/lib/stop_group.sh"
rm -f "$1/env.sh"
stop_group s3_down "$1/moto.pid" TERM group 10
