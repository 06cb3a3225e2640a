#!/usr/bin/env bash
# write --tasks-per-call K: the K tasks a rank takes at once, joined into
# rectangles (side by side, rows of them under each other, stacked rows),
# one H5Dwrite each. Every schedule x io mode x block/row tasks x 1 and 3
# ranks x K: every task written exactly once, the data verifies (chunkbench
# reading one task a call, and h5py), and the JSON's io_calls counts the
# calls: at most one a task, at least one per K, and one for the whole
# dataset when one rank takes every task at once.
source "$(dirname "$0")/lib.sh"
args=()
for np in 1 3; do
  for iter in block row; do
    for sched in block cyclic dynamic; do
      for io in independent collective; do
        for k in 3 64; do
          f=$WORK/k_${np}_${iter}_${sched}_${io}_$k.h5
          # 4 x 5 chunks of 10 x 16 and edge tasks (37 x 73): tasks side by side, in rows, ragged.
          "$CHUNKBENCH" create "$f" 37 73 "$iter" --chunk 10,16 -q --seed $((np * 11 + k))
          if ! out=$(mpi "$np" "$CHUNKBENCH" write "$f" --schedule "$sched" --io "$io" --tasks-per-call "$k" --json "$f.json"); then
            fail "write np=$np iter=$iter sched=$sched io=$io k=$k: $out"; continue
          fi
          if ! vout=$(mpi "$np" "$CHUNKBENCH" verify "$f" -q); then
            fail "verify np=$np iter=$iter sched=$sched io=$io k=$k: $vout"; continue
          fi
          "$PY" - "$f.json" "$np" "$k" "$sched" <<'PYEOF' || fail "io_calls np=$np iter=$iter sched=$sched io=$io k=$k"
import json, math, sys
d = json.load(open(sys.argv[1]))
np_, k, sched = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
p = d["passes"]["list"][-1]
n, calls = p["tasks"], p["io_calls"]
assert n == d["tasks"]["total"], (n, d["tasks"])
assert d["tasks_per_call"] == k, d.get("tasks_per_call")
assert math.ceil(n / k) <= calls <= n, (calls, n, k)
if np_ == 1 and k >= n and sched != "dynamic":
    assert calls == 1, f"one rank, all {n} tasks at once: {calls} calls, want 1 (the whole dataset)"
PYEOF
          grep -qE "^io calls: +[0-9]+ write calls for [0-9]+ tasks .*up to $k joined into rectangles" <<<"$out" || fail "write k=$k: no 'io calls:' line: $(grep -c . <<<"$out") lines"
          args+=("$f:$f.json")
        done
      done
    done
  done
done
echo "${#args[@]} runs written with several tasks a call and verified; checking with h5py"
$CHECK "${args[@]}" || fail "h5py cross-check"

# Refused: direct chunk writes (one chunk a call), and out-of-range K.
f=$WORK/k_err.h5
"$CHUNKBENCH" create "$f" 40 40 --chunk 10,10 -q
if out=$(mpi 2 "$CHUNKBENCH" write "$f" --io direct --tasks-per-call 4 2>&1); then
  fail "--io direct --tasks-per-call 4 succeeded"
else
  grep -q "^chunkbench: error: --tasks-per-call writes several tasks with one H5Dwrite; --io direct writes one chunk per H5Dwrite_chunk" <<<"$out" ||
    fail "--io direct --tasks-per-call: $out"
fi
if out=$("$CHUNKBENCH" write "$f" --tasks-per-call 0 2>&1); then
  fail "--tasks-per-call 0 succeeded"
else
  grep -q "tasks-per-call" <<<"$out" || fail "--tasks-per-call 0: $out"
fi
"$PY" -c 'import h5py,sys; t=h5py.File(sys.argv[1])["task_list"][...]; sys.exit(int((t["status"] != 0).any()))' "$f" ||
  fail "a refused write changed the task table"
finish
