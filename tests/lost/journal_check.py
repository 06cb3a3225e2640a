"""Checks a killed or stopped write against the data itself (h5py + numpy).

Reads the task journals with their own parser (the format the README gives),
the task table, and which tasks' chunks hold the generator's values, then
checks, for a block-schedule run of NRANKS ranks over a fresh file:
  - every recorded task (table or journal) holds its values;
  - each rank's recorded tasks are a prefix of its share, and the tasks it
    wrote but did not record are the tail after it;
  - that tail finished within WINDOW seconds before T_KILL: the rank's last
    record is no older than T_KILL - WINDOW (unless its share is complete).
Usage: journal_check.py FILE NRANKS T_KILL WINDOW [SEED]
Prints "recorded=R written=W" and one FAIL line per failure (exit 1).
"""
import os
import struct
import sys
import zlib

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "hdf5"))
from cbcheck import expected  # noqa: E402

HDR, REC = 512, 32


def read_journals(path):
    """{rank: [(row, start, done)]} from PATH.chunkbench-journal/*.cbj."""
    out = {}
    d = path + ".chunkbench-journal"
    if not os.path.isdir(d):
        return out
    for name in sorted(os.listdir(d)):
        if not name.endswith(".cbj"):
            continue
        data = open(os.path.join(d, name), "rb").read()
        if len(data) < HDR or data[:8] != b"CBJRNL\x001":
            continue
        if struct.unpack_from("<I", data, HDR - 4)[0] != zlib.crc32(data[:HDR - 4]):
            continue
        run = struct.unpack_from("<Q", data, 16)[0]
        rank = struct.unpack_from("<i", data, 40)[0]
        recs = out.setdefault(rank, [])
        p = HDR
        while p + REC <= len(data):
            r = data[p:p + REC]
            if r[24:28] == b"CBR1" and struct.unpack_from("<I", r, 28)[0] == zlib.crc32(r[:28], run & 0xffffffff):
                recs.append(struct.unpack_from("<qdd", r, 0))
                p += REC
            else:
                p += 1
    return out


def block_first(n, size, rank):
    q, r = divmod(n, size)
    return rank * q + min(rank, r)


def main():
    path, nranks, t_kill, window = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    fails = []
    with h5py.File(path, "r") as f:
        dset = f["dset"][...]
        tl = f["task_list"][...]
        cr, cc = f["dset"].chunks
    n = len(tl)
    # Which chunks hold their values, a strip of chunk rows at a time.
    H, W = dset.shape
    good = np.zeros(((H + cr - 1) // cr, (W + cc - 1) // cc), bool)
    for i in range(good.shape[0]):
        x, nr = i * cr, min(cr, H - i * cr)
        eq = dset[x:x + nr] == expected(seed, x, 0, nr, W, dset.dtype)
        pad = np.ones((nr, good.shape[1] * cc), bool)
        pad[:, :W] = eq
        good[i] = pad.reshape(nr, good.shape[1], cc).all(axis=(0, 2))
    # Block tasks are chunks.
    written = good[tl["x"] // cr, tl["y"] // cc]
    recorded = tl["status"] == 1
    last_done = {}
    for rank, recs in read_journals(path).items():
        for row, start, done in recs:
            recorded[row] = True
            last_done[rank] = max(last_done.get(rank, 0), done)
    for k in np.nonzero(recorded & ~written)[0][:5]:
        fails.append("task %d is recorded but does not hold its values" % k)
    print("recorded=%d written=%d" % (recorded.sum(), written.sum()))
    for rank in range(nranks):
        a, b = block_first(n, nranks, rank), block_first(n, nranks, rank + 1)
        rec, wr = recorded[a:b], written[a:b]
        nrec, nwr = int(rec.sum()), int(wr.sum())
        if not rec[:nrec].all():
            fails.append("rank %d: its records are not a prefix of its share" % rank)
        if not wr[:nwr].all():
            fails.append("rank %d: the tasks it wrote are not a prefix of its share" % rank)
        if nwr < b - a:
            # done stamps of the table rows this rank recorded, and of its journal
            stamps = [tl["done"][k] for k in range(a, b) if tl["status"][k] == 1] + [last_done.get(rank, 0)]
            newest = max(stamps)
            if nwr > nrec and newest < t_kill - window:
                fails.append("rank %d: %d tasks written but not recorded, its last record %.2f s before the kill "
                             "(window %.2f s)" % (rank, nwr - nrec, t_kill - newest, window))
        print("rank %d: share %d, written %d, recorded %d" % (rank, b - a, nwr, nrec))
    for m in fails:
        print("FAIL:", m)
    sys.exit(1 if fails else 0)


main()
