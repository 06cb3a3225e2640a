#!/usr/bin/env bash
# read of filtered files (issue 15): read --verify of a shuffle+deflate file
# of smooth values passes; its compression line gives the stored bytes read
# (h5py's chunk sizes summed), and the request log shows the read moved those
# bytes, not the logical ones: raw-data requests sum to the stored bytes,
# each chunk read once, whole, at HDF5's offset; stored < logical. With sec2,
# and MPI-IO independent on 2 ranks; a partial read (--max-tasks) counts
# only the chunks its tasks cover.
source "$(dirname "$0")/../hdf5/lib.sh"
f=$WORK/f.h5
"$CHUNKBENCH" create "$f" 370 530 --chunk 100,160 --values smooth --filter shuffle --filter deflate:1 -q
mpi 2 "$CHUNKBENCH" write "$f" --io collective -q || fail "write"
check() { # label text json csv
  $PY - "$f" "$@" <<'PYEOF'
import collections, csv, json, sys, h5py
path, label, textf, jsonf, logf = sys.argv[1:6]
d = h5py.File(path, "r")["dset"]
info = [d.id.get_chunk_info(i) for i in range(d.id.get_num_chunks())]
stored = sum(c.size for c in info)
logical = d.size * d.dtype.itemsize
assert stored < logical, f"smooth values under deflate: {stored} stored bytes, {logical} logical"
doc = json.load(open(jsonf))
c = doc["compression"]
assert (c["stored_bytes"], c["stored_bytes_read"], c["logical_bytes"]) == (stored, stored, logical), c
assert abs(c["ratio"] - logical / stored) < 1e-9, c
want = "compression:  %.1f MB stored read for %.1f MB logical, ratio %.3f; %.1f MB/s stored read phase" % (
    stored / 1e6, logical / 1e6, logical / stored, c["stored_MBps"])
lines = open(textf).read().splitlines()
assert want in lines, f"no line {want!r} in:\n" + "\n".join(l for l in lines if l.startswith("compression"))
raw = [(int(r["offset"]), int(r["size"])) for r in csv.DictReader(open(logf)) if r["kind"] == "raw"]
total = sum(z for _, z in raw)
assert total == stored < logical, f"raw requests {total} bytes, stored {stored}, logical {logical}"
assert collections.Counter(raw) == collections.Counter((x.byte_offset, x.size) for x in info), "not each chunk once, whole"
assert doc["requests"]["raw_bytes"] == total, doc["requests"]
print(f"{label}: verify OK; {len(raw)} raw reads, {total} bytes = the stored bytes ({logical} logical)")
PYEOF
}
for how in "sec2 1" "mpio 2"; do
  set -- $how
  if ! mpi "$2" "$CHUNKBENCH" read "$f" --driver "$1" --verify --json "$WORK/$1.json" --log "$WORK/$1.csv" \
       > "$WORK/$1.txt" 2>&1; then
    fail "read --verify --driver $1: $(tail -3 "$WORK/$1.txt")"
    continue
  fi
  grep -qx "verify:       OK: 0 tasks with mismatches" "$WORK/$1.txt" || fail "read --verify --driver $1: no OK line"
  check "read --driver $1 on $2 ranks" "$WORK/$1.txt" "$WORK/$1.json" "$WORK/$1.csv" || fail "read --driver $1: stored bytes"
done

# A partial read: the stored bytes of the chunks its complete tasks cover.
mpi 1 "$CHUNKBENCH" read "$f" --driver sec2 --max-tasks 3 --json "$WORK/part.json" -q || fail "read --max-tasks 3"
$PY - "$f" "$WORK/part.json" <<'PYEOF' || fail "partial read: stored bytes read"
import json, sys, h5py
d = h5py.File(sys.argv[1], "r")["dset"]
doc = json.load(open(sys.argv[2]))
tl = doc["task_list"]
cr, cc = d.chunks
done = [(x // cr * cr, y // cc * cc) for x, y, s in zip(tl["x"], tl["y"], tl["status"]) if s == 1]
assert len(done) == 3, done
want = sum(d.id.get_chunk_info_by_coord(o).size for o in set(done))
c = doc["compression"]
assert c["stored_bytes_read"] == want < c["stored_bytes"], (c, want)
print(f"partial read: {len(done)} tasks, {want} stored bytes read of {c['stored_bytes']}")
PYEOF
finish
