#!/usr/bin/env bash
# --values: every generator, f8 and f4, written on 2 ranks, is bit-identical to
# numpy's copy (cbcheck.py reads the generator from the file's `values`
# attribute), verifies, and a damaged value is found; each deflates as README
# says (values_deflate.py); the generator is reported and stored like the seed.
source "$(dirname "$0")/lib.sh"
HERE=$(dirname "$0")
files=()
for gen in uniform smooth repeat:0.9 zeros; do
  for dt in f8 f4; do
    f=$WORK/${gen/:/_}_$dt.h5
    "$CHUNKBENCH" create "$f" 2000 2000 --dtype "$dt" --values "$gen" --seed 5 -q || fail "create --values $gen --dtype $dt"
    mpi 2 "$CHUNKBENCH" write "$f" --json "$WORK/w.json" -q || fail "write $gen $dt"
    "$CHUNKBENCH" verify "$f" -q || fail "verify $gen $dt"
    $PY -c 'import json, sys; d = json.load(open(sys.argv[1])); assert (d["values"], d["seed"]) == (sys.argv[2], 5), d["values"]' \
      "$WORK/w.json" "$gen" || fail "write --json of $gen: values key"
    "$CHUNKBENCH" status "$f" | grep -qxF "values:       $gen, seed 5" || fail "status of $gen: no values line"
    files+=("$f")
  done
done
$CHECK "${files[@]}" || fail "values differ from numpy's generators"
$PY "$HERE/values_deflate.py" "${files[@]}" || fail "a generator does not deflate as README says"

# A damaged value is found, whatever the generator (zeros' 0.0 becomes 0.5,
# any other value its negation or 1.0).
for gen in smooth repeat_0.9 zeros; do
  f=$WORK/${gen}_f8.h5
  $PY - "$f" <<'PYEOF'
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    v = float(f["dset"][1234, 567])
    f["dset"][1234, 567] = 0.5 if v == 0 else -v
PYEOF
  rc=0; "$CHUNKBENCH" verify "$f" > "$WORK/v.out" 2>&1 || rc=$?
  [ "$rc" = 4 ] && grep -q "1234" "$WORK/v.out" || fail "verify of damaged $gen: rc=$rc, $(head -c 300 "$WORK/v.out")"
  rc=0; mpi 2 "$CHUNKBENCH" read "$f" --verify -q > /dev/null 2>&1 || rc=$?
  [ "$rc" = 4 ] || fail "read --verify of damaged $gen: rc=$rc"
done
mpi 2 "$CHUNKBENCH" read "$WORK/smooth_f4.h5" --verify -q > /dev/null || fail "read --verify smooth f4"
# The HTML report names the generator.
"$CHUNKBENCH" report "$WORK/smooth_f4.h5" -o "$WORK/smooth.html" -q || fail "report of a smooth dataset"
grep -q "<tr><td>values</td><td>smooth</td>" "$WORK/smooth.html" || fail "the report does not name the values' generator"

# A file without the attribute (made before --values) holds uniform values.
f=$WORK/uniform_f8.h5
$PY -c 'import sys, h5py; f = h5py.File(sys.argv[1], "r+"); del f.attrs["values"]; f.close()' "$f"
"$CHUNKBENCH" verify "$f" -q || fail "verify of a file without a values attribute"
"$CHUNKBENCH" status "$f" | grep -qxF "values:       uniform, seed 5" || fail "no attribute: not reported as uniform"
# One this chunkbench does not know is refused, not guessed.
$PY -c 'import sys, h5py; f = h5py.File(sys.argv[1], "r+"); f.attrs["values"] = "fractal"; f.close()' "$f"
expect 2 "generator 'fractal', which this chunkbench does not know" 2 write "$f" --rewrite
expect 2 "generator 'fractal'" 0 verify "$f"

# run takes --values too; write keeps what create stored, across a resume.
f=$WORK/run.h5
mpi 2 "$CHUNKBENCH" run "$f" 1000 1000 --chunk 250,250 --values repeat:0.25 --max-tasks 3 -q > /dev/null || fail "run --values"
mpi 2 "$CHUNKBENCH" write "$f" -q || fail "resume of a repeat:0.25 file"
$CHECK "$f" || fail "run --values repeat:0.25: values differ from numpy's"
finish
