#!/usr/bin/env bash
# The request log against the file itself: for an unfiltered layout every
# chunk is read once, at the offset and size HDF5's chunk index gives (h5py),
# none lost, with sec2 and with MPI-IO (independent and collective, 1 and 3
# ranks, block and dynamic schedules); the chunk cache shows in the log; the
# page buffer turns many small reads of a paged file into fewer, page-sized ones.
source "$(dirname "$0")/../hdf5/lib.sh"
f=$WORK/a.h5
"$CHUNKBENCH" create "$f" 370 530 --chunk 100,160 -q
mpi 2 "$CHUNKBENCH" write "$f" -q || fail "write"
# The log of a read against HDF5's own chunk index (h5py). "whole": every
# chunk is read once, whole, at the offset and size the index gives (through
# the chunk cache: sec2, and mpio with independent transfers). "selected":
# MPI-IO collective transfers read, through a file view, only the bytes of a
# chunk the task selects: a whole chunk in one range, a bottom-edge chunk's
# rows in one range (they are whole rows of the chunk), a right-edge chunk's
# rows one range each. Either way no raw request lies outside a chunk, every
# metadata request does, and the CSV, the JSON figures and the histogram agree.
check_log() { # file csv json ranks whole|selected
  $PY - "$@" <<'PYEOF'
import csv, json, sys, collections, h5py
path, logf, jsonf, np, mode = sys.argv[1:6]
d = h5py.File(path, "r")["dset"]
(R, C), (cr, cc), es = d.shape, d.chunks, d.dtype.itemsize
info = [d.id.get_chunk_info(i) for i in range(d.id.get_num_chunks())]
if mode == "whole":
    want = collections.Counter((c.byte_offset, c.size) for c in info)
else:
    want = collections.Counter()
    for c in info:
        nr, nc = min(cr, R - c.chunk_offset[0]), min(cc, C - c.chunk_offset[1])
        if nc == cc:
            want[(c.byte_offset, nr * cc * es)] += 1
        else:
            for i in range(nr):
                want[(c.byte_offset + i * cc * es, nc * es)] += 1
rows = list(csv.DictReader(open(logf)))
raw = collections.Counter((int(r["offset"]), int(r["size"])) for r in rows if r["kind"] == "raw")
assert raw == want, (len(raw), len(want), sorted((raw - want).items())[:5], sorted((want - raw).items())[:5])
inside = lambda o, z: any(c.byte_offset <= o and o + z <= c.byte_offset + c.size for c in info)
assert all(inside(int(r["offset"]), int(r["size"])) == (r["kind"] == "raw") for r in rows)
assert {int(r["rank"]) for r in rows} == set(range(int(np)))
assert all(float(r["end"]) >= float(r["start"]) for r in rows)
rep = json.load(open(jsonf))
j = rep["requests"]
assert j["count"] == len(rows) and j["lost"] == 0 and j["raw_requests"] == sum(want.values()), j
assert j["bytes"] == sum(int(r["size"]) for r in rows)
assert j["raw_bytes"] == sum(k[1] * n for k, n in want.items())
assert sum(h["requests"] for h in j["histogram"]) == j["count"]
assert sum(h["bytes"] for h in j["histogram"]) == j["bytes"]
assert [h["class"] for h in j["histogram"]] == ["<1KB", "1KB-10KB", "10KB-100KB", ">100KB"]
assert rep["verify"]["checked"] and rep["verify"]["mismatches"] == []
print(f"  {mode}: {len(rows)} requests, {j['raw_requests']} raw, sizes {[h['requests'] for h in j['histogram']]}")
PYEOF
}
for np in 1 3; do
  mpi $np "$CHUNKBENCH" read "$f" --driver sec2 --schedule dynamic --verify --log "$WORK/log$np.csv" --json "$WORK/r$np.json" -q || fail "read np=$np"
  check_log "$f" "$WORK/log$np.csv" "$WORK/r$np.json" $np whole || fail "log vs chunk index np=$np"
  # 128000-byte chunks are > 100 KB
  $PY -c "import json,sys; h=json.load(open(sys.argv[1]))['requests']['histogram']; assert h[3]['requests']==16, h" "$WORK/r$np.json" || fail "sizes np=$np"
done
# MPI-IO: the requests are taken below HDF5 (PMPI) and told raw from
# metadata by the chunk index; the same checks hold.
for np in 1 3; do
  for io in independent collective; do
    for s in block dynamic; do
      m=whole; [ $io = collective ] && m=selected
      out=$WORK/m-$np-$io-$s
      mpi $np "$CHUNKBENCH" read "$f" --driver mpio --io $io --schedule $s --verify --log "$out.csv" --json "$out.json" -q || fail "mpio read np=$np $io $s"
      check_log "$f" "$out.csv" "$out.json" $np $m || fail "mpio log vs chunk index np=$np $io $s"
    done
  done
done
# A collective read: 9 whole chunks, 3 bottom-edge chunks of 70 whole rows,
# 3 right-edge chunks of 100 rows of 50 values and the corner's 70.
$PY -c "
import json, sys
j = json.load(open(sys.argv[1]))['requests']
assert j['raw_requests'] == 9 + 3 + 300 + 70, j
assert j['raw_bytes'] == 370 * 530 * 8, j
assert j['histogram'][3]['requests'] == 9 and j['histogram'][2]['requests'] == 3, j['histogram']
" "$WORK/m-3-collective-block.json" || fail "mpio collective request count"
# The text report has the request lines for mpio too.
mpi 2 "$CHUNKBENCH" read "$f" --driver mpio > "$WORK/m.txt" || fail "mpio read, text"
grep -q "^requests: .* reads" "$WORK/m.txt" && grep -q "16 raw-data reads (2.048 MB)" "$WORK/m.txt" && grep -q "^sizes: " "$WORK/m.txt" ||
  fail "mpio text report: $(grep -A2 '^requests' "$WORK/m.txt")"

# A contiguous dataset (no chunks): its raw reads are its storage, once.
# A gzip-compressed one, half written: each stored (compressed) chunk is read
# once, whole; chunks never written are not stored and not read.
$PY -c "
import h5py, numpy as np, sys
with h5py.File(sys.argv[1], 'w') as f:
    f.create_dataset('c', data=np.arange(4000 * 100, dtype='f8').reshape(4000, 100))
    z = f.create_dataset('z', (1000, 300), dtype='f8', chunks=(128, 128), compression='gzip')
    z[:500] = np.arange(500 * 300).reshape(500, 300) % 97
" "$WORK/c.h5"
mpi 2 "$CHUNKBENCH" read "$WORK/c.h5" /z --driver mpio --log "$WORK/z.csv" --json "$WORK/z.json" -q || fail "mpio read gzip"
$PY - "$WORK/c.h5" "$WORK/z.csv" "$WORK/z.json" <<'PYEOF' || fail "mpio log of a compressed dataset"
import csv, json, sys, collections, h5py
d = h5py.File(sys.argv[1], "r")["z"]
chunks = collections.Counter((c.byte_offset, c.size) for c in (d.id.get_chunk_info(i) for i in range(d.id.get_num_chunks())))
assert len(chunks) == 4 * 3 and sum(z for _, z in chunks) < 512 * 300 * 8 // 4   # rows 0-511, compressed
rows = list(csv.DictReader(open(sys.argv[2])))
raw = collections.Counter((int(r["offset"]), int(r["size"])) for r in rows if r["kind"] == "raw")
assert raw == chunks, (sorted(raw.items())[:3], sorted(chunks.items())[:3])
assert json.load(open(sys.argv[3]))["requests"]["raw_requests"] == 12
PYEOF
mpi 2 "$CHUNKBENCH" read "$WORK/c.h5" /c --driver mpio --log "$WORK/c.csv" --json "$WORK/c.json" -q || fail "mpio read contiguous"
$PY - "$WORK/c.h5" "$WORK/c.csv" "$WORK/c.json" <<'PYEOF' || fail "mpio log of a contiguous dataset"
import csv, json, sys, h5py
d = h5py.File(sys.argv[1], "r")["c"]
start, size = d.id.get_offset(), d.id.get_storage_size()
rows = list(csv.DictReader(open(sys.argv[2])))
raw = sorted((int(r["offset"]), int(r["size"])) for r in rows if r["kind"] == "raw")
pos = start
for o, z in raw:   # row blocks of about 1 MiB, end to end, covering the storage once
    assert o == pos, (o, pos)
    pos += z
assert pos == start + size and len(raw) == 4, raw
assert all(not (start <= int(r["offset"]) and int(r["offset"]) + int(r["size"]) <= start + size)
           for r in rows if r["kind"] == "meta")
assert json.load(open(sys.argv[3]))["requests"]["raw_bytes"] == 3200000
PYEOF
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
# Whose page buffer: chunkbench's anywhere; HDF5's own where the parallel
# library has it for files opened alone (1.14.5 on), else a usage error
# naming that version.
mpi 1 "$CHUNKBENCH" read "$p" --driver sec2 --verify --page-buffer 1M --page-buffer-by chunkbench \
    --log "$WORK/pc.csv" --json "$WORK/pc.json" -q || fail "paged, chunkbench's buffer"
h5v=$(hdf5_version)
if [ "$(printf '%s\n' 1.14.5 "$h5v" | sort -V | head -1)" = 1.14.5 ]; then
    lib_pb=hdf5
    mpi 1 "$CHUNKBENCH" read "$p" --driver sec2 --verify --page-buffer 1M --page-buffer-by hdf5 \
        --log "$WORK/ph.csv" --json "$WORK/ph.json" -q || fail "paged, HDF5's buffer"
else
    lib_pb=chunkbench
    set +e
    out=$(mpi 1 "$CHUNKBENCH" read "$p" --driver sec2 --page-buffer 1M --page-buffer-by hdf5 2>&1)
    rc=$?
    set -e
    [ "$rc" -eq 2 ] && grep -q "needs HDF5 1.14.5 or newer; this chunkbench runs with HDF5 $h5v" <<<"$out" ||
        fail "--page-buffer-by hdf5 on HDF5 $h5v: exit $rc: $out"
fi
$PY - "$WORK" "$lib_pb" <<'PYEOF' || fail "page buffer in the log"
import csv, json, sys
w = sys.argv[1]
r0, r1 = (list(csv.DictReader(open(f"{w}/{n}.csv"))) for n in ("p0", "p1"))
n0, n1 = len(r0), len(r1)
m0, m1 = (sum(int(r["size"]) for r in rs) / len(rs) for rs in (r0, r1))
assert n1 * 5 < n0 and m1 > 5 * m0, (n0, n1, m0, m1)
assert sum(int(r["kind"] == "raw") for r in r0) == 400        # one read per 3200-byte chunk
# With a buffer, reads are whole 64 KiB pages, page-aligned, but for the few
# while HDF5 finds the superblock (chunkbench's: the first page read again as
# HDF5's end of file grows, 8, 16, 48 bytes; HDF5's own: the superblock's
# small reads, before it knows the page size).
def paged(n, rs):
    odd = [i for i, r in enumerate(rs) if int(r["offset"]) % 65536 or int(r["size"]) != 65536]
    assert len(odd) <= 4 and all(i < 6 for i in odd), (n, [(rs[i]["offset"], rs[i]["size"]) for i in odd])
paged("p1", r1)
lib_pb = sys.argv[2]
t = json.load(open(f"{w}/pt.json"))
assert t["cache"] == {"preset": "tuned", "chunk_cache_bytes": 4194304, "chunk_cache_slots": -1,
                      "page_buffer_bytes": 16777216, "page_buffer_by": lib_pb, "file_page_size": 65536}, t["cache"]
assert t["requests"]["count"] == json.load(open(f"{w}/p1.json"))["requests"]["count"]
assert json.load(open(f"{w}/p0.json"))["cache"]["page_buffer_by"] == "none"
assert json.load(open(f"{w}/p1.json"))["cache"]["page_buffer_by"] == lib_pb
# Either buffer: fewer requests, of whole pages, on page boundaries.
for n in ["pc"] + (["ph"] if lib_pb == "hdf5" else []):
    rs = list(csv.DictReader(open(f"{w}/{n}.csv")))
    assert json.load(open(f"{w}/{n}.json"))["cache"]["page_buffer_by"] == {"pc": "chunkbench", "ph": "hdf5"}[n]
    assert len(rs) * 5 < n0, (n, len(rs), n0)
    paged(n, rs)
PYEOF
# tuned on a file that is not paged: chunk cache only, no error.
mpi 1 "$CHUNKBENCH" read "$f" --driver sec2 --preset tuned --json "$WORK/t.json" -q || fail "tuned, not paged"
$PY -c "import json,sys; c=json.load(open(sys.argv[1]))['cache']; assert c['page_buffer_bytes']==0 and c['chunk_cache_bytes']==4194304, c" "$WORK/t.json" || fail "tuned cache"
finish
