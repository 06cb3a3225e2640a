#!/usr/bin/env bash
# The same dataset written through HSDS, in ONE run against one private server:
#   cb-dyn  mpirun -n N chunkbench write --schedule dynamic
#   cb-srv  N independent chunkbench write --schedule server (claims from the server's
#           task table, marks a task complete only after a flush, as in the seed's flow)
#   cb-srv-base  the same with the program BASELINE (an older build, for before/after
#           figures from one run); only when BASELINE is set
#   h5pyd   N bench/hsds_h5pyd_writer.py: the seed's write_hdf.py (claim by the server's
#           query-update, read the row, np.random block, dset[...] = arr, row done)
#   curl    N curl processes, each PUTting its block share of the chunks (the same bytes
#           per chunk, binary, select=[..], --data-binary @chunk) over one kept-alive
#           connection: the server's own limit for this request pattern
#   curl-T  the same with --upload-file chunk: curl streams the file instead of reading it
#           into memory 4 KiB per read() for every request (cheaper for curl itself)
# Every measurement writes a freshly created domain (chunkbench create ... --force,
# untimed) and is followed by a timed domain flush (post_flush_s: what the server still
# had to store). Variants are interleaved and their order rotated every round.
# MB/s = bytes / span, MB = 1e6 bytes; two spans per measurement (see hsds_bench.py):
#   inner  the tool's own span (chunkbench: its JSON open..close; h5pyd: first claim ..
#          last flush; curl: the wall clock)
#   wall   outside clock from launching the N processes to reaping the last one
#
# Configuration (environment):
#   NROWS=4000 NCOLS=4000 CHUNK=500,1000   float64 dataset (default 128 MB, 32 chunks of 4 MB)
#   WRITERS="1 2 4"      writer counts N (the chunk count must split evenly over each)
#   REPEATS=3            rounds (figures are medians over rounds)
#   VARIANTS="cb-dyn cb-srv h5pyd curl curl-T"
#   PORT=5101            HSDS service port (data nodes use 6101.. whatever PORT is)
#   WAIT_FREE=900        wait up to this many s for another HSDS on this machine to stop
#   QUIET_IDLE=70 QUIET_WAIT=10   before each measurement wait up to QUIET_WAIT s for the
#                        CPUs to be QUIET_IDLE % idle over 0.3 s (logged in load.txt)
#   HSDS_SYNC=           seconds: run the server with s3_sync_interval, s3_age_time and
#                        flush_sleep_interval set to this (stock: 1 s each, which makes any
#                        flush that has something to write take 1-2 s); written to the
#                        server directory's config.yml, which hsds reads from its cwd
#   HSDS_CACHE=          the data nodes' chunk_mem_cache_size (stock 128m each, 2 nodes):
#                        a node whose cache is full of chunks not yet stored answers 503
#                        to the service node, which retries until they are (a second
#                        after they came); 256 MB of chunks hashed unevenly over 2 nodes
#                        meets that. Written to config.yml as HSDS_SYNC is
#   DIAG=0               1: afterwards, strace -c -f one cb-dyn N=1 write and one curl N=1
#                        run (not in the table; syscall counts in OUT/diag/)
#   TMO=180              seconds before one measurement is abandoned (logged, not counted)
#   CB_VENV=<repo>/.venv venv with hsds, h5pyd, numpy (scripts/hsds_up.sh makes it)
#   CHUNKBENCH=<repo>/build/chunkbench   (copied into OUT first)
#   BASELINE=            another chunkbench program (copied into OUT as cbw-base); adds
#                        the variant cb-srv-base to the default VARIANTS
#   OUT=bench/out/hsds-<date>   results.jsonl (one line per measurement), raw/, summary.md,
#                        env.txt, load.txt, hsds.log (the server's log), refused.txt
#                        (chunk PUTs a data node refused, cache full, per measurement)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
NROWS=${NROWS:-4000}
NCOLS=${NCOLS:-4000}
CHUNK=${CHUNK:-500,1000}
WRITERS=${WRITERS:-"1 2 4"}
REPEATS=${REPEATS:-3}
BASELINE=${BASELINE:-}
VARIANTS=${VARIANTS:-"cb-dyn cb-srv h5pyd curl curl-T${BASELINE:+ cb-srv-base}"}
PORT=${PORT:-5101}
WAIT_FREE=${WAIT_FREE:-900}
QUIET_IDLE=${QUIET_IDLE:-70}
QUIET_WAIT=${QUIET_WAIT:-10}
DIAG=${DIAG:-0}
HSDS_SYNC=${HSDS_SYNC:-}
HSDS_CACHE=${HSDS_CACHE:-}
TMO=${TMO:-180}
export CB_VENV=${CB_VENV:-$repo/.venv}
CHUNKBENCH=${CHUNKBENCH:-$repo/build/chunkbench}
OUT=${OUT:-$here/out/hsds-$(date +%Y%m%d-%H%M%S)}
PY=$CB_VENV/bin/python

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe

die() { echo "hsds_write.sh: $*" >&2; exit 1; }
[[ -x $CHUNKBENCH ]] || die "no chunkbench at $CHUNKBENCH (cmake --build $repo/build -j2)"
command -v mpirun >/dev/null || die "mpirun not found (apt-get install openmpi-bin)"
command -v curl >/dev/null || die "curl not found (apt-get install curl)"
cr=${CHUNK%,*}; cc=${CHUNK#*,}
(( NROWS % cr == 0 && NCOLS % cc == 0 )) || die "NROWS/NCOLS must be multiples of the chunk ($CHUNK): every PUT is one whole chunk"
chunk_bytes=$(( cr * cc * 8 ))
total=$(( NROWS * NCOLS * 8 ))
nchunks=$(( total / chunk_bytes ))
for n in $WRITERS; do (( nchunks % n == 0 )) || die "$nchunks chunks do not split evenly over $n writers"; done

# ---- one HSDS per machine: wait for anybody else's to go away ----------------
busy() { pgrep -f "hsds.*--port" >/dev/null || ss -ltn | grep -qE ":$PORT\b|:6101\b"; }
t_wait=$SECONDS
while busy; do
    (( SECONDS - t_wait < WAIT_FREE )) || die "another HSDS is still running after ${WAIT_FREE}s (pgrep -af 'hsds.*--port')"
    echo "waiting for another HSDS on this machine to stop ($(( SECONDS - t_wait ))s) ..."
    sleep 20
done

mkdir -p "$OUT/raw"
OUT=$(cd "$OUT" && pwd)
cp "$CHUNKBENCH" "$OUT/cbw"    # a private copy: the tree may be rebuilt meanwhile
CB=$OUT/cbw
CBBASE=
if [[ -n $BASELINE ]]; then
    [[ -x $BASELINE ]] || die "no program at BASELINE=$BASELINE"
    cp "$BASELINE" "$OUT/cbw-base"
    CBBASE=$OUT/cbw-base
fi
[[ " $VARIANTS " != *" cb-srv-base "* || -n $CBBASE ]] || die "the variant cb-srv-base needs BASELINE"
SRV=$(mktemp -d /tmp/cbhsbench.XXXXXX)
cleanup() {
    "$repo/scripts/hsds_down.sh" "$SRV/server" >/dev/null 2>&1 || true
    cp "$SRV/server/hsds.log" "$OUT/hsds.log" 2>/dev/null || true
    rm -rf "$SRV"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [[ -n $HSDS_SYNC || -n $HSDS_CACHE ]]; then
    [[ -x $PY ]] || die "HSDS_SYNC and HSDS_CACHE need the venv $CB_VENV (run scripts/hsds_up.sh once to make it)"
    [[ -z $HSDS_CACHE || $HSDS_CACHE =~ ^[0-9]+[kmg]$ ]] || die "HSDS_CACHE '$HSDS_CACHE' is not a size like 512m"
    mkdir -p "$SRV/server"
    "$PY" - "$HSDS_SYNC" "$HSDS_CACHE" "$SRV/server/config.yml" <<'EOF2' || die "could not write the server's config.yml"
import re, sys
from importlib.resources import files
sync, cache, out = sys.argv[1:4]
text = files("admin.config").joinpath("config.yml").read_text()
keys = {k: float(sync) for k in ("s3_sync_interval", "s3_age_time", "flush_sleep_interval")} if sync else {}
if cache:
    keys["chunk_mem_cache_size"] = cache
for key, value in keys.items():
    text, n = re.subn(rf"^{key}:.*$", f"{key}: {value}", text, flags=re.M)
    if n != 1:
        sys.exit(f"no {key} in hsds's config.yml")
open(out, "w").write(text)
EOF2
fi
"$repo/scripts/hsds_up.sh" "$SRV/server" "$PORT" || die "could not start HSDS"
# shellcheck disable=SC1091
source "$SRV/server/env.sh"
[[ -x $PY ]] || die "no python in $CB_VENV"
domain=/home/$HS_USERNAME/cb.h5
target=hdf5:/$domain
umask 077
printf 'user = "%s:%s"\nsilent\n' "$HS_USERNAME" "$HS_PASSWORD" > "$SRV/auth.cfg"   # not on any command line
umask 022
about=$(curl -s -K "$SRV/auth.cfg" "$HS_ENDPOINT/about")

{
    echo "date: $(date -Is)"
    echo "host: $(uname -n)  kernel: $(uname -r)  nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "mem: $(free -g | awk '/Mem:/{print $2" GiB total, "$7" GiB available"}')"
    echo "hsds: $("$PY" -c 'import sys,json; a=json.loads(sys.argv[1]); print(a.get("hsds_version"), a.get("node_count", ""), "nodes,", a.get("state"))' "$about")  (hsds_up.sh: --count 2 data nodes, POSIX storage in $SRV/server/data on $(df -T /tmp | awk 'NR==2{print $2}'))"
    echo "hsds config: s3_sync_interval / s3_age_time / flush_sleep_interval = ${HSDS_SYNC:-1 (stock)} s, chunk_mem_cache_size = ${HSDS_CACHE:-128m (stock)} per data node"
    echo "python: $("$PY" -c 'import sys,h5pyd,numpy; print(sys.version.split()[0], "h5pyd", h5pyd.__version__, "numpy", numpy.__version__)')"
    echo "chunkbench: $("$CB" --version 2>&1 | head -1)  git: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null)$(git -C "$repo" diff --quiet -- src 2>/dev/null || echo ' (src modified)')"
    [[ -z $CBBASE ]] || echo "baseline (cb-srv-base): $BASELINE ($("$CBBASE" --version 2>&1 | head -1))"
    echo "curl: $(curl --version | head -1)"
    echo "mpirun: $(mpirun --version 2>&1 | head -1)"
    echo "config: NROWS=$NROWS NCOLS=$NCOLS CHUNK=$CHUNK ($chunk_bytes B, $nchunks chunks) total=$total B WRITERS='$WRITERS' REPEATS=$REPEATS VARIANTS='$VARIANTS'"
} | tee "$OUT/env.txt"

# ---- helpers ------------------------------------------------------------------
# shellcheck source=bench/quiet.sh
source "$here/quiet.sh"
create() {
    "$CB" create "$target" "$NROWS" "$NCOLS" --chunk "$CHUNK" --force -q
}
flush_s() { # a domain flush, timed (prints seconds)
    local t0=$EPOCHREALTIME code
    code=$(curl -K "$SRV/auth.cfg" -o /dev/null -w '%{http_code}' -X PUT "$HS_ENDPOINT/?domain=$domain&flush=1")
    [[ $code == 2* ]] || echo "flush answered $code" >&2
    "$PY" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.6f}')" "$t0" "$EPOCHREALTIME"
}
"$PY" -c "import numpy as np; np.random.rand($cr, $cc).tofile('$SRV/chunk.bin')"   # one chunk's bytes, for curl

# Launch N processes of a variant, wait for all; sets T0/T1 (outside wall clock). Output: $1.*
run_variant() { # v n rawprefix
    local v=$1 n=$2 raw=$3 i pids=() rc=0
    case $v in
    curl|curl-T)
        local id
        id=$(curl -s -K "$SRV/auth.cfg" "$HS_ENDPOINT/?domain=$domain&h5path=/dset" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["id"])')
        rm -f "$SRV"/curl.*.cfg
        "$PY" "$here/hsds_bench.py" curlcfg "$SRV" "$n" "$id" "$domain" "$NROWS" "$NCOLS" "$cr" "$cc" "$SRV/chunk.bin" \
            "$([[ $v == curl-T ]] && echo upload || echo data-binary)"
        T0=$EPOCHREALTIME
        for (( i = 0; i < n; i++ )); do
            timeout -k 5 "$TMO" curl -K "$SRV/curl.$i.cfg" > "$raw.$i.out" & pids+=($!)
        done ;;
    cb-dyn)
        T0=$EPOCHREALTIME
        timeout -k 5 "$TMO" mpirun -n "$n" --bind-to none "$CB" write "$target" --schedule dynamic --json "$raw.json" -q & pids+=($!) ;;
    cb-srv|cb-srv-base)
        local prog=$CB
        [[ $v == cb-srv ]] || prog=$CBBASE
        T0=$EPOCHREALTIME
        for (( i = 0; i < n; i++ )); do
            timeout -k 5 "$TMO" "$prog" write "$target" --schedule server --json "$raw.$i.json" -q & pids+=($!)
        done ;;
    h5pyd)
        T0=$EPOCHREALTIME
        for (( i = 0; i < n; i++ )); do
            timeout -k 5 "$TMO" "$PY" "$here/hsds_h5pyd_writer.py" "$target" > "$raw.$i.out" & pids+=($!)
        done ;;
    *) die "unknown variant $v" ;;
    esac
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    T1=$EPOCHREALTIME
    return $rc
}

# Chunk PUTs a data node refused so far, its cache full of chunks not yet stored
# (the service node retries them until the node has stored some).
refusals() { local c; c=$(grep -c 'unable to save chunk' "$SRV/server/hsds.log" 2>/dev/null) || true; echo "${c:-0}"; }

measure() { # round v n
    local r=$1 v=$2 n=$3 raw="$OUT/raw/r$1-$2-n$3" pf files=()
    create || { echo "r$r $v N=$n: create failed" | tee -a "$OUT/failures.txt"; return 0; }
    quiet "r$r $v N=$n"
    local refused0; refused0=$(refusals)
    if ! run_variant "$v" "$n" "$raw"; then
        echo "r$r $v N=$n: a writer failed or timed out (raw: $raw.*)" | tee -a "$OUT/failures.txt"
        flush_s >/dev/null || true
        return 0
    fi
    pf=$(flush_s)
    echo "r$r $v N=$n: $(( $(refusals) - refused0 ))" >> "$OUT/refused.txt"
    case $v in
    cb-dyn) files=("$raw.json") ;;
    cb-srv|cb-srv-base) files=("$raw".*.json) ;;
    *) files=("$raw".*.out) ;;
    esac
    local wall
    wall=$("$PY" -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$T0" "$T1")
    "$PY" "$here/hsds_bench.py" record "$OUT/results.jsonl" "$r" "$v" "$n" "$total" "$wall" "$pf" "${files[@]}" ||
        echo "r$r $v N=$n: could not read its output" | tee -a "$OUT/failures.txt"
}

# ---- warm-up (untimed): server caches, connection pools, page cache -----------
echo "warm-up ..."
create && mpirun -n 1 --bind-to none "$CB" write "$target" --schedule dynamic -q >/dev/null && flush_s >/dev/null

# ---- the rounds -----------------------------------------------------------------
read -r -a vars <<< "$VARIANTS"
read -r -a ns <<< "$WRITERS"
nv=${#vars[@]}
t_start=$SECONDS
for (( r = 1; r <= REPEATS; r++ )); do
    for (( k = 0; k < ${#ns[@]}; k++ )); do
        n=${ns[k]}
        echo "round $r/$REPEATS, $n writer(s):"
        for (( j = 0; j < nv; j++ )); do
            measure "$r" "${vars[(j + r - 1 + k) % nv]}" "$n"
        done
    done
done
echo "measured in $(( SECONDS - t_start )) s"

if [[ $DIAG == 1 ]] && command -v strace >/dev/null; then
    mkdir -p "$OUT/diag"
    echo "diagnostics (strace -c -f; not in the table) ..."
    create && strace -c -f -o "$OUT/diag/cb-dyn-n1.strace" mpirun -n 1 --bind-to none "$CB" write "$target" \
        --schedule dynamic --json "$OUT/diag/cb-dyn-n1.json" -q >/dev/null || true
    flush_s >/dev/null
    create && strace -c -f -o "$OUT/diag/cb-srv-n1.strace" "$CB" write "$target" --schedule server \
        --json "$OUT/diag/cb-srv-n1.json" -q >/dev/null || true
    flush_s >/dev/null
    create && id=$(curl -s -K "$SRV/auth.cfg" "$HS_ENDPOINT/?domain=$domain&h5path=/dset" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["id"])') &&
        "$PY" "$here/hsds_bench.py" curlcfg "$SRV" 1 "$id" "$domain" "$NROWS" "$NCOLS" "$cr" "$cc" "$SRV/chunk.bin" &&
        strace -c -f -o "$OUT/diag/curl-n1.strace" curl -K "$SRV/curl.0.cfg" > "$OUT/diag/curl-n1.out" || true
    flush_s >/dev/null
fi

echo
"$PY" "$here/hsds_bench.py" summary "$OUT/results.jsonl" "$OUT/summary.md"
echo
echo "results: $OUT (results.jsonl, summary.md, env.txt, load.txt, raw/)"
