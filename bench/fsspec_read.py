"""One h5py + fsspec read of a chunkbench file over HTTP, as the seed's notebook
reads: fsspec's HTTP file with a cache type and block size, h5py on top.
Without DATASETs: dset read chunk by chunk in row-major order (what chunkbench
read's block tasks are on one rank). With DATASETs (the seed's read of an
ATL06 granule): each read whole (d[:]), in order, all in one open of the file.
Prints {"seconds": open..close, "bytes": values read, "datasets": [{"name", "bytes"}]}.
Usage: fsspec_read.py URL CACHE_TYPE BLOCK_SIZE default|tuned PAGED(0|1) [DATASET...]"""
import json
import sys
import time

import fsspec
import h5py

url, cache, block, preset, paged = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
names = sys.argv[6:]
# The seed's optimized_io_params: a 4 MiB chunk cache, and a 16 MiB page buffer for a paged file
# (HDF5 refuses a page buffer on a file not paged).
kw = {}
if preset == "tuned":
    kw["rdcc_nbytes"] = 4 << 20
    if paged:
        kw["page_buf_size"] = 16 << 20
fs = fsspec.filesystem("http")
parts = []
t0 = time.time()
with fs.open(url, "rb", cache_type=cache, block_size=block) as f, h5py.File(f, "r", **kw) as h:
    if names:
        for name in names:
            parts.append({"name": name, "bytes": h[name][:].nbytes})
    else:
        d = h["dset"]
        cr, cc = d.chunks
        n = 0
        for r in range(0, d.shape[0], cr):
            for c in range(0, d.shape[1], cc):
                n += d[r:r + cr, c:c + cc].nbytes
        parts.append({"name": "dset", "bytes": n})
t1 = time.time()
print(json.dumps({"seconds": t1 - t0, "bytes": sum(p["bytes"] for p in parts), "datasets": parts}))
