#!/usr/bin/env bash
# MPI-IO hints (--hint, --hints-file, --stripe-count/--stripe-size): what was
# asked and what MPI_File_get_info reports for the file HDF5 opened, in the
# text and JSON of create, run, write, verify and read, under OMPIO and ROMIO;
# bad hints refused in one line before anything is opened; the file still
# verifies and h5py reads it.
source "$(dirname "$0")/lib.sh"


# Both formats, comments and blank lines.
cat > "$WORK/hints" <<'EOF'
# IOR's form, then ROMIO_HINTS' form
IOR_HINT__MPI__romio_cb_write=enable

cb_buffer_size   8388608
EOF

# What each MPI-IO layer does with the hints asked (README): TAKEN must be
# in the effective record with their values, NOT_TAKEN listed as not taken.
#   Open MPI 4.1 (OMPIO and ROMIO): MPI_File_get_info returns the info it was
#     given, unknown keys too ("echoed").
#   Open MPI 5.0 OMPIO: the keys it knows (cb_buffer_size, cb_nodes).
#   Open MPI 5.0 ROMIO (romio341): its own defaults, whatever was asked
#     (also when MPI_File_open is called directly, and ROMIO_PRINT_HINTS
#     agrees); cb_nodes=1 happens to be its default on one host.
#   MPICH's ROMIO: the ROMIO keys asked, not the unknown one.
expectations() { # IO: sets TAKEN, NOT_TAKEN, ECHO
  # sed, not head: head leaves after one line, and under pipefail the
  # launcher's SIGPIPE on its later lines (MPICH's mpiexec writes ten, half
  # the time after head left) ended the script without a word.
  local v; v=$(${CB_MPIEXEC:-mpirun} --version 2>&1 | sed -n 1p)
  ECHO=0
  if [[ $v == *"Open MPI"*" 4."* ]]; then
    TAKEN="romio_cb_write cb_buffer_size cb_nodes chunkbench_no_such_hint" NOT_TAKEN="" ECHO=1
  elif [[ $v == *"Open MPI"* && $1 == ompio ]]; then
    TAKEN="cb_buffer_size cb_nodes" NOT_TAKEN="romio_cb_write chunkbench_no_such_hint"
  elif [[ $v == *"Open MPI"* ]]; then
    TAKEN="" NOT_TAKEN="romio_cb_write cb_buffer_size chunkbench_no_such_hint"
  else
    TAKEN="romio_cb_write cb_buffer_size cb_nodes" NOT_TAKEN="chunkbench_no_such_hint"
  fi
}

# check_record JSON WHAT: the record of the run's MPI-IO open, as expected.
check_record() {
  $PY - "$1" "$2" "$TAKEN" "$NOT_TAKEN" "$ECHO" "$OPENMPI" <<'PYEOF' || fail "$2: the hints record in $1"
import json, sys
doc = json.load(open(sys.argv[1]))
what, taken, not_taken, echo, openmpi = sys.argv[2], sys.argv[3].split(), sys.argv[4].split(), sys.argv[5] == "1", sys.argv[6] == "1"
h = doc["mpi_hints"]
asked, eff, nt = h["asked"], h["effective"], h["not_taken"]
want = {"romio_cb_write": "enable", "cb_buffer_size": "8388608", "cb_nodes": "1", "chunkbench_no_such_hint": "1"}
assert asked == want, asked  # from the file (both forms) and the command line
for k in taken:
    assert eff.get(k) == want[k] and k not in nt, (what, k, eff, nt)
for k in not_taken:
    assert k in nt, (what, k, eff, nt)
assert h["echoed"] is echo, (what, h["echoed"])
assert "stack" not in doc or openmpi == ("Open MPI" in doc["stack"]["mpi"]), doc["stack"]
# not_taken is exactly the asked keys absent from, or different in, the effective info
assert nt == [k for k, v in asked.items() if eff.get(k) != v], h
PYEOF
}

f=$WORK/h.h5
HINTS=(--hints-file "$WORK/hints" --hint cb_nodes=1 --hint chunkbench_no_such_hint=1)
# Open MPI: its two MPI-IO components in turn; another MPI: its own (ROMIO).
OPENMPI=0
# The version in a variable first: grep -q exits at its match, and a launcher
# still writing would die of SIGPIPE (the pipe then fails under pipefail).
if grep -q "Open MPI" <<<"$(${CB_MPIEXEC:-mpirun} --version 2>&1)"; then OPENMPI=1 IOS="ompio $(romio_component)"; else IOS=default; fi
for io in $IOS; do
  expectations "$io"
  rm -f "$f"
  MCA=(); [ "$io" = default ] || MCA=(--mca io "$io")
  # Striping at create; the write phase of the same run opens with the hints only.
  mpi 2 "${MCA[@]}" "$CHUNKBENCH" run "$f" 200 300 --chunk 50,100 "${HINTS[@]}" --stripe-count 2 --stripe-size 1M \
    --json "$WORK/run-$io.json" > "$WORK/run-$io.txt" || fail "$io: run with hints"
  check_record "$WORK/run-$io.json" "$io run"
  # create's own line: asked with the striping, as reported back.
  grep -A1 '^created ' "$WORK/run-$io.txt" | grep -q '^hints: .*asked .*striping_factor=2, striping_unit=1048576' ||
    fail "$io: no create hints line with the striping: $(grep -A1 '^created' "$WORK/run-$io.txt")"
  $PY - "$WORK/run-$io.json" <<'PYEOF' || fail "$io: the write record names the striping"
import json, sys
h = json.load(open(sys.argv[1]))["mpi_hints"]
assert "striping_factor" not in h["asked"], h  # create's hints, not the write open's
PYEOF
  if [[ " $TAKEN " == *" cb_buffer_size "* ]]; then
    grep -q '^hints: .*asked .*cb_nodes=1.*effective (MPI_File_get_info) .*cb_buffer_size=8388608' "$WORK/run-$io.txt" ||
      fail "$io: no hints line in the write report"
  else
    grep -q '^hints: .*asked .*cb_nodes=1.*effective (MPI_File_get_info) .*not taken: .*cb_buffer_size' "$WORK/run-$io.txt" ||
      fail "$io: the write report does not say cb_buffer_size was not taken"
  fi
  # verify and read with the same hints: their JSON carries the record too.
  mpi 2 "${MCA[@]}" "$CHUNKBENCH" verify "$f" "${HINTS[@]}" --json "$WORK/verify-$io.json" > "$WORK/verify.txt" ||
    fail "$io: verify with hints: $(tail -3 "$WORK/verify.txt")"
  check_record "$WORK/verify-$io.json" "$io verify"
  grep -q '^OK: 0 tasks with mismatches' "$WORK/verify.txt" || fail "$io: verify not OK"
  mpi 2 "${MCA[@]}" "$CHUNKBENCH" read "$f" --verify "${HINTS[@]}" --json "$WORK/read-$io.json" -q ||
    fail "$io: read with hints"
  check_record "$WORK/read-$io.json" "$io read"
done

# status --json has the last write's record, as stored in the file.
expectations "${IOS##* }"
"$CHUNKBENCH" status "$f" --json "$WORK/status.json" -q || fail "status --json"
check_record "$WORK/status.json" "status"

# The HTML report has the record as a card.
"$CHUNKBENCH" report "$WORK/run-${IOS%% *}.json" -o "$WORK/r.html" -q || fail "report of a run with hints"
grep -q '<h4>MPI-IO hints</h4>' "$WORK/r.html" && grep -q '<td>chunkbench_no_such_hint</td><td>1</td>' "$WORK/r.html" ||
  fail "the HTML report has no MPI-IO hints card"

# A file made with hints is an ordinary file: it verifies without them, h5py reads it.
mpi 2 "$CHUNKBENCH" verify "$f" -q || fail "verify without hints"
$PY - "$f" <<'PYEOF' || fail "h5py cannot read the file written with hints"
import h5py, sys
with h5py.File(sys.argv[1], "r") as h:
    assert h["dset"].shape == (200, 300), h["dset"].shape
    assert h["dset"].chunks == (50, 100), h["dset"].chunks
    t = h["task_list"][:]
    assert len(t) == 12 and all(t["status"] == 1), t["status"]
    assert float(h["dset"][199, 299]) != 0.0 or float(h["dset"][0, 0]) != 0.0
PYEOF

# Without hints there is nothing asked, and no hints line to print under Open MPI.
mpi 2 "$CHUNKBENCH" write "$f" --rewrite --json "$WORK/plain.json" > "$WORK/plain.txt" || fail "write without hints"
$PY -c 'import json,sys; h=json.load(open(sys.argv[1]))["mpi_hints"]; assert h["asked"]=={} and h["not_taken"]==[], h' \
  "$WORK/plain.json" || fail "record of a run without hints"
"$CHUNKBENCH" status "$f" --json - | $PY -c 'import json,sys; h=json.load(sys.stdin).get("mpi_hints"); assert h is None or h["asked"]=={}, h' ||
  fail "status after a write without hints still shows the old hints"

# Bad input: one line, exit 2, before anything is opened (the target is not made).
n=$WORK/new.h5
printf 'cb_nodes 1\ncb_buffer_size\n' > "$WORK/bad1"
expect 2 "hints file $WORK/bad1 line 2: 'cb_buffer_size' is neither 'key value' (ROMIO_HINTS) nor 'IOR_HINT__MPI__key=value' (IOR)" 2 create "$n" 10 10 --hints-file "$WORK/bad1"
printf '# ok\nIOR_HINT__MPI__cb_nodes\n' > "$WORK/bad2"
expect 2 "line 2: 'IOR_HINT__MPI__cb_nodes' needs the form IOR_HINT__MPI__key=value" 2 run "$n" 10 10 --hints-file "$WORK/bad2"
printf 'cb_nodes=1\n' > "$WORK/bad3"
expect 2 "line 1: 'cb_nodes=1' is neither" 0 create "$n" 10 10 --hints-file "$WORK/bad3"
printf 'IOR_HINT__GPFS__x=1\n' > "$WORK/bad4"
expect 2 "an IOR hint for another layer" 0 create "$n" 10 10 --hints-file "$WORK/bad4"
expect 2 "--hints-file $WORK/nope: No such file or directory" 0 create "$n" 10 10 --hints-file "$WORK/nope"
expect 2 "--hint takes KEY=VALUE, got 'cb_nodes'" 2 create "$n" 10 10 --hint cb_nodes
expect 2 "--hint takes KEY=VALUE, got '=1'" 0 create "$n" 10 10 --hint =1
expect 2 "hint 'cb_nodes' has an empty value" 0 create "$n" 10 10 --hint cb_nodes=
[ -e "$n" ] && fail "a refused create left $n behind"
expect 2 "hints file $WORK/bad1 line 2" 2 write "$f" --hints-file "$WORK/bad1"
expect 2 "option --stripe-count does not apply to write" 0 write "$f" --stripe-count 2
# Backends that open no MPI-IO file refuse them.
expect 2 "--driver sec2 opens the file without MPI-IO" 2 read "$f" --driver sec2 --hint cb_nodes=1
expect 2 "--driver ros3 opens the file without MPI-IO" 0 read http://127.0.0.1:9/x.h5 --hints-file "$WORK/hints"
expect 2 "an HSDS domain is written over HTTP: leave them out" 0 write hdf5://home/u/t.h5 --hint cb_nodes=1
expect 2 "an HSDS domain is written over HTTP: leave them out" 0 create hdf5://home/u/t.h5 10 10 --stripe-count 2
finish
