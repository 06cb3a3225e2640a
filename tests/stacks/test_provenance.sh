#!/usr/bin/env bash
# Provenance: write and read results (JSON "stack", the text "stack:" line)
# and --version name chunkbench's version and revision, the HDF5, MPI and
# libcurl libraries, ranks and hosts, and the target's file system type
# (statfs: here ext4 or whatever /tmp is, and tmpfs for /dev/shm).
source "$(dirname "$0")/../hdf5/lib.sh"
ver=$("$CHUNKBENCH" --version)
grep -qE '^chunkbench [0-9]+\.[0-9]+\.[0-9]+ \(git [^ )]+\)$' <<<"$ver" || fail "--version first line: $ver"
grep -qE '^HDF5 1\.[0-9]+\.[0-9]+$' <<<"$ver" || fail "--version HDF5: $ver"
grep -qE '^MPI: (Open MPI|MPICH|Intel|MVAPICH)' <<<"$ver" || fail "--version MPI: $ver"
grep -qE '^libcurl [0-9]+\.[0-9]+' <<<"$ver" || fail "--version libcurl: $ver"
h5=$(sed -n 's/^HDF5 //p' <<<"$ver")
shm=/dev/shm/cbprov.$$
mkdir -p "$shm"
trap 'rm -rf "$WORK" "$shm"' EXIT
for dir in "$WORK" "$shm"; do
  f=$dir/p.h5
  "$CHUNKBENCH" create "$f" 120 130 --chunk 50,50 -q
  out=$(mpi 3 "$CHUNKBENCH" write "$f" --json "$dir/w.json") || { fail "write in $dir"; continue; }
  mpi 2 "$CHUNKBENCH" read "$f" --driver sec2 --json "$dir/r.json" -q || { fail "read in $dir"; continue; }
  magic=$(stat -f -c %t "$dir")
  line=$(grep '^stack: ' <<<"$out") || fail "no stack: line in $dir"
  "$CHUNKBENCH" report "$dir/w.json" -o "$dir/w.html" || fail "report of $dir/w.json"
  $PY - "$dir/w.json" "$dir/r.json" "$magic" "$h5" "$($PY -c "import socket; print(socket.gethostname())")" "$line" "$dir/w.html" <<'PYEOF' || fail "stack in $dir"
import json, sys
w, r = (json.load(open(p))["stack"] for p in sys.argv[1:3])
magic, h5, host, line = int(sys.argv[3], 16), sys.argv[4], sys.argv[5], sys.argv[6]
names = {0xEF53: "ext4", 0x58465342: "xfs", 0x01021994: "tmpfs", 0x9123683E: "btrfs", 0x794C7630: "overlay"}
want_fs = names.get(magic, "0x%x" % magic)
for s, ranks in ((w, 3), (r, 2)):
    assert s["chunkbench"] and s["git"] and " " not in s["git"], s
    assert s["hdf5"] == h5, (s["hdf5"], h5)
    assert s["mpi"].startswith(("Open MPI", "MPICH", "Intel", "MVAPICH")), s["mpi"]
    assert s["libcurl"][0].isdigit(), s["libcurl"]
    assert s["ranks"] == ranks and s["hosts"] == 1, s
    assert s["ranks_per_host"] == {"min": ranks, "max": ranks}, s
    assert s["host_names"] == host, (s["host_names"], host)
    assert s["fs_type"] == want_fs, (s["fs_type"], want_fs)
assert "HDF5 " + h5 in line and "3 ranks on 1 hosts" in line and line.endswith("fs " + want_fs), line
# The HTML report's Stack card carries the same figures.
import html
page = open(sys.argv[7]).read()
card = page[page.index("<h4>Stack</h4>"):]
card = card[:card.index("</table>")]
for k, v in (("chunkbench", "%s (%s)" % (w["chunkbench"], w["git"])), ("HDF5", h5), ("MPI", w["mpi"]),
             ("libcurl", w["libcurl"]), ("file system", want_fs), ("ranks", "3"), ("hosts", "1"),
             ("host names", host), ("ranks per host", "3")):
    row = "<tr><td>%s</td><td>%s</td></tr>" % (k, html.escape(v, quote=False).replace('"', "&quot;").replace("'", "&#39;"))
    assert row in card, (row, card)
PYEOF
done
grep -qE '"fs_type":[[:space:]]*"tmpfs"' "$shm/w.json" || fail "/dev/shm not reported as tmpfs"
finish
