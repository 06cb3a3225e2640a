#!/bin/bash
# Stop the S3 server that scripts/s3_up.sh DIR started: SIGTERM to its
# process group, a bounded wait, then SIGKILL. Only the PID recorded in
# DIR/moto.pid is used; DIR/env.sh (the keys) is removed with it.
# Usage: scripts/s3_down.sh DIR
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
PIDFILE="$1/moto.pid"
rm -f "$1/env.sh"
[ -f "$PIDFILE" ] || { echo "s3_down: no $PIDFILE, nothing to stop" >&2; exit 0; }
PID=$(cat "$PIDFILE")
case "$PID" in ''|*[!0-9]*) echo "s3_down: bad pid in $PIDFILE" >&2; rm -f "$PIDFILE"; exit 1;; esac
# s3_up started the server as a session leader, so its pgid is its pid.
# Anything else (a recycled pid) is left alone.
if [ "$(ps -o pgid= -p "$PID" 2>/dev/null | tr -d ' ')" != "$PID" ]; then
  echo "s3_down: process $PID is gone" >&2
  rm -f "$PIDFILE"
  exit 0
fi
group_alive() { kill -0 -- "-$PID" 2>/dev/null; }
kill -TERM -- "-$PID" 2>/dev/null || true
for _ in $(seq 100); do group_alive || break; sleep 0.1; done
if group_alive; then
  echo "s3_down: server did not stop within 10 s, killing its group" >&2
  kill -KILL -- "-$PID" 2>/dev/null || true
  for _ in $(seq 50); do group_alive || break; sleep 0.1; done
fi
rm -f "$PIDFILE"
echo "s3_down: stopped" >&2
