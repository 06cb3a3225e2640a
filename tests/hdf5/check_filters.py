"""Filtered chunkbench files as h5py sees them: the pipeline asked for, every
task once with the generator's values (cbcheck.complete_file), and the stored
bytes chunkbench reported equal to HDF5's own count.

usage: check_filters.py FILE:WRITE.json:STATUS.json:CHAIN ... [--edge FILE]
CHAIN is the record chunkbench keeps ("shuffle deflate:1")."""
import json
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cbcheck  # noqa: E402

NAMES = {"deflate": 1, "shuffle": 2, "fletcher32": 3, "szip": 4}


def want_pipeline(chain):
    """[(id, client values)] of a record; deflate's level is its one value."""
    out = []
    for spec in chain.split():
        name, _, vals = spec.partition(":")
        fid = NAMES.get(name, None) or int(name)
        out.append((fid, tuple(int(v) for v in vals.split(",")) if vals else ()))
    return out


def stored_by_chunks(dset):
    n = dset.id.get_num_chunks()
    return sum(dset.id.get_chunk_info(k).size for k in range(n)), n


def check(c, path, write_json, status_json, chain):
    with h5py.File(path, "r") as f:
        d = f["dset"]
        plist = d.id.get_create_plist()
        got = [plist.get_filter(k)[:3:2] for k in range(plist.get_nfilters())]
        got = [(fid, tuple(vals)) for fid, vals in got]
        want = want_pipeline(chain)
        # szip and plugins may add values of their own: compare ids, and values where given.
        c.expect([g[0] for g in got] == [w[0] for w in want], f"{path}: pipeline {got}, want {want}")
        for g, w in zip(got, want):
            c.expect(not w[1] or g[1][: len(w[1])] == w[1], f"{path}: filter {g[0]} values {g[1]}, want {w[1]}")
        ids = [w[0] for w in want]
        c.expect(d.shuffle == (2 in ids), f"{path}: dset.shuffle {d.shuffle}")
        c.expect(d.fletcher32 == (3 in ids), f"{path}: dset.fletcher32 {d.fletcher32}")
        if 1 in ids:
            level = dict(want)[1][0]
            c.expect(d.compression == "gzip" and d.compression_opts == level,
                     f"{path}: compression {d.compression} {d.compression_opts}, want gzip {level}")
        elif ids and all(i in (2, 3) for i in ids):
            c.expect(d.compression is None, f"{path}: compression {d.compression}")
        rec = f.attrs["filters"]
        rec = rec.decode() if isinstance(rec, bytes) else rec
        c.expect(rec == chain, f"{path}: filters attribute '{rec}', want '{chain}'")
        storage = d.id.get_storage_size()
        by_chunks, nchunks = stored_by_chunks(d)
        c.expect(storage == by_chunks, f"{path}: storage size {storage} != sum of {nchunks} chunks {by_chunks}")
        nbytes = d.size * d.dtype.itemsize
    for js in (write_json, status_json):
        with open(js) as jf:
            doc = json.load(jf)
        comp = doc.get("compression")
        if not c.expect(comp is not None, f"{js}: no compression record"):
            continue
        c.expect(doc["filters"] == chain and comp["filters"] == chain, f"{js}: filters {doc['filters']}")
        c.expect(comp["stored_bytes"] == storage, f"{js}: stored_bytes {comp['stored_bytes']}, h5py {storage}")
        c.expect(comp["logical_bytes"] == nbytes, f"{js}: logical_bytes {comp['logical_bytes']}, want {nbytes}")
        c.expect(abs(comp["ratio"] - nbytes / storage) < 1e-9, f"{js}: ratio {comp['ratio']}")
        mbps = doc["bandwidth_MBps"]["write_phase"]
        c.expect(abs(comp["stored_MBps"] - mbps * storage / nbytes) <= 1e-9 * max(1, mbps),
                 f"{js}: stored_MBps {comp['stored_MBps']} vs {mbps} x {storage}/{nbytes}")
    c.complete_file(path, write_json)


def check_edge(c, path):
    """--no-edge-filter: whole chunks go through the pipeline; a partial edge
    chunk either skips it (filter mask set, stored raw) or, where the
    library's parallel path ignores the option (1.10.8), is filtered as the
    others: both read back as written (complete_file). Says which it saw."""
    with h5py.File(path, "r") as f:
        d = f["dset"]
        rows, cols = d.chunks
        raw, filtered = 0, 0
        for k in range(d.id.get_num_chunks()):
            info = d.id.get_chunk_info(k)
            x, y = info.chunk_offset
            edge = x + rows > d.shape[0] or y + cols > d.shape[1]
            if not edge:
                c.expect(info.filter_mask == 0, f"{path}: whole chunk at {x},{y} has filter mask {info.filter_mask}")
            elif info.filter_mask:
                c.expect(info.size == rows * cols * d.dtype.itemsize, f"{path}: raw edge chunk at {x},{y} stored {info.size}")
                raw += 1
            else:
                filtered += 1
        print(f"--no-edge-filter: {raw} edge chunks stored unfiltered, {filtered} filtered"
              + (" (this HDF5's parallel writes ignore the option)" if filtered and not raw else ""))


def main(argv):
    c = cbcheck.Checker()
    n = 0
    args = iter(argv)
    for a in args:
        if a == "--edge":
            check_edge(c, next(args))
        else:
            path, wj, sj, chain = a.split(":", 3)
            check(c, path, wj, sj, chain)
        n += 1
    print(f"{n} filtered files checked, {c.failures} failures")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
