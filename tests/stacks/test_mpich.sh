#!/usr/bin/env bash
# chunkbench on MPICH: built in a second build tree against Debian's
# libhdf5-mpich-dev (installed beside OpenMPI; the host's default MPI stays),
# then create / write / verify / read for every schedule x io mode at 1-3
# ranks under mpiexec.mpich, the request log's tests (read_log) with that
# build, so MPICH's ROMIO reads are taken through the profiling interface as
# OpenMPI's are, and the progress line's terminal test under Hydra.
set -euo pipefail
: "${CB_SRC:?set CB_SRC to the source tree}"
: "${CB_BUILD:?set CB_BUILD to the build tree}"
here=$(cd "$(dirname "$0")" && pwd)
t0=$(date +%s)
before=$(readlink -f "$(command -v mpirun)" 2>/dev/null || true)
set +e
bash "$here/ensure_mpich.sh"
rc=$?
set -e
[ "$rc" -eq 0 ] || exit "$rc"
after=$(readlink -f "$(command -v mpirun)" 2>/dev/null || true)
[ "$before" = "$after" ] || { echo "FAIL: installing MPICH moved mpirun from $before to $after"; exit 1; }

bdir=$CB_BUILD/mpich
cmake -S "$CB_SRC" -B "$bdir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHUNKBENCH_WERROR=ON -DBUILD_TESTING=OFF \
    -DMPI_C_COMPILER=/usr/bin/mpicc.mpich -DHDF5_C_COMPILER_EXECUTABLE=/usr/bin/h5pcc.mpich >"$bdir.configure.log" 2>&1 ||
    { cat "$bdir.configure.log"; echo "FAIL: configuring the MPICH build"; exit 1; }
cmake --build "$bdir" -j "$(nproc)" >"$bdir.build.log" 2>&1 ||
    { grep -vE '^\[ *[0-9]+%\]' "$bdir.build.log"; echo "FAIL: building against MPICH"; exit 1; }
prog=$bdir/chunkbench
t_build=$(date +%s)
libs=$(ldd "$prog")
grep -q libmpich <<<"$libs" && grep -q libhdf5_mpich <<<"$libs" ||
    { echo "FAIL: $prog is not linked to MPICH's HDF5:"; echo "$libs"; exit 1; }
grep -qi openmpi <<<"$libs" && { echo "FAIL: $prog also links OpenMPI:"; echo "$libs"; exit 1; }
echo "== MPICH $(mpiexec.mpich --version | sed -n 's/^ *Version: *//p' | head -1), HDF5 $(grep -h 'define H5_VERSION ' /usr/include/hdf5/mpich/H5pubconf.h | cut -d'"' -f2)"

export CHUNKBENCH=$prog CB_MPIEXEC=mpiexec.mpich
source "$CB_SRC/tests/hdf5/lib.sh"
n=0
for np in 1 2 3; do
    for sched in block cyclic dynamic; do
        for io in independent collective direct; do
            f=$WORK/m_${np}_${sched}_${io}.h5
            what="np=$np sched=$sched io=$io"
            mpi 1 "$prog" create "$f" 37 53 --chunk 10,16 -q --seed $((np + 3)) || { fail "create $what"; continue; }
            mpi "$np" "$prog" write "$f" --schedule "$sched" --io "$io" -q || { fail "write $what"; continue; }
            out=$(mpi "$np" "$prog" verify "$f" --schedule "$sched" --io "$io" 2>&1) || { fail "verify $what: $out"; continue; }
            out=$(mpi "$np" "$prog" read "$f" --schedule "$sched" --io "$io" --verify 2>&1) || { fail "read $what: $out"; continue; }
            grep -q "^verify:       OK: 0 tasks with mismatches$" <<<"$out" || fail "read $what: no verify line: $out"
            $PY - "$f" <<'PYEOF' || fail "h5py $what"
import sys, h5py
d = h5py.File(sys.argv[1], "r")
t = d["task_list"][:]
assert (t["status"] == 1).all() and len(t) == 4 * 4, t["status"]
PYEOF
            n=$((n + 1))
        done
    done
done
echo "$n schedule x io x ranks runs written, verified and read under MPICH"
t_matrix=$(date +%s)
# The request log under MPICH (sec2 through the logging driver, mpio through
# MPI_File_read_at & co.): the read_log test, run with this build.
if ! bash "$CB_SRC/tests/read/test_log.sh"; then fail "read_log under MPICH"; fi
# The progress line's terminal test under Hydra (pipes, not OpenMPI's ptys).
if ! bash "$CB_SRC/tests/hdf5/test_progress.sh"; then fail "progress_terminal under MPICH"; fi
# MPI-IO hints under MPICH's ROMIO, which reports its own view of them (an
# unknown hint comes back not taken; Open MPI echoes what it was given).
if ! bash "$CB_SRC/tests/hdf5/test_hints.sh"; then fail "hdf5_hints under MPICH"; fi
t_end=$(date +%s)
echo "mpich: install $((t_build - t0)) s incl. build, matrix $((t_matrix - t_build)) s, read_log + progress + hints $((t_end - t_matrix)) s"
finish
