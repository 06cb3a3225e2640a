#!/bin/bash
# Stop the HSDS that scripts/hsds_up.sh DIR started: SIGINT to the launcher
# (hsds stops its node processes on that), a bounded wait, then SIGKILL to
# the group. Only the PID recorded in DIR/hsds.pid is used.
# Usage: scripts/hsds_down.sh DIR
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
PIDFILE="$1/hsds.pid"
[ -f "$PIDFILE" ] || { echo "hsds_down: no $PIDFILE, nothing to stop" >&2; exit 0; }
PID=$(cat "$PIDFILE")
case "$PID" in ''|*[!0-9]*) echo "hsds_down: bad pid in $PIDFILE" >&2; rm -f "$PIDFILE"; exit 1;; esac

# hsds_up started the server as a session leader, so its pgid is its pid.
# Anything else (a recycled pid) is left alone.
if [ "$(ps -o pgid= -p "$PID" 2>/dev/null | tr -d ' ')" != "$PID" ]; then
  echo "hsds_down: process $PID is gone" >&2
  # Its node processes may outlive it; they are still in group $PID.
  kill -KILL -- "-$PID" 2>/dev/null || true
  rm -f "$PIDFILE"
  exit 0
fi

group_alive() { kill -0 -- "-$PID" 2>/dev/null; }
# SIGINT to the launcher alone: it stops its nodes in order. Signalling the
# whole group kills data nodes in the middle of writing chunk files, and hsds
# then cannot read those chunks back after a restart (500 on every write).
kill -INT "$PID" 2>/dev/null || true
for _ in $(seq 200); do group_alive || break; sleep 0.1; done
if group_alive; then
  echo "hsds_down: server did not stop within 20 s, killing its group" >&2
  kill -KILL -- "-$PID" 2>/dev/null || true
  for _ in $(seq 50); do group_alive || break; sleep 0.1; done
fi
rm -f "$PIDFILE"
echo "hsds_down: stopped" >&2
