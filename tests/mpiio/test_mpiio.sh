#!/usr/bin/env bash
# The raw MPI-IO baseline (mpiio:PATH): 1-4 ranks x every schedule x io mode
# on a dataset with edge chunks: each write puts every task once into the
# plain file at its documented offset (rawcheck.py reads the bytes with numpy
# and compares them with the generator), verify passes; row and column tasks
# and f4 too; status, report and compare read its task table; bad options are
# refused in one line.
source "$(dirname "$0")/../hdf5/lib.sh"
RAW="$PY $CB_SRC/tests/mpiio/rawcheck.py"
json() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

for n in 1 2 3 4; do
    f=$WORK/m$n.raw
    mpi "$n" "$CHUNKBENCH" create "mpiio:$f" 45 70 --chunk 10,15 -q --seed $((n + 10)) || { fail "create mpiio:$f"; continue; }
    again=
    for sched in block cyclic dynamic; do
        for io in independent collective direct; do
            what="$n ranks, $sched, $io"
            if ! mpi "$n" "$CHUNKBENCH" write "mpiio:$f" --schedule "$sched" --io "$io" $again -q --json "$f.json" 2> "$f.err"; then
                fail "write $what: $(cat "$f.err")"; continue
            fi
            again=--rewrite
            $RAW "$f" "$f.json" > /dev/null || fail "raw bytes after write $what"
            [ "$(json "$f.json" "d['backend'], d['tasks']['complete'], d['tasks']['total']")" = "mpiio 25 25" ] ||
                fail "write $what: $(json "$f.json" "d['backend'], d['tasks']")"
        done
    done
    mpi "$n" "$CHUNKBENCH" verify "mpiio:$f" -q || fail "verify mpiio:$f on $n ranks"
done

# Row and column tasks, f4; read --verify as well as verify.
for it in row col; do
    f=$WORK/$it.raw
    "$CHUNKBENCH" create "mpiio:$f" 30 20 "$it" --dtype f4 -q
    mpi 2 "$CHUNKBENCH" write "mpiio:$f" --schedule cyclic -q --json "$f.json" || fail "write $it tasks"
    $RAW "$f" "$f.json" || fail "raw bytes of $it tasks"
    mpi 2 "$CHUNKBENCH" verify "mpiio:$f" -q || fail "verify $it tasks"
    mpi 2 "$CHUNKBENCH" read "mpiio:$f" --verify -q --json "$f.read.json" || fail "read --verify $it tasks"
    [ "$(json "$f.read.json" "d['verify']['mismatches']")" = "[]" ] || fail "read --verify $it: $(json "$f.read.json" "d['verify']")"
done

# MPI-IO hints reach its open, under OMPIO and ROMIO, and are recorded: what
# MPI_File_get_info reports, and the hint marked not taken exactly when that
# differs (Open MPI 5's ROMIO reports its defaults: tests/hdf5/test_hints.sh).
for io in ompio $(romio_component); do
    mpi 2 --mca io "$io" "$CHUNKBENCH" write "mpiio:$WORK/m2.raw" --rewrite --hint cb_buffer_size=1048576 -q --json "$WORK/hint.json" ||
        fail "write mpiio: with a hint under $io"
    "$PY" - "$WORK/hint.json" <<'PYEOF' || fail "hints of an mpiio: write under $io: $(json "$WORK/hint.json" "d.get('mpi_hints')")"
import json, sys
h = json.load(open(sys.argv[1]))["mpi_hints"]
assert h["asked"] == {"cb_buffer_size": "1048576"}, h
assert ("cb_buffer_size" in h["not_taken"]) == (h["effective"].get("cb_buffer_size") != "1048576"), h
PYEOF
done

# A damaged value is found.
f=$WORK/m2.raw
printf '\x01\x02\x03\x04\x05\x06\x07\x08' | dd of="$f" bs=1 seek=800 conv=notrunc status=none
rc=0; out=$(mpi 2 "$CHUNKBENCH" verify "mpiio:$f" 2>&1) || rc=$?
[ "$rc" = 4 ] && grep -q "mismatch" <<<"$out" || fail "a damaged mpiio: file verified: rc $rc: $out"

# status, report and compare read the table beside it.
f=$WORK/m4.raw
"$CHUNKBENCH" status "mpiio:$f" --json "$WORK/st.json" -q || fail "status mpiio:"
[ "$(json "$WORK/st.json" "d['backend'], d['tasks']['complete'], len(d['writers']) > 0")" = "mpiio 25 True" ] ||
    fail "status of mpiio: $(json "$WORK/st.json" "d['backend'], d['tasks']")"
"$CHUNKBENCH" report "mpiio:$f" -o "$WORK/r.html" -q || fail "report mpiio:"
grep -q "mpiio" "$WORK/r.html" || fail "the report does not name the backend"
h=$WORK/h.h5
"$CHUNKBENCH" create "$h" 45 70 --chunk 10,15 -q
mpi 4 "$CHUNKBENCH" write "$h" -q --json "$WORK/h.json"
"$CHUNKBENCH" compare "$WORK/h.json" "$WORK/m4.raw.json" > "$WORK/cmp.txt" || fail "compare hdf5 and mpiio runs: $(cat "$WORK/cmp.txt")"
grep -qE "^2 +.*m4\.raw\.json +mpiio" "$WORK/cmp.txt" || fail "compare does not show the mpiio run: $(cat "$WORK/cmp.txt")"

# Refused, one line each: HDF5-only options, an existing target, a read by other tasks.
expect 2 "read with MPI-IO: leave --driver out" 0 read "mpiio:$f" --driver sec2
expect 2 "--page-buffer and --chunk-cache are HDF5's caches" 0 read "mpiio:$f" --chunk-cache 1M
expect 2 "--align and --page-size lay out HDF5 files" 0 create "mpiio:$WORK/new.raw" 10 10 --align 4096
expect 2 "--tasks-per-call: the mpiio backend writes one task a request" 0 write "mpiio:$f" --tasks-per-call 4
expect 5 "already exists; use --force to replace it" 0 create "mpiio:$f" 10 10
expect 2 "not one of this mpiio: target's block tasks" 0 read "mpiio:$f" --iter row
expect 2 "does not exist; create it first" 0 status "mpiio:$WORK/none.raw"
[ ! -e "$WORK/new.raw" ] && [ ! -e "$WORK/new.raw.chunkbench-tasks.h5" ] || fail "a refused create left files"
"$CHUNKBENCH" create "mpiio:$f" 10 10 --force -q || fail "create --force over an mpiio: target"
[ "$(stat -c %s "$f")" = 0 ] || fail "create --force kept the old data"
finish
