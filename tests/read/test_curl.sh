#!/usr/bin/env bash
# read --driver curl (chunkbench's libcurl driver with fsspec's cache types)
# against a real nginx on 127.0.0.1: every cache type x preset reads and
# verifies a default-layout and a paged file, and the request log is exactly
# what nginx served to the readers (nginx logs each request's connection: the
# probe's and the bookkeeping open's come first, one connection each; every
# later connection is a reader's). none fetches the file's first 4 KiB (the
# superblock) in one GET at open and keeps them. blockcache with 8 MiB blocks fetches whole
# aligned blocks; all fetches the file in one GET. Then servers that fail:
# unreachable, 404, Range ignored (seen by the probe, and by the driver
# itself), each one line and a non-zero exit.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$(dirname "$0")/nginx.sh"
nginx_serve '$connection $request_method $status "$http_range"' "$WORK"

"$CHUNKBENCH" create "$WORK/a.h5" 370 530 --chunk 100,160 -q
"$CHUNKBENCH" create "$WORK/p.h5" 400 400 --chunk 40,40 --page-size 64K -q
# A few 8 MiB blocks: 1100 x 3000 float64 is 26.4 MB.
"$CHUNKBENCH" create "$WORK/big.h5" 1100 3000 --chunk 100,300 -q
for f in a p big; do mpi 2 "$CHUNKBENCH" write "$WORK/$f.h5" -q || fail "write $f"; done

# check FILE CACHE [BLOCK]: the log (log.csv) against nginx's access log, the
# JSON (r.json), and what the cache type promises.
check() {
  $PY - "$NG/access.log" "$WORK/log.csv" "$WORK/r.json" "$WORK/$1.h5" "$2" "${3:-8388608}" <<'PYEOF'
import collections, csv, json, os, sys
acc, logf, jf, path, cache, block = sys.argv[1:7]
size, block = os.path.getsize(path), int(block)
lines = [l.split() for l in open(acc)]
conns = sorted({int(l[0]) for l in lines})
assert len(conns) >= 3, conns
probe, lookup = conns[0], conns[1]
assert [l[1:3] for l in lines if int(l[0]) == probe] == [["GET", "206"]], "the probe is one ranged GET"
readers = [l for l in lines if int(l[0]) not in (probe, lookup)]
assert all(l[1:3] in (["GET", "206"], ["HEAD", "200"]) for l in lines), "nginx answered something else"
heads = collections.Counter(int(l[0]) for l in readers if l[1] == "HEAD")
assert len(heads) == 2 and set(heads.values()) == {1}, f"one HEAD per reader: {heads}"
def rng(s):
    a, b = s.strip('"').split("=")[1].split("-")
    return int(a), int(b) - int(a) + 1
served = collections.Counter(rng(l[3]) for l in readers if l[1] == "GET")
rows = list(csv.DictReader(open(logf)))
logged = collections.Counter((int(r["offset"]), int(r["size"])) for r in rows)
assert served == logged, f"nginx served {sum(served.values())}, log has {sum(logged.values())}: {served - logged} / {logged - served}"
d = json.load(open(jf))
assert d["driver"] == "curl" and d["cache"]["http_cache"] == cache and d["cache"]["http_block_size"] == block, d["cache"]
assert d["requests"]["count"] == len(rows), (d["requests"]["count"], len(rows))
per = collections.Counter(int(r["rank"]) for r in rows)
if cache == "all":
    assert set(logged) == {(0, size)} and per == {0: 1, 1: 1}, f"all: one GET of the whole file a reader: {logged}"
if cache == "blockcache":
    for off, n in logged:
        assert off % block == 0 and (n % block == 0 or off + n == size), f"blockcache: {off}+{n} is not whole blocks"
        assert n >= block or off + n == size, f"blockcache: {n} bytes is under a block"
if cache == "none":
    assert d["requests"]["raw_requests"] == d["tasks"]["complete"] or d["cache"]["page_buffer_bytes"] > 0
    # The open's first read fetches the file's first 4 KiB (the superblock and the root group's
    # early metadata) in one GET, kept: no other GET of a reader starts inside them.
    for conn in heads:
        early = [rng(l[3]) for l in readers if int(l[0]) == conn and l[1] == "GET" and rng(l[3])[0] < 4096]
        assert early == [(0, min(4096, size))], f"none: the first 4 KiB in one GET a reader: {early}"
PYEOF
}

for f in a p; do
  for cache in none readahead blockcache first all; do
    for preset in default tuned; do
      : > "$NG/access.log"
      out=$(mpi 2 "$CHUNKBENCH" read "$URL/$f.h5" --driver curl --cache-type $cache --preset $preset --verify \
            --log "$WORK/log.csv" --json "$WORK/r.json" 2>&1) || { fail "curl read $f $cache $preset: $out"; continue; }
      echo "$out" | grep -q "^verify:       OK" || fail "verify line $f $cache $preset"
      echo "$out" | grep -q "^curl cache:   $cache, blocks of 8388608 bytes" || fail "curl cache line $f $cache"
      check $f $cache || fail "log vs nginx: $f $cache $preset"
    done
  done
done
# A file of a few 8 MiB blocks: blockcache fetches whole aligned blocks (the last one to the end of
# the file), all one GET of the whole file a reader.
for cache in blockcache all; do
  : > "$NG/access.log"
  mpi 2 "$CHUNKBENCH" read "$URL/big.h5" --driver curl --cache-type $cache --block-size 8M --verify -q \
      --log "$WORK/log.csv" --json "$WORK/r.json" || fail "big $cache"
  check big $cache || fail "log vs nginx: big $cache"
done
# A smaller block: blockcache still fetches whole 1 MiB blocks.
: > "$NG/access.log"
mpi 1 "$CHUNKBENCH" read "$URL/big.h5" --driver curl --cache-type blockcache --block-size 1M --verify -q \
    --log "$WORK/log.csv" --json "$WORK/r.json" || fail "big blockcache 1M"
$PY - "$WORK/log.csv" "$WORK/big.h5" <<'PYEOF' || fail "1 MiB blocks"
import csv, os, sys
size = os.path.getsize(sys.argv[2])
rows = [(int(r["offset"]), int(r["size"])) for r in csv.DictReader(open(sys.argv[1]))]
assert len(rows) >= 25 and all(o % 2**20 == 0 and (n % 2**20 == 0 or o + n == size) for o, n in rows), rows
PYEOF

# Failing servers and misuse: one clear line, the right exit code, no hang.
DEAD=$(freeport)
expect 3 "Failed to connect to 127.0.0.1 port $DEAD" 2 read "http://127.0.0.1:$DEAD/a.h5" --driver curl
expect 2 "the server answered 404 (not found)" 2 read "$URL/missing.h5" --driver curl
expect 2 "'$WORK/a.h5' is a path" 2 read "$WORK/a.h5" --driver curl
expect 2 "are the curl driver's: add --driver curl (this read uses ros3)" 2 read "$URL/a.h5" --cache-type all
expect 2 "are the curl driver's: add --driver curl (this read uses sec2)" 2 read "$WORK/a.h5" --driver sec2 --block-size 1M
expect 2 "are the curl driver's, for URLs; an mpiio: target is read with MPI-IO" 0 read "mpiio:$WORK/m" --cache-type all
# Python's http.server ignores Range and sends the whole file with 200: the probe says so.
PYPORT=$(freeport)
(cd "$WORK" && exec $PY -m http.server "$PYPORT" --bind 127.0.0.1 > /dev/null 2>&1) & KILL_PIDS+=($!)
# A server that honours only the probe's range (bytes=0-7): the driver itself finds the rest ignored.
P2=$(freeport)
$PY - "$WORK" "$P2" > /dev/null 2>&1 <<'PYEOF' & KILL_PIDS+=($!)
import http.server, os, sys
root, port = sys.argv[1], int(sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    def body(self):
        return open(os.path.join(root, self.path.lstrip("/")), "rb").read()
    def do_HEAD(self):
        self.send_response(200); self.send_header("Content-Length", str(len(self.body()))); self.end_headers()
    def do_GET(self):
        b = self.body()
        if self.headers.get("Range") == "bytes=0-7":
            self.send_response(206); self.send_header("Content-Range", f"bytes 0-7/{len(b)}"); b = b[:8]
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PYEOF
# A server that refuses HEAD (405: the driver takes the size from a GET of byte 0) and loses
# the object once the reads reach the raw chunks (ranges over 100 KB): the failure is in the
# timed read, on every rank, its error page longer than the range, and still one line.
P3=$(freeport)
$PY - "$WORK" "$P3" > /dev/null 2>&1 <<'PYEOF' & KILL_PIDS+=($!)
import http.server, os, re, sys
root, port = sys.argv[1], int(sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    def body(self):
        return open(os.path.join(root, self.path.lstrip("/")), "rb").read()
    def do_HEAD(self):
        self.send_response(405); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self):
        b = self.body()
        a, z = map(int, re.match(r"bytes=(\d+)-(\d+)", self.headers["Range"]).groups())
        if z - a + 1 > 100000:  # an error page longer than the range asked for
            page = b"<html>not found</html>" * 20000
            self.send_response(404); self.send_header("Content-Length", str(len(page))); self.end_headers()
            self.wfile.write(page); return
        self.send_response(206); self.send_header("Content-Range", f"bytes {a}-{z}/{len(b)}")
        self.send_header("Content-Length", str(z - a + 1)); self.end_headers(); self.wfile.write(b[a:z + 1])
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PYEOF
for p in $PYPORT $P2 $P3; do for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$p/a.h5" && break; sleep 0.1; done; done
expect 2 "ignores range requests" 2 read "http://127.0.0.1:$PYPORT/a.h5" --driver curl
expect 3 "ignores range requests (answered 200 to a ranged GET); the curl driver needs HTTP range support" 2 \
  read "http://127.0.0.1:$P2/a.h5" --driver curl
expect 3 "H5Dread of the task at .* failed: the server answered 404 (not found)" 2 \
  read "http://127.0.0.1:$P3/a.h5" --driver curl
finish
