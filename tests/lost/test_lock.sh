#!/usr/bin/env bash
# One writer at a time per file target (issue 12, rows 1 and 3 and the reader
# side of 2): a second writer, create --force, verify and read are refused
# while a write runs, and the file stays whole; a writer is refused while a
# reader reads; stale locks are taken over, locks of other hosts need
# --break-lock; the lock goes away after every run; a file replaced under a
# running write does not get its records.
#
# A running command is held still with SIGSTOP (its ranks, by pid) while the
# others are tried, then let go: on a loaded machine no "slow enough" size is
# needed, and it stays what it was: a command that has the file open.
source "$(dirname "$0")/../hdf5/lib.sh"
HOST=$(hostname)
held=()
trap '[ ${#held[@]} -eq 0 ] || kill -CONT "${held[@]}" 2> /dev/null; rm -rf "$WORK"' EXIT

# run CMD...: its output in $WORK/out, its exit code in $rc.
run() { rc=0; "$@" > "$WORK/out" 2>&1 || rc=$?; }
said() { grep -v '^ \|^--\|^$\|^Primary job\|^a non-zero\|^mpirun\|^  Process\|^  Exit\|^$' "$WORK/out" | head -3 | tr '\n' ' '; }
# refused WHAT PATTERN: the last run exited 7 and said PATTERN.
refused() {
    [ "$rc" -eq 7 ] || fail "$1: exit $rc, not 7 (refused by the lock): $(said)"
    grep -q -- "$2" "$WORK/out" || fail "$1: no '$2' in: $(said)"
}
gone() { ! compgen -G "$1*" > /dev/null || fail "$2: left $(cd "$WORK" && ls -d "$(basename "$1")"* | tr '\n' ' ')"; }
# ranks PID: the chunkbench processes under PID (a background `mpi N ...`).
ranks() {
    ps -e -o pid=,ppid=,comm= | awk -v root="$1" '{up[$1] = $2; name[$1] = $3}
        END {for (p in up) if (name[p] == "chunkbench") {q = p; while (q in up && q != root && q > 1) q = up[q]; if (q == root) print p}}'
}
# hold PID N TEST...: stop the N ranks of PID once the command TEST...
# succeeds (or 2 s after they started, when it does not: a chunkbench without
# locks); let_go: go on.
hold() {
    local pid=$1 n=$2 r=() waited=0
    shift 2
    for _ in $(seq 1 500); do
        mapfile -t r < <(ranks "$pid")
        if [ ${#r[@]} -ge "$n" ]; then
            "$@" && break
            waited=$((waited + 1))
            [ $waited -ge 100 ] && { fail "$pid did not come to: $*"; break; }
        fi
        sleep 0.02
    done
    mapfile -t r < <(ranks "$pid")
    [ ${#r[@]} -ge "$n" ] || { fail "the ranks of $pid are not running"; return 0; }
    held=("${r[@]}")
    kill -STOP "${held[@]}"
}
there() { compgen -G "$1" > /dev/null; }
# in_phase OUT: a write's progress line is in OUT: it writes, the file open.
in_phase() { grep -q "^write [0-9]*/" "$1"; }
export CHUNKBENCH_PROGRESS_INTERVAL=0.02
let_go() { [ ${#held[@]} -eq 0 ] || kill -CONT "${held[@]}"; held=(); }
# record FILE COMMAND HOST PID [PROC_START] [BOOT_ID]: a lock file as another chunkbench leaves it.
record() {
    printf '# chunkbench lock (made by the test)\ncommand=%s\nhost=%s\npid=%s\nuid=0\nuser=tester\nsince=2026-01-01T00:00:00Z\nproc_start=%s\nboot_id=%s\n' \
        "$2" "$3" "$4" "${5:-0}" "${6:-}" > "$1"
}
field() { sed -n "s/^$2=//p" "$1"; }

# ---- a write runs: everything else that would change or read F is refused ----
F=$WORK/F.h5
L=$F.chunkbench-lock
"$CHUNKBENCH" create "$F" 2000 2000 --chunk 8,8 -q # 62500 tasks
mpi 2 "$CHUNKBENCH" write "$F" --json "$WORK/w1.json" > "$WORK/w1.out" 2>&1 &
writer=$!
hold $writer 2 in_phase "$WORK/w1.out"
lockpid=x
if [ -e "$L" ]; then
    [ "$(field "$L" command)" = write ] || fail "lock names command '$(field "$L" command)', not write"
    [ "$(field "$L" host)" = "$HOST" ] || fail "lock names host '$(field "$L" host)', not $HOST"
    lockpid=$(field "$L" pid)
    printf '%s\n' "${held[@]}" | grep -qx "$lockpid" || fail "lock names pid '$lockpid', not a rank of the write (${held[*]})"
    grep -q "^since=20[0-9-]*T[0-9:]*Z$" "$L" || fail "lock has no ISO start time"
    grep -q "^user=" "$L" || fail "lock names no user"
fi
holder="chunkbench write (pid $lockpid on $HOST"
# All at once: the write is held for as short a time as can be.
probe() { local name=$1; shift; (rc=0; "$@" > "$WORK/p.$name" 2>&1 || rc=$?; echo $rc > "$WORK/p.$name.rc") & probes+=($!); }
probes=()
probe write mpi 2 "$CHUNKBENCH" write "$F" -q
probe create "$CHUNKBENCH" create "$F" 2000 2000 --chunk 8,8 --force -q
probe run "$CHUNKBENCH" run "$F" 2000 2000 --chunk 8,8 --force -q
probe verify mpi 2 "$CHUNKBENCH" verify "$F" -q
probe read "$CHUNKBENCH" read "$F" -q
probe status "$CHUNKBENCH" status "$F"
probe ignore "$CHUNKBENCH" read "$F" --ignore-lock --max-tasks 10 -q
wait "${probes[@]}"
let_go
# probed NAME: that probe's output and exit code, as run leaves them.
probed() { cp "$WORK/p.$1" "$WORK/out"; rc=$(cat "$WORK/p.$1.rc"); }
probed write
refused "a second mpirun -n 2 write" "is locked by $holder"
probed create
refused "create --force during a write" "is locked by $holder"
probed run
refused "run --force during a write" "is locked by $holder"
probed verify
refused "verify during a write" "is being written by $holder.*--ignore-lock"
probed read
refused "read during a write" "is being written by $holder"
probed status
[ "$rc" -eq 0 ] || fail "status during a write: exit $rc (it takes no lock): $(said)"
probed ignore
[ "$rc" -ne 7 ] && ! grep -q "lock" "$WORK/out" || fail "read --ignore-lock refused: $(said)"
rc=0
wait $writer || rc=$?
[ "$rc" -eq 0 ] || fail "the first write: exit $rc: $(head -3 "$WORK/w1.out")"
gone "$L" "a write that ended, and the refused readers,"
# F opens in h5py, every task was written once (by the first write alone) and verifies.
$PY - "$F" "$WORK/w1.json" << 'PYEOF' || fail "F after the refused writers"
import json, sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    t = f["task_list"][...]
    assert f["dset"].shape == (2000, 2000), f["dset"].shape
assert len(t) == 62500 and np.all(t["status"] == 1), np.unique(t["status"])
assert np.all(t["start"] > 0) and np.all(t["done"] >= t["start"])
d = json.load(open(sys.argv[2]))
assert d["passes"]["list"][0]["tasks"] == 62500, d["passes"]["list"][0]["tasks"]
assert d["tasks"]["complete"] == 62500
PYEOF
run mpi 2 "$CHUNKBENCH" verify "$F" -q
[ "$rc" -eq 0 ] || fail "verify after the refused writers: exit $rc: $(said)"

echo "[$SECONDS s] a read runs: a writer is refused"
mpi 2 "$CHUNKBENCH" verify "$F" -q > "$WORK/v.out" 2>&1 &
reader=$!
hold $reader 2 there "$L.read.*"
mark=$(compgen -G "$L.read.*" | head -1) || true
if [ -n "$mark" ]; then
    [ "$(field "$mark" command)" = verify ] || fail "reader mark names '$(field "$mark" command)', not verify"
    [ "$mark" = "$L.read.$HOST.$(field "$mark" pid)" ] || fail "reader mark is named $mark"
fi
run mpi 2 "$CHUNKBENCH" write "$F" --rewrite -q
refused "a write during verify" "is being read by chunkbench verify (pid $(field "$mark" pid) on $HOST"
let_go
rc=0
wait $reader || rc=$?
[ "$rc" -eq 0 ] || fail "verify with a refused writer beside it: exit $rc: $(cat "$WORK/v.out")"
gone "$L" "a verify that ended"

echo "[$SECONDS s] the file is replaced under a running write: its records are not saved into the new one"
mpi 2 "$CHUNKBENCH" write "$F" --rewrite > "$WORK/w2.out" 2>&1 &
writer=$!
hold $writer 2 in_phase "$WORK/w2.out"
"$CHUNKBENCH" create "$WORK/new.h5" 100 100 --chunk 50,50 -q
mv "$WORK/new.h5" "$F"
let_go
rc=0
wait $writer || rc=$?
cp "$WORK/w2.out" "$WORK/out"
refused "a write whose file was replaced" "was replaced while this write ran"
$PY -c "import h5py,sys,numpy as np; t=h5py.File(sys.argv[1],'r')['task_list'][...]; assert len(t)==4 and np.all(t['status']==0), t['status']" "$F" ||
    fail "the new file got records of the old write"
gone "$L" "a write refused at the end"

echo "[$SECONDS s] stale locks, other hosts, --break-lock"
G=$WORK/G.h5
LG=$G.chunkbench-lock
"$CHUNKBENCH" create "$G" 100 100 --chunk 50,50 -q
sh -c 'exit 0' &
dead=$!
wait $dead
record "$LG" write "$HOST" "$dead"
run "$CHUNKBENCH" write "$G"
[ "$rc" -eq 0 ] || fail "write over a stale lock (pid $dead ended): exit $rc: $(said)"
grep -q "took over the stale lock of $G: chunkbench write (pid $dead on $HOST.*is gone" "$WORK/out" || fail "no line about the stale lock: $(said)"
gone "$LG" "a write that took over a stale lock"
# A pid that lives but started at another time (reused), a host that restarted since.
record "$LG" write "$HOST" $$ 1
run "$CHUNKBENCH" write "$G" --rewrite
[ "$rc" -eq 0 ] && grep -q "is now another process" "$WORK/out" || fail "a reused pid is not seen as stale: exit $rc: $(said)"
record "$LG" write "$HOST" $$ 0 00000000-0000-0000-0000-000000000000
run "$CHUNKBENCH" write "$G" --rewrite
[ "$rc" -eq 0 ] && grep -q "has restarted since" "$WORK/out" || fail "a lock from before a restart is not stale: exit $rc: $(said)"
gone "$LG" "writes that took over stale locks"
# A live holder on this host cannot be broken.
sleep 30 &
alive=$!
record "$LG" "create --force" "$HOST" $alive
run "$CHUNKBENCH" write "$G" --rewrite --break-lock -q
refused "--break-lock on a live local holder" "is locked by chunkbench create --force (pid $alive on $HOST.*kill $alive"
kill $alive
wait $alive 2> /dev/null || true
# Another host cannot be checked: refused with the fix; --break-lock takes it.
record "$LG" write node-elsewhere-7 4242
cp "$LG" "$WORK/lock.before"
run "$CHUNKBENCH" write "$G" --rewrite -q
refused "a lock of another host" "is locked by chunkbench write (pid 4242 on node-elsewhere-7, user tester, since 2026-01-01T00:00:00Z), which cannot be checked from $HOST; if that run has ended, add --break-lock"
cmp -s "$LG" "$WORK/lock.before" || fail "a refused writer changed the other host's lock"
run mpi 2 "$CHUNKBENCH" verify "$G" -q
refused "verify under another host's lock" "cannot be checked from $HOST; read anyway with --ignore-lock"
run "$CHUNKBENCH" read "$G" --ignore-lock -q
[ "$rc" -eq 0 ] || fail "read --ignore-lock under another host's lock: exit $rc: $(said)"
cmp -s "$LG" "$WORK/lock.before" || fail "read --ignore-lock changed the lock"
run mpi 2 "$CHUNKBENCH" write "$G" --rewrite --break-lock
[ "$rc" -eq 0 ] || fail "write --break-lock: exit $rc: $(said)"
grep -q "broke the lock of $G held by chunkbench write (pid 4242 on node-elsewhere-7" "$WORK/out" || fail "no line about the broken lock: $(said)"
gone "$LG" "write --break-lock"
# Readers' marks: a stale one is removed, one of another host needs --break-lock.
record "$LG.read.$HOST.$dead" verify "$HOST" "$dead"
record "$LG.read.node-elsewhere-7.99" read node-elsewhere-7 99
run "$CHUNKBENCH" write "$G" --rewrite -q
refused "a reader mark of another host" "is being read by chunkbench read (pid 99 on node-elsewhere-7.*--break-lock"
[ -e "$LG.read.$HOST.$dead" ] && fail "the stale reader mark was not removed"
run "$CHUNKBENCH" write "$G" --rewrite --break-lock -q
[ "$rc" -eq 0 ] || fail "write --break-lock past a reader mark: exit $rc: $(said)"
gone "$LG" "write --break-lock past reader marks"
run mpi 2 "$CHUNKBENCH" verify "$G" -q
[ "$rc" -eq 0 ] || fail "verify after the stale and broken locks: exit $rc: $(said)"

echo "[$SECONDS s] the lock goes after failed runs too; run keeps one lock from create to write"
run "$CHUNKBENCH" write "$G" --seed 99 -q
[ "$rc" -eq 2 ] || fail "write with another seed: exit $rc, not 2: $(said)"
gone "$LG" "a failed write"
run "$CHUNKBENCH" create "$G" 10 10 -q
[ "$rc" -eq 5 ] || fail "create over an existing file: exit $rc, not 5: $(said)"
gone "$LG" "a failed create"
run mpi 2 "$CHUNKBENCH" run "$WORK/R.h5" 200 200 --chunk 50,50 -q
[ "$rc" -eq 0 ] || fail "run: exit $rc: $(said)"
grep -q "lock" "$WORK/out" && fail "run spoke of a lock: $(said)"
gone "$WORK/R.h5.chunkbench-lock" "run"
run mpi 2 "$CHUNKBENCH" verify "$WORK/R.h5" -q
[ "$rc" -eq 0 ] || fail "verify after run: exit $rc: $(said)"

echo "[$SECONDS s] a name that leaves no room for the lock file beside it"
long=$WORK/$(printf 'x%.0s' $(seq 250))
run "$CHUNKBENCH" create "$long" 10 10
[ "$rc" -eq 2 ] && grep -q "leaves no room for its lock file.*at most 239 characters" "$WORK/out" ||
    fail "a 250-character name: exit $rc: $(said)"
[ -e "$long" ] && fail "the 250-character target was made anyway"
finish
