#!/bin/bash
# Stop the HSDS that scripts/hsds_up.sh DIR started: SIGINT to the launcher
# (hsds stops its node processes on that), a bounded wait, then SIGKILL to
# the group. Only the PID recorded in DIR/hsds.pid is used.
# Usage: scripts/hsds_down.sh DIR
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
# shellcheck disable=SC1091
source "$(dirname "$0")/lib/stop_group.sh"
# SIGINT to the launcher alone: it stops its nodes in order. Signalling the
# whole group kills data nodes in the middle of writing chunk files, and hsds
# then cannot read those chunks back after a restart (500 on every write).
stop_group hsds_down "$1/hsds.pid" INT leader 20
