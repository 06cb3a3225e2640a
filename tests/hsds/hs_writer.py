#!/usr/bin/env python3
"""An h5pyd writer doing the seed's job (HDFGroup/hsds tests/perf/write/
write_hdf.py): claim the next pending row of task_list with the server's
atomic query-update (status == 0 -> start = now, status = -1, pod), write the
task's block of dset, then mark the row done (status 1, done = now). The
values are chunkbench's (seed, i, j) values, so `chunkbench verify` can check
what this writer wrote.

h5pyd < 1.0 sends update_where to the server as one atomic query-update, as
the seed relied on. h5pyd 1.0 evaluates update_where on the client (read,
compare, write back: not atomic, so two writers can take the same row);
with it this script sends the same query-update request itself.

Usage: hs_writer.py [--seed S] [--pod NAME] [--max-tasks N] [--claim-only]
                    [--lease S] hdf5://home/USER/NAME.h5
--claim-only claims tasks and leaves them in progress (a crashed writer).
Prints one line per task and a final JSON line {"tasks": [...indices]}.
"""
import argparse
import json
import os
import sys
import time

import h5pyd
import numpy as np
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cbvalues  # noqa: E402

ATOMIC_UPDATE_WHERE = int(h5pyd.__version__.split(".")[0]) < 1


def _cfg(name):
    cfg = h5pyd.config.Config()
    v = cfg.get(name, None) if hasattr(cfg, "get") else None
    v = v or os.environ.get(name.upper())
    return None if not v or v.upper() == "NONE" else v


def _indices(rsp):
    """Row indices from any server's query-update answer."""
    if "indices" in rsp:  # hsds 1.0: [[i], ...]
        return [int(x[0]) if isinstance(x, list) else int(x) for x in rsp["indices"]]
    if "index" in rsp:
        return [int(x) for x in rsp["index"]]
    return [int(row[0]) for row in rsp.get("value", [])]  # hsds 0.9: [[i, fields...]]


class RestClaimer:
    """The seed's update_where as a single request (for h5pyd 1.0)."""

    def __init__(self, domain, table_id):
        self.url = f"{_cfg('hs_endpoint').rstrip('/')}/datasets/{table_id}/value"
        self.params = {"domain": domain}
        bucket = _cfg("hs_bucket")
        if bucket:
            self.params["bucket"] = bucket
        user, pw = _cfg("hs_username"), _cfg("hs_password")
        self.s = requests.Session()
        if user and pw:
            self.s.auth = (user, pw)

    def update_where(self, condition, value, limit):
        params = dict(self.params, query=condition, Limit=limit)
        for attempt in range(8):
            r = self.s.put(self.url, params=params, json=value, timeout=60)
            if r.status_code in (500, 502, 503, 504):
                time.sleep(0.1 * 2 ** attempt)
                continue
            r.raise_for_status()
            return _indices(r.json())
        r.raise_for_status()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--seed", type=int, default=None, help="default: the domain's seed attribute")
    ap.add_argument("--pod", default=f"py{os.getpid()}@{os.uname().nodename.split('.')[0]}"[:40])
    ap.add_argument("--max-tasks", type=int, default=0)
    ap.add_argument("--claim-only", action="store_true")
    ap.add_argument("--lease", type=float, default=0)
    a = ap.parse_args()

    f = h5pyd.File(a.target, "a")
    dset = f["dset"]
    table = f["task_list"]
    seed = a.seed if a.seed is not None else int(f.attrs["seed"])
    domain = "/" + a.target[len("hdf5://"):].lstrip("/")
    claimer = table if ATOMIC_UPDATE_WHERE else RestClaimer(domain, table.id.uuid)
    done = []
    while not a.max_tasks or len(done) < a.max_tasks:
        now = time.time()
        cond = "status == 0"
        if a.lease > 0:
            cond = f"(status == 0) | ((status == -1) & (start < {now - a.lease:.6f}))"
        idx = claimer.update_where(cond, {"start": now, "status": -1, "pod": a.pod}, limit=1)
        if idx is None or len(idx) == 0:
            break
        index = int(idx[0])
        entry = table[index]
        x, y, nrow, ncol = (int(entry[k]) for k in ("x", "y", "nrow", "ncol"))
        if not a.claim_only:
            dset[x:x + nrow, y:y + ncol] = cbvalues.values(seed, x, y, nrow, ncol, dset.dtype)
            row = np.zeros((), dtype=cbvalues.TASK_DTYPE)
            row["start"], row["done"], row["status"] = now, time.time(), 1
            row["x"], row["y"], row["nrow"], row["ncol"], row["pod"] = x, y, nrow, ncol, a.pod.encode()
            table[index] = row
            if not ATOMIC_UPDATE_WHERE:
                f.flush()  # h5pyd 1.0 keeps writes local until a flush
        print(f"{a.pod}: task {index} [{x}:{x + nrow},{y}:{y + ncol}]{' claimed' if a.claim_only else ''}",
              flush=True)
        done.append(index)
    f.close()
    print(json.dumps({"pod": a.pod, "tasks": done}), flush=True)


if __name__ == "__main__":
    main()
