#!/usr/bin/env bash
# What the task journal costs: the same `write --rewrite` with the journal on
# and off (CHUNKBENCH_JOURNAL=off), at 4 MB and 64 KB tasks, in one run.
# Rounds interleave every configuration (the on/off order alternates by round,
# since the first of a pair meets a colder page cache); the summary gives the
# median over rounds of the write-phase and IOR-style bandwidths and their
# ratio on/off.
# Each run makes PASSES passes (--iterations) and gives the median pass.
# Usage: bench/journal_cost.sh [ROUNDS [RANKS [MB [PASSES]]]]   (defaults 11, 2, 1024, 3)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${1:-11} NP=${2:-2} MB=${3:-1024} PASSES=${4:-3}
BIN=${CHUNKBENCH:-$HERE/../build/chunkbench}
[ -x "$BIN" ] || { echo "build it first: cmake --build build" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
OUT=$HERE/out/journal-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
DIR=${BENCH_DIR:-$(mktemp -d /tmp/cb-journal-bench.XXXXXX)}
trap 'rm -rf "$DIR"' EXIT
{ uname -a; nproc; grep -m1 'model name' /proc/cpuinfo; mpirun --version | head -1; df -hT "$DIR" | tail -1; } >"$OUT/env.txt"
# f8 datasets of MB megabytes: 4 MB tasks (chunk 512 x 1024) and 64 KB tasks (chunk 64 x 128)
cols=4096 rows=$((MB * 1000000 / 8 / 4096 / 512 * 512))
"$BIN" create "$DIR/big.h5" $rows $cols --chunk 512,1024 --force -q
"$BIN" create "$DIR/small.h5" $rows $cols --chunk 64,128 --force -q
mpirun -n "$NP" "$BIN" write "$DIR/big.h5" -q # first writes allocate nothing (early allocation) but warm the cache
mpirun -n "$NP" "$BIN" write "$DIR/small.h5" -q
CSV=$OUT/runs.csv
echo "round,task,journal,tasks,write_phase_MBps,ior_MBps" >"$CSV"
run() { # ROUND FILE TASK on|off
    local r=$1 f=$2 task=$3 j=$4
    CHUNKBENCH_JOURNAL=$j mpirun -n "$NP" "$BIN" write "$f" --rewrite --iterations "$PASSES" -q --json "$OUT/run.json"
    python3 - "$OUT/run.json" "$r,$task,$j" >>"$CSV" <<'EOF'
import json, statistics, sys
ps = json.load(open(sys.argv[1]))["passes"]["list"]
med = lambda k: statistics.median(p[k] for p in ps)
print(f"{sys.argv[2]},{ps[0]['tasks']},{med('write_phase_MBps'):.2f},{med('ior_MBps'):.2f}")
EOF
}
for r in $(seq "$ROUNDS"); do
    order="on off"; [ $((r % 2)) -eq 0 ] && order="off on"
    for j in $order; do run "$r" "$DIR/big.h5" 4MB "$j"; done
    for j in $order; do run "$r" "$DIR/small.h5" 64KB "$j"; done
    echo "round $r done" >&2
done
rm -f "$OUT/run.json"
python3 - "$CSV" <<'EOF' | tee "$OUT/summary.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("| task | tasks/run | journal | write phase MB/s (median) | IOR MB/s (median) | on/off write phase | on/off IOR | on/off per round, min..max |")
print("|---|---:|---|---:|---:|---:|---:|---|")
for task in ("4MB", "64KB"):
    g = {j: [x for x in rows if x["task"] == task and x["journal"] == j] for j in ("on", "off")}
    med = {j: {k: statistics.median(float(x[k]) for x in g[j]) for k in ("write_phase_MBps", "ior_MBps")} for j in g}
    per = sorted(float(a["write_phase_MBps"]) / float(b["write_phase_MBps"])
                 for a, b in zip(sorted(g["on"], key=lambda x: x["round"]), sorted(g["off"], key=lambda x: x["round"])))
    for j in ("on", "off"):
        ratio = (f"{med['on']['write_phase_MBps'] / med['off']['write_phase_MBps']:.3f} | "
                 f"{med['on']['ior_MBps'] / med['off']['ior_MBps']:.3f} | {per[0]:.2f}..{per[-1]:.2f}") if j == "on" else " | | "
        print(f"| {task} | {g[j][0]['tasks']} | {j} | {med[j]['write_phase_MBps']:.1f} | {med[j]['ior_MBps']:.1f} | {ratio} |")
print(f"\n{len(rows)} runs, {len(rows) // 4} rounds")
EOF
echo "runs: $CSV" >&2
