#!/bin/bash
# Bring up a private single-node Slurm (slurmctld + slurmd, munge auth) whose
# config, state, spool, logs and pid files all live under DIR.
# Usage: scripts/slurm_up.sh DIR     (last stdout line: export SLURM_CONF=DIR/slurm.conf)
# Everything except that last line goes to stderr so callers can `eval "$(... | tail -1)"`.
set -euo pipefail

[ $# -eq 1 ] && [ -n "$1" ] || { echo "usage: $0 DIR" >&2; exit 2; }
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
[ "$DIR" != / ] || { echo "refusing DIR=/" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
log() { echo "slurm_up: $*" >&2; }

# 1. Packages (only when missing). The lock timeout lets us queue behind
#    another apt run instead of failing.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  APT=(apt-get -o DPkg::Lock::Timeout=300 -y -q)
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
HOST=$(hostname -s)
NODE=$(slurmd -C | head -1)
MEM=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$NODE")
NODE=$(sed "s/^NodeName=[^ ]*/NodeName=$HOST/; s/RealMemory=[0-9]*/RealMemory=$((MEM * 9 / 10))/" <<<"$NODE")
cat > "$DIR/slurm.conf" <<CONF
ClusterName=test
SlurmctldHost=$HOST
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
SlurmdPidFile=$DIR/slurmd.pid
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
$NODE State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$DIR/slurm.conf

# 5. Daemons in the foreground (-D) but backgrounded here, each in its own
#    session/process group; -i ignores any state left over.
setsid slurmctld -D -i >"$DIR/slurmctld.out" 2>&1 < /dev/null &
echo "slurmctld $!" >> "$DIR/pids"
setsid slurmd -D >"$DIR/slurmd.out" 2>&1 < /dev/null &
echo "slurmd $!" >> "$DIR/pids"

# 6. Wait (bounded) for the node to be idle.
for _ in $(seq 60); do
  [ "$(sinfo -h -N -n "$HOST" -o %t 2>/dev/null)" = idle ] && { log "up: node $HOST idle"; echo "export SLURM_CONF=$SLURM_CONF"; exit 0; }
  sleep 1
done
log "node $HOST never became idle within 60 s; sinfo says: $(sinfo -h -N -o '%N %t %E' 2>&1 || true)"
tail -n 5 "$DIR"/slurmctld.log "$DIR"/slurmd.log "$DIR"/*.out >&2 2>/dev/null || true
"$HERE/slurm_down.sh" "$DIR" >&2 || true
exit 1
