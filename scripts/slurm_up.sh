#!/bin/bash
# Bring up a private Slurm (slurmctld + slurmd, munge auth) whose config,
# state, spool, logs and pid files all live under DIR.
# Usage: scripts/slurm_up.sh DIR [--netns HOST1,HOST2,...]
#                                    (last stdout line: export SLURM_CONF=DIR/slurm.conf)
# Everything except that last line goes to stderr so callers can `eval "$(... | tail -1)"`.
# Without --netns: one node, this machine. With --netns: one node per network
# namespace host (as tests/multihost/hosts.sh makes them: `ip netns` names
# that resolve to their address inside themselves), each slurmd with its own
# NodeName, spool, log and pid file; slurmctld runs on the first. Clients
# (sbatch, squeue, ...) then work from inside those namespaces only, e.g.
# `ip netns exec HOST1 sbatch ...`; DIR/client_netns names the one to use.
set -euo pipefail

NETNS=
if [ $# -eq 3 ] && [ "$2" = --netns ] && [ -n "$3" ]; then NETNS=$3; set -- "$1"; fi
[ $# -eq 1 ] && [ -n "$1" ] || { echo "usage: $0 DIR [--netns HOST1,HOST2,...]" >&2; exit 2; }
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
[ "$DIR" != / ] || { echo "refusing DIR=/" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
log() { echo "slurm_up: $*" >&2; }

# 1. Packages (only when missing). The locks let us queue behind another apt
#    run (a test installing beside us under ctest -j) instead of failing.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  APT=(flock -w 900 /tmp/chunkbench-apt.lock apt-get -o DPkg::Lock::Timeout=300 -y -q)
  if ! apt-cache show slurm-wlm >/dev/null 2>&1; then "${APT[@]}" update >&2; fi
  log "installing slurm-wlm munge"
  "${APT[@]}" install --no-install-recommends slurm-wlm munge >&2
fi

# 2. A stale DIR from an earlier run: stop whatever it recorded, then wipe it.
if [ -f "$DIR/pids" ]; then "$HERE/slurm_down.sh" "$DIR" >&2 || true; fi
rm -rf "${DIR:?}"/*
mkdir -p "$DIR/state" "$DIR/spool"
: > "$DIR/pids"

# 3. munge: reuse a working munged, otherwise start one as user munge
#    (munged refuses to run as root without --force and is picky about perms).
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "munged already running, reusing it"
else
  mkdir -p /run/munge /var/lib/munge /var/log/munge
  chown munge:munge /run/munge /var/lib/munge /var/log/munge
  chmod 0755 /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    if command -v mungekey >/dev/null; then mungekey --create --keyfile=/etc/munge/munge.key
    else create-munge-key -f; fi
  fi
  chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
  setsid setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F \
    >"$DIR/munged.out" 2>&1 < /dev/null &
  echo "munged $!" >> "$DIR/pids"   # recorded => slurm_down stops it
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.2; done
  munge -n | unmunge >/dev/null || { log "munged did not start (see $DIR/munged.out)"; "$HERE/slurm_down.sh" "$DIR" >&2; exit 1; }
fi

# 4. slurm.conf. NodeName line comes from `slurmd -C`; RealMemory is lowered
#    ~10% so the node is never drained for "Low RealMemory".
NODE=$(slurmd -C | sed -n 1p)  # not head: a SIGPIPE fails under pipefail
MEM=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$NODE")
NODE=$(sed "s/RealMemory=[0-9]*/RealMemory=$((MEM * 9 / 10))/" <<<"$NODE")
if [ -z "$NETNS" ]; then
  HOST=$(hostname -s)
  HOSTS=("$HOST")
  NODES="$(sed "s/^NodeName=[^ ]*/NodeName=$HOST/" <<<"$NODE") State=UNKNOWN"
  CTLD=$HOST
else
  IFS=, read -r -a HOSTS <<<"$NETNS"
  HOST=${HOSTS[0]}
  NODES=
  for h in "${HOSTS[@]}"; do
    ip netns exec "$h" true 2>/dev/null || { log "--netns: no network namespace '$h' (make the hosts first, e.g. tests/multihost/hosts.sh up ${#HOSTS[@]})"; exit 2; }
    addr=$(ip netns exec "$h" getent ahostsv4 "$h" | awk 'NR == 1 {print $1}')
    [ -n "$addr" ] || { log "--netns: host '$h' has no address inside its namespace"; exit 2; }
    [ "$h" = "$HOST" ] && CTLD="$h($addr)"
    NODES+="$(sed "s/^NodeName=[^ ]*/NodeName=$h NodeAddr=$addr/" <<<"$NODE") State=UNKNOWN"$'\n'
  done
  NODES=${NODES%$'\n'}
  echo "$HOST" > "$DIR/client_netns"
fi
# on HOST CMD...: becomes CMD on that node (in its namespace, under its name),
# in a session of its own; every step execs, so the pid stays the daemon's.
# Not `ip netns exec`: it mounts a fresh /sys without the cgroup mounts that
# slurmd needs; only the network is entered, and the host's /etc/netns hosts
# file is bound over /etc/hosts in a mount namespace of the daemon's own.
on() {
  local h=$1; shift
  if [ -z "$NETNS" ]; then exec setsid "$@"; fi
  # Each node's TmpFS is its own (DIR/tmp/HOST seen at DIR/node-tmp), as on
  # a cluster: PMIx makes the same directory names there on every node.
  exec setsid nsenter --net="/run/netns/$h" unshare --mount --uts sh -c \
    'h=$0 d=$1; shift
     [ ! -f "/etc/netns/$h/hosts" ] || mount --bind "/etc/netns/$h/hosts" /etc/hosts || exit 1
     mount --bind "$d/tmp/$h" "$d/node-tmp" || exit 1
     hostname "$h"; exec "$@"' "$h" "$DIR" "$@"
}
TMPFS=/tmp
if [ -n "$NETNS" ]; then
  TMPFS=$DIR/node-tmp
  mkdir -p "$TMPFS"
  for h in "${HOSTS[@]}"; do mkdir -p "$DIR/tmp/$h"; done
fi
cat > "$DIR/slurm.conf" <<CONF
ClusterName=test
SlurmctldHost=$CTLD
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MailProg=/bin/true
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd-%n.pid
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool/%n
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd-%n.log
TmpFS=$TMPFS
$NODES
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$DIR/slurm.conf

# 5. Daemons in the foreground (-D) but backgrounded here, each in its own
#    session/process group; -i ignores any state left over.
#    With --netns each `on` execs down to the daemon, so $! is its pid.
(on "$HOST" slurmctld -D -i) >"$DIR/slurmctld.out" 2>&1 < /dev/null &
echo "slurmctld $!" >> "$DIR/pids"
for h in "${HOSTS[@]}"; do
  mkdir -p "$DIR/spool/$h"
  if [ -z "$NETNS" ]; then (on "$h" slurmd -D) >"$DIR/slurmd-$h.out" 2>&1 < /dev/null &
  else (on "$h" slurmd -D -N "$h") >"$DIR/slurmd-$h.out" 2>&1 < /dev/null &
  fi
  echo "slurmd $!" >> "$DIR/pids"
done

# 6. Wait (bounded) for every node to be idle.
sinfo_() { if [ -z "$NETNS" ]; then sinfo "$@"; else ip netns exec "$HOST" sinfo "$@"; fi; }
want=$(printf '%s idle\n' "${HOSTS[@]}" | sort)
for _ in $(seq 60); do
  [ "$(sinfo_ -h -N -o '%N %t' 2>/dev/null | sort -u)" = "$want" ] && { log "up: node(s) ${HOSTS[*]} idle"; echo "export SLURM_CONF=$SLURM_CONF"; exit 0; }
  sleep 1
done
log "node(s) ${HOSTS[*]} not all idle within 60 s; sinfo says: $(sinfo_ -h -N -o '%N %t %E' 2>&1 || true)"
tail -n 5 "$DIR"/slurmctld.log "$DIR"/slurmd-*.log "$DIR"/*.out >&2 2>/dev/null || true
"$HERE/slurm_down.sh" "$DIR" >&2 || true
exit 1
