"""Break (or shuffle) a task table the way a user's h5py session could.
Usage: edit_table.py CASE FILE   (CASE: see EDITS below)"""
import sys

import h5py
import numpy as np


def rows_of(f):
    name = "task_list" if "task_list" in f else "chunk_list"
    return name, f[name][...]


def replace(f, name, data):
    """The table rebuilt with other rows, fields or dimensions."""
    del f[name]
    f.create_dataset(name, data=data)


def set_field(row, field, value):
    def edit(f, name, t):
        t[row][field] = value
        f[name][...] = t
    return edit


def drop_fields(*fields):
    def edit(f, name, t):
        keep = [n for n in t.dtype.names if n not in fields]
        replace(f, name, np.array(t[keep].tolist(), dtype=[(n, t.dtype[n]) for n in keep]))
    return edit


def duplicate(f, name, t):
    t[5] = t[4]
    f[name][...] = t


def shuffle(f, name, t):
    replace(f, name, np.random.default_rng(7).permutation(t))


EDITS = {
    "huge": set_field(3, "nrow", 2147483647),
    "huge_both": lambda f, name, t: (set_field(3, "nrow", 2147483647)(f, name, t),
                                     set_field(3, "ncol", 2147483647)(f, name, t)),
    "missing": lambda f, name, t: replace(f, name, np.delete(t, 5)),
    "extra": lambda f, name, t: replace(f, name, np.concatenate([t, t[2:3]])),
    "duplicate": duplicate,
    "overlap": set_field(5, "x", 5),           # half a chunk down: across two tasks
    "outside": set_field(5, "x", 95),          # 95 + 10 rows > 100
    "empty": set_field(5, "nrow", 0),
    "status": set_field(5, "status", 7),
    "no_xy": drop_fields("x", "y"),
    "no_status": drop_fields("status"),
    "two_d": lambda f, name, t: replace(f, name, t.reshape(-1, 1)),
    "no_rows": lambda f, name, t: replace(f, name, t[:0]),
    "shuffle": shuffle,
}

if __name__ == "__main__":
    case, path = sys.argv[1], sys.argv[2]
    with h5py.File(path, "r+") as f:
        name, t = rows_of(f)
        EDITS[case](f, name, t)
