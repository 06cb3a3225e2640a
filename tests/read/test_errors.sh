#!/usr/bin/env bash
# Bad input to read on local files: one error line, the documented exit code, no hang.
source "$(dirname "$0")/../hdf5/lib.sh"
expect() { # code message ranks args...
  local code=$1 msg=$2 np=$3; shift 3
  set +e; timeout 60 mpirun -n "$np" "$CHUNKBENCH" "$@" > "$WORK/out" 2> "$WORK/err"; local rc=$?; set -e
  [ "$rc" -eq "$code" ] || fail "'$*' exit $rc, wanted $code: $(head -c 300 "$WORK/err")"
  [ "$(grep -c '^chunkbench: error:' "$WORK/err")" -eq 1 ] || fail "'$*' error lines: $(head -c 300 "$WORK/err")"
  grep -qF -- "$msg" "$WORK/err" || fail "'$*' message: $(grep '^chunkbench' "$WORK/err")"
}
f=$WORK/a.h5
"$CHUNKBENCH" create "$f" 100 100 --chunk 50,50 -q
mpi 2 "$CHUNKBENCH" write "$f" -q --max-tasks 1
echo "plain text" > "$WORK/text.h5"
$PY -c "
import h5py, numpy as np, sys
with h5py.File(sys.argv[1], 'w') as f:
    f.create_dataset('cube', data=np.zeros((4, 4, 4)))
    f.create_dataset('s', data=[b'a', b'bc'], dtype=h5py.string_dtype())
" "$WORK/other.h5"
expect 2 "missing argument: TARGET" 1 read
expect 2 "does not exist" 2 read "$WORK/missing.h5"
expect 2 "is not an HDF5 file" 2 read "$WORK/text.h5" --driver sec2
expect 2 "has no dataset 'nope'" 2 read "$f" nope
expect 2 "has no dataset '/g/h/i'" 2 read "$f" /g/h/i
expect 2 "name the datasets to read" 2 read "$WORK/other.h5"
expect 2 "has 3 dimensions" 2 read "$WORK/other.h5" cube
expect 2 "variable-length type" 2 read "$WORK/other.h5" s
expect 2 "is not paged (make one with chunkbench create --page-size)" 2 read "$f" --driver sec2 --page-buffer 1M
expect 2 "HDF5 has no page buffer for parallel (MPI-IO) access" 2 read "$f" --page-buffer 1M
expect 2 "--io collective needs --driver mpio" 2 read "$f" --driver sec2 --io collective
expect 2 "is a path (use sec2 or mpio)" 2 read "$f" --driver ros3
expect 2 "--driver must be mpio, sec2, ros3 or curl" 1 read "$f" --driver posix
expect 2 "--preset must be default or tuned" 1 read "$f" --preset fast
expect 2 "--schedule must be block, cyclic, dynamic, got 'server'" 1 read "$f" --schedule server
expect 2 "2 of 4 tasks of $f are not written" 2 read "$f" --verify
expect 2 "has no generator to check against" 1 read "$WORK/other.h5" cube --verify
"$CHUNKBENCH" create "$WORK/p.h5" 100 100 --chunk 10,10 --page-size 64K -q
expect 2 "must be at least the file's page size (65536 bytes)" 2 read "$WORK/p.h5" --driver sec2 --page-buffer 4K
finish
