#!/usr/bin/env bash
# One open of the file for several datasets (atl06_lib.sh's granules): the
# seed's three variables of gt1l (h_li, latitude, longitude) read from the
# paged layout with the tuned preset, by sec2, ros3 and curl (blockcache,
# 8 MiB blocks), are read in one open of the file, --open-each in one each:
#  - the opens, counted where they happen: sec2's open(2) of the file
#    (strace), ros3's and curl's HEADs in nginx's access log. A read of one
#    dataset opens the file twice (rank 0's lookup open that describes it,
#    then the timed open); two or three datasets in one open cost the same
#    two opens (one lookup describes them all), --open-each three times that;
#  - in the request log (--log, one CSV per dataset), the reads at offset 0
#    (the superblock): as many as a read of one dataset makes, all in the
#    first dataset's CSV; --open-each: three times that, in each CSV alike;
#  - values (checksums) and bytes equal h5py's, one open or one each;
#  - the bytes requested drop against --open-each (pages and blocks fetched
#    once), and the total's open_close_s is its wall_s in one open;
#  - two ranks with mpio: one parallel open (offset-0 reads of one dataset's
#    read), values as h5py's;
#  - a dataset that fails (k = 2 of 3, a compound type) still closes the
#    file on every rank: one error line, exit 2, no hang.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$(dirname "$0")/nginx.sh"
source "$(dirname "$0")/atl06_lib.sh"
G=/gt1l/land_ice_segments
THREE=("$G/h_li" "$G/latitude" "$G/longitude")
F=$V/page-only-8mb.h5
U=$URL/page-only-8mb.h5
LOG=$NG/access.log

# count DRIVER N [OPTIONS]: a read of the first N of THREE on one rank; prints
# the opens counted (sec2: open(2) of the file; else HEADs nginx logged). Run
# in $(...): a failed read ends the test (set -e) with its output on stderr.
count() {
  local drv=$1 n=$2; shift 2
  local t=$F; [ "$drv" = sec2 ] || t=$U
  rm -f "$WORK"/r*.json "$WORK"/l*.csv
  : > "$LOG"
  if [ "$drv" = sec2 ]; then
    strace -f -qq -e trace=openat,open -o "$WORK/st" "$CHUNKBENCH" read "$t" "${THREE[@]:0:$n}" --driver $drv \
      --preset tuned "$@" --json "$WORK/r.json" --log "$WORK/l.csv" -q > "$WORK/out" 2>&1 || { echo "FAIL: read $drv $n $*: $(cat "$WORK/out")" >&2; exit 1; }
    grep -c "\"$F\", O_RDONLY)" "$WORK/st"
  else
    "$CHUNKBENCH" read "$t" "${THREE[@]:0:$n}" --driver $drv --preset tuned "$@" --json "$WORK/r.json" \
      --log "$WORK/l.csv" -q > "$WORK/out" 2>&1 || { echo "FAIL: read $drv $n $*: $(cat "$WORK/out")" >&2; exit 1; }
    sleep 0.2 # nginx writes its log line after the response
    grep -c "^HEAD " "$LOG" || true
  fi
}

# zeros CSV...: the requests at offset 0 in each CSV, space-separated.
zeros() { for f in "$@"; do awk -F, 'NR > 1 && $3 == 0' "$f" | wc -l; done | tr '\n' ' ' | sed 's/ $//'; }

# values: r.json's three datasets against h5py's (expect.json, page-only-8mb).
values() {
  $PY - "$WORK/expect.json" "$WORK/r.json" "$1" <<'PYEOF' || fail "values $2"
import json, sys
exp = {e[0]: e[1:3] for e in json.load(open(sys.argv[1]))["page-only-8mb"]}
t = json.load(open(sys.argv[2]))
assert t["total"]["opens"] == int(sys.argv[3]), t["total"]
for d in t["datasets"]:
    assert [d["read_bytes"], d["checksum"]] == exp[d["dataset"]], (d, exp[d["dataset"]])
    one = json.load(open(d["json"]))
    assert one["open"] == ("shared" if t["total"]["opens"] == 1 else "own"), one["open"]
    assert one["checksum"] == d["checksum"] and one["requests"]["count"] == d["requests"]
assert [d["dataset"] for d in t["datasets"]] == ["/gt1l/land_ice_segments/" + v for v in ("h_li", "latitude", "longitude")]
PYEOF
}

total() { $PY -c "import json,sys; print(int(json.load(open(sys.argv[1]))['total'][sys.argv[2]]))" "$WORK/r.json" "$1"; }

for drv in sec2 ros3 curl; do
  opts=(); [ $drv = curl ] && opts=(--cache-type blockcache --block-size 8M)
  c1=$(count $drv 1 "${opts[@]}"); z1=$(zeros "$WORK/l.csv")
  c2=$(count $drv 2 "${opts[@]}")
  c3=$(count $drv 3 "${opts[@]}"); z3=$(zeros "$WORK"/l-{1,2,3}.csv)
  values 1 "$drv one open"
  one_bytes=$(total request_bytes)
  c3e=$(count $drv 3 "${opts[@]}" --open-each); z3e=$(zeros "$WORK"/l-{1,2,3}.csv)
  values 3 "$drv --open-each"
  each_bytes=$(total request_bytes)
  echo "$drv: opens counted 1/2/3 datasets $c1/$c2/$c3, --open-each $c3e; offset-0 reads $z1 | $z3 | $z3e; requested $one_bytes vs $each_bytes bytes"
  [ "$c1" -ge 2 ] || fail "$drv: a read of one dataset counted $c1 opens, want the lookup's and the timed open's"
  [ "$c2" = "$c1" ] && [ "$c3" = "$c1" ] ||
    fail "$drv: 1/2/3 datasets in one open counted $c1/$c2/$c3 opens, want one lookup and one open alike"
  [ "$c3e" = $((3 * c1)) ] || fail "$drv --open-each: $c3e opens counted, want $((3 * c1))"
  [ "${z1:-0}" -ge 1 ] || fail "$drv: no read at offset 0 in a read of one dataset"
  [ "$z3" = "$z1 0 0" ] || fail "$drv: offset-0 reads per dataset $z3, want '$z1 0 0' (one open)"
  [ "$z3e" = "$z1 $z1 $z1" ] || fail "$drv --open-each: offset-0 reads $z3e, want '$z1 $z1 $z1'"
  [ "$one_bytes" -gt 0 ] && [ "$one_bytes" -lt "$each_bytes" ] ||
    fail "$drv: one open requested $one_bytes bytes, not fewer than --open-each's $each_bytes"
done

# The text's total line names the one open, --open-each the sum of opens.
out=$("$CHUNKBENCH" read "$F" "${THREE[@]}" --driver sec2 --preset tuned)
echo "$out" | grep -Eq "^total:        3 datasets, 0\.[0-9]{3} MB read in [0-9.]+ s open to close \(one open of the file\); [1-9][0-9]* requests" ||
  fail "total text, one open: $(echo "$out" | grep total)"
out=$("$CHUNKBENCH" read "$F" "${THREE[@]}" --driver sec2 --open-each)
echo "$out" | grep -Eq "^total:        3 datasets, .* open to close \(summed over 3 opens; [0-9.]+ s first open to last close\)" ||
  fail "total text, --open-each: $(echo "$out" | grep total)"

# Two ranks, one parallel open (MPI-IO): the superblock read as often as a
# read of one dataset reads it, values as h5py's.
rm -f "$WORK"/r*.json "$WORK"/l*.csv
mpi 2 "$CHUNKBENCH" read "$F" "$G/h_li" --driver mpio --log "$WORK/l.csv" -q || fail "mpio one dataset"
z1=$(zeros "$WORK/l.csv")
mpi 2 "$CHUNKBENCH" read "$F" "${THREE[@]}" --driver mpio --json "$WORK/r.json" --log "$WORK/l.csv" -q || fail "mpio three"
z3=$(zeros "$WORK"/l-{1,2,3}.csv)
[ "$z3" = "$z1 0 0" ] || fail "mpio: offset-0 reads per dataset $z3, want '$z1 0 0'"
values 1 "mpio one open"

# Dataset 2 of 3 cannot be read, found only inside the open (its filter,
# h5py's lzf, is not in this HDF5): one error line naming it, exit 3, every rank
# closes (no hang: the test's timeout would show it).
$PY - "$WORK/bad.h5" <<'PYEOF'
import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    f["a"] = np.arange(100, dtype="f4")
    f.create_dataset("b", data=np.arange(1000, dtype="f4"), chunks=(100,), compression="lzf")
    f["c"] = np.arange(100, dtype="f8")
PYEOF
for drv in sec2 mpio; do
  expect 3 "^chunkbench: error: dataset /b (2 of 3): reading task 0 .*: H5Dread .* failed" 2 read "$WORK/bad.h5" /a /b /c --driver $drv
done
finish
