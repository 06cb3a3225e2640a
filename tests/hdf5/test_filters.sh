#!/usr/bin/env bash
# --filter (issue 15, HDF5 files): every chain x every schedule once, on 1, 2
# and 4 ranks, block and row tasks, --io collective: every task written once
# with the generator's values, verify passes, h5py sees the pipeline asked for
# and the stored bytes chunkbench reports (write and status JSON) are HDF5's.
# Then --no-edge-filter, a plugin filter by number where Debian's
# hdf5-filter-plugin is installed, and reads of a filtered file.
source "$(dirname "$0")/lib.sh"
chains=("shuffle deflate:1" "deflate:9" "fletcher32")
scheds=(block cyclic dynamic)
nps=(1 2 4)
iters=(block row)
args=()
for c in 0 1 2; do
  chain=${chains[$c]}
  fopts=()
  for spec in $chain; do fopts+=(--filter "$spec"); done
  for s in 0 1 2; do
    # Each chain gets every schedule, and 1, 2 and 4 ranks across them.
    sched=${scheds[$s]} np=${nps[$(((c + s) % 3))]} iter=${iters[$(((c + s) % 2))]}
    f=$WORK/f_${c}_${sched}_${np}_${iter}.h5
    what="chain '$chain' sched=$sched np=$np iter=$iter"
    "$CHUNKBENCH" create "$f" 45 70 "$iter" --chunk 10,16 -q --seed $((c * 10 + s)) "${fopts[@]}" || { fail "create $what"; continue; }
    if ! mpi "$np" "$CHUNKBENCH" write "$f" --schedule "$sched" --io collective -q --json "$f.json"; then
      fail "write $what"; continue
    fi
    if ! out=$(mpi "$np" "$CHUNKBENCH" verify "$f" --schedule "$sched" --io collective); then
      fail "verify $what: $out"; continue
    fi
    "$CHUNKBENCH" status "$f" --json "$f.status.json" > "$f.status.txt" || fail "status $what"
    grep -qx "filters:      $chain" "$f.status.txt" || fail "status $what: no filters line: $(cat "$f.status.txt")"
    grep -q "^compression:  .* MB stored for .* MB logical, ratio " "$f.status.txt" || fail "status $what: no compression line"
    args+=("$f:$f.json:$f.status.json:$chain")
  done
done

# Independent reads of a filtered file (HDF5 unfilters; only writes need collective).
f1=${args[0]%%:*}
out=$(mpi 2 "$CHUNKBENCH" verify "$f1" --io independent) || fail "independent verify of a filtered file: $out"
out=$(mpi 2 "$CHUNKBENCH" read "$f1" --verify -q) || fail "read --verify of a filtered file: $out"

# --no-edge-filter: 45 x 70 in 10 x 16 chunks has partial chunks on both edges.
# HDF5 1.10.8's parallel writes filter them anyway (a file other readers
# misread): refused there, before anything is made.
e=$WORK/edge.h5
if mpi 2 "$CHUNKBENCH" run "$e" 45 70 --chunk 10,16 --filter deflate:1 --no-edge-filter --io collective -q \
     --json "$e.json" 2> "$WORK/edge.err"; then
  out=$(mpi 2 "$CHUNKBENCH" verify "$e" --io collective) || fail "verify --no-edge-filter: $out"
  "$CHUNKBENCH" status "$e" --json "$e.status.json" > /dev/null || fail "status --no-edge-filter"
  args+=("$e:$e.json:$e.status.json:deflate:1" --edge "$e")
elif grep -q "error: --no-edge-filter: parallel HDF5 1\.1[0-3]\.[0-9]* filters the partial edge chunks anyway" "$WORK/edge.err" &&
     [ "$(grep -c "error:" "$WORK/edge.err")" = 1 ] && [ ! -e "$e" ]; then
  echo "--no-edge-filter refused on this HDF5, as it should be: $(cat "$WORK/edge.err")"
else
  fail "run --no-edge-filter: $(cat "$WORK/edge.err")"
fi

# A filter loaded from a plugin, by number: lz4 (32004) from Debian's
# hdf5-filter-plugin, built for the serial library but loaded by the parallel one.
plugdir=
for d in ${HDF5_PLUGIN_PATH:-} /usr/lib/x86_64-linux-gnu/hdf5/openmpi/plugins /usr/lib/x86_64-linux-gnu/hdf5/serial/plugins; do
  [ -f "$d/libh5lz4.so" ] && { plugdir=$d; break; }
done
if [ -z "$plugdir" ]; then
  echo "SKIP: plugin filter: no libh5lz4.so (Debian package hdf5-filter-plugin is not installed)"
else
  p=$WORK/lz4.h5
  if HDF5_PLUGIN_PATH=$plugdir mpi 4 "$CHUNKBENCH" run "$p" 45 70 row --chunk 10,16 --filter 32004 --io collective \
       --schedule dynamic -q --json "$p.json" &&
     out=$(HDF5_PLUGIN_PATH=$plugdir mpi 4 "$CHUNKBENCH" verify "$p" --io collective) &&
     HDF5_PLUGIN_PATH=$plugdir "$CHUNKBENCH" status "$p" --json "$p.status.json" > /dev/null; then
    args+=("$p:$p.json:$p.status.json:32004")
  else
    fail "plugin filter 32004 from $plugdir: ${out:-}"
  fi
  # Without the plugin, write says what to set before it opens the file.
  HDF5_PLUGIN_PATH= expect 2 "--filter 32004: filter 32004 is not available: set HDF5_PLUGIN_PATH" 2 write "$p" --io collective --rewrite
  export HDF5_PLUGIN_PATH=$plugdir # h5py reads it too
fi

$PY "$CB_SRC/tests/hdf5/check_filters.py" "${args[@]}" || fail "h5py cross-check of the filtered files"
finish
