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
#   ONE=1: also chunkbench's filtered write on 1 rank (the per-chunk cost beside
#   h5py's, apart from the scaling over ranks)
#   QUIET_IDLE=80 QUIET_WAIT=20 (bench/quiet.sh)  OUT=bench/out/filtered-<date>
# The CPU's steal and idle time over each measurement go to OUT/cpu.txt.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NROWS=${NROWS:-8192} NCOLS=${NCOLS:-8192} CHUNK=${CHUNK:-512,512} VALUES=${VALUES:-smooth}
FILTERS=${FILTERS:-"deflate:1"} RANKS=${RANKS:-2} ROUNDS=${ROUNDS:-3} DIR=${DIR:-/var/tmp/cbfw}
CB0=${CHUNKBENCH:-$here/../build/chunkbench} H5PY_PY=${H5PY_PY:-/usr/bin/python3} ONE=${ONE:-1}
QUIET_IDLE=${QUIET_IDLE:-80} QUIET_WAIT=${QUIET_WAIT:-20}
OUT=${OUT:-$here/out/filtered-$(date -u +%Y%m%dT%H%M%S)}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
source "$here/quiet.sh"
mkdir -p "$DIR" "$OUT/raw"
CB=$OUT/chunkbench # a copy: a rebuild meanwhile does not change what is measured
cp "$CB0" "$CB"
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

# /proc/stat's cpu line: total, idle+iowait and steal ticks.
ticks() { awk '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $5 + $6, $9}' /proc/stat; }
cpu_log() { # label before-ticks
  local a=($2) b=($(ticks))
  local t=$((b[0] - a[0]))
  echo "$1 idle=$((100 * (b[1] - a[1]) / (t > 0 ? t : 1)))% steal=$((100 * (b[2] - a[2]) / (t > 0 ? t : 1)))%" >>"$OUT/cpu.txt"
}
cb_run() { # name ranks filter-args...
  local name=$1 np=$2; shift 2
  "$CB" create "$DIR/$name.h5" "$NROWS" "$NCOLS" --chunk "$CHUNK" --values "$VALUES" "$@" --force -q
  sync; quiet "$name r$r"
  local t0; t0=$(ticks)
  mpirun -n "$np" "$CB" write "$DIR/$name.h5" --io collective --schedule block -q --json "$OUT/raw/$name-r$r.json"
  cpu_log "$name r$r" "$t0"
  rm -f "$DIR/$name.h5"
}
h5py_run() {
  rm -f "$DIR/h5py.h5"; sync; quiet "h5py r$r"
  local t0; t0=$(ticks)
  "$H5PY_PY" "$here/h5py_writer.py" "$DIR/h5py.h5" "$NROWS" "$NCOLS" --chunk "$CHUNK" --iterations 1 \
    --values "$VALUES" $(for s in $FILTERS; do echo --filter "$s"; done) --json "$OUT/raw/h5py-r$r.json"
  cpu_log "h5py r$r" "$t0"
  rm -f "$DIR/h5py.h5"
}
one_run() { if [ "$ONE" = 1 ]; then cb_run cb_filtered_1rank 1 "${fopts[@]}"; fi; }
for r in $(seq 1 "$ROUNDS"); do
  # The order turns each round: no kind always runs first (or after another).
  case $((r % 3)) in
    1) cb_run cb_filtered "$RANKS" "${fopts[@]}"; cb_run cb_plain "$RANKS"; h5py_run; one_run ;;
    2) cb_run cb_plain "$RANKS"; h5py_run; one_run; cb_run cb_filtered "$RANKS" "${fopts[@]}" ;;
    0) h5py_run; one_run; cb_run cb_filtered "$RANKS" "${fopts[@]}"; cb_run cb_plain "$RANKS" ;;
  esac
  echo "round $r done"
done

python3 - "$OUT" "$ROUNDS" "$ONE" <<'PY' | tee "$OUT/summary.txt"
import json, statistics as st, sys
out, rounds, one = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
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
kinds = ["cb_filtered", "cb_plain", "h5py"] + (["cb_filtered_1rank"] if one else [])
f = {k: [fig(k, r) for r in range(1, rounds + 1)] for k in kinds}
med = {k: {m: st.median(x[m] for x in f[k]) for m in f[k][0]} for k in kinds}
print("medians over %d interleaved rounds (writes only: time inside the write calls)" % rounds)
print("%-17s %8s %13s %12s %10s %12s" % ("writer", "ratio", "logical MB/s", "stored MB/s", "write s", "IOR MB/s"))
for k in kinds:
    m = med[k]
    print("%-17s %8.3f %13.1f %12.1f %10.2f %12.1f" % (k, m["ratio"], m["logical"], m["stored"], m["io_s"], m["ior"]))
per = [a["logical"] / b["logical"] for a, b in zip(f["cb_filtered"], f["h5py"])]
print("chunkbench filtered / h5py filtered, logical MB/s per round: " + " ".join("%.2f" % x for x in per)
      + "; median %.2f" % st.median(per))
print("chunkbench filtered / chunkbench unfiltered, logical MB/s: %.2f" % (med["cb_filtered"]["logical"] / med["cb_plain"]["logical"]))
if one:
    per1 = [a["logical"] / b["logical"] for a, b in zip(f["cb_filtered_1rank"], f["h5py"])]
    print("chunkbench filtered on 1 rank / h5py filtered, per round: " + " ".join("%.2f" % x for x in per1)
          + "; median %.2f" % st.median(per1))
json.dump({"rounds": f, "medians": med, "cb_over_h5py": per}, open(f"{out}/summary.json", "w"), indent=1)
PY
