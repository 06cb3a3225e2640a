#!/usr/bin/env bash
# The 512 MB ratio band (issue 15; README, create: "How they deflate at
# 512 MB"): smooth values, 8192 x 8192 float64 in 512 x 512 chunks,
# --filter deflate:1, written by 2 ranks with --io collective; the write's
# compression ratio (logical / H5Dget_storage_size) lies in the band the
# README states for it, and h5py's sum of the chunk sizes is the stored bytes.
# ~15 s on 2 cores. Env: CB_PYTHON with h5py (lib.sh).
source "$(dirname "$0")/lib.sh"
LO=2.45 HI=2.50 # README: smooth, deflate:1, 512 MB
f=$WORK/band.h5
"$CHUNKBENCH" create "$f" 8192 8192 --chunk 512,512 --values smooth --filter deflate:1 -q || fail "create"
mpi 2 "$CHUNKBENCH" write "$f" --io collective -q --json "$WORK/band.json" || fail "write"
$PY - "$f" "$WORK/band.json" "$LO" "$HI" <<'PYEOF' || fail "ratio band"
import json, sys, h5py
path, js, lo, hi = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
c = json.load(open(js))["compression"]
d = h5py.File(path, "r")["dset"]
by_chunks = sum(d.id.get_chunk_info(i).size for i in range(d.id.get_num_chunks()))
assert c["logical_bytes"] == 8192 * 8192 * 8 and c["stored_bytes"] == by_chunks, (c, by_chunks)
assert sum(c["chunks"]["stored_bytes"]) == by_chunks, "per-chunk sizes do not add up"
r = c["ratio"]
assert lo <= r <= hi, f"smooth deflate:1 ratio {r:.4f} outside the README's band [{lo}, {hi}]"
print(f"smooth deflate:1 on 512 MB: ratio {r:.4f}, in [{lo}, {hi}]")
PYEOF
finish
