#!/bin/bash
# Targets and outputs are safe (issue 12, rows 5, 6, 7, 9, 11, 13): a FIFO,
# device or directory target is refused before anything opens it; outputs are
# checked before the run, never written through a symbolic link nor into a
# device or FIFO, and replaced whole; write errors on stdout are errors; 300-
# character paths and bare names work with OMPIO at 1-3 ranks and without
# mpirun. Real files, real mpirun; devices made with mknod in the scratch dir.
. "$CB_SRC/tests/hdf5/lib.sh"
unset OMPI_MCA_sharedfp # the program's own default is under test
CB=$CHUNKBENCH
cd "$WORK"
# chattr is e2fsprogs', which Debian 13 no longer installs everywhere.
trap 'chattr -i "$WORK/ro" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# run EXPECTED_RC NEEDLE CMD...: CMD's exit code and a line of its stderr.
expect() {
    local want=$1 needle=$2
    shift 2
    local rc=0 bound="timeout 20"
    [ "$1" = mpi ] && bound="" # mpi has its own bound
    $bound "$@" >out.txt 2>err.txt || rc=$?
    if [ "$rc" != "$want" ]; then
        fail "$* exited $rc, expected $want: $(head -c 300 err.txt)"
    elif [ -n "$needle" ] && ! grep -q -- "$needle" err.txt; then
        fail "$*: no '$needle' in: $(head -c 300 err.txt)"
    fi
}
# what a path is, without opening it: type, inode, device numbers, link, size
id_of() { stat -c '%F %i %t:%T %N %s' "$1"; }

$CB create ./F 40 40 --chunk 10,10 -q || fail "create F"

# ---- targets: stat, never open ----
mkfifo fifo
expect 2 "is a FIFO" $CB status fifo
expect 2 "is a FIFO" $CB verify fifo
expect 2 "is a FIFO" $CB create fifo 10 10 --force
mkfifo run.json
expect 2 "is a FIFO" $CB report run.json -o r.html
[ -p fifo ] || fail "the FIFO target is gone"
# mknod needs CAP_MKNOD: without it FIFOs stand in for the devices
dev=is\ a\ character\ device
mknod null c 1 3 2>/dev/null && mknod full c 1 7 ||
    { echo "note: mknod not permitted: FIFOs stand in for the device nodes"; rm -f null full; mkfifo null full; dev=is\ a\ FIFO; }
before=$(id_of null)
expect 2 "$dev" $CB create null 10 10 --force
expect 2 "$dev" $CB status null
[ "$(id_of null)" = "$before" ] || fail "the device target changed: $(id_of null)"
mkdir D
expect 2 "is a directory" $CB create D 10 10 --force
expect 2 "is a directory" $CB status D
[ -d D ] && [ -z "$(ls -A D)" ] || fail "the directory target changed"
# a symbolic link to a regular file is that file; a dangling one is refused
ln -s F Flink
expect 0 "" $CB status Flink
grep -q "filepath: Flink" out.txt || fail "status through a link: $(head -c 200 out.txt)"
cp F F2 && ln -s F2 F2link
expect 0 "" $CB create F2link 40 40 --chunk 20,20 --force -q
[ -L F2link ] && [ -f F2 ] && [ ! -L F2 ] || fail "create --force through a link did not keep the link"
grep -q "4 block tasks" <($CB status F2) || fail "create --force through a link did not recreate F2"
ln -s nowhere dangling
expect 2 "symbolic link to a missing file" $CB create dangling 10 10
[ ! -e nowhere ] || fail "create made the file a dangling link names"
# "--" ends the options (it looped at 100% CPU)
expect 0 "" $CB status -- F
grep -q "filepath: F" out.txt || fail "status -- F: $(head -c 200 out.txt)"

# ---- outputs: never through a link, never into a device or FIFO ----
echo hello >kept.txt
ln -s kept.txt LINK
echo '{bad' >bad.json
ln -s full fulllink
for o in LINK fulllink; do
    b1=$(id_of $o) b2=$(id_of kept.txt) b3=$(id_of full)
    expect 2 "is a symbolic link" $CB report F -o $o
    expect 2 "" $CB report bad.json -o $o
    expect 2 "is a symbolic link" $CB status F --json $o
    [ "$(id_of $o)|$(id_of kept.txt)|$(id_of full)" = "$b1|$b2|$b3" ] || fail "output $o or what it points to changed"
done
[ "$(cat kept.txt)" = hello ] || fail "the link's file was written: $(head -c 100 kept.txt)"
b=$(id_of full)
expect 2 "$dev" $CB report F -o full
expect 2 "$dev" $CB status F --csv full
[ "$(id_of full)" = "$b" ] || fail "the device node changed or went: $(id_of full 2>&1)"
expect 2 "is a FIFO" $CB status F --json fifo
[ -p fifo ] || fail "the FIFO output is gone"
expect 2 "is a directory" $CB status F --json D
expect 2 "does not exist" $CB status F --json nodir/x.json
cp F Fcopy
expect 2 "the target itself" $CB status Fcopy --json Fcopy
# replaced whole: a failed report leaves the old file, and no temporary file
echo old >out.html
expect 2 "not valid JSON" $CB report bad.json -o out.html
[ "$(cat out.html)" = old ] || fail "a failed report touched the old output"
expect 0 "" $CB report F -o out.html
grep -q "<html" out.html || fail "report -o out.html wrote no page"
expect 0 "" $CB status F --json s.json --csv s.csv
$CB status F --json - >s-stdout.json || fail "status F --json -"
cmp -s s.json s-stdout.json || fail "--json FILE and --json - differ"
$PY -c 'import json,sys; d=json.load(open("s.json")); assert d["tasks"]["total"] == 16, d["tasks"]' ||
    fail "s.json is not the status document"
ls -A | grep -q chunkbench- && fail "temporary files left: $(ls -A | grep chunkbench-)"

# ---- an unwritable output fails before the run, not after it ----
mkdir ro
if chattr +i ro 2>/dev/null; then # read-only even for root
    expect 2 "ro/x.json" mpi 2 $CB write ./F --json ro/x.json
    grep -q "complete:    0" <($CB status F) || fail "write ran although --json ro/x.json cannot be written"
    expect 2 "ro/r.html" $CB report F -o ro/r.html
    chattr -i ro
else
    echo "note: chattr +i unavailable here: the read-only directory case is not run"
fi

# ---- stdout write errors are errors ----
expect 3 "cannot write to standard output: No space left on device" sh -c "$CB status F --json - >/dev/full"
expect 3 "cannot write to standard output: No space left on device" sh -c "$CB status F >/dev/full"
expect 3 "cannot write to standard output: No space left on device" sh -c "$CB status F --csv - >/dev/full"

# ---- long paths (OMPIO sharedfp/lockedfile) and bare names (sharedfp/sm) ----
d=$WORK/long
while [ ${#d} -lt 280 ]; do d=$d/$(printf 'component%030d' ${#d}); done
mkdir -p "$d"
T=$d/target.h5
[ ${#T} -ge 300 ] || fail "the long path is ${#T} characters"
for n in 0 1 2 3; do
    run() { if [ $n = 0 ]; then timeout 60 "$@"; else mpi $n "$@"; fi; }
    names="$T"
    [ $n = 0 ] || [ $n = 2 ] && names="$T B" # the bare name without mpirun and at 2 ranks (it kept failing at any count)
    for t in $names; do
        what="${#t}-character path, $([ $n = 0 ] && echo "no mpirun" || echo "mpirun -n $n")"
        run $CB create "$t" 40 40 --chunk 10,10 --force -q 2>err.txt || fail "create: $what: $(head -c 300 err.txt)"
        run $CB write "$t" -q 2>err.txt || fail "write: $what: $(head -c 300 err.txt)"
        run $CB verify "$t" -q 2>err.txt || fail "verify: $what: $(head -c 300 err.txt)"
        run $CB read "$t" --driver mpio -q 2>err.txt || fail "read mpio: $what: $(head -c 300 err.txt)"
    done
done
grep -q "complete:    16" <($CB status "$T") || fail "the long-path file is not fully written"

finish
