#!/usr/bin/env bash
# chunkbench read --driver curl beside h5py + fsspec, cache type for cache
# type (none, readahead, blockcache, first, all; 8 MiB blocks, as the seed's
# fsspec reads), from one loopback nginx, one reader each (h5py is one
# process), presets default and tuned, interleaved rounds; medians of the
# open-to-close time and the GETs nginx served to the reader. Prints a
# table and appends it to RESULTS.
#
# LAYOUT_SOURCE=chunkbench (default): chunkbench's 2-D file, 1 MB chunks, and
# the same paged, read chunk by chunk in the same order by both
# (chunkbench's probe and bookkeeping open, on their own connections, left out).
# Usage: bench/fsspec_compare.sh [NROWS NCOLS [REPEATS]]   (default 4000 4000 3)
#
# LAYOUT_SOURCE=atl06: the seed's read of a granule: the five ATL06-like
# layouts (bench/atl06_variants.sh: original, page-only-8mb, rechunked-2/4/8mb),
# each opened once, gt1l's h_li, latitude and longitude read whole, closed.
# chunkbench's time is the read_total's total.open_close_s; its GETs are
# those of the timed open (from its size HEAD on); the GETs of its probe and
# lookup open before it (one describes all three datasets, on its own
# connection) are counted apart ("describe GETs"). h5py + fsspec:
# fsspec_read.py's open to close, and every GET nginx served it. The two
# HDF5s differ: h5py's wheel has its own (2.0.0 in h5py 3.16), chunkbench
# the system's (1.10.8 in Debian 12), which reads a version-2 superblock (the
# paged layouts') in two reads where 2.0.0 makes one; the curl driver's none
# fetches the first 4 KiB in one GET at open, so that costs no GET more.
# Usage: LAYOUT_SOURCE=atl06 bench/fsspec_compare.sh [SEGMENTS [REPEATS]]   (default 150000 3)
#
# Env: CHUNKBENCH, CB_VENV (h5py, fsspec, aiohttp; default /tmp/cb-venv),
#      RESULTS (the file the table is appended to; default bench/RESULTS.md).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CB=${CHUNKBENCH:-$HERE/../build/chunkbench}
VPY=${CB_VENV:-/tmp/cb-venv}/bin/python
RESULTS=${RESULTS:-$HERE/RESULTS.md}
SOURCE=${LAYOUT_SOURCE:-chunkbench}
case $SOURCE in
  chunkbench) NR=${1:-4000} NC=${2:-4000} REP=${3:-3} LAYOUTS="original paged" ;;
  atl06) SEG=${1:-150000} REP=${2:-3} LAYOUTS="original page-only-8mb rechunked-2mb rechunked-4mb rechunked-8mb" ;;
  *) echo "fsspec_compare.sh: LAYOUT_SOURCE is chunkbench or atl06, not '$SOURCE'" >&2; exit 2 ;;
esac
[ -x "$VPY" ] || { echo "fsspec_compare.sh: no $VPY; make the venv (CB_VENV) with scripts/venv_pins.sh \$CB_VENV python h5py==3.16.0 fsspec==2026.9.0 aiohttp==3.14.3" >&2; exit 2; }
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
if [ "$SOURCE" = atl06 ]; then
  "$HERE/atl06_variants.sh" "$W" "$SEG"
  READ=(/gt1l/land_ice_segments/h_li /gt1l/land_ice_segments/latitude /gt1l/land_ice_segments/longitude)
else
  $CB create "$W/original.h5" "$NR" "$NC" --chunk-mb 1 -q
  $CB create "$W/paged.h5" "$NR" "$NC" --chunk-mb 1 --page-size 8M -q
  for l in original paged; do mpirun -n 2 $CB write "$W/$l.h5" -q; done
  READ=()
fi
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
# chunkbench's GETs: "TIMED BEFORE", those from the last HEAD on (the timed
# open asks the size first; one rank, so the log is in the order made) and
# those before it (probes, describe opens).
gets_split() { /usr/bin/python3 - "$W/ng/access.log" <<'PYEOF'
import sys
lines = [l.split() for l in open(sys.argv[1])]
heads = [i for i, l in enumerate(lines) if l[1] == "HEAD"]
if not heads:
    sys.exit("fsspec_compare.sh: no HEAD in nginx's log of chunkbench's read: the timed open cannot be told apart")
get = lambda ls: sum(1 for l in ls if l[1] == "GET")
print(get(lines[heads[-1]:]), get(lines[:heads[-1]]))
PYEOF
}
for r in $(seq "$REP"); do
  for preset in default tuned; do
    for cache in none readahead blockcache first all; do
      for l in $LAYOUTS; do
        url=http://127.0.0.1:$PORT/$l.h5 paged=1
        case $l in original) paged=0 ;; esac
        : > "$W/ng/access.log"
        mpirun -n 1 $CB read "$url" "${READ[@]}" --driver curl --cache-type $cache --block-size $BS --preset $preset \
          --json "$W/j.json" -q
        if [ "$SOURCE" = atl06 ]; then
          t=$(/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['total']; print(d['open_close_s'], d['requests'], d['read_bytes'])" "$W/j.json")
          echo "$l $preset $cache chunkbench ${t% *} $(gets_split) ${t##* }" >> "$W/rows"
        else
          s=$(/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['last_run']; print(d['close_end']-d['open_start'])" "$W/j.json")
          echo "$l $preset $cache chunkbench $s $(gets 2)" >> "$W/rows"
        fi
        : > "$W/ng/access.log"
        f=$($VPY "$HERE/fsspec_read.py" "$url" $cache $BS $preset $paged "${READ[@]}" | /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print(d['seconds'], d['bytes'])")
        if [ "$SOURCE" = atl06 ]; then
          echo "$l $preset $cache fsspec ${f% *} - $(gets 0) 0 ${f#* }" >> "$W/rows"
        else
          echo "$l $preset $cache fsspec ${f% *} $(gets 0)" >> "$W/rows"
        fi
      done
    done
  done
done
if [ "$SOURCE" = atl06 ]; then
/usr/bin/python3 - "$W" "$SEG" "$REP" "$LAYOUTS" <<'PYEOF' | tee "$W/table.md"
import collections, datetime, os, platform, statistics, sys
w, seg, rep, layouts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
# Each row: layout preset cache who seconds own_requests GETs describe_GETs bytes
g = collections.defaultdict(list)
for line in open(f"{w}/rows"):
    l, pre, cache, who, s, own, n, before, b = line.split()
    g[(l, pre, cache, who)].append((float(s), int(n), int(before), own, int(b)))
print(f"\n### fsspec_compare.sh (LAYOUT_SOURCE=atl06), {datetime.date.today()}: ATL06-like, {seg} segments a beam, "
      f"one open, gt1l h_li + latitude + longitude read whole, close; one reader, 8 MiB blocks, loopback nginx, "
      f"median of {rep}, {platform.node()}\n")
print("GETs: those nginx served to the timed open (chunkbench's probes and describe opens before it: "
      "\"describe GETs\", not counted); a GETs cell \"n (own m)\" where chunkbench's own count differs.\n")
print("| layout | file MB | preset | cache type | chunkbench s | fsspec s | fsspec / chunkbench | chunkbench GETs | fsspec GETs | chunkbench <= fsspec | describe GETs |")
print("|---|---:|---|---|---:|---:|---:|---:|---:|---|---:|")
fast = fast_mean = fewer = total = 0
bad = []
for l in layouts:
    mb = os.path.getsize(f"{w}/{l}.h5") / 1e6
    for pre in ("default", "tuned"):
        for cache in ("none", "readahead", "blockcache", "first", "all"):
            c, f = g[(l, pre, cache, "chunkbench")], g[(l, pre, cache, "fsspec")]
            med = lambda v, i: statistics.median(x[i] for x in v)
            cs, fs, cn, fn = med(c, 0), med(f, 0), med(c, 1), med(f, 1)
            owns = sorted({x[3] for x in c})
            cell = f"{cn:.0f}" if all(x[3] == str(x[1]) for x in c) else f"{cn:.0f} (own {'/'.join(owns)})"
            if {x[4] for x in c} != {x[4] for x in f}:
                bad.append(f"{l} {pre} {cache}: chunkbench read {sorted({x[4] for x in c})} bytes, fsspec {sorted({x[4] for x in f})}")
            total += 1
            fast += fs / cs >= 1.5
            # The issue's criterion is of mean times: the ratio of the means as well.
            fast_mean += statistics.mean(x[0] for x in f) / statistics.mean(x[0] for x in c) >= 1.5
            fewer += cn <= fn
            print(f"| {l} | {mb:.1f} | {pre} | {cache} | {cs:.3f} | {fs:.3f} | {fs / cs:.2f} | {cell} | {fn:.0f} | "
                  f"{'yes' if cn <= fn else 'no'} | {med(c, 2):.0f} |")
print(f"\nfsspec / chunkbench >= 1.5 in {fast} of {total} (of the medians), {fast_mean} of {total} (of the means); "
      f"chunkbench's GETs <= fsspec's in {fewer} of {total}.")
for b in bad:
    print(f"\nDIFFERENT READS: {b}")
PYEOF
else
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
fi
{ [ -f "$RESULTS" ] && cat "$RESULTS" || echo "# Benchmark results"; cat "$W/table.md"; } > "$W/res.md"
mv "$W/res.md" "$RESULTS"
