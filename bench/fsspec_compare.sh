#!/usr/bin/env bash
# chunkbench read --driver curl beside h5py + fsspec, cache type for cache
# type (none, readahead, blockcache, first, all; 8 MiB blocks, as the seed's
# fsspec reads), from one loopback nginx, one reader each (h5py is one
# process), the same chunk-by-chunk order, presets default and tuned, a
# 1 MB-chunk file and the same paged. Interleaved rounds; medians of the
# open-to-close time and the GETs nginx served to the reader (chunkbench's
# probe and bookkeeping open, on their own connections, left out). Prints a
# table and appends it to bench/RESULTS.md.
# Usage: bench/fsspec_compare.sh [NROWS NCOLS [REPEATS]]   (default 4000 4000 3)
# Env: CHUNKBENCH, CB_VENV (h5py, fsspec, aiohttp; default /tmp/cb-venv)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CB=${CHUNKBENCH:-$HERE/../build/chunkbench}
VPY=${CB_VENV:-/tmp/cb-venv}/bin/python
NR=${1:-4000} NC=${2:-4000} REP=${3:-3}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
W=$(mktemp -d /tmp/cbfs.XXXXXX); chmod 755 "$W"
PORT=$(/usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
mkdir -p "$W/ng"
cat > "$W/ng/nginx.conf" <<CONF
daemon off; pid $W/ng/pid; error_log $W/ng/error.log;
events { worker_connections 64; }
http { log_format cb '\$connection \$request_method \$status "\$http_range"'; access_log $W/ng/access.log cb;
  client_body_temp_path $W/ng/b; proxy_temp_path $W/ng/p; fastcgi_temp_path $W/ng/f;
  uwsgi_temp_path $W/ng/u; scgi_temp_path $W/ng/s; server { listen 127.0.0.1:$PORT; root $W; } }
CONF
nginx -c "$W/ng/nginx.conf" -e "$W/ng/error.log" & NGPID=$!
trap 'kill $NGPID 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
sleep 0.5
$CB create "$W/original.h5" "$NR" "$NC" --chunk-mb 1 -q
$CB create "$W/paged.h5" "$NR" "$NC" --chunk-mb 1 --page-size 8M -q
for l in original paged; do mpirun -n 2 $CB write "$W/$l.h5" -q; done
BS=$((8 << 20))
: > "$W/rows"
# GETs nginx served since the log was emptied; skip: connections to leave out (the first N).
gets() { /usr/bin/python3 - "$W/ng/access.log" "$1" <<'PYEOF'
import sys
lines = [l.split() for l in open(sys.argv[1])]
skip = sorted({int(l[0]) for l in lines})[:int(sys.argv[2])]
print(sum(1 for l in lines if l[1] == "GET" and int(l[0]) not in skip))
PYEOF
}
for r in $(seq "$REP"); do
  for preset in default tuned; do
    for cache in none readahead blockcache first all; do
      for l in original paged; do
        url=http://127.0.0.1:$PORT/$l.h5 paged=0; [ $l = paged ] && paged=1
        : > "$W/ng/access.log"
        mpirun -n 1 $CB read "$url" --driver curl --cache-type $cache --block-size $BS --preset $preset \
          --json "$W/j.json" -q
        s=$(/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['last_run']; print(d['close_end']-d['open_start'])" "$W/j.json")
        echo "$l $preset $cache chunkbench $s $(gets 2)" >> "$W/rows"
        : > "$W/ng/access.log"
        s=$($VPY "$HERE/fsspec_read.py" "$url" $cache $BS $preset $paged | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['seconds'])")
        echo "$l $preset $cache fsspec $s $(gets 0)" >> "$W/rows"
      done
    done
  done
done
/usr/bin/python3 - "$W/rows" "$NR" "$NC" "$REP" <<'PYEOF' | tee "$W/table.md"
import collections, datetime, platform, statistics, sys
rows, nr, nc, rep = sys.argv[1], *sys.argv[2:5]
g = collections.defaultdict(list)
for line in open(rows):
    l, pre, cache, who, s, n = line.split()
    g[(l, pre, cache, who)].append((float(s), int(n)))
mb = int(nr) * int(nc) * 8 / 1e6
print(f"\n### fsspec_compare.sh, {datetime.date.today()}: {nr} x {nc} float64 ({mb:.0f} MB, 1 MB chunks), one reader, "
      f"8 MiB blocks, loopback nginx, median of {rep}, {platform.node()}\n")
print("| layout | preset | cache type | chunkbench curl s | fsspec s | chunkbench GETs | fsspec GETs |")
print("|---|---|---|---:|---:|---:|---:|")
for l in ("original", "paged"):
    for pre in ("default", "tuned"):
        for cache in ("none", "readahead", "blockcache", "first", "all"):
            c, f = g[(l, pre, cache, "chunkbench")], g[(l, pre, cache, "fsspec")]
            med = lambda v, i: statistics.median(x[i] for x in v)
            print(f"| {l} | {pre} | {cache} | {med(c, 0):.3f} | {med(f, 0):.3f} | {med(c, 1):.0f} | {med(f, 1):.0f} |")
PYEOF
{ [ -f "$HERE/RESULTS.md" ] && cat "$HERE/RESULTS.md" || echo "# Benchmark results"; cat "$W/table.md"; } > "$W/res.md"
mv "$W/res.md" "$HERE/RESULTS.md"
