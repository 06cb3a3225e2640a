# Sourced by the HSDS test scripts: what each needs from its environment and
# the helpers they share. Env: CHUNKBENCH (the program), CB_SRC (source tree),
# CB_VENV (python venv, default $CB_SRC/.venv), CB_HSDS_PORT (default 5101;
# hsds also takes 6101-6102, so one HSDS a network namespace).
: "${CHUNKBENCH:?set CHUNKBENCH to the program}"
: "${CB_SRC:?set CB_SRC to the source tree}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe
export CB_VENV=${CB_VENV:-$CB_SRC/.venv}
PORT=${CB_HSDS_PORT:-5101}
B=$CHUNKBENCH
mpi() { local n=$1; shift; timeout 300 mpirun -n "$n" "$@"; }
# json FILE EXPR: print a Python expression of the JSON document d.
json() { "$CB_VENV/bin/python" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
