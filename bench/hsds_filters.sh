#!/usr/bin/env bash
# The cost and the gain of compression on HSDS beside parallel HDF5: the same
# dataset (--values smooth, so that it compresses) written by N MPI ranks
# (--schedule dynamic) in each variant:
#   hsds-none     an HSDS domain, no filters
#   hsds-deflate  an HSDS domain, --filter shuffle --filter deflate:1 (the server's blosc zlib)
#   hsds-lz4      an HSDS domain, --filter shuffle --filter blosc-lz4:5
#   hdf5-deflate  an HDF5 file on local disk, --filter shuffle --filter deflate:1, --io collective
#   hdf5-none     the same file unfiltered, --io collective
# Each measurement writes a freshly created target (create --force, untimed). Variants
# are interleaved, their order rotated every round; figures are medians over rounds.
# Columns: write_phase and ior MB/s (logical bytes, chunkbench's JSON), the command's
# wall time (for HSDS it includes the flush and rescan that read the stored bytes),
# stored bytes and ratio (the `compression` record; unfiltered: none).
#
# Configuration (environment):
#   NROWS=2000 NCOLS=4000 CHUNK=500,1000  float64 (64 MB, 16 chunks of 4 MB)
#   N=2 ranks, REPEATS=3 rounds, VARIANTS as above
#   PORT=5201  HSDS port (its data nodes take 6101-6102 whatever PORT is: the script
#              waits for no other HSDS to run and holds /tmp/chunkbench-serial.lock)
#   FILE_DIR=/var/tmp  where the HDF5 files go
#   CB_VENV=<repo>/.venv   CHUNKBENCH=<repo>/build/chunkbench
#   OUT=bench/out/hsds-filters-<date>: results.jsonl, raw/, summary.md
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
NROWS=${NROWS:-2000}
NCOLS=${NCOLS:-4000}
CHUNK=${CHUNK:-500,1000}
N=${N:-2}
REPEATS=${REPEATS:-3}
VARIANTS=${VARIANTS:-"hsds-none hsds-deflate hsds-lz4 hdf5-deflate hdf5-none"}
PORT=${PORT:-5201}
FILE_DIR=${FILE_DIR:-/var/tmp}
export CB_VENV=${CB_VENV:-$repo/.venv}
CHUNKBENCH=${CHUNKBENCH:-$repo/build/chunkbench}
OUT=${OUT:-$here/out/hsds-filters-$(date +%Y%m%d-%H%M%S)}
PY=$CB_VENV/bin/python
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe

die() { echo "hsds_filters.sh: $*" >&2; exit 1; }
[[ -x $CHUNKBENCH ]] || die "no chunkbench at $CHUNKBENCH (cmake --build $repo/build -j2)"

# One HSDS at a time on a machine (fixed data node ports): take the lock, then
# wait for any server started without it to go.
if [ -z "${HSDS_FILTERS_LOCKED:-}" ]; then
    export HSDS_FILTERS_LOCKED=1
    exec flock /tmp/chunkbench-serial.lock "$0" "$@"
fi
for _ in $(seq 300); do pgrep -f hsds-node >/dev/null || break; sleep 3; done
pgrep -f hsds-node >/dev/null && die "another HSDS still runs on this machine"

mkdir -p "$OUT/raw"
HS=$OUT/server
cleanup() { "$repo/scripts/hsds_down.sh" "$HS" >/dev/null 2>&1 || true; rm -f "$FILE_DIR"/cbhsflt.h5; }
trap cleanup EXIT
"$repo/scripts/hsds_up.sh" "$HS" "$PORT" > "$OUT/up.log" 2>&1 || die "server did not start: $(tail -3 "$OUT/up.log")"
# shellcheck disable=SC1091
source "$HS/env.sh"
{ date -u; uname -a; nproc; "$CHUNKBENCH" --version 2>/dev/null || true; "$PY" -c "import hsds, h5pyd; print('hsds', hsds.__version__ if hasattr(hsds, '__version__') else '?', 'h5pyd', h5pyd.__version__)"; } > "$OUT/env.txt" 2>&1

target_of() { case $1 in hsds-*) echo "hdf5://home/$HS_USERNAME/cbhsflt.h5" ;; *) echo "$FILE_DIR/cbhsflt.h5" ;; esac; }
filters_of() { case $1 in *-deflate) echo "--filter shuffle --filter deflate:1" ;; *-lz4) echo "--filter shuffle --filter blosc-lz4:5" ;; esac; }
io_of() { case $1 in hdf5-*) echo "--io collective" ;; esac; }

: > "$OUT/results.jsonl"
read -r -a vs <<< "$VARIANTS"
for ((r = 0; r < REPEATS; r++)); do
    for ((k = 0; k < ${#vs[@]}; k++)); do
        v=${vs[$(((k + r) % ${#vs[@]}))]}
        t=$(target_of "$v")
        # shellcheck disable=SC2046
        "$CHUNKBENCH" create "$t" "$NROWS" "$NCOLS" --chunk "$CHUNK" --values smooth $(filters_of "$v") --force -q
        j=$OUT/raw/$v-$r.json
        t0=$(date +%s.%N)
        # shellcheck disable=SC2046
        timeout 300 mpirun -n "$N" "$CHUNKBENCH" write "$t" --schedule dynamic $(io_of "$v") -q --json "$j"
        t1=$(date +%s.%N)
        "$PY" - "$j" "$v" "$r" "$t0" "$t1" >> "$OUT/results.jsonl" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d.get("compression") or {}
print(json.dumps({"variant": sys.argv[2], "round": int(sys.argv[3]), "wall_s": float(sys.argv[5]) - float(sys.argv[4]),
                  "write_phase_MBps": d["bandwidth_MBps"]["write_phase"], "ior_MBps": d["bandwidth_MBps"]["ior"],
                  "logical_bytes": d["bytes"], "stored_bytes": c.get("stored_bytes"), "ratio": c.get("ratio")}))
PY
        echo "round $r $v: $(tail -1 "$OUT/results.jsonl")"
    done
done

"$PY" - "$OUT/results.jsonl" "$VARIANTS" > "$OUT/summary.md" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| variant | write phase MB/s | IOR-style MB/s | wall s | stored MB | ratio |")
print("|---|---|---|---|---|---|")
for v in sys.argv[2].split():
    rs = [r for r in rows if r["variant"] == v]
    med = lambda k: statistics.median(r[k] for r in rs)
    st = [r["stored_bytes"] for r in rs if r["stored_bytes"]]
    print(f"| {v} | {med('write_phase_MBps'):.1f} | {med('ior_MBps'):.1f} | {med('wall_s'):.2f} | "
          + (f"{statistics.median(st) / 1e6:.1f} | {statistics.median(r['ratio'] for r in rs):.2f} |" if st else "- | - |"))
PY
cat "$OUT/summary.md"
