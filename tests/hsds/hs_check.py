#!/usr/bin/env python3
"""Read a chunkbench domain with h5pyd alone and check what any h5pyd user
would rely on: dset's dtype, shape and chunk layout; task_list's dtype (the
seed's exact 76-byte row), one row per task of the chunk grid; the run
metadata attributes; the values of complete tasks (chunkbench's (seed, i, j)
values); and the status counts.

Usage: hs_check.py TARGET [--shape R,C] [--chunk R,C] [--dtype f8|f4]
                   [--iter block|row|col] [--complete N] [--pending N]
                   [--in-progress N] [--seed S] [--values GEN] [--no-data]
                   [--filters "CLASS[:LEVEL] ..." --compression NAME|none --shuffle 0|1]
Prints a JSON summary (counts, pods, layout) on stdout; exits 1 on the first
failed check, naming it.
"""
import argparse
import json
import os
import sys

import h5pyd
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cbvalues  # noqa: E402


def fail(msg):
    print(f"hs_check: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def pair(s):
    a, b = s.split(",")
    return (int(a), int(b))


def grid(shape, chunk, it):
    """The task rows chunkbench (and the seed's create_empty.py) make."""
    if it == "row":
        return [(i, 0, 1, shape[1]) for i in range(shape[0])]
    if it == "col":
        return [(0, j, shape[0], 1) for j in range(shape[1])]
    return [(x, y, min(chunk[0], shape[0] - x), min(chunk[1], shape[1] - y))
            for x in range(0, shape[0], chunk[0]) for y in range(0, shape[1], chunk[1])]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--shape", type=pair)
    ap.add_argument("--chunk", type=pair)
    ap.add_argument("--dtype")
    ap.add_argument("--iter", default=None)
    ap.add_argument("--complete", type=int)
    ap.add_argument("--pending", type=int)
    ap.add_argument("--in-progress", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--values", help="the generator the domain must record (default: any; its own is used)")
    ap.add_argument("--no-data", action="store_true")
    ap.add_argument("--filters", help="dset's creation-property filters, in order: 'H5Z_FILTER_SHUFFLE H5Z_FILTER_DEFLATE:1'")
    ap.add_argument("--compression", help="what h5pyd's dset.compression must say ('none': None)")
    ap.add_argument("--shuffle", type=int, help="what h5pyd's dset.shuffle must say (0 or 1)")
    a = ap.parse_args()

    f = h5pyd.File(a.target, "r")
    for name in ("dset", "task_list"):
        if name not in f:
            fail(f"no {name} in {a.target}")
    dset, table = f["dset"], f["task_list"]
    attrs = {k: f.attrs[k] for k in f.attrs}
    for k in ("version", "seed", "open_start", "close_end", "gen_s", "io_s", "clock_skew_s", "writers",
              "schedule", "io", "requests", "retries", "shape", "chunk", "iter_type", "dtype"):
        if k not in attrs:
            fail(f"root attribute {k} missing (have {sorted(attrs)})")

    def text(v):
        return v.decode() if isinstance(v, bytes) else str(v)

    it = a.iter or text(attrs["iter_type"])
    if dset.ndim != 2 or dset.dtype not in (np.dtype("<f8"), np.dtype("<f4")):
        fail(f"dset is {dset.dtype} {dset.shape}, not 2-D float")
    if a.dtype and dset.dtype != np.dtype(a.dtype):
        fail(f"dset dtype {dset.dtype}, expected {a.dtype}")
    if text(attrs["dtype"]) != ("f8" if dset.dtype.itemsize == 8 else "f4"):
        fail(f"dtype attribute {attrs['dtype']} disagrees with dset {dset.dtype}")
    if a.shape and tuple(dset.shape) != a.shape:
        fail(f"dset shape {dset.shape}, expected {a.shape}")
    if a.chunk and tuple(dset.chunks) != a.chunk:
        fail(f"dset chunks {dset.chunks}, expected {a.chunk}")
    if tuple(int(v) for v in attrs["shape"]) != tuple(dset.shape):
        fail(f"shape attribute {attrs['shape']} disagrees with dset {dset.shape}")
    if tuple(int(v) for v in attrs["chunk"]) != tuple(dset.chunks):
        fail(f"chunk attribute {attrs['chunk']} disagrees with the real layout {dset.chunks}")

    if a.filters is not None:
        got = " ".join(fl["class"] + (f":{fl['level']}" if "level" in fl else "") for fl in dset.id.filters)
        if got != a.filters:
            fail(f"dset filters {got!r}, want {a.filters!r}")
    if a.compression is not None and str(dset.compression) != ("None" if a.compression == "none" else a.compression):
        fail(f"dset.compression {dset.compression!r}, want {a.compression!r}")
    if a.shuffle is not None and bool(dset.shuffle) != bool(a.shuffle):
        fail(f"dset.shuffle {dset.shuffle!r}, want {bool(a.shuffle)}")

    if table.dtype != cbvalues.TASK_DTYPE or table.dtype.itemsize != 76:
        fail(f"task_list dtype {table.dtype} is not the seed's {cbvalues.TASK_DTYPE}")
    rows = table[...]
    want = grid(dset.shape, dset.chunks, it)
    if len(rows) != len(want):
        fail(f"task_list has {len(rows)} rows, the {it} grid has {len(want)}")
    for k, (x, y, nr, nc) in enumerate(want):
        got = tuple(int(rows[k][n]) for n in ("x", "y", "nrow", "ncol"))
        if got != (x, y, nr, nc):
            fail(f"task_list row {k} is {got}, expected {(x, y, nr, nc)}")

    status = rows["status"]
    counts = {"pending": int((status == 0).sum()), "complete": int((status == 1).sum()),
              "in_progress": int((status == -1).sum())}
    for k in ("complete", "pending", "in_progress"):
        exp = getattr(a, k)
        if exp is not None and counts[k] != exp:
            fail(f"{counts[k]} tasks {k}, expected {exp}")
    pods = {}
    for r in rows:
        p = r["pod"].decode("ascii")
        if p:
            pods[p] = pods.get(p, 0) + 1

    seed = a.seed if a.seed is not None else int(attrs["seed"])
    gen = cbvalues.gen_of(attrs)
    if a.values is not None and gen != a.values:
        fail(f"values attribute {gen!r}, want {a.values!r}")
    checked = 0
    if not a.no_data:
        for k in np.nonzero(status == 1)[0]:
            x, y, nr, nc = want[k]
            got = dset[x:x + nr, y:y + nc]
            exp = cbvalues.values(seed, x, y, nr, nc, dset.dtype, gen)
            if got.shape != exp.shape or not np.array_equal(got, exp):
                bad = int((got != exp).sum()) if got.shape == exp.shape else -1
                fail(f"task {k} [{x}:{x + nr},{y}:{y + nc}]: {bad} values differ from seed {seed}")
            checked += 1
        if rows["done"][status == 1].min(initial=np.inf) <= 0:
            fail("a complete task has no done time")
    summary = {"counts": counts, "pods": pods, "shape": list(dset.shape), "chunk": list(dset.chunks),
               "dtype": str(dset.dtype), "iter": it, "seed": seed, "checked": checked,
               "version": text(attrs["version"]),
               "filters_attr": text(attrs["filters"]) if "filters" in attrs else None}
    f.close()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
