#!/usr/bin/env bash
# Without MPI one-sided windows (as OpenMPI over TCP between hosts): the
# progress line's counts travel as messages (with CHUNKBENCH_COUNTER=rma the
# line is turned off, said once, and the run goes on); the dynamic
# schedule's counter falls back to point-to-point messages (counter: p2p), and
# a counter forced to rma fails with one line on every rank, no hang.
# The window fails for real: OpenMPI is told to exclude every osc component.
source "$(dirname "$0")/lib.sh"
if ! command -v ompi_info >/dev/null; then
    echo "SKIP: not OpenMPI (no ompi_info): cannot switch one-sided windows off"
    exit 77
fi
OSC=$(ompi_info --parsable | sed -n 's/^mca:osc:\([^:]*\):version:.*/\1/p' | sort -u | paste -sd, -)
[ -n "$OSC" ] || { echo "FAIL: no osc components listed by ompi_info"; exit 1; }
no_rma() { OMPI_MCA_osc="^$OSC" "$@"; }
export CHUNKBENCH_PROGRESS_INTERVAL=0.001 # a line is due at once, so a missing one shows
OFF="^chunkbench: progress line off: MPI_Win_allocate failed for the progress counters: "
LINE="^(write|verify) [0-9]+/400 tasks"

f=$WORK/n.h5
"$CHUNKBENCH" create "$f" 2000 2000 --chunk 100,100 -q # 400 tasks
# The same write with windows: progress lines and no note (the switch is what differs).
mpi 3 "$CHUNKBENCH" write "$f" > "$WORK/with.txt" 2> "$WORK/with.err" || fail "write with windows: $(cat "$WORK/with.err")"
grep -qE "$LINE" "$WORK/with.txt" || fail "no progress line with windows"
grep -q "progress line off" "$WORK/with.err" && fail "progress off with windows: $(cat "$WORK/with.err")"

# A default write (progress on) without windows: the line's counts travel as
# messages instead, lines all the way to 400/400, nothing on stderr.
FINAL="^(write|verify) 400/400 tasks 100.0%"
"$CHUNKBENCH" create "$f" 2000 2000 --chunk 100,100 -q --force
no_rma mpi 3 "$CHUNKBENCH" write "$f" > "$WORK/w.txt" 2> "$WORK/w.err" || fail "write without windows: $(cat "$WORK/w.err")"
[ ! -s "$WORK/w.err" ] || fail "write without windows: stderr: $(cat "$WORK/w.err")"
grep -qE "$FINAL" "$WORK/w.txt" || fail "no final progress line without windows: $(grep -E "$LINE" "$WORK/w.txt" | tail -2)"
[ "$(grep -cE "$LINE" "$WORK/w.txt")" -ge 2 ] || fail "no progress lines before the last without windows"
grep -q "^complete:    400$" "$WORK/w.txt" || fail "write report: $(head -12 "$WORK/w.txt")"
$CHECK "$f" || fail "file written without windows"
no_rma mpi 3 "$CHUNKBENCH" write "$f" --rewrite --iterations 3 > "$WORK/i.txt" 2> "$WORK/i.err" || fail "passes without windows: $(cat "$WORK/i.err")"
[ "$(grep -cE "$FINAL" "$WORK/i.txt")" -ge 3 ] || fail "3 passes without windows: $(grep -cE "$FINAL" "$WORK/i.txt") final lines"
[ ! -s "$WORK/i.err" ] || fail "passes without windows: stderr: $(cat "$WORK/i.err")"
no_rma mpi 3 "$CHUNKBENCH" verify "$f" > "$WORK/v.txt" 2> "$WORK/v.err" || fail "verify without windows: $(cat "$WORK/v.err")"
grep -qE "$FINAL" "$WORK/v.txt" || fail "verify without windows: no final progress line"
grep -q "^OK: 0 tasks with mismatches" "$WORK/v.txt" || fail "verify report: $(tail -3 "$WORK/v.txt")"

# CHUNKBENCH_COUNTER=rma: the line needs its window, so without one it is
# turned off, said once per run (every pass tries again, says nothing more),
# and the run goes on.
CHUNKBENCH_COUNTER=rma no_rma mpi 3 "$CHUNKBENCH" write "$f" --rewrite --iterations 3 > "$WORK/r.txt" 2> "$WORK/r.err" ||
    fail "rma-only line without windows: $(cat "$WORK/r.err")"
[ "$(grep -cE "$OFF" "$WORK/r.err")" = 1 ] || fail "progress off said $(grep -c "progress line off" "$WORK/r.err") times: $(cat "$WORK/r.err")"
[ "$(wc -l < "$WORK/r.err")" = 1 ] || fail "more than the one line on stderr: $(cat "$WORK/r.err")"
grep -qE "$LINE" "$WORK/r.txt" && fail "progress lines without windows under rma: $(grep -m2 -E "$LINE" "$WORK/r.txt")"
$CHECK "$f" || fail "file written by the rma-only run"

# --schedule dynamic without windows: the counter is served over p2p, every
# task is written once and verifies, and the run says which counter it used.
no_rma mpi 3 "$CHUNKBENCH" write "$f" --rewrite --schedule dynamic --json "$WORK/d.json" > "$WORK/p.txt" 2> "$WORK/p.err" ||
    fail "dynamic without windows: $(cat "$WORK/p.err")"
grep -q "^counter:      p2p " "$WORK/p.txt" || fail "dynamic without windows: no 'counter: p2p' line: $(cat "$WORK/p.txt")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d.get("counter") != "p2p")' "$WORK/d.json" ||
    fail "dynamic without windows: JSON counter is not p2p"
$CHECK "$f" || fail "file written by dynamic over p2p"
# A counter forced to rma needs its window: one error line, exit 3 on every rank.
export CHUNKBENCH_COUNTER=rma
rm -f "$WORK"/rc.*
rc=0
no_rma timeout 120 mpirun -n 3 sh -c '"$0" write "$1" --rewrite --schedule dynamic; echo $? > "$2.$OMPI_COMM_WORLD_RANK"' \
    "$CHUNKBENCH" "$f" "$WORK/rc" > "$WORK/d.txt" 2> "$WORK/d.err" || rc=$?
[ "$rc" = 0 ] || fail "dynamic without windows: mpirun exit $rc (124: hung): $(cat "$WORK/d.err")"
for r in 0 1 2; do
    [ "$(cat "$WORK/rc.$r" 2>/dev/null)" = 3 ] || fail "dynamic without windows: rank $r exit '$(cat "$WORK/rc.$r" 2>/dev/null)', wanted 3"
done
[ "$(wc -l < "$WORK/d.err")" = 1 ] || fail "dynamic: not one line on stderr: $(cat "$WORK/d.err")"
grep -q "^chunkbench: error: MPI_Win_allocate failed for the dynamic schedule's counter (CHUNKBENCH_COUNTER=rma)" "$WORK/d.err" ||
    fail "dynamic error line: $(cat "$WORK/d.err")"
# As a user runs it: a non-zero exit from mpirun too, within the bound.
rc=0
no_rma mpi 3 "$CHUNKBENCH" write "$f" --rewrite --schedule dynamic > /dev/null 2>&1 || rc=$?
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "dynamic without windows through mpirun: exit $rc"
unset CHUNKBENCH_COUNTER
# The file is untouched by the failed runs.
$CHECK "$f" || fail "file after the failed dynamic runs"
finish
