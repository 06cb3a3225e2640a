#!/usr/bin/env bash
# The seed's five layouts of an ICESat-2 ATL06 granule, made as users make
# them, with the HDF5 tools (Debian's hdf5-tools: h5repack 1.10.8 in Debian
# 12, 1.14.5 in 13; the flags below are the same in both):
#   original.h5       bench/atl06_like.py's file: chunks of 10000 elements,
#                     gzip 6 + shuffle, metadata spread through the file;
#   page-only-8mb.h5  h5repack -S PAGE -G 8388608: the same chunks, the file
#                     re-laid in 8 MiB pages (metadata gathered into pages);
#   rechunked-Nmb.h5  N = 2, 4, 8: every 1-D variable of the six
#                     land_ice_segments groups rechunked (h5repack -l
#                     PATH:CHUNK=E, E elements of N MiB, at most the
#                     variable's length), filters kept, and paged as
#                     page-only-8mb. Paged as well: the seed's rechunked files
#                     are its "rechunked + repacked" ones, so that they differ
#                     from page-only-8mb by the chunking alone.
# Usage: bench/atl06_variants.sh DIR [SEGMENTS [SEED]]   (atl06_like.py's --segments, default 150000)
# Used by tests/read/test_atl06.sh and bench/read_layouts.sh (LAYOUT_SOURCE=atl06).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${CB_PYTHON:-/usr/bin/python3}
DIR=${1:?usage: atl06_variants.sh DIR [SEGMENTS [SEED]]}
SEG=${2:-150000} SEED=${3:-6}
command -v h5repack > /dev/null || { echo "atl06_variants.sh: h5repack not found (apt-get install hdf5-tools)" >&2; exit 2; }
mkdir -p "$DIR"
"$PY" "$HERE/atl06_like.py" "$DIR/original.h5" --segments "$SEG" --seed "$SEED"
PAGE=(-S PAGE -G 8388608)
h5repack "${PAGE[@]}" "$DIR/original.h5" "$DIR/page-only-8mb.h5"
for mb in 2 4 8; do
  # One -l a variable: chunks of mb MiB in its own element size.
  mapfile -t LAY < <("$PY" - "$DIR/original.h5" "$mb" <<'PYEOF'
import h5py, sys
mb = int(sys.argv[2])
with h5py.File(sys.argv[1], "r") as f:
    for b in sorted(k for k in f if k.startswith("gt")):
        g = f[b]["land_ice_segments"]
        for name in sorted(g):
            d = g[name]
            if isinstance(d, h5py.Dataset):
                print("-l")
                print(f"/{b}/land_ice_segments/{name}:CHUNK={min(mb * 2**20 // d.dtype.itemsize, d.shape[0])}")
PYEOF
  )
  h5repack "${PAGE[@]}" "${LAY[@]}" "$DIR/original.h5" "$DIR/rechunked-${mb}mb.h5"
done
