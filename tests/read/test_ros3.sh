#!/usr/bin/env bash
# read over HTTP with HDF5's ROS3 driver against a real nginx on 127.0.0.1:
# the data verifies, and every request in chunkbench's log is a range request
# nginx answered 206 (counts agree once the bookkeeping open is counted).
# Then servers that fail: unreachable, 404, not HDF5, Range ignored.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$(dirname "$0")/nginx.sh"
nginx_serve '$request_method $status "$http_range"' "$WORK"

# HDF5 1.14's ros3 (seen on 1.14.5) GETs the file's first 16 MiB at every
# open and serves the reads inside them itself: they are in the request log
# (HDF5's reads of the driver) but never reach nginx, which instead serves
# one GET of that prefix per open. These files are all prefix there.
PREFIX=$(ros3_open_prefix)
"$CHUNKBENCH" create "$WORK/a.h5" 370 530 --chunk 100,160 -q
mpi 2 "$CHUNKBENCH" write "$WORK/a.h5" -q || fail "write"
FSIZE=$(stat -c %s "$WORK/a.h5")
count_get() { grep -c '^GET 206 "bytes=' "$NG/access.log" || true; }
: > "$NG/access.log"
"$CHUNKBENCH" status "$URL/a.h5" -q || fail "status over HTTP"
lookup=$(count_get)
: > "$NG/access.log"
for sched in block dynamic; do
  : > "$NG/access.log"
  out=$(mpi 2 "$CHUNKBENCH" read "$URL/a.h5" --schedule $sched --verify --log "$WORK/log.csv" --json "$WORK/r.json" 2>&1) || fail "ros3 read $sched: $out"
  echo "$out" | grep -q "^verify:       OK" || fail "ros3 verify line $sched"
  got=$(count_get); logged=$(($(wc -l < "$WORK/log.csv") - 1))
  [ "$PREFIX" -gt 0 ] || [ "$got" -eq $((lookup + logged)) ] ||
    fail "nginx answered $got range GETs; log has $logged + $lookup for the lookup"
  grep -v '^GET 206\|^HEAD 200' "$NG/access.log" && fail "nginx saw other requests"
  $PY - "$NG/access.log" "$WORK/log.csv" "$WORK/r.json" "$PREFIX" "$FSIZE" <<'PYEOF' || fail "log ranges vs nginx $sched"
import collections, csv, json, re, sys
served = collections.Counter(re.search(r'"bytes=(\d+-\d+)"', l).group(1) for l in open(sys.argv[1]) if l.startswith("GET"))
prefix = min(int(sys.argv[4]), int(sys.argv[5]))
rows = list(csv.DictReader(open(sys.argv[2])))
logged = collections.Counter(f'{r["offset"]}-{int(r["offset"]) + int(r["size"]) - 1}' for r in rows
                             if int(r["offset"]) >= prefix)
assert not logged - served, logged - served          # every logged read past the prefix reached nginx as that range
if prefix:
    whole = f"0-{prefix - 1}"
    # The rest: the probe's 8 bytes, one prefix GET an open (2 ranks at least),
    # and logged reads inside the prefix that ros3 still sent (the end of
    # the file, read at open before the prefix is in).
    inside = {f'{r["offset"]}-{int(r["offset"]) + int(r["size"]) - 1}' for r in rows}
    assert set(served - logged) <= {"0-7", whole} | inside and served[whole] >= 2, served - logged
d = json.load(open(sys.argv[3]))
assert d["driver"] == "ros3" and d["requests"]["raw_requests"] == 16 and d["tasks"]["complete"] == 16
PYEOF
done
# The page buffer over HTTP: fewer range requests.
"$CHUNKBENCH" create "$WORK/p.h5" 400 400 --chunk 20,20 --page-size 64K -q
mpi 2 "$CHUNKBENCH" write "$WORK/p.h5" -q
: > "$NG/access.log"; mpi 1 "$CHUNKBENCH" read "$URL/p.h5" --verify -q || fail "paged default"; n0=$(count_get)
: > "$NG/access.log"; mpi 1 "$CHUNKBENCH" read "$URL/p.h5" --verify --preset tuned -q || fail "paged tuned"; n1=$(count_get)
# (Within ros3's prefix no read reaches nginx, buffered or not: the same count.)
if [ "$PREFIX" -gt 0 ]; then [ "$n1" -eq "$n0" ] || fail "prefix reads: $n1 vs $n0 range requests"
else [ $((n1 * 5)) -lt "$n0" ] || fail "page buffer over HTTP: $n1 vs $n0 range requests"; fi

# Failing servers: one clear line, the right exit code, no hang.
expect() { # code message command...
  local code=$1 msg=$2; shift 2
  set +e; timeout 60 mpirun -n 2 "$CHUNKBENCH" "$@" > "$WORK/out" 2> "$WORK/err"; local rc=$?; set -e
  [ "$rc" -eq "$code" ] || fail "'$*' exit $rc, wanted $code: $(head -c 300 "$WORK/err")"
  [ "$(grep -c '^chunkbench: error:' "$WORK/err")" -eq 1 ] || fail "'$*' error lines: $(head -c 300 "$WORK/err")"
  grep -qF "$msg" "$WORK/err" || fail "'$*' message: $(grep '^chunkbench' "$WORK/err")"
}
DEAD=$(freeport)
expect 3 "Failed to connect to 127.0.0.1 port $DEAD" read "http://127.0.0.1:$DEAD/a.h5"
expect 2 "the server answered 404 (not found)" read "$URL/missing.h5"
echo "plain text, not HDF5" > "$WORK/text.h5"
expect 2 "is not an HDF5 file" read "$URL/text.h5"
expect 2 "has no dataset 'nope'" read "$URL/a.h5" nope
expect 2 "is a URL: read it with --driver ros3" read "$URL/a.h5" --driver sec2
# Python's http.server ignores Range and sends the whole file with 200.
PYPORT=$(freeport)
(cd "$WORK" && exec $PY -m http.server "$PYPORT" --bind 127.0.0.1 > /dev/null 2>&1) & KILL_PIDS+=($!)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PYPORT/" && break; sleep 0.1; done
expect 2 "ignores range requests" read "http://127.0.0.1:$PYPORT/a.h5"
finish
