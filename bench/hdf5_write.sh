#!/usr/bin/env bash
# chunkbench write beside fio sequential write (and an h5py peer), on the same
# file system, same bytes, same ranks, interleaved rounds.  See bench/RESULTS.md.
#
# Configuration (environment):
#   DIRS="/dev/shm /var/tmp/cbbench"  directories to test (tmpfs, disk); created if missing
#   RANKS=2            MPI ranks = fio numjobs
#   NROWS=8000 NCOLS=8000 CHUNK=500,1000   dataset (float64; default 512 MB, 4 MB chunks)
#   SIZE_MB=           instead of NROWS: about this many MB (NROWS rounded to whole chunk rows)
#   ROUNDS=5           interleaved rounds (medians are over rounds)
#   ITER=5             chunkbench/h5py passes per run: pass 1 = new file (cold), 2..ITER overwrite;
#                      fio: ITER-1 overwrite runs of a file written before round 1
#   IOS="independent collective direct"  SCHEDS="block dynamic"
#   MPIIO="ompio"      MPI-IO layers for chunkbench (--mca io ...); "ompio romio321" compares both
#   ALIGNS="none"      chunkbench create --align values to compare, e.g. "none 4M" (h5py: none)
#   H5PY=1             run the h5py peer (single process, /usr/bin/python3)
#   RAW=0              1: also chunkbench's raw MPI-IO baseline (target mpiio:DIR/cb.raw, the
#                      same tasks as plain bytes) for every MPIIO x IOS x SCHEDS; the summary
#                      gives HDF5 / raw MPI-IO per round (HDF5's own cost)
#   FIO1=1             also run fio with one job (the h5py peer's reference)
#   FSYNC=0            1: every measured write ends with an fsync inside the timed span:
#                      chunkbench --fsync, fio --end_fsync=1 (the h5py peer is left out:
#                      h5py has no such switch); the figures then include the write-back
#   SYNC=1             `sync` (untimed) before each measurement, so the disk's writeback
#                      of the previous measurement does not overlap the next one
#   QUIET_IDLE=80 QUIET_WAIT=10   before each measurement wait up to QUIET_WAIT s for the
#                      CPUs to be QUIET_IDLE % idle (the VM is shared); logged in load.txt
#   CHUNKBENCH=/work/main/build/chunkbench   binary (copied into OUT first)
#   BASELINE=          another chunkbench binary (an older build): every chunkbench
#                      measurement is also made with it, interleaved in the same rounds,
#                      and the summary gives new/baseline ratios (before/after figures)
#   TMO=120            seconds before one measurement is abandoned (logged in failures.txt)
#   OUT=bench/out/<date>   results: raw/*.json, summary.txt, summary.json, env.txt,
#                      load.txt (idle % and load average before each measurement), failures.txt
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIRS=${DIRS:-"/dev/shm /var/tmp/cbbench"}
RANKS=${RANKS:-2}
NROWS=${NROWS:-8000}
NCOLS=${NCOLS:-8000}
CHUNK=${CHUNK:-500,1000}
ROUNDS=${ROUNDS:-5}
ITER=${ITER:-5}
IOS=${IOS:-"independent collective direct"}
SCHEDS=${SCHEDS:-"block dynamic"}
MPIIO=${MPIIO:-"ompio"}
ALIGNS=${ALIGNS:-"none"}
H5PY=${H5PY:-1}
RAW=${RAW:-0}
FIO1=${FIO1:-1}
SYNC=${SYNC:-1}
FSYNC=${FSYNC:-0}
[[ $FSYNC == 1 ]] && H5PY=0
CHUNKBENCH=${CHUNKBENCH:-$here/../build/chunkbench}
TMO=${TMO:-120}
OUT=${OUT:-$here/out/$(date +%Y%m%d-%H%M%S)}
PY=/usr/bin/python3

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe

die() { echo "hdf5_write.sh: $*" >&2; exit 1; }
(( ITER >= 2 )) || die "ITER must be >= 2 (pass 1 is the cold write; later passes are measured)"
[[ -x $CHUNKBENCH ]] || die "no chunkbench at $CHUNKBENCH (build it: cmake -S /work/main -B /work/main/build && cmake --build /work/main/build -j2)"
command -v mpirun >/dev/null || die "mpirun not found (apt-get install openmpi-bin)"
if ! command -v fio >/dev/null; then
    echo "installing fio ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q fio >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fio >/dev/null; }
fi
if [[ $H5PY == 1 ]] && ! $PY -c 'import h5py' 2>/dev/null; then
    echo "installing python3-h5py ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-h5py >/dev/null
fi

cr=${CHUNK%,*}; cc=${CHUNK#*,}
if [[ -n ${SIZE_MB:-} ]]; then
    NROWS=$(( (SIZE_MB * 1000000 / (8 * NCOLS) + cr / 2) / cr * cr ))
    (( NROWS >= cr )) || NROWS=$cr
fi
(( NROWS % cr == 0 && NCOLS % cc == 0 )) || die "NROWS/NCOLS must be multiples of the chunk ($CHUNK) so every write is one whole chunk"
chunk_bytes=$(( cr * cc * 8 ))
total=$(( NROWS * NCOLS * 8 ))
nchunks=$(( total / chunk_bytes ))
(( nchunks % RANKS == 0 )) || die "$nchunks chunks do not split evenly over $RANKS ranks; choose sizes so they do (fio needs equal shares)"
per_job=$(( total / RANKS ))

mkdir -p "$OUT/raw"
# A private copy: others may rebuild the tree while we run (and its name keeps it out of
# the way of anybody's `pkill chunkbench` on this shared machine).
cp "$CHUNKBENCH" "$OUT/cbw"
CB=$OUT/cbw
BASELINE=${BASELINE:-}
CBBASE=
if [[ -n $BASELINE ]]; then
    [[ -x $BASELINE ]] || die "no program at BASELINE=$BASELINE"
    cp "$BASELINE" "$OUT/cbw-base"
    CBBASE=$OUT/cbw-base
fi

# ---- what was measured where ----
{
    echo "date: $(date -Is)"
    echo "host: $(uname -n)  kernel: $(uname -r)  nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "mem: $(free -g | awk '/Mem:/{print $2" GiB total, "$7" GiB available"}')"
    for d in $DIRS; do mkdir -p "$d"; echo "dir: $d  $(df -hT "$d" | awk 'NR==2{print $2", "$1", "$3" size, "$5" free"}')"; done
    echo "binary: $CHUNKBENCH  built $(date -r "$CHUNKBENCH" -Is)  sha256 $(sha256sum "$CB" | cut -c1-12)"
    echo "chunkbench: $($CB --version 2>&1 | head -1)  git: $(git -C "$here/.." rev-parse --short HEAD 2>/dev/null)$(git -C "$here/.." diff --quiet -- src 2>/dev/null || echo ' (src modified)')"
    [[ -z $CBBASE ]] || echo "baseline: $BASELINE  sha256 $(sha256sum "$CBBASE" | cut -c1-12) ($("$CBBASE" --version 2>&1 | head -1))"
    echo "fio: $(fio --version)  mpirun: $(mpirun --version 2>&1 | head -1)"
    echo "h5py: $($PY -c 'import h5py;print(h5py.version.version, "hdf5", h5py.version.hdf5_version)' 2>/dev/null)"
    echo "config: RANKS=$RANKS NROWS=$NROWS NCOLS=$NCOLS CHUNK=$CHUNK ($chunk_bytes B) total=$total B ROUNDS=$ROUNDS ITER=$ITER"
    echo "        IOS='$IOS' SCHEDS='$SCHEDS' MPIIO='$MPIIO' ALIGNS='$ALIGNS' H5PY=$H5PY FIO1=$FIO1 RAW=$RAW SYNC=$SYNC FSYNC=$FSYNC"
    echo "vm: dirty_ratio=$(cat /proc/sys/vm/dirty_ratio) dirty_background_ratio=$(cat /proc/sys/vm/dirty_background_ratio) thp_shmem=$(cat /sys/kernel/mm/transparent_hugepage/shmem_enabled 2>/dev/null)"
} | tee "$OUT/env.txt"

settle() { [[ $SYNC == 1 ]] && sync; return 0; }

# fio: sequential write, psync, bs = one chunk, numjobs = ranks, each job its own
# contiguous share of ONE shared file (offset_increment), like the ranks' block share
# of the HDF5 file.  The file is written twice before round 1 (untimed) and every
# measured run overwrites it: overwrite=1 keeps fio from re-laying it out,
# invalidate=0 keeps its pages cached (chunkbench's overwrite passes find theirs
# cached too).  One measurement = ITER-1 fio runs, one per chunkbench overwrite pass,
# so both give a median over the same number of passes.
fio_once() { # dir jobs out
    local d=$1 jobs=$2 out=$3 size=$(( total / $2 ))
    fio --name=seqwrite --filename="$d/fio.dat" --rw=write --bs="$chunk_bytes" --size="$size" \
        --offset_increment="$size" --numjobs="$jobs" --ioengine=psync --invalidate=0 --overwrite=1 \
        --end_fsync="$FSYNC" --group_reporting --output-format=json --output="$out" >/dev/null </dev/null
}
fio_run() { # dir jobs out: ITER-1 runs, gathered into one JSON list
    local i parts=()
    for (( i = 1; i < ITER; i++ )); do fio_once "$1" "$2" "$3.$i" || return; parts+=("$3.$i"); done
    $PY -c 'import json,sys; json.dump([json.load(open(f)) for f in sys.argv[2:]], open(sys.argv[1], "w"))' "$3" "${parts[@]}"
    rm -f "${parts[@]}"
}

# Quiet gate: this VM's 2 CPUs are shared with other users; before each measurement
# wait (up to QUIET_WAIT s) until the CPUs were >= QUIET_IDLE % idle over 0.3 s, and log it.
QUIET_IDLE=${QUIET_IDLE:-80}
QUIET_WAIT=${QUIET_WAIT:-10}
# shellcheck source=bench/quiet.sh
source "$here/quiet.sh"

cb_run() { # dir mpiio io sched align out [program [target]]
    local d=$1 layer=$2 io=$3 sched=$4 align=$5 out=$6 prog=${7:-$CB} t=${8:-$1/cb.h5} a=()
    [[ $align != none ]] && a=(--align "$align")
    "$prog" create "$t" "$NROWS" "$NCOLS" block --chunk "$CHUNK" "${a[@]}" --force -q || return
    [[ $FSYNC == 1 ]] && a=(--fsync) || a=()
    timeout -k 5 "$TMO" mpirun -n "$RANKS" --mca io "$layer" "$prog" write "$t" --schedule "$sched" --io "$io" \
        --iterations "$ITER" --json "$out" -q "${a[@]}"
}

h5py_run() { # dir out
    timeout -k 5 "$TMO" $PY "$here/h5py_writer.py" "$1/h5py.h5" "$NROWS" "$NCOLS" --chunk "$CHUNK" --iterations "$ITER" \
        --json "$2"
}

# The things compared, in the order of round 1; each later round starts one further on.
things=("fio")
[[ $FIO1 == 1 ]] && things+=("fio1")
for layer in $MPIIO; do for io in $IOS; do for s in $SCHEDS; do for al in $ALIGNS; do
    things+=("cb:$layer:$io:$s:$al")
    [[ -n $CBBASE ]] && things+=("cb:$layer:$io:$s:$al:base")
done; [[ $RAW == 1 ]] && things+=("raw:$layer:$io:$s"); done; done; done
[[ $H5PY == 1 ]] && things+=("h5py")

t_start=$(date +%s)
for d in $DIRS; do
    tag=$(echo "$d" | tr '/' '_' | sed 's/^_//')
    echo "== $d: preparing the fio file (written once, untimed)"
    rm -f "$d/fio.dat"
    fio_once "$d" "$RANKS" /dev/null
    fio_once "$d" "$RANKS" /dev/null
    n=${#things[@]}
    for (( r = 1; r <= ROUNDS; r++ )); do
        echo "== $d: round $r/$ROUNDS"
        for (( k = 0; k < n; k++ )); do
            th=${things[$(( (k + r - 1) % n ))]}
            f="$OUT/raw/$tag.r$r.${th//:/.}.json"
            settle
            quiet "$tag r$r $th"
            rc=0
            case $th in
            fio)  fio_run "$d" "$RANKS" "$f" || rc=$? ;;
            fio1) fio_run "$d" 1 "$f" || rc=$? ;;
            h5py) h5py_run "$d" "$f" || rc=$? ;;
            cb:*:base) IFS=: read -r _ layer io s al _ <<<"$th"; cb_run "$d" "$layer" "$io" "$s" "$al" "$f" "$CBBASE" || rc=$? ;;
            cb:*) IFS=: read -r _ layer io s al <<<"$th"; cb_run "$d" "$layer" "$io" "$s" "$al" "$f" || rc=$? ;;
            raw:*) IFS=: read -r _ layer io s <<<"$th"; cb_run "$d" "$layer" "$io" "$s" none "$f" "$CB" "mpiio:$d/cb.raw" || rc=$? ;;
            esac
            if (( rc != 0 )); then   # killed, timed out, failed: leave it out, say so
                echo "   $tag r$r $th FAILED (exit $rc); left out" | tee -a "$OUT/failures.txt"
                rm -f "$f"
            fi
        done
    done
    rm -f "$d/fio.dat" "$d/cb.h5" "$d/h5py.h5" "$d/cb.raw" "$d/cb.raw.chunkbench-tasks.h5"
done
echo "== done in $(( $(date +%s) - t_start )) s; raw results in $OUT/raw"

$PY "$here/summarize.py" "$OUT" | tee "$OUT/summary.txt"
