#!/bin/bash
# The HTML report end to end: real runs made by chunkbench, their report
# rendered, checked as a file and as headless Chromium loads it, and
# screenshots kept in OUT as artifacts.
#   browser_test.sh compare|big CHUNKBENCH RENDER_REPORT OUT [MPIEXEC] [PYTHON]
# compare: two runs of 64 tasks (timeline as one bar per task) side by side;
# big: one run of 100,000 tasks (bounded size and element count).
# Exit 77 (skipped) when Chromium is missing and cannot be installed.
set -euo pipefail
MODE=$1 CB=$2 RENDER=$3 OUT=$4 MPIEXEC=${5:-mpirun} PY=${6:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)
CHROME=$("$HERE/ensure_chromium.sh") || { echo "SKIP: no chromium"; exit 77; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
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
    "$CB" create "$W/b.h5" 2000 2000 --chunk 250,250 --force -q
    "$MPIEXEC" -n 2 "$CB" write "$W/b.h5" --schedule block --io collective --json "$W/b.json" -q
    "$CB" status "$W/a.h5" --json "$W/a_status.json" >/dev/null
    RUNS=("$W/a.json" "$W/b.json")
    "$RENDER" "$HTML" "$W/a.json=dynamic, 4 writers" "$W/b.json=block + collective, 2 writers"
    "$RENDER" "$OUT/report_status.html" "$W/a_status.json"
    "$PY" "$HERE/check_report.py" "$OUT/report_status.html" "$W/a_status.json" --timeline-mode bars
    LIMITS=(--timeline-mode bars)
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
