#!/usr/bin/env bash
# Clock offsets across hosts: cbhost2's wall clock runs 30 s ahead of
# cbhost1's (libfaketime preloaded into cbhost2's orted and ranks only; the
# fixture's agent.sh does it). A write across both hosts must measure that
# offset against rank 0 (cbhost1), report it as the largest, and correct
# every task's stamps onto rank 0's clock: all of them fall inside the
# window this machine's real clock saw the write run in, and the two hosts'
# tasks interleave in time as a dynamic schedule hands them out. Without the
# correction cbhost2's tasks would start 30 s in the future.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$CB_SRC/tests/multihost/hosts.sh"
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | sed -n 1p)
[ -n "$lib" ] || { echo "FAIL: libfaketime is not installed (scripts/setup.sh test installs it)"; exit 1; }
mh_up 2 || exit $?
fake="cbhost2 $lib +30"

# The shifted clock reaches the ranks on cbhost2, and only them.
clocks=$(MH_FAKE_CLOCK=$fake mh_mpirun -n 4 sh -c 'echo "$(hostname) $(date +%s)"') || fail "mpirun with the shifted clock"
now=$(date +%s)
awk -v now="$now" '
    $1 == "cbhost1" { one++; if ($2 > now + 2 || $2 < now - 60) bad = bad " " $0 }
    $1 == "cbhost2" { two++; if ($2 < now + 20 || $2 > now + 40) bad = bad " " $0 }
    END { if (one != 2 || two != 2 || bad != "") { print "clocks per rank:" bad; exit 1 } }' <<<"$clocks" ||
    fail "the fake clock: want cbhost2 about 30 s ahead, got: $clocks"

f=$WORK/clock.h5
"$CHUNKBENCH" create "$f" 4000 2000 --chunk 100,100 -q # 800 tasks, 64 MB: long enough to interleave
before=$(date +%s.%N)
MH_FAKE_CLOCK=$fake mh_mpirun -n 4 "$CHUNKBENCH" write "$f" --schedule dynamic --json "$WORK/w.json" >"$WORK/w.out" 2>&1 ||
    fail "write across hosts with a shifted clock: $(cat "$WORK/w.out")"
after=$(date +%s.%N)
grep -qE '^clocks: +largest offset to rank 0 was 3[01]\.[0-9]+ s \(corrected\)$|^clocks: +largest offset to rank 0 was 29\.[0-9]+ s \(corrected\)$' "$WORK/w.out" ||
    fail "write does not report the 30 s offset: $(grep -i clock "$WORK/w.out")"
"$PY" - "$WORK/w.json" "$f" "$before" "$after" <<'PYEOF' || fail "the corrected timeline"
import json, sys, h5py
d = json.load(open(sys.argv[1]))
before, after = float(sys.argv[3]), float(sys.argv[4])
skew = d["last_run"]["clock_skew_s"]
assert abs(skew - 30) < 0.5, f"clock_skew_s {skew}, want 30 +- 0.5"
with h5py.File(sys.argv[2], "r") as f:
    t = f["task_list"][...]
assert (t["status"] == 1).all(), "not every task complete"
host = [p.decode().split("@")[1] for p in t["pod"]]
span = {}
for h, s, e in zip(host, t["start"], t["done"]):
    # Every stamp inside the real window (what rank 0's clock, cbhost1's, saw).
    assert before - 0.5 <= s <= e <= after + 0.5, f"{h}: task [{s}, {e}] outside the run [{before}, {after}]"
    lo, hi = span.get(h, (s, e))
    span[h] = (min(lo, s), max(hi, e))
assert set(span) == {"cbhost1", "cbhost2"}, span
(a0, a1), (b0, b1) = span["cbhost1"], span["cbhost2"]
# A dynamic schedule: both hosts write through the whole phase, so their
# corrected spans overlap (uncorrected, cbhost2's would start 30 s later).
assert a0 < b1 and b0 < a1, f"hosts' spans do not overlap: {span}"
print(f"offset {skew:.4f} s; spans cbhost1 {a1 - a0:.3f} s, cbhost2 {b1 - b0:.3f} s, inside the run's {after - before:.3f} s")
PYEOF
mh_mpirun -n 4 "$CHUNKBENCH" verify "$f" -q || fail "verify after the shifted-clock write"
finish
