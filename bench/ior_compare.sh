#!/usr/bin/env bash
# chunkbench beside IOR, the same job in one run: RANKS ranks each write their
# own contiguous share of one new shared file in transfers of one chunk
# (4 MiB by default), interleaved rounds, medians and per-round ratios.
#   IOR -a HDF5   vs  chunkbench write FILE          (block schedule; --io independent/collective)
#   IOR -a MPIIO  vs  chunkbench write mpiio:FILE    (the raw MPI-IO baseline)
# and within chunkbench, HDF5 / raw MPI-IO (HDF5's own cost). Every measurement
# is one new file (create untimed, for chunkbench; IOR makes its own), one
# write pass: bytes / first open .. last close, as IOR reports it.
#
# IOR is not a dependency: build it from its public source and give its path:
#   git clone https://github.com/hpc/ior && cd ior && git checkout 4.0.0 && ./bootstrap &&
#   ./configure --with-hdf5 CC=mpicc CPPFLAGS=-I/usr/include/hdf5/openmpi \
#     LDFLAGS=-L/usr/lib/x86_64-linux-gnu/hdf5/openmpi LIBS=-lhdf5 && make
#   IOR=$PWD/src/ior bash bench/ior_compare.sh
#
# Environment: IOR (required), DIR=/dev/shm, RANKS=2, BLOCK_MIB=256 (per rank),
# TRANSFER_MIB=4 (= the chunk), ROUNDS=5, IOS="independent collective",
# CHUNKBENCH=build/chunkbench, OUT=bench/out/ior-<date>, QUIET_IDLE/QUIET_WAIT (bench/quiet.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IOR=${IOR:?set IOR to an ior binary built with HDF5 (see the top of this script)}
DIR=${DIR:-/dev/shm}
RANKS=${RANKS:-2}
BLOCK_MIB=${BLOCK_MIB:-256}
TRANSFER_MIB=${TRANSFER_MIB:-4}
ROUNDS=${ROUNDS:-5}
IOS=${IOS:-"independent collective"}
CHUNKBENCH=${CHUNKBENCH:-$here/../build/chunkbench}
OUT=${OUT:-$here/out/ior-$(date +%Y%m%d-%H%M%S)}
QUIET_IDLE=${QUIET_IDLE:-80}
QUIET_WAIT=${QUIET_WAIT:-10}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe
# shellcheck source=bench/quiet.sh
source "$here/quiet.sh"

die() { echo "ior_compare.sh: $*" >&2; exit 1; }
[[ -x $IOR ]] || die "no ior at $IOR"
grep -q HDF5 <<<"$("$IOR" -h 2>&1 || true)" || die "$IOR was built without HDF5 (configure --with-hdf5)"
[[ -x $CHUNKBENCH ]] || die "no chunkbench at $CHUNKBENCH"
mkdir -p "$OUT/raw" "$DIR"
cp "$CHUNKBENCH" "$OUT/cbw"
CB=$OUT/cbw

# The dataset: float64, chunks of TRANSFER_MIB (rows x 1024 columns), the
# ranks' shares = IOR's blocks: NROWS x 8192 with 8 chunks a chunk row.
tvals=$(( TRANSFER_MIB * 1048576 / 8 ))
ccols=1024 crows=$(( tvals / 1024 ))
ncols=8192
total=$(( RANKS * BLOCK_MIB * 1048576 ))
nrows=$(( total / 8 / ncols ))
(( nrows % crows == 0 )) || die "BLOCK_MIB and TRANSFER_MIB do not make whole chunk rows ($nrows rows, chunk $crows)"
{
    echo "date: $(date -Is)  host: $(uname -n)  kernel: $(uname -r)  nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "dir: $DIR  $(df -hT "$DIR" | awk 'NR==2{print $2", "$1}')"
    echo "ior: $IOR  sha256 $(sha256sum "$IOR" | cut -c1-12)$(git -C "$(dirname "$IOR")" describe --tags 2>/dev/null | sed 's/^/  source /')"
    echo "chunkbench: $($CB --version 2>&1 | head -1)  git $(git -C "$here/.." rev-parse --short HEAD 2>/dev/null)"
    echo "mpirun: $(mpirun --version 2>&1 | head -1)"
    echo "config: RANKS=$RANKS BLOCK_MIB=$BLOCK_MIB TRANSFER_MIB=$TRANSFER_MIB (dataset $nrows x $ncols f8, chunk $crows x $ccols) ROUNDS=$ROUNDS IOS='$IOS'"
} | tee "$OUT/env.txt"

ior_run() { # api io out
    local coll=()
    [[ $2 == collective ]] && coll=(-c)
    rm -f "$DIR/ior.dat"
    timeout -k 5 300 mpirun -n "$RANKS" "$IOR" -a "$1" "${coll[@]}" -b "${BLOCK_MIB}m" -t "${TRANSFER_MIB}m" -s 1 -w \
        -o "$DIR/ior.dat" -O summaryFormat=JSON -O "summaryFile=$3" >/dev/null
    rm -f "$DIR/ior.dat"
}
cb_run() { # target io out
    "$CB" create "$1" "$nrows" "$ncols" block --chunk "$crows,$ccols" --force -q
    timeout -k 5 300 mpirun -n "$RANKS" "$CB" write "$1" --schedule block --io "$2" -q --json "$3"
    rm -f "${1#mpiio:}" "${1#mpiio:}.chunkbench-tasks.h5"
}

things=()
for io in $IOS; do things+=("ior:HDF5:$io" "cb:h5:$io" "ior:MPIIO:$io" "cb:raw:$io"); done
n=${#things[@]}
for (( r = 1; r <= ROUNDS; r++ )); do
    echo "== round $r/$ROUNDS"
    for (( k = 0; k < n; k++ )); do
        th=${things[$(( (k + r - 1) % n ))]}
        IFS=: read -r who what io <<<"$th"
        f=$OUT/raw/r$r.$who.$what.$io.json
        sync # untimed: the last measurement's dirty pages are not written back during this one
        quiet "r$r $th"
        case $who in
        ior) ior_run "$what" "$io" "$f" || { echo "   $th failed" | tee -a "$OUT/failures.txt"; rm -f "$f"; } ;;
        cb) t=$DIR/cb.h5; [[ $what == raw ]] && t=mpiio:$DIR/cb.raw
            cb_run "$t" "$io" "$f" || { echo "   $th failed" | tee -a "$OUT/failures.txt"; rm -f "$f"; } ;;
        esac
    done
done

python3 - "$OUT" <<'EOF' | tee "$OUT/summary.txt"
import glob, json, os, re, statistics, sys
out = sys.argv[1]
mbps = {}  # (who, what, io) -> round -> MB/s
for p in glob.glob(os.path.join(out, "raw", "r*.json")):
    m = re.match(r"r(\d+)\.(ior|cb)\.(\w+)\.(\w+)\.json$", os.path.basename(p))
    r, who, what, io = int(m.group(1)), m.group(2), m.group(3), m.group(4)
    d = json.load(open(p))
    if who == "ior":
        v = [s for s in d["summary"] if s["operation"] == "write"][0]["bwMeanMIB"] * 1.048576
    else:
        v = d["passes"]["list"][-1]["ior_MBps"]
    mbps.setdefault((who, what, io), {})[r] = v
def med(d): return statistics.median(d.values())
def ratio(a, b):
    rr = [a[r] / b[r] for r in a if r in b and b[r] > 0]
    return "%.3f (rounds %.2f..%.2f)" % (statistics.median(rr), min(rr), max(rr)) if rr else "-"
names = {("ior", "HDF5"): "IOR -a HDF5", ("ior", "MPIIO"): "IOR -a MPIIO", ("cb", "h5"): "chunkbench FILE (HDF5)",
         ("cb", "raw"): "chunkbench mpiio:FILE (raw MPI-IO)"}
print("MB/s = 1e6 B/s, median over rounds (first open .. last close of one new file)")
for io in sorted({k[2] for k in mbps}):
    print(f"\n--io {io}")
    for (who, what) in names:
        k = (who, what, io)
        if k in mbps:
            v = mbps[k]
            print("  %-36s %8.0f  (%.0f..%.0f, %d rounds)" % (names[(who, what)], med(v), min(v.values()), max(v.values()), len(v)))
    g = lambda w, x: mbps.get((w, x, io), {})
    print("  chunkbench HDF5 / IOR -a HDF5        ", ratio(g("cb", "h5"), g("ior", "HDF5")))
    print("  chunkbench raw / IOR -a MPIIO        ", ratio(g("cb", "raw"), g("ior", "MPIIO")))
    print("  chunkbench HDF5 / chunkbench raw     ", ratio(g("cb", "h5"), g("cb", "raw")))
EOF
