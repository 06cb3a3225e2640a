#!/usr/bin/env python3
"""Check an mpiio: target the way a user's own tool would read it: the plain
file PATH holds each task's values contiguous at its documented offset
(block tasks in chunk-grid order, rows as rows, columns as columns), and
PATH.chunkbench-tasks.h5 is a chunkbench task table. Every task of the grid
must be complete exactly once and its bytes the generator's values.

Usage: rawcheck.py PATH [RUN_JSON]   (RUN_JSON: every task written by that run, once)
"""
import json
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hdf5"))
from cbcheck import cbvalues, expected  # noqa: E402


def offset(iter_type, shape, chunk, x, y):
    if iter_type == "row":
        return x * shape[1]
    if iter_type == "col":
        return y * shape[0]
    ci, cj = x // chunk[0], y // chunk[1]
    h = min(chunk[0], shape[0] - ci * chunk[0])
    return ci * chunk[0] * shape[1] + cj * chunk[1] * h


def main(path, run_json=None):
    with h5py.File(path + ".chunkbench-tasks.h5", "r") as f:
        dset, rows = f["dset"], f["task_list"][:]
        shape, chunk, dtype = dset.shape, dset.chunks, dset.dtype
        seed = int(f.attrs["seed"])
        gen = cbvalues.gen_of(f.attrs)
        iter_type = f.attrs["iter_type"].decode() if isinstance(f.attrs["iter_type"], bytes) else str(f.attrs["iter_type"])
        assert dset.id.get_storage_size() == 0, "the table's dset holds data: it should hold none"
    raw = np.fromfile(path, dtype=dtype.newbyteorder("<"))
    assert raw.size == shape[0] * shape[1], f"{path}: {raw.size} values, want {shape[0] * shape[1]}"
    assert (rows["status"] == 1).all(), f"{int((rows['status'] != 1).sum())} tasks not complete"
    covered = np.zeros(shape, dtype=np.int32)
    for r in rows:
        x, y, nr, nc = int(r["x"]), int(r["y"]), int(r["nrow"]), int(r["ncol"])
        covered[x:x + nr, y:y + nc] += 1
        o = offset(iter_type, shape, chunk, x, y)
        got = raw[o:o + nr * nc]
        want = expected(seed, x, y, nr, nc, dtype, gen)
        want = want.T.reshape(-1) if iter_type == "col" else want.reshape(-1)
        assert np.array_equal(got, want), f"task ({x},{y}) {nr}x{nc}: bytes at value {o} are not the generator's"
    assert (covered == 1).all(), "the tasks do not cover the dataset exactly once"
    if run_json:
        d = json.load(open(run_json))
        p = d["passes"]["list"][-1]
        assert p["tasks"] == len(rows), f"the run wrote {p['tasks']} tasks, the table has {len(rows)}"
        lr = d["last_run"]
        assert all(lr["open_start"] - 1e-3 <= s <= lr["close_end"] + 1e-3 for s in rows["start"]), "a task was not written by this run"
    print(f"{path}: {len(rows)} {iter_type} tasks, {shape} {dtype}, every value the generator's")


if __name__ == "__main__":
    main(*sys.argv[1:])
