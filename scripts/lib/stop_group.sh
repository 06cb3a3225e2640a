# Sourced by the *_down.sh scripts: stop a server that an *_up.sh script
# started as a session leader, its PID recorded in a file.
# stop_group NAME PIDFILE SIGNAL TARGET SECONDS
#   SIGNAL goes to the leader alone (TARGET=leader: a server that stops its own
#   children in order) or to its whole group (TARGET=group); after SECONDS the
#   group gets SIGKILL. Only the recorded PID is used: a process whose group
#   is not its own PID (a recycled PID) is left alone, though what is left of
#   the group then still gets SIGKILL.
stop_group() {
  local name=$1 pidfile=$2 sig=$3 target=$4 secs=$5 pid
  [ -f "$pidfile" ] || { echo "$name: no $pidfile, nothing to stop" >&2; return 0; }
  pid=$(cat "$pidfile")
  case "$pid" in ''|*[!0-9]*) echo "$name: bad pid in $pidfile" >&2; rm -f "$pidfile"; return 1;; esac
  if [ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" != "$pid" ]; then
    echo "$name: process $pid is gone" >&2
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
    return 0
  fi
  if [ "$target" = leader ]; then kill "-$sig" "$pid" 2>/dev/null || true
  else kill "-$sig" -- "-$pid" 2>/dev/null || true; fi
  local i
  for ((i = 0; i < secs * 10; i++)); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 -- "-$pid" 2>/dev/null; then
    echo "$name: server did not stop within $secs s, killing its group" >&2
    kill -KILL -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$pidfile"
  echo "$name: stopped" >&2
}
