#!/bin/bash
# The HTML report end to end: real runs made by chunkbench, their report
# rendered, checked as a file and as headless Chromium loads it, and
# screenshots kept in OUT as artifacts.
#   browser_test.sh compare|big|read CHUNKBENCH RENDER_REPORT OUT [MPIEXEC] [PYTHON]
# compare: two runs of 64 tasks (timeline as one bar per task) side by side;
# big: one run of 100,000 tasks (bounded size and element count);
# read: read runs of two layouts x two presets (byte ranges, layouts chart).
# Exit 77 (skipped) when Chromium is missing and cannot be installed.
set -euo pipefail
MODE=$1 CB=$2 RENDER=$3 OUT=$4 MPIEXEC=${5:-mpirun} PY=${6:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)
CHROME=$("$HERE/ensure_chromium.sh") || { echo "SKIP: no chromium"; exit 77; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe
W=$OUT/work-$MODE
rm -rf "$W"
mkdir -p "$W"
HTML=$OUT/report_$MODE.html

chrome() {
    # A private profile and no network services: nothing leaves the machine.
    timeout 180 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$W/profile" "$@" \
        2>>"$W/chrome.log"
}

if [ "$MODE" = compare ]; then
    "$CB" create "$W/a.h5" 2000 2000 --chunk 250,250 --force -q
    "$MPIEXEC" -n 4 "$CB" write "$W/a.h5" --schedule dynamic --json "$W/a.json" -q
    # b is filtered: its grid section adds the ratio map and the time split.
    "$CB" create "$W/b.h5" 2000 2000 --chunk 250,250 --force -q --values smooth --filter shuffle --filter deflate:1
    "$MPIEXEC" -n 2 "$CB" write "$W/b.h5" --schedule block --io collective --json "$W/b.json" -q
    H5CHECK=$W/b.h5
    "$CB" status "$W/a.h5" --json "$W/a_status.json" >/dev/null
    RUNS=("$W/a.json" "$W/b.json")
    "$RENDER" "$HTML" "$W/a.json=dynamic, 4 writers" "$W/b.json=block + collective, 2 writers"
    "$RENDER" "$OUT/report_status.html" "$W/a_status.json"
    "$PY" "$HERE/check_report.py" "$OUT/report_status.html" "$W/a_status.json" --timeline-mode bars
    LIMITS=(--timeline-mode bars)
elif [ "$MODE" = read ]; then
    # The seed's read experiment in small: two layouts (the second paged),
    # sec2 with the default and the tuned preset, twice each, through the CLI's
    # report; then a file of 10,000 chunks, whose pattern must aggregate.
    "$CB" create "$W/a.h5" 2000 2000 --chunk 250,250 --force -q
    "$CB" create "$W/b.h5" 2000 2000 --chunk 500,500 --page-size 1M --force -q
    "$CB" create "$W/c.h5" 2000 2000 --chunk 20,20 --force -q
    RUNS=()
    for f in a b c; do
        "$MPIEXEC" -n 2 "$CB" write "$W/$f.h5" -q
    done
    for f in a b; do
        for preset in default tuned; do
            for i in 1 2; do
                "$MPIEXEC" -n 2 "$CB" read "$W/$f.h5" --driver sec2 --preset $preset --json "$W/$f-$preset-$i.json" -q
                RUNS+=("$W/$f-$preset-$i.json")
            done
        done
    done
    # MPI-IO too: its requests come from the PMPI log (collective: row pieces).
    for io in independent collective; do
        "$MPIEXEC" -n 2 "$CB" read "$W/a.h5" --driver mpio --io $io --json "$W/a-mpio-$io.json" -q
        RUNS+=("$W/a-mpio-$io.json")
    done
    # The JSON's request list is the --log CSV, request for request.
    "$MPIEXEC" -n 2 "$CB" read "$W/a.h5" --driver sec2 --json "$W/logged.json" --log "$W/logged.csv" -q
    "$PY" - "$W/logged.json" "$W/logged.csv" <<'PYEOF'
import csv, json, sys
r = json.load(open(sys.argv[1]))["requests"]
rg = r["ranges"]
js = sorted(zip(rg["rank"], rg["raw"], rg["offset"], rg["size"]))
cs = sorted((int(x["rank"]), int(x["kind"] == "raw"), int(x["offset"]), int(x["size"]))
            for x in csv.DictReader(open(sys.argv[2])))
assert len(cs) == r["count"] > 0 and js == cs, f"JSON ranges {len(js)} vs CSV {len(cs)} rows differ"
assert r["file_size"] >= max(o + z for _, _, o, z in cs), "a request past the file's end"
print(f"request list: {len(js)} requests, the same in the JSON and the CSV")
PYEOF
    "$CB" report "${RUNS[@]}" -o "$HTML" -q
    "$MPIEXEC" -n 2 "$CB" read "$W/c.h5" --driver sec2 --json "$W/c.json" --report "$OUT/report_read_many.html" -q
    "$PY" "$HERE/check_report.py" "$OUT/report_read_many.html" "$W/c.json" --pattern-mode columns \
        --timeline-mode occupancy --max-bytes 1500000 --max-elements 5000
    LIMITS=(--timeline-mode bars --pattern-mode marks)
else
    "$CB" create "$W/big.h5" 100000 4 row --dtype f4 --force -q
    "$MPIEXEC" -n 2 "$CB" write "$W/big.h5" --schedule cyclic --json "$W/big.json" -q
    RUNS=("$W/big.json")
    "$RENDER" "$HTML" "$W/big.json"
    LIMITS=(--timeline-mode occupancy --max-bytes 1500000 --max-elements 5000)
fi

echo "== the file"
"$PY" "$HERE/check_report.py" "$HTML" "${RUNS[@]}" "${LIMITS[@]}"
echo "== as Chromium loads it"
chrome --dump-dom "$HTML" >"$W/dom.html"
grep -q '</html>' "$W/dom.html" || { echo "FAIL: Chromium did not load the page"; exit 1; }
"$PY" "$HERE/check_report.py" "$W/dom.html" "${RUNS[@]}" "${LIMITS[@]}"
if [ -n "${H5CHECK:-}" ]; then
    # The ratio map's numbers, as Chromium shows them, are h5py's chunk sizes.
    H5PY=${CB_PYTHON:-/usr/bin/python3} # as every test: Debian's python3-h5py
    "$H5PY" -c 'import h5py' 2>/dev/null || { echo "FAIL: $H5PY has no h5py (set CB_PYTHON)"; exit 1; }
    "$H5PY" - "$W/dom.html" "$H5CHECK" <<'PYEOF'
import re, sys, h5py
page = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<section id="grid-2".*?<desc class="stored">([^<]*)</desc>', page, re.S)
assert m, "no ratio map in run 2's grid section"
shown = [int(x) for x in m.group(1).split()]
d = h5py.File(sys.argv[2], "r")["dset"]
cr, cc = d.chunks
gc = -(-d.shape[1] // cc)
want = [0] * (-(-d.shape[0] // cr) * gc)
for i in range(d.id.get_num_chunks()):
    info = d.id.get_chunk_info(i)
    want[info.chunk_offset[0] // cr * gc + info.chunk_offset[1] // cc] = info.size
assert shown == want, f"ratio map stored bytes {shown}\n h5py chunk sizes {want}"
assert len(set(shown)) > 1 and sum(shown) < d.size * d.dtype.itemsize, shown
print(f"ratio map: {len(shown)} chunks, stored bytes equal h5py's get_chunk_info sizes ({sum(shown)} bytes)")
PYEOF
fi

echo "== screenshots"
chrome --screenshot="$OUT/report_${MODE}.png" --window-size=1400,3000 --hide-scrollbars "$HTML" >/dev/null
# The same page as a grey-scale printer would see it.
sed 's#</style>#html{filter:grayscale(1)}</style>#' "$HTML" >"$W/grey.html"
chrome --screenshot="$OUT/report_${MODE}_grey.png" --window-size=1400,3000 --hide-scrollbars "$W/grey.html" >/dev/null
for png in "$OUT/report_${MODE}.png" "$OUT/report_${MODE}_grey.png"; do
    size=$(stat -c %s "$png" 2>/dev/null || echo 0)
    head -c 8 "$png" | od -An -tx1 | grep -q '89 50 4e 47' || { echo "FAIL: $png is not a PNG"; exit 1; }
    [ "$size" -gt 20000 ] || { echo "FAIL: $png is only $size bytes (blank page?)"; exit 1; }
    echo "saved $png ($size bytes)"
done
echo "PASS"
