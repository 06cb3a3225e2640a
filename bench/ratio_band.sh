#!/usr/bin/env bash
# The deflate ratio of each --values generator on a 512 MB dataset (issue 15):
# 8192 x 8192 float64 in 512 x 512 chunks, --filter deflate:L alone (no
# shuffle), written by chunkbench on RANKS ranks with --io collective; the
# ratio is the write's compression.ratio (logical / H5Dget_storage_size).
# Every generator x level x seed once; prints one line each and writes
# OUT/ratios.json. See bench/RESULTS.md and README (create, --values).
#   GENS="smooth repeat:0.5 zeros uniform"  LEVELS="1 6"  SEEDS="1 2"
#   NROWS=8192 NCOLS=8192 CHUNK=512,512  RANKS=2
#   CHUNKBENCH=build/chunkbench  DIR=/var/tmp/cbband  OUT=bench/out/ratio-<date>
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GENS=${GENS:-"smooth repeat:0.5 zeros uniform"}
LEVELS=${LEVELS:-"1 6"}
SEEDS=${SEEDS:-"1 2"}
NROWS=${NROWS:-8192} NCOLS=${NCOLS:-8192} CHUNK=${CHUNK:-512,512} RANKS=${RANKS:-2}
CB=${CHUNKBENCH:-$here/../build/chunkbench}
DIR=${DIR:-/var/tmp/cbband}
OUT=${OUT:-$here/out/ratio-$(date -u +%Y%m%dT%H%M%S)}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mkdir -p "$DIR" "$OUT"
f=$DIR/band.h5
for gen in $GENS; do
  for L in $LEVELS; do
    for s in $SEEDS; do
      j=$OUT/${gen/:/_}-d$L-s$s.json
      "$CB" create "$f" "$NROWS" "$NCOLS" --chunk "$CHUNK" --values "$gen" --seed "$s" --filter "deflate:$L" --force -q
      t0=$(date +%s.%N)
      mpirun -n "$RANKS" "$CB" write "$f" --io collective -q --json "$j"
      t1=$(date +%s.%N)
      python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["compression"]
print("%-11s deflate:%s seed %s  ratio %.4f  stored %d  logical %d  write %.1f s" % (sys.argv[2], sys.argv[3], sys.argv[4], c["ratio"], c["stored_bytes"], c["logical_bytes"], float(sys.argv[5])))' \
        "$j" "$gen" "$L" "$s" "$(echo "$t1 - $t0" | bc)" | tee -a "$OUT/ratios.txt"
    done
  done
done
rm -f "$f"
echo "results in $OUT/ratios.txt"
