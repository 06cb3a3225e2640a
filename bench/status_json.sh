#!/bin/bash
# status --json of 1,000,000 tasks: elapsed and max RSS (/usr/bin/time -v) of
# two builds, alternating, on a fresh table (all pending) and a written one
# (every task complete, epoch timestamps, 4 writers; filled with h5py), and
# the text status for scale. Checks that both builds write the same bytes.
# usage: bench/status_json.sh OLD_CHUNKBENCH NEW_CHUNKBENCH [ROUNDS]
set -euo pipefail
OLD=$1 NEW=$2 ROUNDS=${3:-3}
PY=${CB_PYTHON:-/usr/bin/python3}
W=$(mktemp -d /tmp/cb-status-json.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W"
export OMPI_MCA_sharedfp=^lockedfile,sm # the old build needs it for its own create only
"$NEW" create ./pending.h5 10000 10000 --chunk 10,10 --dtype f4 -q
cp pending.h5 written.h5
"$PY" - written.h5 <<'PYEOF'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    t = f["task_list"]; a = t[...]; n = len(a)
    rng = np.random.default_rng(1)
    start = 1764594308.0 + np.arange(n) * 2.5e-5 + rng.random(n) * 1e-5
    a["start"] = start; a["done"] = start + 1e-4 + rng.random(n) * 1e-3
    a["status"] = 1; a["pod"] = np.array([b"r%d@vm" % (i % 4) for i in range(n)])
    t[...] = a
PYEOF
measure() { # label cmd...
    /usr/bin/time -v "${@:2}" >/dev/null 2>time.txt
    printf '%-28s %8s s elapsed  %6.2f s cpu  %7d MB max RSS\n' "$1" \
        "$(awk -F': ' '/Elapsed/ {print $2}' time.txt)" \
        "$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' time.txt)" \
        "$(( $(awk -F': ' '/Maximum resident/ {print $2}' time.txt) / 1024 ))"
}
for f in pending written; do
    for r in $(seq "$ROUNDS"); do
        measure "$f old --json" "$OLD" status $f.h5 -q --json $f.old.json
        measure "$f new --json" "$NEW" status $f.h5 -q --json $f.new.json
        measure "$f new text" "$NEW" status $f.h5
    done
    cmp $f.old.json $f.new.json && echo "$f: old and new JSON are the same bytes ($(stat -c %s $f.new.json) bytes)"
done
uptime
