#!/usr/bin/env bash
# The seed's cloud-optimised HDF5 experiment on this machine: one dataset in
# four layouts (1 MB chunks, the same paged, rechunked to 2 MB and 4 MB),
# read with sec2, with ros3 from a loopback nginx and with chunkbench's curl
# driver from the same nginx in each of fsspec's cache types (8 MiB blocks,
# as the seed's fsspec reads), with HDF5's default settings and the seed's
# tuned ones. Prints a table, writes an HTML report
# of all runs, and appends the figures to bench/RESULTS.md.
# Usage: bench/read_layouts.sh [NROWS NCOLS [RANKS [REPEATS]]]   (default 4000 4000 2 3)
# Env: DRIVERS (default: sec2 ros3 curl:none curl:readahead curl:blockcache curl:first curl:all),
#      RESULTS (the file the table is appended to; default bench/RESULTS.md).
#
# LAYOUT_SOURCE=atl06: the seed's own table instead: ATL06-like granules
# (bench/atl06_variants.sh: original, page-only-8mb, rechunked-2/4/8mb),
# the seed's three variables of gt1l (h_li, latitude, longitude) read in one
# chunkbench read each, timed as the seed times a file (the three reads in
# one open of it, open to close; README "read", "One open"), ros3 and curl (none,
# blockcache 8M) by default, presets default and tuned.
# Usage: LAYOUT_SOURCE=atl06 bench/read_layouts.sh [SEGMENTS [RANKS [REPEATS]]]   (default 150000 1 3)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CB=${CHUNKBENCH:-$HERE/../build/chunkbench}
RESULTS=${RESULTS:-$HERE/RESULTS.md}
SOURCE=${LAYOUT_SOURCE:-chunkbench}
case $SOURCE in
  chunkbench) NR=${1:-4000} NC=${2:-4000} NP=${3:-2} REP=${4:-3}
              LAYOUTS="original paged rechunked-2mb rechunked-4mb"
              DRV=${DRIVERS:-sec2 ros3 curl:none curl:readahead curl:blockcache curl:first curl:all} ;;
  atl06) SEG=${1:-150000} NP=${2:-1} REP=${3:-3}
         LAYOUTS="original page-only-8mb rechunked-2mb rechunked-4mb rechunked-8mb"
         DRV=${DRIVERS:-ros3 curl:none curl:blockcache} ;;
  *) echo "read_layouts.sh: LAYOUT_SOURCE is chunkbench or atl06, not '$SOURCE'" >&2; exit 2 ;;
esac
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe
W=$(mktemp -d /tmp/cbread.XXXXXX); chmod 755 "$W"
PORT=$(/usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
mkdir -p "$W/ng"
cat > "$W/ng/nginx.conf" <<CONF
daemon off; pid $W/ng/pid; error_log $W/ng/error.log;
events { worker_connections 64; }
http { access_log off; client_body_temp_path $W/ng/b; proxy_temp_path $W/ng/p; fastcgi_temp_path $W/ng/f;
  uwsgi_temp_path $W/ng/u; scgi_temp_path $W/ng/s; server { listen 127.0.0.1:$PORT; root $W; } }
CONF
nginx -c "$W/ng/nginx.conf" -e "$W/ng/error.log" & NGPID=$!
trap 'kill $NGPID 2>/dev/null; wait 2>/dev/null' EXIT
sleep 0.5
declare -A LAYOUT=([original]="--chunk-mb 1" [paged]="--chunk-mb 1 --page-size 8M" [rechunked-2mb]="--chunk-mb 2" [rechunked-4mb]="--chunk-mb 4")
if [ "$SOURCE" = atl06 ]; then
  "$HERE/atl06_variants.sh" "$W" "$SEG"
  READ=(/gt1l/land_ice_segments/h_li /gt1l/land_ice_segments/latitude /gt1l/land_ice_segments/longitude)
else
  for l in $LAYOUTS; do
    $CB create "$W/$l.h5" "$NR" "$NC" ${LAYOUT[$l]} -q --force
    mpirun -n "$NP" $CB write "$W/$l.h5" -q
  done
  READ=(--verify)
fi
runs=()
# Interleave what is compared, repeat, keep every run (medians below).
for r in $(seq "$REP"); do
  for preset in default tuned; do
    for d in $DRV; do
      drv=${d%%:*} cache=()
      [ "$drv" != "$d" ] && cache=(--cache-type "${d#*:}" --block-size 8M)
      for l in $LAYOUTS; do
        t=$W/$l.h5; [ $drv != sec2 ] && [ $drv != mpio ] && t=http://127.0.0.1:$PORT/$l.h5
        j=$W/run-$l@${d/:/-}-$preset-$r.json
        mpirun -n "$NP" $CB read "$t" "${READ[@]}" --driver $drv "${cache[@]}" --preset $preset --json "$j" -q
        runs+=("$j")
      done
    done
  done
done
# The report: its layouts chart averages the runs of each combination given
# (the report takes up to 64 runs: the first round's, or the first 64 of it).
if [ "$SOURCE" = atl06 ]; then
  # A run is three reads (r.json the whole, r-1.json h_li ...): the report takes the h_li ones.
  one=(); for j in "${runs[@]}"; do one+=("${j%.json}-1.json"); done
else
  one=("${runs[@]}")
fi
per_round=$((${#one[@]} / REP)); [ $per_round -gt 64 ] && per_round=64
$CB report "${one[@]:0:$per_round}" -o "${REPORT:-$W/../read_layouts.html}" -q && echo "report: ${REPORT:-$W/../read_layouts.html}"
if [ "$SOURCE" = atl06 ]; then
/usr/bin/python3 - "$W" "$SEG" "$NP" "$REP" "${runs[@]}" <<'PYEOF' | tee "$W/table.md"
import json, statistics, sys, collections, platform, datetime, os
w, seg, np_, rep, files = sys.argv[1], *sys.argv[2:5], sys.argv[5:]
g = collections.defaultdict(list)
for f in files:
    t = json.load(open(f))
    parts = [json.load(open(d["json"])) for d in t["datasets"]]
    small = sum(h["requests"] for p in parts for h in p["requests"]["histogram"][:2])
    layout = f.split("/run-")[1].split("@")[0]
    drv = t["driver"] + (f"-{t['http_cache']}" if "http_cache" in t else "")
    g[(layout, drv, t["preset"])].append((t, small, parts[0]["chunk"][0]))
sizes = {l: os.path.getsize(f"{w}/{l}.h5") for l, _, _ in g}
print(f"\n### read_layouts.sh (LAYOUT_SOURCE=atl06), {datetime.date.today()}: ATL06-like, {seg} segments a beam, "
      f"gt1l h_li + latitude + longitude, {np_} rank(s), median of {rep}, {platform.node()}\n")
print("| layout | file MB | driver | preset | h_li chunk | s (open..close, 3 reads) | MB read | requests | requests < 10 KB | MB requested |")
print("|---|---:|---|---|---:|---:|---:|---:|---:|---:|")
for (l, drv, pre), rs in sorted(g.items()):
    med = lambda f: statistics.median(f(r) for r in rs)
    t, small, chunk = rs[0]
    print(f"| {l} | {sizes[l] / 1e6:.1f} | {drv} | {pre} | {chunk} | {med(lambda r: r[0]['total']['open_close_s']):.3f} | "
          f"{t['total']['read_bytes'] / 1e6:.2f} | {t['total']['requests']} | {small} | {t['total']['request_bytes'] / 1e6:.2f} |")
PYEOF
else
/usr/bin/python3 - "$W" "$NR" "$NC" "$NP" "$REP" "${runs[@]}" <<'PYEOF' | tee "$W/table.md"
import json, statistics, sys, collections, platform, datetime
w, nr, nc, np_, rep, files = sys.argv[1], *sys.argv[2:6], sys.argv[6:]
g = collections.defaultdict(list)
for f in files:
    d = json.load(open(f))
    layout = f.split("/run-")[1].split("@")[0]
    drv = d["driver"] + (f"-{d['cache']['http_cache']}" if "http_cache" in d["cache"] else "")
    g[(layout, drv, d["cache"]["preset"])].append(d)
print(f"\n### read_layouts.sh, {datetime.date.today()}: {nr} x {nc} float64 ({int(nr)*int(nc)*8/1e6:.0f} MB), {np_} ranks, median of {rep}, {platform.node()}\n")
print("| layout | driver | preset | chunk | MB/s (open..close) | p50 task ms | requests | <1KB | 1-10KB | 10-100KB | >100KB | over-read |")
print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for (l, drv, pre), ds in sorted(g.items()):
    med = lambda f: statistics.median(f(d) for d in ds)
    q = ds[0]["requests"]
    h = [x["requests"] for x in q["histogram"]]
    print(f"| {l} | {drv} | {pre} | {ds[0]['chunk'][0]}x{ds[0]['chunk'][1]} | {med(lambda d: d['bandwidth_MBps']['ior']):.0f} | "
          f"{med(lambda d: d['latency_s']['p50'])*1e3:.2f} | {q['count']} | {h[0]} | {h[1]} | {h[2]} | {h[3]} | {q['over_read']:.3f} |")
PYEOF
fi
{ [ -f "$RESULTS" ] || echo "# Benchmark results"; cat "$W/table.md"; } > "$W/res.md"
[ -f "$RESULTS" ] && { cat "$RESULTS"; cat "$W/table.md"; } > "$W/res.md"
mv "$W/res.md" "$RESULTS"
rm -rf "$W"
