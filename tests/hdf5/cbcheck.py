"""Independent checks of chunkbench files with h5py and numpy.

Checks values against numpy's copy of the generators (../hsds/cbvalues.py), reads files the
way users' own tools do, and computes the seed's status from task_list.
Usage: cbcheck.py FILE[:JSON] ...   (exit 1 and a message per failure)
"""
import json
import sys

import os

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hsds"))
import cbvalues  # noqa: E402

ROW_FIELDS = [("start", "<f8", 0), ("done", "<f8", 8), ("status", "<i4", 16), ("x", "<i4", 20),
              ("y", "<i4", 24), ("nrow", "<i4", 28), ("ncol", "<i4", 32), ("pod", "|S40", 36)]


def expected(seed, x, y, nrow, ncol, dtype, gen="uniform"):
    return cbvalues.values(seed, x, y, nrow, ncol, dtype, gen)


def seed_status(table):
    """What the seed's get_status.py computes, from the same rows."""
    st = table["status"]
    starts = table["start"][table["start"] > 0]
    dones = table["done"][table["done"] > 0]
    pods = {}
    for p in table["pod"]:
        name = p.decode("ascii")
        if name:
            pods[name] = pods.get(name, 0) + 1
    return {"pending": int(np.sum((st != 1) & (st != -1))), "complete": int(np.sum(st == 1)),
            "in_progress": int(np.sum(st == -1)),
            "elapsed": float(dones.max() - starts.min()) if len(starts) and len(dones) else None,
            "pods": pods}


class Checker:
    def __init__(self):
        self.failures = 0

    def expect(self, cond, what):
        if not cond:
            print("FAIL:", what)
            self.failures += 1
        return cond

    def layout(self, path, f):
        dset = f["dset"]
        table = f["task_list"] if "task_list" in f else f["chunk_list"]
        dt = table.dtype
        self.expect(dt.itemsize == 76, f"{path}: task_list rows are {dt.itemsize} bytes, not 76")
        self.expect(list(dt.names) == [n for n, _, _ in ROW_FIELDS], f"{path}: task_list fields {dt.names}")
        for name, fmt, off in ROW_FIELDS:
            got = dt.fields[name]
            self.expect(got[0] == np.dtype(fmt) and got[1] == off,
                        f"{path}: field {name} is {got[0].str}@{got[1]}, want {fmt}@{off}")
        self.expect(dset.ndim == 2 and dset.chunks is not None, f"{path}: dset must be 2-D chunked")
        return dset, table

    def complete_file(self, path, run_json=None, writers=None):
        """Every task written exactly once, data as generated, table as specified."""
        with h5py.File(path, "r") as f:
            dset, table = self.layout(path, f)
            rows = table[...]
            seed = int(f.attrs["seed"])
            gen = cbvalues.gen_of(f.attrs)
            self.expect(f.attrs["version"], f"{path}: no version attribute")
            self.expect(f.attrs["iter_type"].decode() if isinstance(f.attrs["iter_type"], bytes)
                        else f.attrs["iter_type"], f"{path}: no iter_type")
            ok = self.expect(np.all(rows["status"] == 1), f"{path}: statuses {np.unique(rows['status'])}")
            self.expect(np.all(rows["start"] > 0) and np.all(rows["start"] <= rows["done"]),
                        f"{path}: start/done stamps wrong")
            self.expect(all(p for p in rows["pod"]), f"{path}: a task has no writer name")
            if writers is not None:
                ranks = {int(p.decode().split("@")[0][1:]) for p in rows["pod"]}
                self.expect(ranks <= set(range(writers)), f"{path}: writer ranks {sorted(ranks)}")
            cover = np.zeros(dset.shape, dtype=np.int32)
            data = dset[...]
            for r in rows:
                x, y, nr, nc = int(r["x"]), int(r["y"]), int(r["nrow"]), int(r["ncol"])
                cover[x:x + nr, y:y + nc] += 1
                if ok and not np.array_equal(data[x:x + nr, y:y + nc], expected(seed, x, y, nr, nc, dset.dtype, gen)):
                    self.expect(False, f"{path}: task [{x}:{x+nr},{y}:{y+nc}] differs from the generator")
                    ok = False
            self.expect(np.all(cover == 1), f"{path}: tasks do not cover every element exactly once")
            if run_json:
                with open(run_json) as jf:
                    doc = json.load(jf)
                n = len(rows)
                self.expect(doc["tasks"]["complete"] == n and doc["tasks"]["pending"] == 0,
                            f"{run_json}: tasks {doc['tasks']}")
                passes = doc["passes"]["list"]
                # N task writes covering N distinct complete tasks: each exactly once.
                self.expect(all(p["tasks"] == n for p in passes),
                            f"{run_json}: pass task counts {[p['tasks'] for p in passes]} != {n}")
                self.expect(doc["bytes"] == data.nbytes, f"{run_json}: bytes {doc['bytes']} != {data.nbytes}")
                st = seed_status(rows)
                self.expect(abs(doc["elapsed_s"] - st["elapsed"]) < 1e-6, f"{run_json}: elapsed differs")
                self.expect({w["name"]: w["tasks"] for w in doc["writers"]} == st["pods"],
                            f"{run_json}: writers {doc['writers']} vs pods {st['pods']}")
                if writers is not None:
                    self.expect(doc["last_run"]["writers"] == writers, f"{run_json}: writers")


def main(argv):
    c = Checker()
    writers = None
    for arg in argv:
        if arg.startswith("--writers="):
            writers = int(arg.split("=", 1)[1])
            continue
        path, _, js = arg.partition(":")
        c.complete_file(path, js or None, writers)
    print(f"{len(argv)} files checked, {c.failures} failures")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
