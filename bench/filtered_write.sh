#!/usr/bin/env bash
# Filtered writes (issue 15): chunkbench's collective write with deflate on
# smooth values, beside the same write unfiltered and beside a single-process
# h5py writer in the seed's style (one chunk at a time) with the same filter
# and the same values (bench/h5py_writer.py --values, tests/hsds/cbvalues.py:
# bit-identical to chunkbench's generator). Interleaved rounds; medians.
# Timed: the writes only. chunkbench: bytes / the busiest writer's time inside
# its H5Dwrite calls (passes[0].io_max_s, "I/O only"); h5py: bytes / its time
# inside `dset[...] = v` (io_s). Generating values, open and close are left
# out of both (the IOR-style open-to-close figures are printed too).
# logical MB/s = logical bytes / that time, stored MB/s = stored bytes / it.
#   NROWS=8192 NCOLS=8192 CHUNK=512,512 (float64, 512 MB)  VALUES=smooth
#   FILTERS="deflate:1"  RANKS=2  ROUNDS=3  DIR=/var/tmp/cbfw
#   CHUNKBENCH=build/chunkbench  H5PY_PY=/usr/bin/python3 (Debian's h5py on serial HDF5 1.10.8)
#   QUIET_IDLE=80 QUIET_WAIT=20 (bench/quiet.sh)  OUT=bench/out/filtered-<date>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NROWS=${NROWS:-8192} NCOLS=${NCOLS:-8192} CHUNK=${CHUNK:-512,512} VALUES=${VALUES:-smooth}
FILTERS=${FILTERS:-"deflate:1"} RANKS=${RANKS:-2} ROUNDS=${ROUNDS:-3} DIR=${DIR:-/var/tmp/cbfw}
CB=${CHUNKBENCH:-$here/../build/chunkbench} H5PY_PY=${H5PY_PY:-/usr/bin/python3}
QUIET_IDLE=${QUIET_IDLE:-80} QUIET_WAIT=${QUIET_WAIT:-20}
OUT=${OUT:-$here/out/filtered-$(date -u +%Y%m%dT%H%M%S)}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
source "$here/quiet.sh"
mkdir -p "$DIR" "$OUT/raw"
fopts=()
for s in $FILTERS; do fopts+=(--filter "$s"); done
{
  echo "date: $(date -u +%FT%TZ)"; echo "host: $(uname -n) $(uname -r), $(nproc) CPUs"
  grep -m1 "model name" /proc/cpuinfo || true
  "$CB" --version | head -3
  "$H5PY_PY" -c 'import h5py, numpy; print("h5py", h5py.version.version, "HDF5", h5py.version.hdf5_version, "numpy", numpy.__version__)'
  echo "dataset: $NROWS x $NCOLS f8, chunk $CHUNK, values $VALUES, filters $FILTERS, $RANKS ranks, $ROUNDS rounds, dir $DIR"
} >"$OUT/env.txt"
cat "$OUT/env.txt"

cb_run() { # name filter-args...
  local name=$1; shift
  "$CB" create "$DIR/$name.h5" "$NROWS" "$NCOLS" --chunk "$CHUNK" --values "$VALUES" "$@" --force -q
  sync; quiet "$name r$r"
  mpirun -n "$RANKS" "$CB" write "$DIR/$name.h5" --io collective --schedule block -q --json "$OUT/raw/$name-r$r.json"
  rm -f "$DIR/$name.h5"
}
h5py_run() {
  rm -f "$DIR/h5py.h5"; sync; quiet "h5py r$r"
  "$H5PY_PY" "$here/h5py_writer.py" "$DIR/h5py.h5" "$NROWS" "$NCOLS" --chunk "$CHUNK" --iterations 1 \
    --values "$VALUES" $(for s in $FILTERS; do echo --filter "$s"; done) --json "$OUT/raw/h5py-r$r.json"
  rm -f "$DIR/h5py.h5"
}
for r in $(seq 1 "$ROUNDS"); do
  # The order turns each round: no kind always runs first (or after another).
  case $((r % 3)) in
    1) cb_run cb_filtered "${fopts[@]}"; cb_run cb_plain; h5py_run ;;
    2) cb_run cb_plain; h5py_run; cb_run cb_filtered "${fopts[@]}" ;;
    0) h5py_run; cb_run cb_filtered "${fopts[@]}"; cb_run cb_plain ;;
  esac
  echo "round $r done"
done

python3 - "$OUT" "$ROUNDS" <<'PY' | tee "$OUT/summary.txt"
import json, statistics as st, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def fig(kind, r):
    d = json.load(open(f"{out}/raw/{kind}-r{r}.json"))
    p = d["passes"]["list"][0]
    if kind == "h5py":
        io, stored = p["io_s"], p["stored_bytes"]
    else:
        io = p["io_max_s"]
        stored = d["compression"]["stored_bytes"] if "compression" in d else p["bytes"]
    span = p["close_end"] - p["open_start"]
    return {"logical": p["bytes"] / io / 1e6, "stored": stored / io / 1e6, "ratio": p["bytes"] / stored,
            "ior": p["bytes"] / span / 1e6, "io_s": io}
kinds = ["cb_filtered", "cb_plain", "h5py"]
f = {k: [fig(k, r) for r in range(1, rounds + 1)] for k in kinds}
med = {k: {m: st.median(x[m] for x in f[k]) for m in f[k][0]} for k in kinds}
print("medians over %d interleaved rounds (writes only: time inside the write calls)" % rounds)
print("%-12s %8s %13s %12s %10s %12s" % ("writer", "ratio", "logical MB/s", "stored MB/s", "write s", "IOR MB/s"))
for k in kinds:
    m = med[k]
    print("%-12s %8.3f %13.1f %12.1f %10.2f %12.1f" % (k, m["ratio"], m["logical"], m["stored"], m["io_s"], m["ior"]))
per = [a["logical"] / b["logical"] for a, b in zip(f["cb_filtered"], f["h5py"])]
print("chunkbench filtered / h5py filtered, logical MB/s per round: " + " ".join("%.2f" % x for x in per)
      + "; median %.2f" % st.median(per))
print("chunkbench filtered / chunkbench unfiltered, logical MB/s: %.2f" % (med["cb_filtered"]["logical"] / med["cb_plain"]["logical"]))
json.dump({"rounds": f, "medians": med, "cb_over_h5py": per}, open(f"{out}/summary.json", "w"), indent=1)
PY
