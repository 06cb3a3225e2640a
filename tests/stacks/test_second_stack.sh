#!/usr/bin/env bash
# The second stack: the OTHER Debian release than the host's (trixie on a
# bookworm host, bookworm on trixie), in a debootstrap root cached under the
# build tree. chunkbench is built there from this source tree, warnings as
# errors, and its core and read tests run there against that release's
# HDF5, OpenMPI, gcc and Python (Debian 13: HDF5 1.14.5, OpenMPI 5.0.7,
# gcc 14; Debian 12: HDF5 1.10.8, OpenMPI 4.1.4, gcc 12).
# Exit 77 (ctest: skipped) only when the host cannot debootstrap or chroot.
set -euo pipefail
: "${CB_SRC:?set CB_SRC to the source tree}"
: "${CB_BUILD:?set CB_BUILD to the build tree (the root is cached there)}"
here=$(cd "$(dirname "$0")" && pwd)
host=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
case "$host" in
    bookworm) other=trixie ;;
    trixie) other=bookworm ;;
    *) echo "SKIP: the host is '${host:-unknown}', not Debian 12 (bookworm) or 13 (trixie)"; exit 77 ;;
esac
root=${CB_STACK_ROOT:-$CB_BUILD/stack-roots/$other}
t0=$(date +%s)
set +e
bash "$here/make_root.sh" "$other" "$root"
rc=$?
set -e
[ "$rc" -eq 0 ] || exit "$rc"
t_root=$(date +%s)

# /proc and /sys for MPI and the tests, a shared-memory tmpfs for MPI's
# intra-node transport; unmounted whatever happens.
mounted=()
cleanup() {
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mnt() { # type source dir
    mountpoint -q "$3" && return 0
    mkdir -p "$3"
    mount -t "$1" "$2" "$3" || { echo "SKIP: cannot mount $1 in the root (no CAP_SYS_ADMIN?)"; exit 77; }
    mounted+=("$3")
}
mnt proc proc "$root/proc"
mnt sysfs sys "$root/sys"
mnt tmpfs shm "$root/dev/shm"
mnt devpts devpts "$root/dev/pts" # ptys for the progress line's terminal test

# This source tree, copied (timestamps kept, so the root's build stays
# incremental); the build tree, which may sit inside it, is left out.
dst=$root/chunkbench/src
rm -rf "$dst"
mkdir -p "$dst"
for d in CMakeLists.txt cmake src tests bench scripts; do
    [ -e "$CB_SRC/$d" ] && cp -a "$CB_SRC/$d" "$dst/"
done

tests='^(unit|unit_mpiio|unit_vfd_log|hdf5_matrix|hdf5_shapes|hdf5_resume|hdf5_tasks_per_call|hdf5_h5py|hdf5_hints|hdf5_collective|cli_errors|cli_mpi_start|read_local|read_log|read_errors|read_filtered|read_curl|stack_provenance|progress_terminal)$'
echo "== $other root: $(chroot "$root" sh -c '. /etc/os-release; echo "$PRETTY_NAME"')"
# A clean environment: nothing of the host's (paths, MPI settings) leaks in.
# OpenMPI 5 takes more ranks than cores only when its mapper is told
# (PRTE_...); its TCP transport, unneeded on one host, finds no interface
# pairing in a chroot and says so on every start unless kept to loopback.
chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LANG=C.UTF-8 TMPDIR=/tmp \
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 \
    PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe OMPI_MCA_btl_tcp_if_include=lo \
    /bin/bash -euo pipefail -c "
        echo \"== stack: HDF5 \$(grep -h 'define H5_VERSION ' /usr/include/hdf5/openmpi/H5pubconf.h | cut -d'\"' -f2); \$(mpirun --version | head -1); \$(gcc --version | head -1); \$(python3 --version)\"
        cmake -S /chunkbench/src -B /chunkbench/build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHUNKBENCH_WERROR=ON >/dev/null
        cmake --build /chunkbench/build -j\$(nproc) >/chunkbench/build.log 2>&1 ||
            { grep -vE '^\[ *[0-9]+%\]' /chunkbench/build.log; echo 'FAIL: the build failed'; exit 1; }
        cd /chunkbench/build
        ctest -R '$tests' --output-on-failure --timeout 600
    "
t_end=$(date +%s)
echo "second stack ($other): root $((t_root - t0)) s, build and tests $((t_end - t_root)) s"
