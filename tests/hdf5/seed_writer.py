"""The seed's own job in Python (create_empty.py + get_status.py logic), used
to check that chunkbench reads files made by users' tools and that their
status agrees with ours. Usage:
  seed_writer.py create FILE NROWS NCOLS     (seed layout: 700x700 chunks, table 'chunk_list')
  seed_writer.py status FILE                 (prints the seed's status as JSON)
"""
import json
import sys

import h5py
import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from cbcheck import seed_status  # noqa: E402

DT = [("start", "f8"), ("done", "f8"), ("status", "i4"), ("x", "i4"), ("y", "i4"),
      ("nrow", "i4"), ("ncol", "i4"), ("pod", "S40")]


def create(path, nrows, ncols):
    with h5py.File(path, "w") as f:
        chunks = (min(700, nrows), min(700, ncols))
        dset = f.create_dataset("dset", (nrows, ncols), dtype="f8", chunks=chunks)
        rows = [(0, 0, 0, s[0].start, s[1].start, s[0].stop - s[0].start, s[1].stop - s[1].start, "")
                for s in dset.iter_chunks()]
        arr = np.array(rows, dtype=DT)
        f.create_dataset("chunk_list", data=arr, chunks=(min(len(arr), 1000),))


def status(path):
    with h5py.File(path, "r") as f:
        table = f["task_list"] if "task_list" in f else f["chunk_list"]
        rows = np.concatenate([table[s] for s in table.iter_chunks()])
        print(json.dumps(seed_status(rows)))


if __name__ == "__main__":
    if sys.argv[1] == "create":
        create(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        status(sys.argv[2])
