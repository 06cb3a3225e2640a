#!/usr/bin/env bash
# read --pattern over HTTP against a real nginx on 127.0.0.1: ros3 and the
# curl driver (no cache, and blockcache) read random boxes, a strided slice
# and random points; the figures equal h5py's read of the same selections
# (pattern_check.py), and every request the log has reached nginx as that
# byte range, answered 206.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$(dirname "$0")/nginx.sh"
nginx_serve '$request_method $status "$http_range"' "$WORK"
PREFIX=$(ros3_open_prefix)
CHECK_PATTERN="$PY $CB_SRC/tests/read/pattern_check.py"

"$CHUNKBENCH" create "$WORK/a.h5" 370 530 --chunk 100,160 -q --seed 4
mpi 2 "$CHUNKBENCH" write "$WORK/a.h5" -q || fail "write"
for drv in "ros3" "curl" "curl --cache-type blockcache --block-size 64K"; do
  for spec in "random:8x40 --count 25 --seed 2" "stride:5:370:9,::13 --group 4" "points:200 --seed 8"; do
    : > "$NG/access.log"
    # shellcheck disable=SC2086  # the driver and the spec carry their options
    out=$(mpi 2 "$CHUNKBENCH" read "$URL/a.h5" --driver $drv --pattern $spec --schedule dynamic --verify \
          --log "$WORK/log.csv" --json "$WORK/r.json" 2>&1) || { fail "read $drv $spec: $out"; continue; }
    echo "$out" | grep -q "^verify:       OK: 0 tasks with mismatches$" || fail "verify line $drv $spec"
    # shellcheck disable=SC2086
    $CHECK_PATTERN "$WORK/r.json" "$WORK/a.h5" $spec || fail "figures $drv $spec"
    # ros3 on HDF5 1.14 serves reads in the file's first 16 MiB (all of it
    # here) from the GET it makes at open (tests/read/test_ros3.sh).
    prefix=0; [ "$drv" = ros3 ] && prefix=$PREFIX
    $PY - "$NG/access.log" "$WORK/log.csv" "$WORK/r.json" "$prefix" <<'PYEOF' || fail "log vs nginx $drv $spec"
import collections, csv, json, re, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("GET")]
assert all(" 206 " in l for l in lines), [l for l in lines if " 206 " not in l][:3]
served = collections.Counter(re.search(r'"bytes=(\d+-\d+)"', l).group(1) for l in lines)
rows = list(csv.DictReader(open(sys.argv[2])))
logged = collections.Counter(f'{r["offset"]}-{int(r["offset"]) + int(r["size"]) - 1}' for r in rows)
beyond = collections.Counter(f'{r["offset"]}-{int(r["offset"]) + int(r["size"]) - 1}' for r in rows
                             if int(r["offset"]) >= int(sys.argv[4]))
assert logged and not beyond - served, beyond - served
d = json.load(open(sys.argv[3]))
assert d["pattern"]["requests_per_selection"] == sum(logged.values()) / d["pattern"]["selections_read"]
PYEOF
  done
done
finish
