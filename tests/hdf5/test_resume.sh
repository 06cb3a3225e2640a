#!/usr/bin/env bash
# Partial runs, resume, passes, seeds, and verification that catches damage.
source "$(dirname "$0")/lib.sh"
f=$WORK/r.h5
"$CHUNKBENCH" create "$f" 300 400 --chunk 50,100 -q        # 6 x 4 = 24 tasks
mpi 2 "$CHUNKBENCH" write "$f" --max-tasks 3 -q --json "$WORK/a.json" || fail "partial write"
$PY - "$WORK/a.json" <<'PYEOF' || fail "partial write counts"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tasks"]["complete"] == 6 and d["tasks"]["pending"] == 18, d["tasks"]
assert d["passes"]["list"][0]["tasks"] == 6
PYEOF
"$CHUNKBENCH" status "$f" > "$WORK/status.txt"
grep -q "^pending:     18$" "$WORK/status.txt" || fail "status pending line"
$PY -c "import h5py,sys; t=h5py.File(sys.argv[1],'r')['task_list'][...]; open(sys.argv[2],'wb').write(t[t['status']==1].tobytes())" "$f" "$WORK/before.bin"
mpi 3 "$CHUNKBENCH" write "$f" --schedule dynamic -q --json "$WORK/b.json" || fail "resume write"
$PY - "$f" "$WORK/before.bin" "$WORK/b.json" <<'PYEOF' || fail "resume kept complete tasks"
import json, sys, h5py, numpy as np
t = h5py.File(sys.argv[1], "r")["task_list"][...]
before = np.frombuffer(open(sys.argv[2], "rb").read(), dtype=t.dtype)
after = t[np.isin(t[["x", "y"]], before[["x", "y"]])]
assert np.array_equal(np.sort(after, order=["x", "y"]), np.sort(before, order=["x", "y"])), "complete rows rewritten"
d = json.load(open(sys.argv[3]))
assert d["passes"]["list"][0]["tasks"] == 18, d["passes"]
assert d["tasks"]["complete"] == 24
PYEOF
$CHECK "$f" || fail "resumed file"
# Nothing left: a further write writes nothing and says so.
mpi 2 "$CHUNKBENCH" write "$f" --json "$WORK/c.json" -q || fail "write with nothing pending"
$PY -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['passes']['list'][0]['tasks']==0" "$WORK/c.json" || fail "nothing rewritten"

# --rewrite and --iterations take complete tasks too.
mpi 2 "$CHUNKBENCH" write "$f" --rewrite --json "$WORK/d.json" -q || fail "rewrite"
$PY -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['passes']['list'][0]['tasks']==24" "$WORK/d.json" || fail "rewrite wrote all"
mpi 3 "$CHUNKBENCH" write "$f" --iterations 2 --seed 77 --json "$WORK/e.json" -q || fail "iterations with a new seed"
$CHECK "$f:$WORK/e.json" || fail "after rewrite with seed 77"

# Progress: plain lines when the output is not a terminal (a Slurm file).
export CHUNKBENCH_PROGRESS_INTERVAL=0.001
"$CHUNKBENCH" create "$WORK/prog.h5" 2000 2000 --chunk 100,100 -q
mpi 3 "$CHUNKBENCH" write "$WORK/prog.h5" > "$WORK/prog.txt"
grep -qE "^write [0-9]+/400 tasks +[0-9.]+%  [0-9.]+ MB/s  elapsed [0-9.]+ s" "$WORK/prog.txt" || fail "no progress line: $(head -3 "$WORK/prog.txt")"
grep -q $'\r' "$WORK/prog.txt" && fail "carriage returns in a non-terminal progress output"
grep -qE "^write 400/400 tasks 100.0%" "$WORK/prog.txt" || fail "no final progress line"
mpi 3 "$CHUNKBENCH" write "$WORK/prog.h5" --rewrite -q > "$WORK/quiet.txt"
unset CHUNKBENCH_PROGRESS_INTERVAL
[ -s "$WORK/quiet.txt" ] && fail "--quiet printed: $(head -2 "$WORK/quiet.txt")"

# Another seed on a partly written file is refused.
g=$WORK/s.h5
"$CHUNKBENCH" create "$g" 100 100 --chunk 50,50 -q --seed 5
mpi 2 "$CHUNKBENCH" write "$g" --max-tasks 1 -q
if out=$(mpi 2 "$CHUNKBENCH" write "$g" --seed 6 2>&1); then fail "seed change accepted"; fi
echo "$out" | grep -q "written with seed 5" || fail "seed message: $out"

# Passes: every task written N times, one figure per pass.
h=$WORK/p.h5
"$CHUNKBENCH" create "$h" 200 200 --chunk 50,50 -q
mpi 2 "$CHUNKBENCH" write "$h" --iterations 3 --json "$WORK/p.json" > "$WORK/p.txt" || fail "iterations"
grep -c "^pass [123]/3" "$WORK/p.txt" | grep -q 3 || fail "pass lines: $(cat "$WORK/p.txt")"
$PY -c "
import json,sys; d=json.load(open(sys.argv[1])); L=d['passes']['list']
assert len(L)==3 and all(p['tasks']==16 for p in L), L
q=d['passes']['ior_MBps']; assert q['min']<=q['p50']<=q['max'] and q['min']>0, q" "$WORK/p.json" || fail "pass figures"
$CHECK "$h:$WORK/p.json" || fail "after passes"

# Damage one value: verify names the task and exits 4; h5py agrees.
$PY -c "import h5py,sys; d=h5py.File(sys.argv[1],'a')['dset']; d[60,70]=-1.0" "$h"
set +e
out=$(mpi 3 "$CHUNKBENCH" verify "$h" --json "$WORK/v.json" 2>&1); rc=$?
set -e
[ "$rc" -eq 4 ] || fail "verify exit code $rc on damaged data"
echo "$out" | grep -q "MISMATCH task 5 \[50:100,50:100\]: 1 elements differ, first at (60,70)" || fail "mismatch line: $out"
$PY -c "import json,sys; d=json.load(open(sys.argv[1])); m=d['mismatches']; assert len(m)==1 and m[0]['task']==5 and m[0]['first']==[60,70], m" "$WORK/v.json" || fail "mismatch JSON"
if $CHECK "$h" > /dev/null; then fail "h5py check missed the damage"; fi
finish
