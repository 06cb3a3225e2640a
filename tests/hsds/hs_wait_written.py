#!/usr/bin/env python3
"""Wait until every task's block of dset holds chunkbench's values on the
server (whatever the task table says): a writer's data is all there.

Usage: hs_wait_written.py TARGET [--timeout S]
Exits 0 once it is, 1 (naming the tasks still missing) after S seconds.
"""
import argparse
import os
import sys
import time

import h5pyd
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cbvalues  # noqa: E402


def missing(target):
    f = h5pyd.File(target, "r")
    try:
        dset, rows = f["dset"], f["task_list"][...]
        seed = int(f.attrs["seed"])
        gen = cbvalues.gen_of(f.attrs["values"] if "values" in f.attrs else "uniform")
        out = []
        for k, r in enumerate(rows):
            x, y, nr, nc = (int(r[n]) for n in ("x", "y", "nrow", "ncol"))
            if not np.array_equal(dset[x:x + nr, y:y + nc], cbvalues.values(seed, x, y, nr, nc, dset.dtype, gen)):
                out.append(k)
        return out
    finally:
        f.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--timeout", type=float, default=120)
    a = ap.parse_args()
    deadline = time.time() + a.timeout
    while True:
        left = missing(a.target)
        if not left:
            return 0
        if time.time() > deadline:
            print(f"hs_wait_written: tasks {left[:20]} not written after {a.timeout:.0f} s", file=sys.stderr)
            return 1
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
