#!/usr/bin/env bash
# The seed's cloud read on ATL06-like granules (atl06_lib.sh): each of the five
# layouts read by patterns with sec2 and ros3 (from a real nginx), presets
# default and tuned, values equal to h5py's; mpio (independent, collective);
# a plain name beside a pattern and the total line; a pattern matching
# nothing is one line, exit 2, before anything is read. test_atl06_curl.sh:
# the curl driver.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$(dirname "$0")/nginx.sh"
source "$(dirname "$0")/atl06_lib.sh"
for v in $VARIANTS; do
  for preset in default tuned; do
    run 1 $v "$V/$v.h5" sec2 --preset $preset
    run 1 $v "$URL/$v.h5" ros3 --preset $preset
  done
done
run 2 original "$V/original.h5" sec2 --schedule cyclic
run 2 original "$URL/original.h5" ros3
run 2 original "$V/original.h5" mpio
run 2 original "$V/original.h5" mpio --io collective
run 2 page-only-8mb "$V/page-only-8mb.h5" mpio --preset tuned
for drv in sec2 mpio; do run 2 ints "$V/original.h5" $drv; done
run 1 ints "$URL/original.h5" ros3

# A plain name beside a pattern; the text's total line.
out=$(mpi 1 "$CHUNKBENCH" read "$V/original.h5" /gt1l/land_ice_segments/h_li '/gt1?/land_ice_segments/segment_id' --driver sec2) ||
  fail "plain + pattern: $out"
[ "$(echo "$out" | grep -c '^== dataset . of 3: ')" = 3 ] || fail "three datasets: $out"
echo "$out" | grep -q "^== dataset 3 of 3: /gt1r/land_ice_segments/segment_id ==" || fail "pattern order: $out"
echo "$out" | grep -Eq "^total:        3 datasets, 0\.[0-9]{3} MB read in [0-9.]+ s open to close .*; [1-9][0-9]* requests" ||
  fail "total text: $(echo "$out" | grep total)"

# report and compare take the datasets' own files, not the whole read's.
run 1 original "$V/original.h5" sec2
expect 2 "r.json is the total of a read of several datasets; give their own files" 0 report "$WORK/r.json" -o "$WORK/x.html"
expect 2 "r.json is the total of a read of several datasets" 0 compare "$WORK/r.json" "$WORK/r-1.json"
"$CHUNKBENCH" report "$WORK/r-1.json" "$WORK/r-2.json" -o "$WORK/x.html" -q || fail "report of two datasets' files"

# A pattern matching nothing: one line naming it, exit 2, before any read (no JSON).
rm -f "$WORK"/r*.json
expect 2 "no dataset of $V/original.h5 matches '/gt\*/land_ice_segments/h_lx'; list its datasets with h5ls -r" 2 \
  read "$V/original.h5" '/gt*/land_ice_segments/h_li' '/gt*/land_ice_segments/h_lx' --driver sec2 --json "$WORK/r.json"
expect 2 "no dataset of $URL/original.h5 matches 'gt\*/h_li'" 2 read "$URL/original.h5" 'gt*/h_li' --driver curl
ls "$WORK"/r*.json > /dev/null 2>&1 && fail "a failed match wrote $(ls "$WORK"/r*.json)"
finish
