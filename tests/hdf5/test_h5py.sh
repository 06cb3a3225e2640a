#!/usr/bin/env bash
# Interchange with the tools users have: a chunkbench file read by h5py (and
# the seed's status logic), and a file made the seed's way written by chunkbench.
source "$(dirname "$0")/lib.sh"
HERE=$(dirname "$0")
f=$WORK/ours.h5
"$CHUNKBENCH" create "$f" 1500 1700 --chunk 400,400 -q
mpi 3 "$CHUNKBENCH" write "$f" --schedule dynamic --max-tasks 4 -q     # partly written: 12 of 20
"$CHUNKBENCH" status "$f" --json "$WORK/st.json" -q
$PY "$HERE/seed_writer.py" status "$f" > "$WORK/seed.json"
$PY - "$WORK/st.json" "$WORK/seed.json" <<'PYEOF' || fail "status differs from the seed's"
import json, sys
ours, seed = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
t = ours["tasks"]
assert (t["pending"], t["complete"], t["in_progress"]) == (seed["pending"], seed["complete"], seed["in_progress"]) == (8, 12, 0), (t, seed)
assert abs(ours["elapsed_s"] - seed["elapsed"]) < 1e-9, (ours["elapsed_s"], seed["elapsed"])
assert {w["name"]: w["tasks"] for w in ours["writers"]} == seed["pods"]
PYEOF
# The text report carries the seed's lines.
"$CHUNKBENCH" status "$f" > "$WORK/st.txt"
for line in "filepath: $f" "pending:     8" "complete:    12" "in progress: 0" "pod counts (3 pods):"; do
  grep -qxF "$line" "$WORK/st.txt" || fail "status lacks '$line'"
done
grep -qE "^elapsed time: [0-9]+\.[0-9]{2} s$" "$WORK/st.txt" || fail "elapsed line"
"$CHUNKBENCH" status -v "$f" | grep -cP '^[0-9.e+-]+\t[0-9.e+-]+\t-?[01]\t\d+\t\d+\t\d+\t\d+\t' | grep -qx 20 || fail "status -v rows"
"$CHUNKBENCH" status "$f" --csv "$WORK/t.csv" -q
[ "$(wc -l < "$WORK/t.csv")" -eq 21 ] || fail "csv rows"
head -1 "$WORK/t.csv" | grep -qx "index,start,done,status,x,y,nrow,ncol,pod,latency_s,bytes" || fail "csv header"

# The report and compare commands, from a target and from JSON.
"$CHUNKBENCH" report "$f" -o "$WORK/r1.html" -q || fail "report from a target"
mpi 2 "$CHUNKBENCH" write "$f" --json "$WORK/w.json" --report "$WORK/r2.html" -q || fail "write --report"
"$CHUNKBENCH" report "$WORK/st.json" "$WORK/w.json" -o "$WORK/r3.html" | grep -qx "wrote $WORK/r3.html (2 runs)" || fail "report of two runs"
for r in r1 r2 r3; do
  for sec in summary timeline throughput latency writers grid; do
    grep -q "<section id=\"$sec\"" "$WORK/$r.html" || fail "$r.html lacks section $sec"
  done
  if grep -qiE "https?:|src=|<script" "$WORK/$r.html"; then fail "$r.html refers outside itself"; fi
done
grep -q '<section id="comparison"' "$WORK/r3.html" || fail "two-run report lacks the comparison"
"$CHUNKBENCH" compare "$WORK/st.json" "$WORK/w.json" --csv > "$WORK/cmp.csv" || fail "compare --csv"
[ "$(wc -l < "$WORK/cmp.csv")" -eq 3 ] || fail "compare csv lines: $(cat "$WORK/cmp.csv")"
if "$CHUNKBENCH" compare "$WORK/st.json" 2> "$WORK/err"; then fail "compare of one run accepted"; fi
grep -q "compare needs at least 2 inputs" "$WORK/err" || fail "compare usage message"
echo '{"x": 1}' > "$WORK/bad.json"
if "$CHUNKBENCH" compare "$WORK/st.json" "$WORK/bad.json" 2> "$WORK/err"; then fail "compare of a non-report accepted"; fi
grep -q "bad.json: not a chunkbench run report" "$WORK/err" || fail "compare bad input: $(cat "$WORK/err")"

# Theirs: the seed's layout (700x700 chunks, table named chunk_list, no seed attribute).
g=$WORK/theirs.h5
$PY "$HERE/seed_writer.py" create "$g" 1000 1500
"$CHUNKBENCH" status "$g" | grep -qx "pending:     6" || fail "status of the seed's file"
if out=$(mpi 2 "$CHUNKBENCH" verify "$g" 2>&1); then fail "verify without a seed passed"; fi
echo "$out" | grep -q "was not written by chunkbench (it has no seed attribute)" || fail "verify message: $out"
mpi 2 "$CHUNKBENCH" write "$g" -q || fail "write into the seed's file"
mpi 2 "$CHUNKBENCH" verify "$g" -q || fail "verify of the seed's file"
$PY "$HERE/seed_writer.py" status "$g" | grep -q '"complete": 6' || fail "seed status after chunkbench wrote"
finish
