#!/usr/bin/env bash
# Install Debian's MPICH flavour of parallel HDF5 (libhdf5-mpich-dev, mpich)
# beside the OpenMPI one, without moving the host's default MPI: the
# alternatives mpicc/mpirun/h5pcc/hdf5.pc stand where they stood. Groups in
# auto mode are pinned to their current choice during the install and put
# back to auto after it only where auto still picks that choice.
# Exit 0 when mpicc.mpich, mpiexec.mpich and h5pcc.mpich are there, 77 when
# they are missing and cannot be installed (not root, no apt).
set -euo pipefail
have() { command -v mpicc.mpich >/dev/null && command -v mpiexec.mpich >/dev/null && command -v h5pcc.mpich >/dev/null; }
have && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "SKIP: MPICH's parallel HDF5 is not installed (apt-get install libhdf5-mpich-dev mpich, as root)"
    exit 77
fi
groups=(mpi mpirun h5pcc hdf5.pc)
declare -A was
for g in "${groups[@]}"; do
    q=$(update-alternatives --query "$g" 2>/dev/null) || continue
    if [ "$(sed -n 's/^Status: //p' <<<"$q")" = auto ]; then
        was[$g]=$(sed -n 's/^Value: //p' <<<"$q")
        update-alternatives --quiet --set "$g" "${was[$g]}"
    fi
done
restore() {
    for g in "${!was[@]}"; do
        update-alternatives --quiet --auto "$g"
        now=$(update-alternatives --query "$g" | sed -n 's/^Value: //p')
        if [ "$now" != "${was[$g]}" ]; then
            update-alternatives --quiet --set "$g" "${was[$g]}"
            echo "note: alternative $g kept on ${was[$g]} (manual mode; auto would pick $now)"
        fi
    done
}
trap restore EXIT
echo "installing libhdf5-mpich-dev mpich (beside OpenMPI)"
export DEBIAN_FRONTEND=noninteractive
# The lock: other tests may install packages at the same time (ctest -j).
flock -w 900 /tmp/chunkbench-apt.lock apt-get install -y -qq -o DPkg::Lock::Timeout=300 libhdf5-mpich-dev mpich >/dev/null ||
    { flock -w 900 /tmp/chunkbench-apt.lock apt-get update -qq && flock -w 900 /tmp/chunkbench-apt.lock apt-get install -y -qq -o DPkg::Lock::Timeout=300 libhdf5-mpich-dev mpich >/dev/null; }
have || { echo "FAIL: libhdf5-mpich-dev installed, but mpicc.mpich/mpiexec.mpich/h5pcc.mpich are missing"; exit 1; }
