#!/usr/bin/env python3
"""Make a domain the way the seed's create_empty.py (HDFGroup/hsds
tests/perf/write) does, with h5pyd only: `dset` (f8, chunked) and the task
table of the seed's dtype, one row per chunk, no chunkbench attributes.

Usage: hs_seed_create.py TARGET NROWS NCOLS CHUNK_ROWS CHUNK_COLS [--table-name task_list|chunk_list]
                         [--shuffle SEED]
--shuffle puts the rows in a random order (another tool's table need not
follow chunkbench's grid order).
"""
import argparse
import os
import sys

import h5pyd
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cbvalues  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("nrows", type=int)
    ap.add_argument("ncols", type=int)
    ap.add_argument("crows", type=int)
    ap.add_argument("ccols", type=int)
    ap.add_argument("--table-name", default="task_list")
    ap.add_argument("--shuffle", type=int)
    a = ap.parse_args()
    f = h5pyd.File(a.target, "w")
    dset = f.create_dataset("dset", (a.nrows, a.ncols), dtype="f8", chunks=(a.crows, a.ccols))
    ch = dset.chunks  # the server's layout, which may differ from the request
    rows = [(0, 0, 0, x, y, min(ch[0], a.nrows - x), min(ch[1], a.ncols - y), b"")
            for x in range(0, a.nrows, ch[0]) for y in range(0, a.ncols, ch[1])]
    arr = np.array(rows, dtype=cbvalues.TASK_DTYPE)
    if a.shuffle is not None:
        np.random.default_rng(a.shuffle).shuffle(arr)
    f.create_dataset(a.table_name, data=arr, chunks=(min(len(arr), 1000),))
    f.close()
    print(f"{a.target}: {len(rows)} tasks, chunks {tuple(ch)}")


if __name__ == "__main__":
    main()
