#!/usr/bin/env bash
# --deadline (stonewalling) and --deadline-wearout, 4 ranks on 120,000 small
# tasks, the deadline a quarter of a whole write (measured): the pass stops at the
# deadline, no task is begun after it (the margin is a task's generation and
# claim), what was done is recorded and the rest is pending; a later write
# completes it and verify passes. With wear-out every rank ends with the same
# count (static and dynamic schedules, rma and p2p counters); with collective
# I/O the ranks stop in the same round. Bad combinations are refused.
source "$(dirname "$0")/lib.sh"
ROWS=6000 COLS=4000 CHUNK=10,20
TOTAL=$(((ROWS / 10) * (COLS / 20)))

# The deadline: a quarter of what a whole write of this dataset takes here
# (measured first: HDF5 1.14 writes these tasks several times faster than
# 1.10), so that it cuts every run below.
"$CHUNKBENCH" create "$WORK/calib.h5" $ROWS $COLS --chunk $CHUNK -q
mpi 4 "$CHUNKBENCH" write "$WORK/calib.h5" -q --json "$WORK/calib.json" || { fail "the calibration write"; finish; }
DL=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(round(max(0.05, (d["last_done"] - d["first_start"]) / 4), 3))' "$WORK/calib.json")
rm -f "$WORK/calib.h5"
echo "a whole write takes about $(awk -v d="$DL" 'BEGIN{print d * 4}') s here: --deadline $DL"

# check JSON WEAROUT: the deadline was reached, tasks were left, the record
# adds up; without wear-out no task began after the deadline (+0.5 s); with
# WEAROUT=1 (or "round": collective) the writers' counts are equal.
check() {
    "$PY" - "$1" "$2" "$TOTAL" "$DL" <<'PYEOF'
import json, sys
d, mode, total = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
p = d["passes"]["list"][-1]
dl = p["deadline"]
assert dl["s"] == float(sys.argv[4]) and dl["reached"], dl
assert dl["wearout"] == (mode == "1"), dl
done = d["tasks"]["complete"]
assert 0 < done < total, f"{done} of {total} tasks done: the deadline did not cut the pass"
assert d["tasks"]["pending"] == total - done and d["tasks"]["in_progress"] == 0, d["tasks"]
assert p["tasks"] == done and 0 < dl["tasks_by"] <= done, (p["tasks"], dl)
assert dl["bytes_by"] == dl["tasks_by"] * 10 * 20 * 8, dl
starts = [s for s, st in zip(d["task_list"]["start"], d["task_list"]["status"]) if st == 1]
late = max(starts) - dl["at"]
# Wear-out begins tasks after the deadline on purpose (up to the busiest count).
assert mode == "1" or late < 0.5, f"a task began {late:.3f} s after the deadline"
counts = sorted(w["tasks"] for w in d["writers"])
if mode in ("1", "round"):
    assert counts[-1] - counts[0] <= 1, f"uneven counts {counts}"
assert dl["tail_s"] >= 0 and (mode == "1" or dl["tail_s"] < 1.0), dl
print(f"{sys.argv[1].rsplit('/', 1)[-1]}: {done}/{total} by the deadline+tail, {dl['tasks_by']} by it, counts {counts}, tail {dl['tail_s']:.3f} s")
PYEOF
}

# finish FILE: a later write without a deadline completes it; verify passes.
finish_and_verify() {
    mpi 4 "$CHUNKBENCH" write "$1" -q || { fail "write after the deadline: $1"; return; }
    "$CHUNKBENCH" status "$1" --json "$1.s.json" -q
    "$PY" -c 'import json,sys; t=json.load(open(sys.argv[1]))["tasks"]; sys.exit(t["complete"] != t["total"] or t["pending"] != 0)' "$1.s.json" ||
        fail "after the deadline run and a write, $1 is not complete"
    mpi 4 "$CHUNKBENCH" verify "$1" -q || fail "verify after the deadline run: $1"
}

run() { # run NAME ENV WEAROUT-MODE WRITE-ARGS...
    local name=$1 env=$2 mode=$3; shift 3
    local f=$WORK/$name.h5
    "$CHUNKBENCH" create "$f" $ROWS $COLS --chunk $CHUNK -q
    if ! env $env timeout 120 mpirun -n 4 -x CHUNKBENCH_COUNTER "$CHUNKBENCH" write "$f" --deadline "$DL" "$@" \
        --json "$f.json" > "$f.out" 2> "$f.err"; then
        fail "$name: write --deadline $DL $*: $(cat "$f.err")"; return 1
    fi
    grep -q "^deadline: .* reached: .* the rest is pending" "$f.out" || fail "$name: no deadline line: $(cat "$f.out")"
    check "$f.json" "$mode" || fail "$name: the record after --deadline $DL $*"
}

export CHUNKBENCH_COUNTER=auto
run block "" 0 --schedule block && finish_and_verify "$WORK/block.h5"
# The HTML report of that run shows the deadline's figures.
"$CHUNKBENCH" report "$WORK/block.h5.json" -o "$WORK/block.html" -q || fail "report of a deadline run"
grep -q "tasks by the deadline" "$WORK/block.html" && grep -q "s (reached)" "$WORK/block.html" || fail "the report has no deadline figures"
run wear_block "" 1 --schedule block --deadline-wearout
run wear_cyclic "" 1 --schedule cyclic --deadline-wearout
run wear_dynamic_rma "CHUNKBENCH_COUNTER=rma" 1 --schedule dynamic --deadline-wearout
run wear_dynamic_p2p "CHUNKBENCH_COUNTER=p2p" 1 --schedule dynamic --deadline-wearout && finish_and_verify "$WORK/wear_dynamic_p2p.h5"
run collective "" round --schedule cyclic --io collective

# A deadline that is never reached changes nothing.
f=$WORK/small.h5
"$CHUNKBENCH" create "$f" 100 200 --chunk 10,20 -q
mpi 2 "$CHUNKBENCH" write "$f" --deadline 60 --deadline-wearout > "$WORK/small.out" || fail "write --deadline 60"
grep -q "^deadline: .*60 s not reached: every task was done before it" "$WORK/small.out" || fail "deadline not reached: $(cat "$WORK/small.out")"
grep -q "^complete: *100$" "$WORK/small.out" || fail "deadline not reached: not complete: $(cat "$WORK/small.out")"

# Bad combinations: one line, exit 2, on every rank at once.
expect 2 "^chunkbench: error: --deadline-wearout evens out the ranks after a deadline: give --deadline SECONDS too" 2 write "$f" --deadline-wearout
expect 2 "^chunkbench: error: --deadline stops one pass" 2 write "$f" --deadline 1 --iterations 2
expect 2 "^chunkbench: error: --deadline must be between 0.001 and" 2 write "$f" --deadline 0
finish
