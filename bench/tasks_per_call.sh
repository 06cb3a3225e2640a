#!/usr/bin/env bash
# What writing several tasks per call gives: the same `write --rewrite` with
# --tasks-per-call 1 (one H5Dwrite a task), 4 and 16, at 64 KB and 4 MB
# tasks, independent and collective I/O, in one run. Rounds interleave every
# configuration (the order of K rotates by round, since the first of a group
# meets a colder page cache); the summary gives the median over rounds of the
# write-phase and IOR-style bandwidths and their ratio to K = 1.
# Each run makes PASSES passes (--iterations) and gives the median pass.
# Usage: bench/tasks_per_call.sh [ROUNDS [RANKS [MB [PASSES]]]]   (defaults 7, 2, 512, 3)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${1:-7} NP=${2:-2} MB=${3:-512} PASSES=${4:-3}
BIN=${CHUNKBENCH:-$HERE/../build/chunkbench}
[ -x "$BIN" ] || { echo "build it first: cmake --build build" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe # OpenMPI 5
OUT=$HERE/out/tasks-per-call-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
DIR=${BENCH_DIR:-$(mktemp -d /tmp/cb-tpc-bench.XXXXXX)}
trap 'rm -rf "$DIR"' EXIT
{ uname -a; nproc; grep -m1 'model name' /proc/cpuinfo; mpirun --version | head -1; "$BIN" --version; df -hT "$DIR" | tail -1; } >"$OUT/env.txt"
cols=4096 rows=$((MB * 1000000 / 8 / 4096 / 512 * 512))
"$BIN" create "$DIR/big.h5" $rows $cols --chunk 512,1024 --force -q   # 4 MB tasks
"$BIN" create "$DIR/small.h5" $rows $cols --chunk 64,128 --force -q   # 64 KB tasks
mpirun -n "$NP" "$BIN" write "$DIR/big.h5" -q # the first writes touch the files' pages
mpirun -n "$NP" "$BIN" write "$DIR/small.h5" -q
CSV=$OUT/runs.csv
echo "round,task,io,k,tasks,io_calls,write_phase_MBps,ior_MBps" >"$CSV"
run() { # ROUND FILE TASK IO K
    mpirun -n "$NP" "$BIN" write "$2" --rewrite --iterations "$PASSES" --io "$4" --tasks-per-call "$5" -q --json "$OUT/run.json"
    python3 - "$OUT/run.json" "$1,$3,$4,$5" >>"$CSV" <<'PYEOF'
import json, statistics, sys
ps = json.load(open(sys.argv[1]))["passes"]["list"]
med = lambda k: statistics.median(p[k] for p in ps)
print(f"{sys.argv[2]},{ps[0]['tasks']},{ps[0]['io_calls']},{med('write_phase_MBps'):.2f},{med('ior_MBps'):.2f}")
PYEOF
}
ks=(1 4 16)
for r in $(seq "$ROUNDS"); do
    rot=$(( (r - 1) % ${#ks[@]} ))
    order=("${ks[@]:$rot}" "${ks[@]:0:$rot}")
    for io in independent collective; do
        for k in "${order[@]}"; do run "$r" "$DIR/big.h5" 4MB "$io" "$k"; done
        for k in "${order[@]}"; do run "$r" "$DIR/small.h5" 64KB "$io" "$k"; done
    done
    echo "round $r done" >&2
done
rm -f "$OUT/run.json"
python3 - "$CSV" <<'PYEOF' | tee "$OUT/summary.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("| task | io | K | calls/run | write phase MB/s (median) | IOR MB/s (median) | K/1 write phase | K/1 IOR | K/1 per round, min..max |")
print("|---|---|---:|---:|---:|---:|---:|---:|---|")
for task in ("4MB", "64KB"):
    for io in ("independent", "collective"):
        g = {k: sorted((x for x in rows if x["task"] == task and x["io"] == io and x["k"] == k), key=lambda x: int(x["round"]))
             for k in ("1", "4", "16")}
        med = {k: {m: statistics.median(float(x[m]) for x in g[k]) for m in ("write_phase_MBps", "ior_MBps")} for k in g}
        for k in g:
            per = sorted(float(a["write_phase_MBps"]) / float(b["write_phase_MBps"]) for a, b in zip(g[k], g["1"]))
            r1 = med[k]["write_phase_MBps"] / med["1"]["write_phase_MBps"]
            r2 = med[k]["ior_MBps"] / med["1"]["ior_MBps"]
            print(f"| {task} | {io} | {k} | {g[k][0]['io_calls']} | {med[k]['write_phase_MBps']:.1f} | {med[k]['ior_MBps']:.1f} "
                  f"| {r1:.3f} | {r2:.3f} | {per[0]:.2f}..{per[-1]:.2f} |")
print(f"\n{len(rows)} runs, {len(rows) // 12} rounds")
PYEOF
echo "runs: $CSV" >&2
