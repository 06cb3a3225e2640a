#!/usr/bin/env python3
"""The seed's writer (HDFGroup/hsds tests/perf/write/write_hdf.py) for
bench/hsds_write.sh, with timing: until no task is left, claim the next
pending row of task_list (status 0 -> start = now, status -1, pod), read the
row, make an np.random.rand(nrow, ncol) block, dset[x:x+nrow, y:y+ncol] = arr,
and write the row back done (status 1, done = now).

The claim is the server's atomic query-update in one request, as the seed's
table.update_where was with h5pyd < 1.0. h5pyd 1.0 evaluates update_where on
the client (read, compare, write back: not atomic, so two writers can take the
same row), so this script sends the same request itself (tests/hsds/
hs_writer.py's RestClaimer). h5pyd 1.0 also keeps dataset writes in memory
until a flush: f.flush() after each task sends the block and the row (the
seed's update_where did that flush before its next claim).

Usage: hsds_h5pyd_writer.py hdf5://home/USER/NAME.h5
Prints one JSON line: pod, tasks, bytes, t0 (before the first claim), t1
(after the last flush), import_s, open_s, and per phase seconds: claim,
entry (read the row), gen (np.random), write (dset[...] = arr, buffered),
row (table[index] = entry, buffered), flush (the HTTP PUTs of block and row).
"""
import json
import os
import sys
import time

T_IMPORT = time.time()
import h5pyd  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "hsds"))
from hs_writer import RestClaimer  # noqa: E402

ATOMIC_UPDATE_WHERE = int(h5pyd.__version__.split(".")[0]) < 1


def main():
    target = sys.argv[1]
    pod = f"py{os.getpid()}"
    t_open = time.time()
    f = h5pyd.File(target, "a")
    dset = f["dset"]
    table = f["task_list"]
    domain = "/" + target[len("hdf5://"):].lstrip("/")
    claimer = table if ATOMIC_UPDATE_WHERE else RestClaimer(domain, table.id.uuid)
    ph = dict.fromkeys(("claim", "entry", "gen", "write", "row", "flush"), 0.0)
    tasks = nbytes = 0
    t0 = time.time()
    while True:
        a = time.time()
        idx = claimer.update_where("status == 0", {"start": a, "status": -1, "pod": pod}, limit=1)
        b = time.time()
        ph["claim"] += b - a
        if idx is None or len(idx) == 0:
            break
        index = int(idx[0])
        entry = table[index]
        c = time.time()
        nrow, ncol, x, y = int(entry["nrow"]), int(entry["ncol"]), int(entry["x"]), int(entry["y"])
        arr = np.random.rand(nrow, ncol)
        d = time.time()
        dset[x:x + nrow, y:y + ncol] = arr
        e = time.time()
        entry["done"] = time.time()
        entry["status"] = 1
        table[index] = entry
        g = time.time()
        if not ATOMIC_UPDATE_WHERE:
            f.flush()
        h = time.time()
        ph["entry"] += c - b
        ph["gen"] += d - c
        ph["write"] += e - d
        ph["row"] += g - e
        ph["flush"] += h - g
        tasks += 1
        nbytes += arr.nbytes
    t1 = time.time()
    f.close()
    print(json.dumps({"pod": pod, "tasks": tasks, "bytes": nbytes, "t0": t0, "t1": t1,
                      "import_s": t_open - T_IMPORT, "open_s": t0 - t_open,
                      "phases_s": {k: round(v, 6) for k, v in ph.items()}}), flush=True)


if __name__ == "__main__":
    main()
