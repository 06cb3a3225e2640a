#!/bin/bash
# Crash-safe task records (issue 12, rows 2 and 4, and SIGTERM/SIGINT of row 13):
# a SIGKILLed rank, a SIGTERMed mpirun, SIGINTed ranks and a reader holding
# the file at the end keep the records of what was written (checked against
# the data itself), and a re-run writes only the rest.
source "$CB_SRC/tests/hdf5/lib.sh"
JCHECK="$PY $CB_SRC/tests/lost/journal_check.py"
cd "$WORK"
NR=4000 NC=3000 # chunk 20 x 20: 30,000 tasks, 96 MB
NT=30000
# The documented window is CHUNKBENCH_JOURNAL_FLUSH_MS (default 200 ms) plus
# one task. A run here lasts about a second, so records are written every
# 50 ms to see (and kill at) ~20% of it; 0.6 s leaves room for a loaded,
# oversubscribed machine.
export CHUNKBENCH_JOURNAL_FLUSH_MS=50
WINDOW=0.6

journal_bytes() {
    local n=0 s
    for s in $(stat -c %s ./F.chunkbench-journal/*.cbj 2>/dev/null); do n=$((n + s)); done
    echo $n
}

# Start `mpirun -n 2 chunkbench write ./F ARGS` in the background (MP: its
# pid, RANKS: the ranks' pids) and wait until the journals hold about FRACTION
# of the tasks.
start_write_until() {
    local fraction=$1; shift
    mpirun -n 2 "$CHUNKBENCH" write ./F "$@" >write.out 2>&1 &
    MP=$!
    local want=$((512 * 2 + NT * 32 * fraction / 100)) i
    RANKS=
    for i in $(seq 1 500); do
        RANKS=$(pgrep -P $MP | xargs)
        [ "$(echo $RANKS | wc -w)" -eq 2 ] && break
        sleep 0.01
    done
    for i in $(seq 1 3000); do
        [ "$(journal_bytes)" -ge "$want" ] && return 0
        kill -0 $MP 2>/dev/null || break
        sleep 0.005
    done
    # A write that finished cleanly, every task recorded, was only faster than
    # this poll (a loaded machine): the caller tries again (2). Else the
    # records did not reach the journal (1).
    if ! kill -0 $MP 2>/dev/null && wait $MP && [ "$(complete_of)" = "$NT" ]; then return 2; fi
    fail "the journals never reached $fraction% of the tasks (records are not journaled)"
    return 1
}
# fresh_until FRACTION ARGS...: a fresh file and start_write_until, up to 3
# times while the write outruns the poll.
fresh_until() {
    local attempt rc
    for attempt in 1 2 3; do
        fresh
        rc=0; start_write_until "$@" || rc=$?
        [ "$rc" -ne 2 ] && return $rc
        echo "note: the write ended before the poll saw $1% of it (attempt $attempt)"
    done
    fail "the write always ended before $1% of it could be seen in the journals"
    return 1
}

complete_of() { "$CHUNKBENCH" status ./F 2>/dev/null | awk '/^complete:/ {print $2}'; }

# A re-run writes only what was not recorded, then the whole file verifies.
rerun_writes_rest() {
    local what=$1; shift
    local before; before=$(complete_of)
    mpi 2 "$CHUNKBENCH" write ./F --quiet --json rerun.json "$@" >rerun.out 2>&1 || { fail "$what: re-run failed: $(tail -3 rerun.out)"; return; }
    local wrote; wrote=$($PY -c "import json; print(json.load(open('rerun.json'))['passes']['list'][0]['tasks'])")
    [ "$wrote" -eq $((NT - before)) ] || fail "$what: re-run wrote $wrote tasks, expected $((NT - before)) (of $NT, $before recorded)"
    [ ! -e ./F.chunkbench-journal ] || fail "$what: the journal directory is left after a successful re-run"
    [ "$(complete_of)" = "$NT" ] || fail "$what: after the re-run $(complete_of) of $NT tasks are complete"
    mpi 2 "$CHUNKBENCH" verify ./F >verify.out 2>&1 && grep -q "verified $NT complete tasks" verify.out ||
        fail "$what: the whole file does not verify after the re-run: $(tail -2 verify.out)"
}

# Afterwards: status shows the records, they hold their data, and the count
# covers every task finished more than the window before the kill.
check_after_kill() {
    local what=$1 tkill=$2
    "$CHUNKBENCH" status ./F >status.out 2>&1 || fail "$what: status failed: $(tail -2 status.out)"
    local rec; rec=$(awk '/^complete:/ {print $2}' status.out)
    [ "${rec:-0}" -gt 0 ] || fail "$what: status shows no complete task after the kill"
    mpi 2 "$CHUNKBENCH" verify ./F >verify.out 2>&1 && grep -q "verified ${rec:-x} complete tasks" verify.out ||
        fail "$what: the $rec recorded tasks do not verify: $(tail -2 verify.out)"
    $JCHECK ./F 2 "$tkill" $WINDOW >check.out 2>&1 || fail "$what: against the data: $(grep FAIL check.out | head -3)"
    grep -q "^recorded=${rec:-x} " check.out || fail "$what: status shows $rec complete, the data check counts $(head -1 check.out)"
    echo "$what: $(head -1 check.out), status $rec complete"
}

fresh() { "$CHUNKBENCH" create ./F $NR $NC --chunk 20,20 --force >/dev/null; }

# ---- 1. SIGKILL of one rank at ~20% (independent I/O) ----
if fresh_until 20 --quiet; then
    tkill=$(date +%s.%N)
    kill -KILL ${RANKS##* }
    wait $MP || true
    [ -d ./F.chunkbench-journal ] || fail "sigkill: no journal directory after the kill"
    "$CHUNKBENCH" status ./F >status.out 2>&1
    grep -q "task records of an ended run sit in ./F.chunkbench-journal" status.out ||
        fail "sigkill: status does not say the journal holds records of an ended run"
    check_after_kill sigkill "$tkill"
    rerun_writes_rest sigkill
fi

# ---- 2. SIGTERM of mpirun at ~50% (collective I/O: every rank stops together) ----
if fresh_until 50 --quiet --io collective; then
    tkill=$(date +%s.%N)
    kill -TERM $MP
    wait $MP || true
    check_after_kill sigterm "$tkill"
    rerun_writes_rest sigterm --io collective
fi

# ---- 3. SIGINT of every rank (as srun signals them; direct chunk I/O): a clean stop ----
if fresh_until 30 --io direct; then
    tkill=$(date +%s.%N)
    kill -INT $RANKS
    rc=0
    wait $MP || rc=$?
    [ "$rc" -eq 10 ] || fail "sigint: exit code $rc, expected 10 (CB_ESTOPPED): $(tail -3 write.out)"
    [ "$(grep -c '^chunkbench: ' write.out)" -eq 1 ] && grep -q "^chunkbench: error: stopped by SIGINT: .* pending; run chunkbench write ./F to write the rest" write.out ||
        fail "sigint: not one 'stopped by SIGINT' line: $(grep chunkbench: write.out | head -3)"
    grep -q "^I/O only:" write.out || fail "sigint: no partial report printed"
    [ ! -e ./F.chunkbench-journal ] || fail "sigint: the clean stop saved the table but left the journal"
    check_after_kill sigint "$tkill"
    rerun_writes_rest sigint --io direct
fi

# ---- 4. A reader holds F when the write ends ----
hold() { # hold ./F open with h5py for $1 s; returns once it is open
    rm -f held
    $PY -c "import h5py, time, sys
f = h5py.File('./F', 'r'); open('held', 'w').close(); time.sleep(float(sys.argv[1])); f.close()" "$1" &
    HOLDER=$!
    for _ in $(seq 1 200); do [ -e held ] && break; sleep 0.05; done
}
"$CHUNKBENCH" create ./F 400 400 --chunk 20,20 --force >/dev/null
hold 4
rc=0
CHUNKBENCH_SAVE_RETRY_S=30 mpi 2 "$CHUNKBENCH" write ./F --quiet >held.out 2>&1 || rc=$?
wait $HOLDER
[ "$rc" -eq 0 ] || fail "reader closes in time: write exit $rc: $(tail -2 held.out)"
grep -q "held open by a reader; retrying" held.out || fail "reader closes in time: no word about the wait"
[ "$("$CHUNKBENCH" status ./F 2>/dev/null | awk '/^complete:/ {print $2}')" = 400 ] || fail "reader closes in time: not all 400 tasks recorded"
[ ! -e ./F.chunkbench-journal ] || fail "reader closes in time: journal left after the save"

"$CHUNKBENCH" create ./F 400 400 --chunk 20,20 --force >/dev/null
hold 8
rc=0
CHUNKBENCH_SAVE_RETRY_S=1 mpi 2 "$CHUNKBENCH" write ./F --quiet >held.out 2>&1 || rc=$?
[ "$rc" -eq 3 ] || fail "reader stays: write exit $rc, expected 3: $(tail -2 held.out)"
grep -q "unable to lock file.*task records kept in ./F.chunkbench-journal: run chunkbench write ./F when the reader has closed the file" held.out ||
    fail "reader stays: the error does not say where the records are and how to merge them: $(tail -1 held.out)"
# status beside the reader: reads only, shows the records
"$CHUNKBENCH" status ./F >status.out 2>&1 || fail "reader stays: status failed: $(tail -1 status.out)"
grep -q "^complete: *400" status.out || fail "reader stays: status does not show the 400 journaled tasks"
grep -q "400 task records of an ended run sit in ./F.chunkbench-journal" status.out || fail "reader stays: status says nothing of the journal"
wait $HOLDER
mpi 2 "$CHUNKBENCH" write ./F --quiet --json merged.json >merge.out 2>&1 || fail "reader stays: the merging write failed: $(tail -2 merge.out)"
[ "$($PY -c "import json; print(json.load(open('merged.json'))['passes']['list'][0]['tasks'])" 2>/dev/null)" = 0 ] ||
    fail "reader stays: the merging write wrote tasks again"
[ ! -e ./F.chunkbench-journal ] || fail "reader stays: the journal is left after the merge"
$PY -c "import h5py, sys; sys.exit(int((h5py.File('./F', 'r')['task_list']['status'] == 1).sum() != 400))" ||
    fail "reader stays: the file's own table does not hold the 400 records after the merge"
mpi 2 "$CHUNKBENCH" verify ./F >verify.out 2>&1 || fail "reader stays: verify after the merge: $(tail -1 verify.out)"

finish
