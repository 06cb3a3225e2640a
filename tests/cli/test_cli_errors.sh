#!/usr/bin/env bash
# Bad input: one clear line on stderr, the right exit code, no hang under MPI,
# and nothing clobbered.
source "$(dirname "$0")/../hdf5/lib.sh"
f=$WORK/good.h5
"$CHUNKBENCH" create "$f" 100 200 --chunk 50,50 -q
sum_before=$(md5sum "$f")
expect 2 "--shift-hosts reads dset.s tasks by the writers its task table records: name no datasets" 2 read "$f" dset --shift-hosts 1

expect 2 "no command" 0
expect 2 "unknown command 'wrte'" 0 wrte "$f"
expect 2 "missing arguments: TARGET NROWS NCOLS" 0 create
expect 2 "missing argument: TARGET NROWS NCOLS" 0 create "$WORK/n.h5" 10 # one missing
expect 2 "unexpected argument 'extra'" 0 create "$WORK/n.h5" 10 10 block extra
expect 2 "NROWS must be a whole number, got 'ten'" 0 create "$WORK/n.h5" ten 10
expect 2 "NCOLS must be between 1 and" 0 create "$WORK/n.h5" 10 0
expect 2 "NROWS must be between 1 and" 0 create "$WORK/n.h5" -3 10
expect 2 "NCOLS must be between 1 and" 0 create "$WORK/n.h5" 10 99999999999
expect 2 "NROWS must be a whole number" 0 create "$WORK/n.h5" 1e3 10
expect 2 "unknown option '--chunks'" 0 create "$WORK/n.h5" 10 10 --chunks 5,5
expect 2 "option '--chunk' needs a value" 0 create "$WORK/n.h5" 10 10 --chunk
expect 2 "larger than the shape" 0 create "$WORK/n.h5" 100 100 --chunk 200,10
expect 2 "--dtype must be f4 or f8" 0 create "$WORK/n.h5" 10 10 --dtype i4
expect 2 "iteration type must be row, col or block" 0 create "$WORK/n.h5" 10 10 zigzag
# --values (issue 15): a generator it knows, a decimal fraction in [0, 1]; create and run only.
expect 2 "--values must be uniform, smooth, repeat:F (F a decimal in \[0, 1\]) or zeros, got 'bogus'" 0 create "$WORK/n.h5" 10 10 --values bogus
expect 2 "--values must be .* got 'repeat:1.5'" 0 create "$WORK/n.h5" 10 10 --values repeat:1.5
expect 2 "--values must be .* got 'repeat:x'" 0 create "$WORK/n.h5" 10 10 --values repeat:x
expect 2 "--values must be .* got 'repeat:'" 2 run "$WORK/n.h5" 10 10 --values repeat:
expect 2 "--values must be .* got ''" 0 create "$WORK/n.h5" 10 10 --values ""
expect 2 "values" 2 write "$f" --values smooth
[ ! -e "$WORK/n.h5" ] || fail "a bad --values made a file"
expect 2 "--schedule must be" 2 write "$f" --schedule random
expect 2 "--io must be" 2 write "$f" --io async
# Collective metadata and chunk modes (issue 14): checked before any server or file is touched.
expect 2 "--chunk-opt must be auto, one or multi, got 'bogus'" 2 write "$f" --io collective --chunk-opt bogus
expect 2 "--chunk-opt one applies to collective transfers: add --io collective (this run is --io independent)" 2 write "$f" --chunk-opt one
expect 2 "--chunk-opt multi applies to collective transfers: add --io collective (this run is --io direct)" 0 verify "$f" --io direct --chunk-opt multi
expect 2 "--chunk-opt auto applies to collective transfers" 0 read "$f" --driver sec2 --chunk-opt auto
expect 2 "option --chunk-opt does not apply to create" 0 create "$WORK/n.h5" 10 10 --chunk-opt one
expect 2 "option --coll-metadata does not apply to status" 0 status "$f" --coll-metadata
expect 2 "--coll-metadata and --chunk-opt apply to HDF5 files opened with MPI-IO, not to HSDS domains" 0 write hdf5://home/x/y.h5 --coll-metadata
expect 2 "--coll-metadata and --chunk-opt apply to HDF5 files opened with MPI-IO, not to HSDS domains" 2 create hdf5://home/x/y.h5 10 10 --coll-metadata
expect 2 "--coll-metadata needs a file opened with MPI-IO (--driver mpio); with sec2 every rank reads on its own" 2 read "$f" --driver sec2 --coll-metadata
expect 2 "--coll-metadata needs a file opened with MPI-IO (--driver mpio); with a URL (ros3)" 0 read http://127.0.0.1:9/x.h5 --coll-metadata
expect 2 "--coll-metadata and --chunk-opt are HDF5's; an mpiio: target has no metadata or chunks" 0 write "mpiio:$WORK/raw.bin" --io collective --chunk-opt one
expect 2 "needs an hdf5:// target" 2 write "$f" --schedule server
expect 2 "--claim-batch applies to --schedule server only" 0 write "$f" --claim-batch 2
expect 2 "--claim-batch must be between 1 and 16" 0 write hdf5://home/u/t.h5 --schedule server --claim-batch 0
expect 2 "does not apply to status" 0 status "$f" --io collective
expect 2 "use block tasks" 3 run "$WORK/n.h5" 10 10 row --io direct
[ -e "$WORK/n.h5" ] && fail "a refused command left a file behind"

# Targets.
expect 5 "already exists; use --force" 3 create "$f" 10 10
expect 5 "already exists; use --force" 2 run "$f" 10 10
[ "$(md5sum "$f")" = "$sum_before" ] || fail "existing file was modified"
expect 2 "does not exist; create it first" 3 write "$WORK/missing.h5"
expect 2 "does not exist; create it first" 0 status "$WORK/missing.h5"
expect 2 "directory $WORK/nodir does not exist" 2 create "$WORK/nodir/x.h5" 10 10
echo "plain text" > "$WORK/text.h5"
expect 2 "is not an HDF5 file" 2 write "$WORK/text.h5"
$PY -c "import h5py,sys; h5py.File(sys.argv[1],'w').create_dataset('other', (3,))" "$WORK/other.h5"
expect 2 "is not a chunkbench file" 2 write "$WORK/other.h5"
expect 2 "is not a chunkbench file" 0 status "$WORK/other.h5"
expect 2 "is not a chunkbench file" 2 verify "$WORK/other.h5"
mkdir -p "$WORK/ro"
if mount -t tmpfs -o ro,size=1m tmpfs "$WORK/ro" 2>/dev/null; then
  expect 2 "is not writable (Read-only file system)" 2 create "$WORK/ro/x.h5" 10 10
  umount "$WORK/ro"
else
  # Without mount rights, a directory of another user stands in (root ignores modes).
  echo "note: cannot mount a read-only tmpfs here; read-only directory case not run"
fi
# --filter (issue 15): the spec's form, what the library has, and the transfers
# that can write a filtered dataset, all before anything is made or written.
expect 2 "--filter must be shuffle, deflate\[:LEVEL\], fletcher32, szip, a filter number ID\[:v1,v2,...\] or (HSDS) blosc-lz4\[:LEVEL\], blosc-lz4hc, blosc-zstd, blosc-blosclz, got 'gzip'" 0 create "$WORK/n.h5" 10 10 --filter gzip
expect 2 "--filter blosc-lz4:LEVEL takes a level from 1 to 9, got 'blosc-lz4:0'" 0 create "$WORK/n.h5" 10 10 --filter blosc-lz4:0
expect 2 "--filter blosc-zstd takes no value, got 'blosc-zstd:3'" 0 create "$WORK/n.h5" 10 10 --filter blosc-zstd:3
expect 2 "--filter blosc-lz4:5 is a codec of HSDS's blosc family, for hdf5:// domains only; an HDF5 file takes deflate, szip or a plugin filter number" 0 create "$WORK/n.h5" 10 10 --filter shuffle --filter blosc-lz4
expect 2 "--filter deflate:LEVEL takes a level from 1 to 9, got 'deflate:12'" 0 create "$WORK/n.h5" 10 10 --filter deflate:12
expect 2 "--filter deflate:LEVEL takes a level from 1 to 9, got 'deflate:x'" 0 create "$WORK/n.h5" 10 10 --filter deflate:x
expect 2 "--filter ID:v1,v2,... takes whole numbers" 0 create "$WORK/n.h5" 10 10 --filter 307:a
expect 2 "filter 2 is in the pipeline already" 0 create "$WORK/n.h5" 10 10 --filter shuffle --filter 2
expect 2 "--filter 31999: filter 31999 is not available: set HDF5_PLUGIN_PATH to its plugin directory" 0 create "$WORK/n.h5" 10 10 --filter 31999
expect 2 "--no-edge-filter leaves edge chunks out of the filter pipeline: give --filter too" 0 create "$WORK/n.h5" 10 10 --no-edge-filter
expect 2 "--io independent cannot write a filtered dataset: parallel HDF5 (.* here) writes filtered chunks only in collective transfers" 2 run "$WORK/n.h5" 10 10 --filter deflate
expect 2 "--io direct writes raw chunks with H5Dwrite_chunk, past the filter pipeline" 2 run "$WORK/n.h5" 10 10 --filter deflate --io direct
# HSDS refuses what its server would not apply before any request (no server here)
expect 2 "--filter fletcher32: HSDS does not apply this filter (it offers shuffle before a compressor, deflate\[:LEVEL\], blosc-lz4\[:LEVEL\], blosc-lz4hc, blosc-zstd and blosc-blosclz)" 0 create hdf5://home/x/n.h5 10 10 --filter fletcher32
expect 2 "--filter applies to HDF5 files; an mpiio: target is plain bytes" 0 create "mpiio:$WORK/n.dat" 10 10 --filter deflate
expect 2 "option --filter does not apply to write" 2 write "$f" --filter deflate
[ -e "$WORK/n.h5" ] || [ -e "$WORK/n.dat" ] && fail "a refused --filter left a file behind"
# A file made with filters: independent and direct writes refused at open, nothing written.
"$CHUNKBENCH" create "$WORK/z.h5" 20 20 --chunk 10,10 --filter deflate:1 -q
zsum=$(md5sum "$WORK/z.h5")
expect 2 "--io independent cannot write a filtered dataset" 2 write "$WORK/z.h5"
expect 2 "--io direct writes raw chunks with H5Dwrite_chunk" 2 write "$WORK/z.h5" --io direct
[ "$(md5sum "$WORK/z.h5")" = "$zsum" ] || fail "a refused write changed the filtered file"
"$CHUNKBENCH" status "$WORK/z.h5" | grep -qx "pending:     4" || fail "a refused write recorded tasks"
# --force replaces, and only then.
"$CHUNKBENCH" create "$f" 10 10 --force -q || fail "--force"
"$CHUNKBENCH" status "$f" | grep -qx "pending:     1" || fail "--force did not replace"
finish
