#!/usr/bin/env bash
# Collective metadata and what collective transfers actually did (issue 14).
# - --coll-metadata: create + write + verify + read on 1, 2 and 4 ranks; the
#   files verify and h5py reads them (cbcheck.py); on HDF5 1.10.5-1.10.8 and
#   1.12.0-1.12.1 one note line, once, says metadata reads fall back.
# - --io collective with each --chunk-opt: the JSON record (write, verify,
#   read) counts every call as chunk_collective, with the chunk optimisation
#   asked for; no warning.
# - runs that cannot be collective, two real cases: HDF5's own
#   HDF5_MPI_OPT_TYPES=0, and a read of a compact dataset: the record names
#   the cause and one warning line says it, also with -q.
source "$(dirname "$0")/lib.sh"

ver=$(hdf5_version)
IFS=. read -r vmaj vmin vrel <<<"$ver"
want_note=0
if [ "$vmaj" = 1 ] && { { [ "$vmin" = 10 ] && [ "$vrel" -ge 5 ] && [ "$vrel" -le 8 ]; } ||
                         { [ "$vmin" = 12 ] && [ "$vrel" -le 1 ]; }; }; then want_note=1; fi
echo "HDF5 $ver: fall-back note expected: $want_note"

# notes FILE: the fall-back note lines in FILE must number $want_note.
notes() {
  local n; n=$(grep -c "chunkbench: note: --coll-metadata: HDF5 .* falls back to independent metadata reads" "$1" || true)
  [ "$n" -eq "$want_note" ] || fail "$2: $n fall-back notes, want $want_note: $(head -c 400 "$1")"
}

# jcheck JSON WHAT PYTHON-ASSERTIONS: d is the document, c its "collective".
jcheck() {
  local js=$1 what=$2; shift 2
  "$PY" - "$js" "$@" <<'PYEOF' || fail "$what: $(head -c 600 "$js")"
import json, sys
d = json.load(open(sys.argv[1]))
c = d.get("collective")
exec(sys.argv[2])
PYEOF
}

# HDF5 1.14.5 reports linked-chunk I/O where --chunk-opt multi was asked
# (README); 1.10 does multi-chunk I/O. MULTI: what the running HDF5 does.
MULTI=multi_chunk
[ "$vmaj" -gt 1 ] || [ "$vmin" -ge 14 ] && MULTI=link_chunk

# 1. --coll-metadata on 1, 2 and 4 ranks, all collective.
opts=(auto one multi)
for np in 1 2 4; do
  f=$WORK/cm$np.h5
  # Row tasks over chunks that span every row: each rank's row meets each
  # chunk's other ranks in every call, so multi-chunk I/O stays collective.
  mpi "$np" "$CHUNKBENCH" create "$f" 48 40 row --chunk 48,10 --coll-metadata 2> "$WORK/e" > /dev/null ||
    fail "create np=$np: $(cat "$WORK/e")"
  notes "$WORK/e" "create np=$np"
  o=${opts[$(( (np - 1) % 3 ))]}
  [ "$np" = 4 ] && o=multi
  mpi "$np" "$CHUNKBENCH" write "$f" --coll-metadata --io collective --chunk-opt "$o" --json "$f.json" > "$WORK/o" 2> "$WORK/e" ||
    fail "write np=$np: $(cat "$WORK/e")"
  notes "$WORK/e" "write np=$np"
  grep -q "chunkbench: warning" "$WORK/e" && fail "write np=$np --chunk-opt $o warned: $(cat "$WORK/e")"
  grep -qE "^collective: +[0-9]+ calls .*--chunk-opt $o\): chunk_collective [0-9]+;" "$WORK/o" ||
    fail "write np=$np: no collective line: $(grep collective "$WORK/o")"
  want=$([ "$o" = multi ] && echo $MULTI || echo link_chunk)
  jcheck "$f.json" "write np=$np --chunk-opt $o record" "
assert c['asked'] == 'collective' and c['chunk_opt_asked'] == '$o', c
assert c['calls'] > 0 and c['actual_io_mode']['chunk_collective'] == c['calls'], c
assert c['chunk_opt']['$want'] == c['calls'], c
assert c['not_collective_calls'] == 0 and c['no_collective_cause'] == [], c
assert d['passes']['list'][-1]['collective'] == c, 'one pass: its record is the total'
assert d['coll_metadata'] is True"
  mpi "$np" "$CHUNKBENCH" verify "$f" --coll-metadata --io collective --chunk-opt "$o" --json "$f.v.json" > /dev/null 2> "$WORK/e" ||
    fail "verify np=$np: $(cat "$WORK/e")"
  notes "$WORK/e" "verify np=$np"
  jcheck "$f.v.json" "verify np=$np record" "
assert d['mismatches'] == [], d['mismatches']
assert c['calls'] > 0 and c['actual_io_mode']['chunk_collective'] == c['calls'], c"
  mpi "$np" "$CHUNKBENCH" read "$f" --coll-metadata --io collective --verify --json "$f.r.json" > /dev/null 2> "$WORK/e" ||
    fail "read np=$np: $(cat "$WORK/e")"
  notes "$WORK/e" "read np=$np"
  jcheck "$f.r.json" "read np=$np record" "
assert c['chunk_opt_asked'] == 'auto' and c['actual_io_mode']['chunk_collective'] == c['calls'] > 0, c
assert c['chunk_opt']['link_chunk'] == c['calls'], c"
  $CHECK "$f:$f.json" > "$WORK/o" 2>&1 || fail "h5py np=$np: $(cat "$WORK/o")"
done
# run = create + write: still one note.
mpi 2 "$CHUNKBENCH" run "$WORK/run.h5" 30 30 --chunk 10,10 --coll-metadata > /dev/null 2> "$WORK/e" || fail "run: $(cat "$WORK/e")"
notes "$WORK/e" "run"
# Independent transfers: no record.
mpi 2 "$CHUNKBENCH" verify "$WORK/run.h5" --coll-metadata --json "$WORK/ind.json" > /dev/null 2>&1 || fail "verify independent"
jcheck "$WORK/ind.json" "independent verify has no collective record" "assert c is None and d['coll_metadata'] is True, d"
jcheck "$WORK/cm2.h5.v.json" "verify --coll-metadata" "assert d['coll_metadata'] is True"
jcheck "$WORK/cm2.h5.r.json" "read --coll-metadata" "assert d['coll_metadata'] is True"

# 2. Not collective, cause named: HDF5_MPI_OPT_TYPES=0 (HDF5 then builds no MPI derived types).
f=$WORK/cm2.h5
HDF5_MPI_OPT_TYPES=0 mpi 2 -x HDF5_MPI_OPT_TYPES "$CHUNKBENCH" write "$f" --rewrite --io collective --json "$f.i.json" -q \
  > "$WORK/o" 2> "$WORK/e" || fail "write HDF5_MPI_OPT_TYPES=0: $(cat "$WORK/e")"
[ "$(grep -c 'chunkbench: warning: --io collective: [0-9]* of [0-9]* calls were not collective.*MPI derived types disabled (HDF5_MPI_OPT_TYPES=0)' "$WORK/e")" = 1 ] ||
  fail "HDF5_MPI_OPT_TYPES=0: want one warning naming the cause, -q or not: $(cat "$WORK/e")"
jcheck "$f.i.json" "HDF5_MPI_OPT_TYPES=0 record" "
assert c['actual_io_mode']['independent'] == c['calls'] == c['not_collective_calls'] > 0, c
assert 'coll_metadata' not in d, d['coll_metadata']
assert c['no_collective_cause'] == ['MPI derived types disabled (HDF5_MPI_OPT_TYPES=0)'], c
k = c['cause_calls']['MPI derived types disabled (HDF5_MPI_OPT_TYPES=0)']
assert k['local'] == k['global'] == c['calls'], k"
mpi 2 "$CHUNKBENCH" verify "$f" -q || fail "verify after the independent fall-back"
# The HTML report says so too.
"$CHUNKBENCH" report "$f.i.json" -o "$WORK/i.html" -q || fail "report of the fall-back run"
grep -q '<tr><td>why not</td><td>MPI derived types disabled (HDF5_MPI_OPT_TYPES=0)' "$WORK/i.html" ||
  fail "the HTML report does not name the cause"

# 3. A compact dataset (h5py makes it) cannot be read collectively.
"$PY" - "$WORK/compact.h5" <<'PYEOF' || fail "making a compact dataset"
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "w") as f:
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    d = h5py.h5d.create(f.id, b"small", h5py.h5t.IEEE_F64LE, h5py.h5s.create_simple((30, 20)), dcpl=dcpl)
    d.write(h5py.h5s.ALL, h5py.h5s.ALL, np.arange(600, dtype="f8").reshape(30, 20))
    f.create_dataset("plain", data=np.arange(600, dtype="f8").reshape(30, 20))
PYEOF
mpi 2 "$CHUNKBENCH" read "$WORK/compact.h5" small --io collective --json "$WORK/compact.json" > "$WORK/o" 2> "$WORK/e" ||
  fail "read compact: $(cat "$WORK/e")"
[ "$(grep -c 'chunkbench: warning: --io collective: .*dataset neither contiguous nor chunked' "$WORK/e")" = 1 ] ||
  fail "compact read: want one warning naming the cause: $(cat "$WORK/e")"
grep -q "^collective: .*independent [0-9]*;.*not collective because: dataset neither contiguous nor chunked" "$WORK/o" ||
  fail "compact read: text line: $(grep collective "$WORK/o")"
jcheck "$WORK/compact.json" "compact read record" "
assert c['actual_io_mode']['independent'] == c['calls'] > 0, c
assert c['no_collective_cause'] == ['dataset neither contiguous nor chunked'], c"
# ... and a contiguous one can.
mpi 2 "$CHUNKBENCH" read "$WORK/compact.h5" plain --io collective --json "$WORK/plain.json" > /dev/null 2> "$WORK/e" ||
  fail "read contiguous: $(cat "$WORK/e")"
grep -q "chunkbench: warning" "$WORK/e" && fail "contiguous read warned: $(cat "$WORK/e")"
jcheck "$WORK/plain.json" "contiguous read record" "
assert c['actual_io_mode']['contiguous_collective'] == c['calls'] > 0, c"

# 4. Every call is counted once, whatever HDF5 chose: block tasks under
# multi-chunk I/O (each chunk touched by one rank of two) and the warning
# exactly when some call was not collective.
f=$WORK/blk.h5
"$CHUNKBENCH" create "$f" 40 40 --chunk 10,10 -q
mpi 2 "$CHUNKBENCH" write "$f" --io collective --chunk-opt multi --schedule cyclic --json "$f.json" > /dev/null 2> "$WORK/e" ||
  fail "write block multi: $(cat "$WORK/e")"
nw=$(grep -c "chunkbench: warning: --io collective" "$WORK/e" || true)
jcheck "$f.json" "block multi record" "
assert sum(c['actual_io_mode'].values()) == c['calls'] == sum(c['chunk_opt'].values()) > 0, c
assert c['chunk_opt']['$MULTI'] == c['calls'], c
assert (c['not_collective_calls'] > 0) == ($nw == 1), ('warning lines', $nw, c)
print('block tasks, --chunk-opt multi, 2 ranks:', c['actual_io_mode'])"
finish
