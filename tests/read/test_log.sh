#!/usr/bin/env bash
# The request log against the file itself: for an unfiltered layout every
# chunk is read once, at the offset and size HDF5's chunk index gives (h5py),
# none lost; the chunk cache shows in the log; the page buffer turns many
# small reads of a paged file into fewer, page-sized ones.
source "$(dirname "$0")/../hdf5/lib.sh"
f=$WORK/a.h5
"$CHUNKBENCH" create "$f" 370 530 --chunk 100,160 -q
mpi 2 "$CHUNKBENCH" write "$f" -q || fail "write"
for np in 1 3; do
  mpi $np "$CHUNKBENCH" read "$f" --driver sec2 --schedule dynamic --log "$WORK/log$np.csv" --json "$WORK/r$np.json" -q || fail "read np=$np"
  $PY - "$f" "$WORK/log$np.csv" "$WORK/r$np.json" $np <<'PYEOF' || fail "log vs chunk index np=$np"
import csv, json, sys, collections, h5py
d = h5py.File(sys.argv[1], "r")["dset"]
chunks = collections.Counter((c.byte_offset, c.size) for c in (d.id.get_chunk_info(i) for i in range(d.id.get_num_chunks())))
rows = list(csv.DictReader(open(sys.argv[2])))
raw = collections.Counter((int(r["offset"]), int(r["size"])) for r in rows if r["kind"] == "raw")
assert raw == chunks, (sorted(raw.items())[:5], sorted(chunks.items())[:5])   # each chunk once, nothing else
assert {int(r["rank"]) for r in rows} == set(range(int(sys.argv[4])))
assert all(float(r["end"]) >= float(r["start"]) for r in rows)
j = json.load(open(sys.argv[3]))["requests"]
assert j["count"] == len(rows) and j["lost"] == 0 and j["raw_requests"] == 16, j
assert j["bytes"] == sum(int(r["size"]) for r in rows)
assert sum(h["requests"] for h in j["histogram"]) == j["count"]
assert [h["class"] for h in j["histogram"]] == ["<1KB", "1KB-10KB", "10KB-100KB", ">100KB"]
assert j["histogram"][3]["requests"] == 16     # 128000-byte chunks are > 100 KB
PYEOF
done
head -1 "$WORK/log1.csv" | grep -qx "rank,kind,offset,size,start,end" || fail "log header"

# Rows across 4 chunks: with HDF5's 1 MiB chunk cache each chunk is read once;
# with no cache, once per row that crosses it.
mpi 1 "$CHUNKBENCH" read "$f" --driver sec2 --iter row --json "$WORK/c1.json" -q || fail "rows, cache"
mpi 1 "$CHUNKBENCH" read "$f" --driver sec2 --iter row --chunk-cache 0 --json "$WORK/c0.json" -q || fail "rows, no cache"
$PY - "$WORK/c1.json" "$WORK/c0.json" <<'PYEOF' || fail "chunk cache in the log"
import json, sys
a, b = (json.load(open(p))["requests"] for p in sys.argv[1:])
assert a["raw_requests"] == 16, a
assert b["raw_requests"] == 370 * 4, b
PYEOF

# A paged file of small chunks: the page buffer gives fewer, larger requests.
p=$WORK/p.h5
"$CHUNKBENCH" create "$p" 400 400 --chunk 20,20 --page-size 64K -q
mpi 2 "$CHUNKBENCH" write "$p" -q || fail "write paged"
mpi 1 "$CHUNKBENCH" read "$p" --driver sec2 --verify --log "$WORK/p0.csv" --json "$WORK/p0.json" -q || fail "paged, no buffer"
mpi 1 "$CHUNKBENCH" read "$p" --driver sec2 --verify --page-buffer 1M --log "$WORK/p1.csv" --json "$WORK/p1.json" -q || fail "paged, buffer"
mpi 1 "$CHUNKBENCH" read "$p" --driver sec2 --verify --preset tuned --json "$WORK/pt.json" -q || fail "paged, tuned"
$PY - "$WORK" <<'PYEOF' || fail "page buffer in the log"
import csv, json, sys
w = sys.argv[1]
r0, r1 = (list(csv.DictReader(open(f"{w}/{n}.csv"))) for n in ("p0", "p1"))
n0, n1 = len(r0), len(r1)
m0, m1 = (sum(int(r["size"]) for r in rs) / len(rs) for rs in (r0, r1))
assert n1 * 5 < n0 and m1 > 5 * m0, (n0, n1, m0, m1)
assert sum(int(r["kind"] == "raw") for r in r0) == 400        # one read per 3200-byte chunk
# With the buffer, reads are whole 64 KiB pages, page-aligned, but for the first
# page read again while HDF5 finds the superblock (its end of file grows: 8, 16, 48 bytes).
assert all(int(r["offset"]) % 65536 == 0 for r in r1), r1[:3]
assert sum(int(r["size"]) != 65536 for r in r1) <= 3, [r["size"] for r in r1]
t = json.load(open(f"{w}/pt.json"))
assert t["cache"] == {"preset": "tuned", "chunk_cache_bytes": 4194304, "chunk_cache_slots": -1,
                      "page_buffer_bytes": 16777216, "file_page_size": 65536}, t["cache"]
assert t["requests"]["count"] == json.load(open(f"{w}/p1.json"))["requests"]["count"]
PYEOF
# tuned on a file that is not paged: chunk cache only, no error.
mpi 1 "$CHUNKBENCH" read "$f" --driver sec2 --preset tuned --json "$WORK/t.json" -q || fail "tuned, not paged"
$PY -c "import json,sys; c=json.load(open(sys.argv[1]))['cache']; assert c['page_buffer_bytes']==0 and c['chunk_cache_bytes']==4194304, c" "$WORK/t.json" || fail "tuned cache"
finish
