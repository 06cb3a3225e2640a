#!/usr/bin/env bash
# The curl driver on ATL06-like granules (atl06_lib.sh): each of the five
# layouts read by patterns from a real nginx, cache types none and
# blockcache (8 MiB blocks), presets default and tuned, values equal to
# h5py's; the other cache types on the original; two ranks on two layouts.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$(dirname "$0")/nginx.sh"
source "$(dirname "$0")/atl06_lib.sh"
for v in $VARIANTS; do
  for preset in default tuned; do
    for cache in none blockcache; do
      run 1 $v "$URL/$v.h5" curl --cache-type $cache --block-size 8M --preset $preset
    done
  done
done
for cache in readahead first all; do run 1 original "$URL/original.h5" curl --cache-type $cache; done
run 2 original "$URL/original.h5" curl --cache-type blockcache
for cache in none blockcache; do run 1 ints "$URL/original.h5" curl --cache-type $cache; done
run 2 rechunked-4mb "$URL/rechunked-4mb.h5" curl --cache-type none --preset tuned
finish
