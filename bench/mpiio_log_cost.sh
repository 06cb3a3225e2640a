#!/usr/bin/env bash
# What the MPI-IO request log (src/backends/hdf5/mpiio_log.c, PMPI) costs: the same reads
# by a build without it (BASE) and with it (NEW), on a 512 MiB file in
# tmpfs (where I/O is fastest, so any overhead shows most), two chunk sizes,
# independent and collective transfers.
#   read         NEW: log active (every MPI-IO read recorded), BASE: nothing
#   read --log   NEW only: the same plus the CSV
#   verify       both: reads through the same calls with no log active
# Runs are interleaved and repeated; the table gives medians of the read
# phase's MB/s (first start to last done) and of the command's wall time
# (mpirun included, so the classification after the phase shows there).
# Usage: bench/mpiio_log_cost.sh BASE_CHUNKBENCH [NEW_CHUNKBENCH [RANKS [REPEATS]]]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BASE=${1:?usage: $0 BASE_CHUNKBENCH [NEW_CHUNKBENCH [RANKS [REPEATS]]]}
NEW=${2:-$HERE/../build/chunkbench}
NP=${3:-2} REP=${4:-5}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe
OUT=$HERE/out/mpiio-log-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
QUIET_IDLE=${QUIET_IDLE:-90} QUIET_WAIT=${QUIET_WAIT:-20}
source "$HERE/quiet.sh"
W=$(mktemp -d /dev/shm/cbmpiio.XXXXXX)
trap 'rm -rf "$W"' EXIT
# 8192 x 8192 float64 = 512 MiB, in 4 MiB (512 x 1024) or 128 KiB (128 x 128) chunks.
declare -A CHUNK=([4MiB]=512,1024 [128KiB]=128,128)
for c in 4MiB 128KiB; do
  "$NEW" create "$W/$c.h5" 8192 8192 --chunk "${CHUNK[$c]}" -q --force
  mpirun -n "$NP" "$NEW" write "$W/$c.h5" -q
done
{ uname -a; nproc; grep -m1 'model name' /proc/cpuinfo; mpirun --version | head -1; } > "$OUT/env.txt"
for r in $(seq "$REP"); do
  for c in 4MiB 128KiB; do
    for io in independent collective; do
      for v in base-read new-read new-read-log base-verify new-verify; do
        bin=$BASE; [[ $v == new-* ]] && bin=$NEW
        args=(read "$W/$c.h5" --driver mpio); [[ $v == *verify ]] && args=(verify "$W/$c.h5")
        [[ $v == *-log ]] && args+=(--log "$W/log.csv")
        quiet "$c $io $v $r"
        t0=$(date +%s.%N)
        mpirun -n "$NP" "$bin" "${args[@]}" --io $io --json "$OUT/$c-$io-$v-$r.json" -q
        t1=$(date +%s.%N)
        echo "$c $io $v $r $t0 $t1" >> "$OUT/wall.txt"
      done
    done
  done
done
/usr/bin/python3 - "$OUT" <<'PYEOF' | tee "$OUT/summary.txt"
import json, glob, os, statistics, sys, collections
out = sys.argv[1]
wall = collections.defaultdict(list)
for line in open(f"{out}/wall.txt"):
    c, io, v, r, t0, t1 = line.split()
    wall[(c, io, v)].append(float(t1) - float(t0))
mbps = collections.defaultdict(list)
for p in glob.glob(f"{out}/*.json"):
    c, io, v = os.path.basename(p).split("-", 2)
    v = v.rsplit("-", 1)[0]
    j = json.load(open(p))
    mbps[(c, io, v)].append(j["read_MBps"] if "read_MBps" in j else j["bandwidth_MBps"]["read_phase"])
print("| chunks | io | run | MB/s (median) | min-max | wall s (median) |")
print("|---|---|---|---:|---:|---:|")
for c in ("4MiB", "128KiB"):
    for io in ("independent", "collective"):
        for v in ("base-read", "new-read", "new-read-log", "base-verify", "new-verify"):
            m, w = mbps[(c, io, v)], wall[(c, io, v)]
            print(f"| {c} | {io} | {v} | {statistics.median(m):.0f} | {min(m):.0f}-{max(m):.0f} | {statistics.median(w):.2f} |")
PYEOF
echo "runs in $OUT"
