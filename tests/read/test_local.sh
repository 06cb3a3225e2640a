#!/usr/bin/env bash
# read on local files: every driver x schedule x rank count verifies, --iter
# regroups tasks, named datasets (h5py-made) read whole, the file is never
# modified, and the JSON report has write's keys plus phase=read.
source "$(dirname "$0")/../hdf5/lib.sh"
f=$WORK/a.h5
"$CHUNKBENCH" create "$f" 370 530 --chunk 100,160 -q --seed 9   # 4 x 4 = 16 uneven chunks
mpi 2 "$CHUNKBENCH" write "$f" -q || fail "write"
sum=$(md5sum < "$f")
for np in 1 3; do
  for drv in mpio sec2; do
    for sched in block cyclic dynamic; do
      out=$(mpi $np "$CHUNKBENCH" read "$f" --driver $drv --schedule $sched --verify --json "$WORK/r.json" 2>&1) \
        || { fail "read np=$np $drv $sched: $out"; continue; }
      echo "$out" | grep -q "^verify:       OK: 0 tasks with mismatches$" || fail "no verify line np=$np $drv $sched"
      $PY - "$WORK/r.json" $np $sched <<'PYEOF' || fail "json np=$np $drv $sched"
import json, sys
d, np, sched = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
assert d["phase"] == "read" and d["tasks"]["complete"] == 16 and d["tasks"]["pending"] == 0, d["tasks"]
assert d["bytes"] == d["read_bytes"] == 370 * 530 * 8
# Static schedules give every rank tasks. Under dynamic, a rank the OS runs
# late (3 ranks on 2 cores; OpenMPI 5 leaves ranks in a barrier unevenly)
# may find the 16 tasks of this 3 ms read already taken.
nw = len(d["writers"])
assert (nw == np if sched != "dynamic" else 1 <= nw <= np), (sched, nw)
assert sum(w["tasks"] for w in d["writers"]) == 16
for k in ("shape", "chunk", "latency_s", "bandwidth_MBps", "last_run", "task_list", "slowest"):
    assert k in d, k
assert d["bandwidth_MBps"]["read_phase"] > 0 and d["verify"]["checked"] and d["verify"]["mismatches"] == []
PYEOF
    done
  done
done
mpi 2 "$CHUNKBENCH" read "$f" --io collective --verify -q || fail "mpio collective"
mpi 2 "$CHUNKBENCH" read "$f" --io direct --verify -q || fail "mpio direct"
for it in row col; do
  mpi 3 "$CHUNKBENCH" read "$f" --iter $it --driver sec2 --schedule dynamic --verify --json "$WORK/$it.json" -q || fail "--iter $it"
done
$PY -c "import json,sys; assert json.load(open(sys.argv[1]))['tasks']['total']==370" "$WORK/row.json" || fail "row tasks"
$PY -c "import json,sys; assert json.load(open(sys.argv[1]))['tasks']['total']==530" "$WORK/col.json" || fail "col tasks"
mpi 2 "$CHUNKBENCH" read "$f" --driver sec2 --max-tasks 3 --json "$WORK/m.json" -q || fail "max-tasks"
$PY -c "import json,sys; t=json.load(open(sys.argv[1]))['tasks']; assert t['complete']==6 and t['pending']==10, t" "$WORK/m.json" || fail "max-tasks counts"
# CSV, HTML report, and the report/compare commands take read JSON.
mpi 2 "$CHUNKBENCH" read "$f" --driver sec2 --csv "$WORK/r.csv" --report "$WORK/r.html" --json "$WORK/s.json" -q || fail "csv/report"
[ "$(wc -l < "$WORK/r.csv")" -eq 17 ] || fail "csv rows"
grep -q '<section id="timeline"' "$WORK/r.html" || fail "html report"
"$CHUNKBENCH" compare "$WORK/r.json" "$WORK/s.json" --csv > /dev/null || fail "compare of read runs"
[ "$(md5sum < "$f")" = "$sum" ] || fail "read modified the file"

# Named datasets of a file chunkbench did not write: 1-D chunked, 2-D contiguous.
g=$WORK/named.h5
$PY -c "
import h5py, numpy as np, sys
with h5py.File(sys.argv[1], 'w') as f:
    f.create_dataset('grp/x', data=np.arange(10007.0), chunks=(1000,))
    f.create_dataset('m', data=np.ones((300, 70), dtype='i2'))
" "$g"
gsum=$(md5sum < "$g")
mpi 2 "$CHUNKBENCH" read "$g" /grp/x m --driver sec2 --schedule cyclic --json "$WORK/n.json" -q || fail "named datasets"
$PY - "$WORK" <<'PYEOF' || fail "named dataset reports"
import json, sys
a, b = (json.load(open(f"{sys.argv[1]}/n-{i}.json")) for i in (1, 2))
assert a["dataset"] == "/grp/x" and a["shape"] == [10007, 1] and a["tasks"]["complete"] == 11 and a["read_bytes"] == 80056, a["tasks"]
assert b["dataset"] == "m" and b["shape"] == [300, 70] and b["read_bytes"] == 300 * 70 * 2, b["shape"]
assert a["requests"]["raw_requests"] == 11, a["requests"]
PYEOF
[ "$(md5sum < "$g")" = "$gsum" ] || fail "read modified the named file"

# Damage: --verify exits 4 and names the task.
$PY -c "import h5py,sys; h5py.File(sys.argv[1],'a')['dset'][150,170]=-1.0" "$f"
set +e
out=$(mpi 2 "$CHUNKBENCH" read "$f" --driver sec2 --verify 2>&1); rc=$?
set -e
[ "$rc" -eq 4 ] || fail "damaged read exit $rc"
echo "$out" | grep -q "MISMATCH task 5 \[100:200,160:320\]: 1 elements differ, first at (150,170)" || fail "mismatch line: $out"
finish
