#!/usr/bin/env bash
# What a claim on the dynamic schedule's counter costs (bench/counter_claims.c):
# rma and p2p on one host, p2p across 2 hosts (tests/multihost/hosts.sh; Open
# MPI 4.1 chooses no window there over TCP) and rma across them with
# `--mca osc pt2pt` named (rma-pt2pt), 2 and 4 ranks, bare claims (rtt, no work)
# and claims as chunkbench makes them (ahead, WORK_US of work per task).
# Rounds interleave every configuration; the summary gives the median over
# rounds of each run's median, p90 and mean claim time on ranks other than 0,
# and of those on another host than rank 0's.
# Usage: bench/counter_cost.sh [ROUNDS [WORK_US]]   (root: the 2-host runs need namespaces)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${1:-5} WORK=${2:-1000}
BIN=${BENCH_COUNTER:-$HERE/../build/bench_counter}
[ -x "$BIN" ] || { echo "build it first: cmake --build build --target bench_counter" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
OUT=$HERE/out/counter-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
{ uname -a; nproc; grep -m1 'model name' /proc/cpuinfo; mpirun --version | head -1; } >"$OUT/env.txt"
source "$HERE/../tests/multihost/hosts.sh"
mh_up 2 || exit $?
CSV=$OUT/runs.csv
echo "round,counter,mode,ranks,hosts,work_us,tasks,claims_rank0,us_rank0,us_mean,us_p50,us_p90,us_far_p50,us_far_p90,elapsed_s" >"$CSV"
run() { # ROUND PLACE(1host|2hosts) COUNTER NP MODE TASKS WORK
    local r=$1 place=$2 counter=$3 np=$4 mode=$5 tasks=$6 work=$7 line
    local extra=()
    # rma between hosts: Open MPI's osc/pt2pt does serve the window over TCP
    # when named (it is not chosen by default); it is reported as rma-pt2pt.
    [ "$counter" = pt2pt ] && extra=(--mca osc pt2pt) counter=rma
    if [ "$place" = 1host ]; then
        line=$(CHUNKBENCH_COUNTER=$counter mpirun -n "$np" "$BIN" "$tasks" "$work" "$mode")
    else
        line=$(CHUNKBENCH_COUNTER=$counter MH_SLOTS=$((np / 2)) mh_mpirun "${extra[@]}" -n "$np" "$BIN" "$tasks" "$work" "$mode" 2>/dev/null)
    fi
    [ ${#extra[@]} -gt 0 ] && line=${line/#rma,/rma-pt2pt,}
    echo "$r,$line" >>"$CSV"
}
for r in $(seq "$ROUNDS"); do
    for np in 2 4; do
        for mode in rtt ahead; do
            w=0 t=4000; [ "$mode" = ahead ] && w=$WORK t=1000
            run "$r" 1host rma "$np" "$mode" "$t" "$w"
            run "$r" 1host p2p "$np" "$mode" "$t" "$w"
            run "$r" 2hosts auto "$np" "$mode" "$t" "$w"
            run "$r" 2hosts pt2pt "$np" "$mode" "$t" "$w"
        done
    done
    echo "round $r done" >&2
done
mh_down
python3 - "$CSV" <<'EOF' | tee "$OUT/summary.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
groups = {}
for r in rows:
    groups.setdefault((r["mode"], r["ranks"], r["hosts"], r["counter"], r["work_us"]), []).append(r)
print("| mode | ranks | hosts | counter | work µs | claim µs p50 | p90 | mean | other host's p50 | p90 | rank 0's share |")
print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
far = lambda v: f"{v:.2f}" if v else ""
for k in sorted(groups, key=lambda k: (k[0] != "rtt", int(k[1]), int(k[2]), k[3])):
    g = groups[k]
    med = lambda f: statistics.median(float(x[f]) for x in g)
    share = statistics.median(float(x["claims_rank0"]) / float(x["tasks"]) for x in g)
    print(f"| {k[0]} | {k[1]} | {k[2]} | {k[3]} | {k[4]} | {med('us_p50'):.2f} | {med('us_p90'):.2f} | "
          f"{med('us_mean'):.2f} | {far(med('us_far_p50'))} | {far(med('us_far_p90'))} | {share:.2f} |")
print(f"\n{len(rows)} runs, medians over {len(rows) // len(groups)} rounds")
EOF
echo "runs: $CSV" >&2
