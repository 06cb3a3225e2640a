#!/usr/bin/python3
"""Peer for the chunkbench write benchmark: the seed's job in h5py.

One process: create a 2-D chunked float64 dataset, then write it chunk by
chunk (dset[x:x+nrow, y:y+ncol] = values), --iterations times over.  Pass 1
writes a new file (first touch), later passes overwrite it.  Each pass opens
and closes the file, like a chunkbench pass; values are generated inside the
pass (numpy's default_rng into one reused buffer) and timed apart from the
H5Dwrite calls, so the JSON has the same per-pass fields as chunkbench's:
bytes, open_start, close_end, ior_MBps (bytes / open..close), gen_s, io_s.

--values GEN writes chunkbench's generator (tests/hsds/cbvalues.py, the
same bits as chunkbench's --values) instead of default_rng; --filter SPEC
(shuffle, deflate:L; repeatable, in order) gives the dataset chunkbench's
filter pipeline, and the JSON then has stored_bytes (H5Dget_storage_size).

Run with Debian's /usr/bin/python3 (python3-h5py, serial HDF5 1.10.8).
"""
import argparse
import json
import os
import sys
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "hsds"))
import cbvalues  # noqa: E402


def filter_kw(specs):
    """h5py's create_dataset arguments for --filter specs (shuffle, deflate[:L])."""
    kw = {}
    for i, f in enumerate(specs):
        if f == "shuffle":
            if i != 0:
                sys.exit("h5py_writer: h5py puts shuffle first; give --filter shuffle first")
            kw["shuffle"] = True
        elif f.startswith("deflate"):
            kw["compression"] = "gzip"
            kw["compression_opts"] = int(f.split(":")[1]) if ":" in f else 6
        else:
            sys.exit(f"h5py_writer: --filter {f}: only shuffle and deflate[:L]")
    return kw


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("nrows", type=int)
    ap.add_argument("ncols", type=int)
    ap.add_argument("--chunk", default="500,1000")
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--align", type=int, default=0, help="alignment in bytes for objects >= 64 KiB (0: none)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", default=None)
    ap.add_argument("--values", default=None, help="chunkbench's generator (uniform, smooth, repeat:F, zeros)")
    ap.add_argument("--filter", action="append", default=[], help="shuffle, deflate[:L]; repeatable")
    a = ap.parse_args()
    cr, cc = (int(v) for v in a.chunk.split(","))
    nr, nc = a.nrows, a.ncols

    kw = {}
    if a.align > 0:
        kw = dict(alignment_threshold=65536, alignment_interval=a.align)
    with h5py.File(a.path, "w", libver="earliest", **kw) as f:
        # Serial HDF5 defaults: chunks allocated when first written, no fill
        # values written (none set), so pass 1 is the first write of the data.
        f.create_dataset("dset", shape=(nr, nc), dtype="<f8", chunks=(cr, cc), **filter_kw(a.filter))

    rng = np.random.default_rng(a.seed)
    buf = np.empty((cr, cc), dtype="<f8")
    passes = []
    for p in range(a.iterations):
        gen_s = io_s = 0.0
        nbytes = 0
        t_open = time.time()
        with h5py.File(a.path, "r+", **kw) as f:
            d = f["dset"]
            for x in range(0, nr, cr):          # chunks in row-major order, like
                for y in range(0, nc, cc):      # chunkbench's block tasks
                    r, c = min(cr, nr - x), min(cc, nc - y)
                    v = buf[:r, :c]
                    g0 = time.perf_counter()
                    if a.values:
                        v = cbvalues.values(a.seed, x, y, r, c, gen=a.values)
                    elif v.flags.c_contiguous:
                        rng.random(out=v)
                    else:                       # edge chunk narrower than the buffer
                        v[...] = rng.random((r, c))
                    g1 = time.perf_counter()
                    d[x:x + r, y:y + c] = v
                    g2 = time.perf_counter()
                    gen_s += g1 - g0
                    io_s += g2 - g1
                    nbytes += v.nbytes
            stored = d.id.get_storage_size()
        t_close = time.time()
        span = t_close - t_open
        passes.append(dict(
            pass_=p + 1, tasks=((nr + cr - 1) // cr) * ((nc + cc - 1) // cc), bytes=nbytes,
            open_start=t_open, close_end=t_close,
            ior_MBps=nbytes / span / 1e6 if span > 0 else 0.0,
            gen_s=gen_s, io_s=io_s, stored_bytes=stored))
    out = {"writer": "h5py", "h5py": h5py.version.version, "hdf5": h5py.version.hdf5_version,
           "numpy": np.__version__, "shape": [nr, nc], "chunk": [cr, cc], "align": a.align,
           "values": a.values or "default_rng", "filters": " ".join(a.filter),
           "passes": {"list": [{("pass" if k == "pass_" else k): v for k, v in q.items()} for q in passes]}}
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(out, fh, indent=1)
    else:
        for q in passes:
            print("pass %d: %.1f MB/s (gen %.3f s, io %.3f s)" % (q["pass_"], q["ior_MBps"], q["gen_s"], q["io_s"]))


if __name__ == "__main__":
    main()
