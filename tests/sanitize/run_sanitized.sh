#!/usr/bin/env bash
# The tests labelled sanitize, again under ASan and UBSan: a second build tree
# (CHUNKBENCH_SANITIZE, no leak check, which costs 3-6 s a process:
# CHUNKBENCH_SANITIZE_LEAKS=ON for it), then its `ctest -L sanitize`.
# A test of the main tree, so `ctest -j2` runs it beside the host's chain.
# Env: CB_SRC, CB_SANITIZE_BUILD (default $CB_SRC/build-sanitize),
# CB_SANITIZE=0 (skip, 77).
set -euo pipefail
: "${CB_SRC:?set CB_SRC to the source tree}"
if [ "${CB_SANITIZE:-1}" = 0 ]; then echo "SKIP: CB_SANITIZE=0"; exit 77; fi
sbuild=${CB_SANITIZE_BUILD:-$CB_SRC/build-sanitize}
cmake -S "$CB_SRC" -B "$sbuild" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHUNKBENCH_WERROR=ON -DCHUNKBENCH_SANITIZE=ON \
    -DCHUNKBENCH_SANITIZE_LEAKS=OFF >/dev/null
cmake --build "$sbuild" -j "$(nproc)" >/dev/null
cd "$sbuild"
ctest -L sanitize --output-on-failure --timeout 900
