#!/usr/bin/env bash
# Shapes that are not multiples of the chunk, smaller than one chunk, one row,
# one column; f4; --chunk-mb; --align; --page-size.
source "$(dirname "$0")/lib.sh"
args=()
run() { # name ranks create-args... -- write-args...
  local name=$1 np=$2; shift 2
  local cargs=() wargs=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do cargs+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  wargs=("$@")
  local f=$WORK/$name.h5
  if "$CHUNKBENCH" create "$f" "${cargs[@]}" -q && \
     mpi "$np" "$CHUNKBENCH" write "$f" -q --json "$f.json" "${wargs[@]}" && \
     mpi "$np" "$CHUNKBENCH" verify "$f" -q; then
    args+=("$f:$f.json")
  else
    fail "$name"
  fi
}
run uneven        3 1234 5678                       -- --schedule dynamic
run uneven_coll   4 1234 5678 --chunk 300,700       -- --io collective --schedule cyclic
run uneven_direct 2 1234 5678 --chunk 300,700       -- --io direct
run tiny          2 7 9                             -- --schedule dynamic
run tiny_direct   3 7 9                             -- --io direct
run one_row       2 1 5000                          -- --schedule cyclic
run one_row_rows  3 1 5000 row                      -- --io collective
run one_col       2 5000 1                          -- --io direct
run one_col_cols  4 5000 1 col                      -- --schedule dynamic
run f4            2 600 900 --dtype f4 --chunk 128,128 -- --io collective
run chunk_mb      2 2000 2000 --chunk-mb 1          -- --schedule dynamic
run aligned       2 700 900 --chunk 100,300 --align 1M -- --io direct
run paged         2 700 900 --chunk 100,300 --page-size 64K -- --io collective
run fsync         2 700 900 --chunk 100,300         -- --fsync --io collective
$CHECK "${args[@]}" || fail "h5py cross-check"

# --fsync reaches the storage: every rank's close syncs the file (strace sees
# fsync/fdatasync from each writer), and a run without it syncs nothing.
syncs() { strace -f -qq -e trace=fsync,fdatasync -o "$WORK/strace.txt" "$@" >/dev/null && \
          grep -cE '(fsync|fdatasync)\(' "$WORK/strace.txt" || true; }
n_with=$(syncs timeout 120 mpirun -n 2 "$CHUNKBENCH" write "$WORK/fsync.h5" --rewrite --fsync -q)
n_without=$(syncs timeout 120 mpirun -n 2 "$CHUNKBENCH" write "$WORK/fsync.h5" --rewrite -q)
[ "$n_with" -ge 2 ] && [ "$n_without" -eq 0 ] || fail "--fsync: $n_with syncs with it, $n_without without (want >= 2 and 0)"
mpi 2 "$CHUNKBENCH" verify "$WORK/fsync.h5" -q || fail "--fsync: verify after the synced rewrite"
# When the data was acknowledged and when recorded: durable only with --fsync.
for f in 1 0; do
    opt=; [ $f = 1 ] && opt=--fsync
    out=$(mpi 2 "$CHUNKBENCH" write "$WORK/fsync.h5" --rewrite $opt --json "$WORK/fin$f.json") || fail "finish: write $opt"
    want="recorded \\(not synced: --fsync\\)"; [ $f = 1 ] && want="durable and recorded"
    grep -qE "^finished: +acknowledged [0-9.]+ s \\([0-9.]+ MB/s: the last write answered\\), $want [0-9.]+ s" <<<"$out" ||
        fail "finish line $opt: $(grep finished <<<"$out")"
    $PY -c "
import json,sys; d=json.load(open(sys.argv[1])); x=d['finish']; p=d['passes']['list'][-1]
assert x['durable'] == (sys.argv[2] == '1'), x
assert 0 < x['acknowledged_s'] <= x['recorded_s'] and abs(x['wait_s'] - (x['recorded_s'] - x['acknowledged_s'])) < 1e-9, x
assert abs(x['acknowledged_s'] - (p['last_done'] - p['open_start'])) < 1e-3, (x, p)  # JSON keeps ~10 us of an epoch time
assert x['recorded_MBps'] <= x['acknowledged_MBps'], x" "$WORK/fin$f.json" $f || fail "finish record $opt"
done

# The layouts asked for are the layouts made.
$PY - "$WORK" <<'PYEOF' || fail "layout properties"
import sys, h5py
w = sys.argv[1]
def dset(name):
    return h5py.File(f"{w}/{name}.h5", "r")["dset"]
assert dset("uneven").chunks == (500, 1000), dset("uneven").chunks
assert dset("tiny").chunks == (7, 9)
assert dset("one_row").chunks == (1, 1000) and dset("one_col").chunks == (500, 1)
assert dset("f4").dtype == "<f4" and dset("uneven").dtype == "<f8"
c = dset("chunk_mb").chunks
assert abs(c[0] * c[1] * 8 - 1e6) < 0.01e6, c
d = dset("aligned")
offs = [d.id.get_chunk_info(k).byte_offset for k in range(d.id.get_num_chunks())]
assert len(offs) == 21 and all(o % (1 << 20) == 0 for o in offs), offs
f = h5py.File(f"{w}/paged.h5", "r")
assert f.id.get_create_plist().get_file_space_strategy()[0] == h5py.h5f.FSPACE_STRATEGY_PAGE
assert f.id.get_create_plist().get_file_space_page_size() == 65536
print("layouts as asked")
PYEOF
finish
