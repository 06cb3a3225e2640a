#!/usr/bin/env bash
# read --pattern: random boxes, strided slices, point files and random
# points, at 1 and 3 ranks, block and dynamic schedules, mpio and sec2
# (and collective, cyclic).
# Every selection is read once (the JSON's tasks), --verify passes, and the
# selections' elements and value sum equal what h5py reads of the same
# selections, recomputed here from the README's definition (splitmix64 for
# the random ones). A value changed in a copy fails --verify (exit 4) for a
# pattern that touches it; bad patterns fail in one line with exit 2.
source "$(dirname "$0")/../hdf5/lib.sh"
f=$WORK/a.h5
"$CHUNKBENCH" create "$f" 370 530 --chunk 100,160 -q --seed 9
mpi 2 "$CHUNKBENCH" write "$f" -q || fail "write"
sum=$(md5sum < "$f")
printf '# row col\n0 0\n369 529\n\n5 7\n100 160\n21 25   # a comment\n200 3\n' > "$WORK/p.txt"

CHECK_PATTERN="$PY $CB_SRC/tests/read/pattern_check.py"

run() {  # run NP DRIVER SCHED SPEC [OPTS...]: a verified read, checked
  local np=$1 drv=$2 sched=$3 spec=$4; shift 4
  local out
  out=$(mpi "$np" "$CHUNKBENCH" read "$f" --pattern "$spec" "$@" --driver "$drv" --schedule "$sched" --verify \
        --json "$WORK/r.json" 2>&1) || { fail "read np=$np $drv $sched $spec $*: $out"; return; }
  echo "$out" | grep -q "^verify:       OK: 0 tasks with mismatches$" || fail "no verify line: $spec $*"
  echo "$out" | grep -q "^pattern:      $spec: [0-9]* of [0-9]* selections read" || fail "no pattern line: $spec: $out"
  echo "$out" | grep -q "^pattern (s):  min " || fail "no latency line: $spec"
  $CHECK_PATTERN "$WORK/r.json" "$f" "$spec" "$@" || fail "figures np=$np $drv $sched $spec $*"
}
# Each rank count with both schedules, each driver at both rank counts and
# with both schedules (pairs, not the full product: the test stays short).
for combo in "1 mpio block" "1 sec2 dynamic" "3 sec2 block" "3 mpio dynamic"; do
  set -- $combo
  run $1 $2 $3 random:16x24 --count 30 --seed 5
  run $1 $2 $3 stride:3:370:7,5:530:11
  run $1 $2 $3 "points:$WORK/p.txt" --group 2
  run $1 $2 $3 points:300
done
run 3 mpio cyclic stride:::3,::2 --group 5 --io collective
run 3 mpio block random:100x160 --count 7 --io collective
run 2 sec2 block random:370x530 --count 2   # the whole dataset is one box
[ "$(md5sum < "$f")" = "$sum" ] || fail "read modified the file"
# report and compare take a pattern read's JSON.
"$CHUNKBENCH" report "$WORK/r.json" -o "$WORK/r.html" > /dev/null || fail "report of a pattern read"
"$CHUNKBENCH" compare "$WORK/r.json" "$WORK/r.json" --csv > /dev/null || fail "compare of pattern reads"

# A changed value: found by a pattern that reads it, not by one that misses it.
g=$WORK/bad.h5
cp "$f" "$g"
$PY -c "
import h5py, sys
with h5py.File(sys.argv[1], 'r+') as f:
    f['dset'][21, 25] = 7.0   # on stride 0::7,3::11 and in p.txt; not on rows 1::7
" "$g"
for spec in stride:0:370:7,3:530:11 "points:$WORK/p.txt"; do
  for drv in mpio sec2; do
    rc=0; out=$(mpi 3 "$CHUNKBENCH" read "$g" --pattern "$spec" --driver $drv --verify 2>&1) || rc=$?
    [ $rc -eq 4 ] || fail "a changed value not found by $spec ($drv): rc=$rc"
    echo "$out" | grep -q "^verify:       FAILED: 1 tasks with mismatches$" || fail "no FAILED line for $spec: $out"
  done
done
mpi 2 "$CHUNKBENCH" read "$g" --pattern stride:1:370:7,: --verify -q || fail "a pattern that misses the change failed"
# A random box over the change (the whole dataset), and the changed point alone.
rc=0; mpi 2 "$CHUNKBENCH" read "$g" --pattern random:370x530 --count 1 --verify -q > /dev/null 2>&1 || rc=$?
[ $rc -eq 4 ] || fail "random box over the change: rc=$rc"
echo "21 25" > "$WORK/one.txt"
rc=0; mpi 3 "$CHUNKBENCH" read "$g" --pattern "points:$WORK/one.txt" --schedule dynamic --verify -q > /dev/null 2>&1 || rc=$?
[ $rc -eq 4 ] || fail "the changed point: rc=$rc"

# Bad patterns: one line naming the problem, exit 2, before any data is read, on all ranks.
expect 2 "unknown pattern; use random:ROWSxCOLS" 3 read "$f" --pattern bogus:1
expect 2 "random takes a box shape ROWSxCOLS" 3 read "$f" --pattern random:16
expect 2 "random takes a box shape ROWSxCOLS" 0 read "$f" --pattern random:0x4
expect 2 "stride takes two numpy slices" 0 read "$f" --pattern stride:1:2:0,:
expect 2 "stride takes two numpy slices" 0 read "$f" --pattern stride:::2
expect 2 "slice 1 selects nothing" 0 read "$f" --pattern stride:9:3,:
expect 2 "random:400x3 is larger than the 370 x 530 dataset" 3 read "$f" --pattern random:400x3
expect 2 "the column slice 0:531 reaches past the dataset's 530 columns" 3 read "$f" --pattern stride::,0:531
echo "3 530" > "$WORK/out.txt"
expect 2 "point (3, 530) on line 1 is outside the 370 x 530 dataset" 3 read "$f" --pattern "points:$WORK/out.txt"
printf '1 2\n1 2 3\n' > "$WORK/three.txt"
expect 2 "line 2 has more than \"row col\"" 0 read "$f" --pattern "points:$WORK/three.txt"
expect 2 "cannot open the file" 0 read "$f" --pattern "points:$WORK/none.txt"
expect 2 "the file has no points" 0 read "$f" --pattern "points:/dev/null"
expect 2 "--count is the number of random" 0 read "$f" --pattern stride:::2,: --count 3
expect 2 "--group applies to stride and points" 0 read "$f" --pattern random:2x2 --group 3
expect 2 "--count and --group shape a --pattern read" 0 read "$f" --count 3
expect 2 "leave --iter out" 0 read "$f" --pattern random:2x2 --iter row
expect 2 "use --io independent" 3 read "$f" --pattern points:10 --io collective
expect 2 "--io direct moves whole chunks" 3 read "$f" --pattern random:2x2 --io direct
expect 2 "the mpiio backend does not read selections yet" 0 read "mpiio:$WORK/x.bin" --pattern random:2x2
finish
