#!/usr/bin/env bash
# Set up a Debian 12 (bookworm) or 13 (trixie) machine for chunkbench, build
# it, and then either run the main job on a local HDF5 file (`demo`, the
# default) or run the whole test suite (`test`, warnings as errors). Installs
# only what is missing; the package names are the same on both releases.
#   bash scripts/setup.sh [demo|test]
set -euo pipefail
mode=${1:-demo}
case "$mode" in demo|test) ;; *) echo "usage: $0 [demo|test]" >&2; exit 2 ;; esac
src=$(cd "$(dirname "$0")/.." && pwd)
build=${CB_BUILD:-$src/build}

pkgs=(build-essential cmake pkg-config openmpi-bin libopenmpi-dev libhdf5-openmpi-dev hdf5-tools
      libcjson-dev libcurl4-openssl-dev libssl-dev)
# What the tests use: h5py/numpy cross-checks, the HSDS server's venv, the
# ROS3 reads from a loopback nginx, the job and browser tests (those scripts
# install Slurm and Chromium themselves; the MPICH test installs MPICH's HDF5
# beside OpenMPI's without moving the default MPI), the second-stack test
# (a debootstrap root of the other Debian release), the multi-host test's namespaces (ip)
# and its host with a shifted clock (libfaketime), the plugin filters of the
# --filter test (hdf5-filter-plugin: lz4, bzip2), the headers pip builds the
# HSDS venv's bitshuffle with where PyPI has no wheel for the Python (3.13).
[ "$mode" = test ] && pkgs+=(python3 python3-dev python3-h5py python3-numpy python3-venv python3-yaml curl procps nginx-light strace
                            debootstrap iproute2 libfaketime hdf5-filter-plugin)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
fi

werror=OFF; [ "$mode" = test ] && werror=ON
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHUNKBENCH_WERROR=$werror >/dev/null
cmake --build "$build" -j "$(nproc)"

# mpirun refuses root unless told, and these machines have few cores (more
# ranks than cores: OpenMPI 4 reads OMPI_MCA_..., OpenMPI 5 PRTE_MCA_...).
if [ "$(id -u)" -eq 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe
# Open MPI 5.0.7 (Debian 13) on a host with IPv6 addresses warns for every
# pair of ranks that it finds no interface pairing (open-mpi/ompi#14079).
export OMPI_MCA_btl_tcp_disable_family=6

if [ "$mode" = demo ]; then
  out=${CB_DEMO_FILE:-/tmp/chunkbench-demo.h5}
  mpirun -n "${CB_RANKS:-4}" "$build/chunkbench" run "$out" 4000 8000 --schedule dynamic --force
  mpirun -n "${CB_RANKS:-4}" "$build/chunkbench" verify "$out"
else
  # -j2: the other-stack tests, the sanitizer pass (tests/sanitize/run_sanitized.sh:
  # the tests labelled sanitize again under ASan and UBSan, in a second tree;
  # CB_SANITIZE=0 leaves it out) and the HSDS test in its own network namespace
  # run beside the host's chain, which stays one test at a time (the locks in
  # tests/CMakeLists.txt).
  (cd "$build" && ctest -j2 --output-on-failure --timeout 900)
fi

