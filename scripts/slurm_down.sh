#!/bin/bash
# Stop what scripts/slurm_up.sh DIR started, using only the PIDs it recorded
# in DIR/pids (never kill by name: other slurm/munge instances may exist).
# Usage: scripts/slurm_down.sh DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
PIDS="$1/pids"
[ -f "$PIDS" ] || { echo "slurm_down: no $PIDS, nothing to stop" >&2; exit 0; }

# alive PID: exists and is not a zombie (in containers PID 1 may reap late,
# so a plain `kill -0` keeps seeing the dead daemon for a second or two).
alive() { local st; st=$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -d' ' -f1); [ -n "$st" ] && [ "$st" != Z ]; }

# stop NAME PID: TERM, wait up to 10 s, then KILL. Checks /proc/PID/comm so a
# recycled PID belonging to something else is left alone.
stop() {
  local name=$1 pid=$2
  [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$name" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do alive "$pid" || return 0; sleep 0.2; done
  echo "slurm_down: $name ($pid) ignored TERM, killing" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

# Cancel leftover jobs while slurmctld still runs: stopping slurmd alone would
# leave their slurmstepd and task processes behind.
# A Slurm made with --netns answers only inside its namespaces.
client() {
  if [ -s "$1/client_netns" ]; then local ns; ns=$(cat "$1/client_netns"); shift; timeout 10 ip netns exec "$ns" "$@"
  else shift; timeout 10 "$@"; fi
}
if [ -f "$1/slurm.conf" ] && grep -q '^slurmctld ' "$PIDS"; then
  export SLURM_CONF=$1/slurm.conf
  jobs=$(client "$1" squeue -h -o %i 2>/dev/null || true)
  if [ -n "$jobs" ]; then
    echo "slurm_down: cancelling jobs:" $jobs >&2
    client "$1" scancel $jobs 2>/dev/null || true
    for _ in $(seq 20); do [ -z "$(client "$1" squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.5; done
  fi
fi

# slurmd first (it may be finishing job steps), then slurmctld, then munged.
for name in slurmd slurmctld munged; do
  while read -r n pid; do if [ "$n" = "$name" ]; then stop "$n" "$pid"; fi; done < "$PIDS"
done
rm -f "$PIDS"
echo "slurm_down: stopped" >&2
