# Shared by the HDF5 test scripts: MPI as root, a scratch dir, small helpers.
set -euo pipefail
: "${CHUNKBENCH:?set CHUNKBENCH to the program}"
: "${CB_SRC:?set CB_SRC to the source tree}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe
PY=${CB_PYTHON:-/usr/bin/python3}
CHECK="$PY $CB_SRC/tests/hdf5/cbcheck.py"
WORK=$(mktemp -d /tmp/cbtest.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# A command that set -e stops the script at says so: without this a failed
# assignment (a SIGPIPE under pipefail, once) ended a test with no FAIL line.
# Quiet where a script turned set -e off to take an exit code itself.
trap 'cb__rc=$?; [[ $- != *e* ]] || echo "FAIL: ${BASH_SOURCE[0]##*/} line $LINENO: '"'"'$BASH_COMMAND'"'"' exited $cb__rc (set -e stops here)"' ERR
FAILS=0

# mpirun with a bound: a hang is a failure, not a stuck CI.
# CB_MPIEXEC: another launcher (mpiexec.mpich for the MPICH build).
mpi() { local n=$1; shift; timeout 120 ${CB_MPIEXEC:-mpirun} -n "$n" "$@"; }

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# Open MPI's ROMIO component (romio321 in 4.1, romio341 in 5.0); nothing elsewhere.
# awk reads to the end (no exit at the match): ompi_info, still writing, would
# die of SIGPIPE, and the pipe fail under pipefail.
romio_component() { ompi_info 2>/dev/null | awk '/MCA io: romio/ && !n {print $3; n = 1}'; }

# expect CODE PATTERN NRANKS ARGS...: chunkbench ARGS (under mpirun on NRANKS
# ranks; 0: without) exits CODE with exactly one error line, matching PATTERN.
expect() {
  local code=$1 pat=$2 np=$3; shift 3
  local rc=0
  if [ "$np" = 0 ]; then
    # Bounded as mpi() is: a stuck singleton (an MPI start that hangs) fails
    # this one command, by name, not the whole test at ctest's limit.
    timeout 120 "$CHUNKBENCH" "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
  else
    mpi "$np" "$CHUNKBENCH" "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
  fi
  if [ "$rc" -eq 124 ]; then fail "chunkbench $* (np=$np): hung, killed after 120 s"; return; fi
  local lines; lines=$(grep -c "chunkbench: error:" "$WORK/err" || true)
  if [ "$rc" -ne "$code" ] || [ "$lines" -ne 1 ] || ! grep -q -- "$pat" "$WORK/err"; then
    fail "chunkbench $* (np=$np): rc=$rc (want $code), $lines error lines, want \"$pat\", stderr: $(head -c 600 "$WORK/err")"
  fi
}

finish() {
    if [ "$FAILS" -ne 0 ]; then echo "$FAILS failures"; exit 1; fi
    echo "all passed"
}

# The HDF5 version chunkbench runs with ("1.10.8"), from its --version.
hdf5_version() { "$CHUNKBENCH" --version | awk '/^HDF5 / && !v {v = $2} END {print v}'; }

# The bytes HDF5's ros3 GETs at every open and then serves reads from itself:
# the file's first 16 MiB from HDF5 1.14 (seen on 1.14.5), none before.
ros3_open_prefix() {
    local v; v=$(hdf5_version)
    if printf '%s\n' 1.14.0 "$v" | sort -V -C; then echo 16777216; else echo 0; fi
}
