#!/usr/bin/env bash
# Issue 12 rows 8 and 13: a task table edited by hand is refused before any
# write, naming the first bad row and the fix, by write, verify and status
# alike, and the file is left as it was; seed-made tables in any row order still
# pass. HDF5 and MPI failures keep their reason (read-only file system, a
# directory as the target).
source "$CB_SRC/tests/hdf5/lib.sh"
HERE=$CB_SRC/tests/lost
PY=${CB_VENV:-/tmp/cb-venv}/bin/python
[ -x "$PY" ] || PY=${CB_PYTHON:-/usr/bin/python3}
EDIT="$PY $HERE/edit_table.py"

# Each command on a broken file: exit 2, one line naming the problem, the file
# byte for byte what it was. Singletons (mpirun costs 2.5 s a start here);
# RANKS2=1: write on 2 ranks too, which must stop together.
refused() { # CASE FILE EXPECT... (each a fixed string of the error line)
    local case=$1 f=$2; shift 2
    local sum; sum=$(sha256sum < "$f")
    local cmd out rc cmds=("$CHUNKBENCH write $f" "$CHUNKBENCH verify $f" "$CHUNKBENCH status $f")
    [ -z "${RANKS2:-}" ] || cmds+=("mpi 2 $CHUNKBENCH write $f")
    for cmd in "${cmds[@]}"; do
        rc=0
        out=$($cmd 2>&1) || rc=$?
        local what=${cmd//$CHUNKBENCH/chunkbench}; what=${what//$WORK\//}
        # Not the expected exit: all it printed (a launcher's or a sanitizer's
        # words name no chunkbench), so the next failure says what it was.
        [ "$rc" -eq 2 ] || fail "$case: '$what' exit $rc, not 2: $(sed -n 1,40p <<<"$out")"
        for want in "$@"; do
            grep -qF -- "$want" <<<"$out" || fail "$case: '$what' does not say '$want': $(echo "$out" | grep -m1 chunkbench)"
        done
        [ "$(grep -c '^chunkbench: error:' <<<"$out")" -eq 1 ] || fail "$case: '$what' says its error $(grep -c '^chunkbench: error:' <<<"$out") times"
    done
    [ "$(sha256sum < "$f")" = "$sum" ] || fail "$case: the file changed"
}

base=$WORK/base.h5
"$CHUNKBENCH" create "$base" 100 80 --chunk 10,20 -q      # 10 x 4 = 40 block tasks
mpi 2 "$CHUNKBENCH" write "$base" --max-tasks 3 -q          # 6 complete, the rest pending
fix="recreate the table with: chunkbench create"
check_case() { # CASE EXPECT...
    local case=$1; shift
    local f=$WORK/$case.h5
    cp "$base" "$f"
    $EDIT "$case" "$f"
    refused "$case" "$f" "$@"
    rm -f "$f"
}
RANKS2=1 check_case huge      "task_list row 3 (x=0, y=60, nrow=2147483647" "lies outside dset (100 x 80)" "$fix"
check_case huge_both "task_list row 3 (x=0, y=60, nrow=2147483647, ncol=2147483647" "lies outside dset"
check_case outside   "task_list row 5 (x=95, y=20, nrow=10" "lies outside dset" "$fix"
check_case overlap   "task_list row 5 (x=5, y=20" "is not a task of the grid" "the task there is x=0, y=20, nrow=10, ncol=20"
RANKS2=1 check_case duplicate "task_list row 5 (x=10, y=0" "is the same task as row 4"
check_case extra     "task_list row 40 (x=0, y=40" "is the same task as row 2"
RANKS2=1 check_case missing   "task_list has 39 rows" "has 40: no row holds the task x=10, y=20, nrow=10, ncol=20"
check_case no_rows   "task_list has 0 rows" "no row holds the task x=0, y=0"
check_case empty     "task_list row 5 (x=10, y=20, nrow=0" "is empty"
check_case status    "task_list row 5" "status=7) has a status that is not 0 (pending), -1 (in progress) or 1 (complete)"
check_case no_xy     "task_list has no field 'x'" "$fix"
RANKS2=1 check_case no_status "task_list has no field 'status'" "$fix"
check_case two_d     "task_list has 2 dimensions; it must be 1-D" "$fix"

# Row tasks: the grid is one task per dataset row.
f=$WORK/rows.h5
"$CHUNKBENCH" create "$f" 30 20 row --chunk 10,20 -q
$PY - "$f" <<'PYEOF'
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    t = f["task_list"][...]
    t[7]["ncol"] = 10       # half a row
    f["task_list"][...] = t
PYEOF
refused row_tasks "$f" "task_list row 7 (x=7, y=0, nrow=1, ncol=10" "row tasks" "the task there is x=7, y=0, nrow=1, ncol=20"

# The seed's own tables, rows in any order, still write and verify.
f=$WORK/seed.h5
$PY "$CB_SRC/tests/hdf5/seed_writer.py" create "$f" 1500 1700
$EDIT shuffle "$f"
mpi 2 "$CHUNKBENCH" write "$f" -q || fail "a shuffled seed table does not write"
"$CHUNKBENCH" verify "$f" -q || fail "a shuffled seed table does not verify"
"$CHUNKBENCH" status "$f" | grep -qxF "complete:    9" || fail "shuffled seed table: not 9 complete"
f=$WORK/shuffled.h5
cp "$base" "$f"
$EDIT shuffle "$f"
"$CHUNKBENCH" write "$f" -q || fail "a shuffled chunkbench table does not write"
"$CHUNKBENCH" verify "$f" -q || fail "a shuffled chunkbench table does not verify"

# Row 13: the reason under the failure. A read-only file system (a tmpfs
# mounted read-only: needs root and mount).
ro=$WORK/ro
mkdir "$ro"
if mount -t tmpfs -o size=4m tmpfs "$ro" 2>/dev/null; then
    cp "$base" "$ro/F"
    if mount -o remount,ro "$ro"; then
        out=$(mpi 2 "$CHUNKBENCH" write "$ro/F" 2>&1) && fail "write on a read-only file system succeeded"
        # The writer's lock file is the first thing it makes there, so the
        # lock says why it cannot (the system's reason) and what to do.
        grep -qF "directory $ro is not writable (Read-only file system)" <<<"$out" ||
            fail "read-only file system: no reason: $(echo "$out" | grep -m1 chunkbench)"
        grep -qF "choose another path" <<<"$out" || fail "read-only file system: no fix"
        # Readers need no lock file: verify still works there.
        "$CHUNKBENCH" verify "$ro/F" -q || fail "verify on a read-only file system"
    else
        echo "SKIP (part): cannot remount $ro read-only"
    fi
    umount "$ro"
else
    echo "SKIP (part): cannot mount a tmpfs here; the read-only file-system case is not run"
fi
# A directory as the target of create --force: the directory stays, the
# line says why (whichever check finds it first).
d=$WORK/dir
mkdir "$d"
touch "$d/keep"
rc=0
out=$("$CHUNKBENCH" create "$d" 10 10 --force 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "create DIR --force succeeded"
line=$(grep -m1 '^chunkbench: error:' <<<"$out" || true)
grep -qF "$d" <<<"$line" || fail "create DIR --force: the line does not name the path: $line"
[ "$line" != "chunkbench: error: cannot create the HDF5 file" ] && grep -qiE "director|MPI_ERR|errno|: .*: " <<<"$line" ||
    fail "create DIR --force: no reason: $line"
[ -f "$d/keep" ] || fail "create DIR --force: the directory lost its contents"
finish
