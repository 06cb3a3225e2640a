# pattern_check.py JSON FILE SPEC [--count N] [--group G] [--seed S]: the
# figures of a read --pattern run (its --json) against h5py's read of the
# selections README "read" defines, recomputed here (splitmix64 for the
# random ones): each selection read once, elements, bytes, value sum.
# FILE hdf5://...: an HSDS domain, read with h5pyd; there each selection
# is one data request (a GET with select=, a POST of points).
import json, sys, numpy as np
js, path, spec, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
opt = {rest[i]: int(rest[i + 1]) for i in range(0, len(rest), 2) if rest[i + 1].isdigit()}
d = json.load(open(js))
M = (1 << 64) - 1
state = opt.get("--seed", 1)
def nxt():
    global state
    state = (state + 0x9e3779b97f4a7c15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return z ^ (z >> 31)
hsds = path.startswith("hdf5://")
if hsds:
    import h5pyd as h5
else:
    import h5py as h5
with h5.File(path, "r") as f:
    ds = f["dset"]
    R, C = ds.shape
    a = ds[...]
kind, arg = spec.split(":", 1)
sels = []  # (first row, first col, values)
if kind == "random":
    h, w = map(int, arg.split("x"))
    for _ in range(opt.get("--count", 100)):
        r = nxt() % (R - h + 1); c = nxt() % (C - w + 1)
        sels.append((r, c, a[r:r + h, c:c + w]))
elif kind == "stride":
    sl = [slice(*[int(p) if p else None for p in s.split(":")]) for s in arg.split(",")]
    rows = range(R)[sl[0]]
    g = opt.get("--group", -(-d["chunk"][0] // (sl[0].step or 1)))  # default: one chunk's height
    for k in range(0, len(rows), g):
        part = rows[k:k + g]
        sels.append((part[0], range(C)[sl[1]][0], a[part.start:part.stop:part.step, sl[1]]))
else:
    if arg.isdigit():
        pts = [(nxt() % R, nxt() % C) for _ in range(int(arg))]
        pts = [(r, c) for r, c in pts]
    else:
        pts = [tuple(map(int, l.split("#")[0].split())) for l in open(arg) if l.split("#")[0].strip()]
    g = opt.get("--group", 64)
    for k in range(0, len(pts), g):
        p = np.array(pts[k:k + g])
        sels.append((p[0][0], p[0][1], a[p[:, 0], p[:, 1]]))
n = len(sels)
p = d["pattern"]
assert p["selections"] == p["selections_read"] == n, (p, n)
assert d["tasks"]["complete"] == d["tasks"]["total"] == n and d["tasks"]["pending"] == 0, d["tasks"]
assert sum(w["tasks"] for w in d["writers"]) == n
tl = d["task_list"]
# Each selection exactly once: the tasks' first elements and sizes, as a multiset.
got = sorted(zip(tl["x"], tl["y"], [r * c for r, c in zip(tl["nrow"], tl["ncol"])]))
want = sorted((int(r), int(c), v.size) for r, c, v in sels)
assert got == want, (got[:5], want[:5])
elems = sum(v.size for _, _, v in sels)
assert p["elements"] == elems and p["bytes"] == elems * 8 == d["read_bytes"], (p, elems)
vs = float(sum(v.sum() for _, _, v in sels))
assert abs(p["value_sum"] - vs) <= 1e-9 * max(1.0, abs(vs)), (p["value_sum"], vs)
assert p["latency_s"]["n"] == n and p["latency_s"]["max"] >= p["latency_s"]["p50"] > 0, p["latency_s"]
assert p["requests_per_selection"] > 0 and d["verify"]["checked"] and d["verify"]["mismatches"] == []
if hsds:
    assert d["pattern"]["data_requests_per_selection"] == 1.0, d["pattern"]
