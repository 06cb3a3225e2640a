#!/usr/bin/env bash
# Every schedule x io mode x 1, 3 and 4 ranks (2 in the sanitizer build) x block/row/col: every task written
# exactly once, the data verifies (here and with h5py), the table is complete.
source "$(dirname "$0")/lib.sh"
args=()
# CB_MATRIX_RANKS: other rank counts (the sanitizer build runs 2 only; 3 is the uneven split).
for np in ${CB_MATRIX_RANKS:-1 3 4}; do
  for iter in block row col; do
    for sched in block cyclic dynamic; do
      for io in independent collective direct; do
        [ "$io" = direct ] && [ "$iter" != block ] && continue
        f=$WORK/m_${np}_${iter}_${sched}_${io}.h5
        "$CHUNKBENCH" create "$f" 37 53 "$iter" --chunk 10,16 -q --seed $((np * 7))
        if ! mpi "$np" "$CHUNKBENCH" write "$f" --schedule "$sched" --io "$io" -q --json "$f.json"; then
          fail "write np=$np iter=$iter sched=$sched io=$io"; continue
        fi
        if ! out=$(mpi "$np" "$CHUNKBENCH" verify "$f" --schedule "$sched" --io "$io"); then
          fail "verify np=$np iter=$iter sched=$sched io=$io: $out"; continue
        fi
        args+=("$f:$f.json")
      done
    done
  done
done
echo "${#args[@]} runs written and verified by chunkbench; checking with h5py"
$CHECK "${args[@]}" || fail "h5py cross-check"
finish
