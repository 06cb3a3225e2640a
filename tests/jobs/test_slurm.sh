#!/usr/bin/env bash
# The Slurm batch scripts of jobs/slurm/, submitted for real to a private
# Slurm (scripts/slurm_up.sh, always brought down on exit) with tiny
# datasets, each job waited for and its output and JSON checked.
#
# Usage: tests/jobs/test_slurm.sh [--nodes N] [CASE...]
#                          (default: run mpirun sweep keepgoing failing refuse)
#   --nodes N  N > 1: N hosts made of network namespaces (tests/multihost/
#            hosts.sh), one slurmd on each, every job submitted with
#            --nodes=N; the checks add that every node's host name is among
#            the writers (skipped, exit 77, where namespaces cannot be made).
#            The hsds case then gets its own server on the first host
#            (scripts/hsds_up.sh, reached as http://cbhost1:5101)
#   run      run.sbatch, srun, 4 ranks, cyclic schedule, VERIFY=1
#   mpirun   run.sbatch, LAUNCHER=mpirun, 2 ranks, block + collective I/O
#   sweep    sweep.sbatch, ranks 1 2 4 x block dynamic, compare table + CSV
#   hsds     hdf5_vs_hsds.sbatch, HDF5 cyclic vs HSDS --schedule server, 2 ranks
#            (needs HS_ENDPOINT etc. in the environment;
#            without it the case is skipped: exit 77 when it is the only case)
#   keepgoing  sweep.sbatch with KEEP_GOING=1 where some runs cannot work
#            (--io direct on row tasks): the others run and are compared, the
#            job still fails
#   failing  a job that must fail (bad DATA_DIR): the harness must report it
#            as failed and print the job's error file
#   refuse   a job whose results directory exists already must fail and leave
#            that directory alone
# Env: CHUNKBENCH (the program, required), CB_SRC (source tree; default: from
# this script's place), CB_KEEP_TMP=1 keeps the scratch directory.
# shellcheck disable=SC2001,SC2012  # sed for indenting, ls for messages: fine here
set -euo pipefail
: "${CHUNKBENCH:?set CHUNKBENCH to the program}"
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${CB_SRC:-$(cd "$HERE/../.." && pwd)}
JOBS=$SRC/jobs/slurm
PY=${CB_PYTHON:-/usr/bin/python3}
NODES=1
if [ "${1:-}" = --nodes ]; then
  [[ "${2:-}" =~ ^[1-9]$ ]] || { echo "FAIL: --nodes needs a count 1-9, got '${2:-}'"; exit 2; }
  NODES=$2
  shift 2
fi
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(run mpirun sweep keepgoing failing refuse)

FAILS=0
PASSES=0
pass() { echo "PASS: $*"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

if [ "${CASES[*]}" = hsds ] && [ -z "${HS_ENDPOINT:-}" ] && [ "$NODES" = 1 ]; then
  echo "SKIP: hdf5_vs_hsds.sbatch needs an HSDS server: set HS_ENDPOINT, HS_USERNAME, HS_PASSWORD (e.g. source DIR/env.sh of scripts/hsds_up.sh)"
  exit 77
fi
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: starting slurmctld/slurmd/munged needs root"
  exit 77
fi
CB=$(command -v "$CHUNKBENCH") || { echo "FAIL: CHUNKBENCH=$CHUNKBENCH not found"; exit 1; }

# Slurm's ports are fixed: one private Slurm per machine at a time.
exec 9>/tmp/chunkbench-slurm.lock
if ! flock -n 9; then
  echo "waiting for /tmp/chunkbench-slurm.lock (another Slurm test runs)"
  flock -w 1800 9 || { echo "FAIL: another Slurm test held /tmp/chunkbench-slurm.lock for 30 min"; exit 1; }
fi

T=$(mktemp -d /tmp/cb-slurm-test.XXXXXX)
cleanup() {
  "$SRC/scripts/slurm_down.sh" "$T/slurm" >"$T/slurm_down.log" 2>&1 || cat "$T/slurm_down.log"
  [ ! -d "$T/hsds" ] || "$SRC/scripts/hsds_down.sh" "$T/hsds" >/dev/null 2>&1
  # The hosts go after Slurm: their teardown would SIGKILL the daemons.
  [ "$NODES" = 1 ] || mh_down
  if [ "${CB_KEEP_TMP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
mkdir -p "$T/jobs" "$T/results"

UP_ARGS=()
if [ "$NODES" -gt 1 ]; then
  # shellcheck source=../multihost/hosts.sh
  source "$SRC/tests/multihost/hosts.sh"
  mh_up "$NODES" || exit $?
  trap cleanup EXIT # in place of mh_up's, which would remove the hosts first
  UP_ARGS=(--netns "$(IFS=,; echo "${MH_HOSTS[*]}")")
  # Slurm's clients reach slurmctld only from inside the hosts' network.
  for c in sbatch scontrol scancel squeue; do
    eval "$c() { ip netns exec ${MH_HOSTS[0]} $c \"\$@\"; }"
  done
  # The HSDS half: a server the nodes reach, on the first host (its
  # packages first, here: the hosts have no way out).
  if [[ " ${CASES[*]} " == *" hsds "* ]]; then
    if ! "$SRC/scripts/hsds_up.sh" --install-only >"$T/hsds_install.log" 2>&1 ||
      ! mh_on "${MH_HOSTS[0]}" env CB_HS_HOST="${MH_HOSTS[0]}" "$SRC/scripts/hsds_up.sh" "$T/hsds" 5101 >"$T/hsds_up.log" 2>&1 9>&-; then
      echo "FAIL: could not start HSDS on ${MH_HOSTS[0]}:"
      cat "$T/hsds_install.log" "$T/hsds_up.log"
      exit 1
    fi
    # shellcheck disable=SC1091
    source "$T/hsds/env.sh"
  fi
fi

echo "bringing up Slurm ($NODES node(s)) in $T/slurm"
# 9>&-: the daemons must not inherit the lock (a test killed outright would
# leave them holding it for the next one).
if ! up=$("$SRC/scripts/slurm_up.sh" "$T/slurm" "${UP_ARGS[@]}" 2>"$T/slurm_up.log" 9>&-); then
  echo "FAIL: scripts/slurm_up.sh failed:"
  cat "$T/slurm_up.log"
  exit 1
fi
eval "$(tail -n 1 <<<"$up")"
[ -f "${SLURM_CONF:-}" ] || { echo "FAIL: slurm_up.sh did not give SLURM_CONF (last line: $(tail -n 1 <<<"$up"))"; exit 1; }
export SLURM_CONF

# What every job gets (sbatch passes the environment on: --export=ALL).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe
export CHUNKBENCH="$CB" RESULTS="$T/results"
TINY="NROWS=200,NCOLS=300,CHUNK=50x100"
ROWS=200 COLS=300

# submit NAME NTASKS SCRIPT [EXPORTS] [SBATCH OPTIONS...]: prints the job id.
submit() {
  local name=$1 n=$2 script=$3 exports=${4:-}
  shift 4 || shift $#
  [ "$NODES" = 1 ] || set -- --nodes="$NODES" "$@"
  sbatch --parsable -D "$T/jobs" -J "$name" -o "$T/jobs/%x-%j.out" -e "$T/jobs/%x-%j.err" \
    -n "$n" --overcommit --export="ALL${exports:+,$exports}" "$@" "$script" | cut -d';' -f1
}

# wait_job ID [SECONDS]: polls scontrol until the job ends; prints
# "STATE EXITCODE" (e.g. "COMPLETED 0:0", "FAILED 1:0").
wait_job() {
  local id=$1 limit=${2:-300} line state code
  local end=$((SECONDS + limit))
  while :; do
    line=$(scontrol show job -o "$id" 2>/dev/null || true)
    state=$(sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' <<<"$line")
    code=$(sed -n 's/.* ExitCode=\([0-9:]*\).*/\1/p' <<<"$line")
    case $state in
      PENDING | CONFIGURING | RUNNING | COMPLETING | SUSPENDED | REQUEUED | RESIZING | "") ;;
      *) echo "$state $code"; return 0 ;;
    esac
    if [ $SECONDS -ge $end ]; then
      scancel "$id" 2>/dev/null || true
      echo "HARNESS_TIMEOUT(${limit}s,was:${state:-unknown}) -"
      return 0
    fi
    sleep 0.2
  done
}

# show_job NAME ID: the job's stdout (tail) and its whole error file.
show_job() {
  local out=$T/jobs/$1-$2.out err=$T/jobs/$1-$2.err
  echo "  ---- job $2 stdout ($out), last 40 lines ----"
  if [ -f "$out" ]; then tail -n 40 "$out" | sed 's/^/  | /'; else echo "  | (none)"; fi
  echo "  ---- job $2 error file ($err) ----"
  if [ -s "$err" ]; then sed 's/^/  | /' "$err"; else echo "  | (empty or missing)"; fi
  echo "  ---- end of job $2 ----"
}

# job_ok NAME ID: waits; success only for COMPLETED with exit 0:0, otherwise
# reports the failure with the job's files and returns 1.
job_ok() {
  local name=$1 id=$2 st
  st=$(wait_job "$id")
  if [ "$st" = "COMPLETED 0:0" ]; then return 0; fi
  echo "job $id ($name) did not succeed: state/exit $st"
  show_job "$name" "$id"
  return 1
}

# check_run JSON RANKS SCHEDULE [STRICT_WRITERS]: a complete run of the tiny
# dataset by RANKS ranks.
check_run() {
  "$PY" - "$1" "$ROWS" "$COLS" "$2" "$3" "${4:-1}" "$NODES" <<'EOF'
import json, sys
path, rows, cols, ranks, sched, strict = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6] == "1"
nodes = int(sys.argv[7])
d = json.load(open(path))
bad = []
def need(ok, what):
    if not ok:
        bad.append(what)
t = d["tasks"]
need(t["total"] > 0 and t["complete"] == t["total"], f"tasks complete {t['complete']} != total {t['total']}")
need(t["pending"] == 0 and t["in_progress"] == 0, f"pending {t['pending']}, in progress {t['in_progress']}")
need(d["shape"] == [rows, cols], f"shape {d['shape']} != {[rows, cols]}")
need(d["bytes"] == rows * cols * 8, f"bytes {d['bytes']} != {rows}*{cols}*8 = {rows * cols * 8}")
lr = d["last_run"]
need(lr["writers"] == ranks, f"last_run.writers {lr['writers']} != ranks {ranks}")
need(lr["schedule"] == sched, f"last_run.schedule {lr['schedule']!r} != {sched!r}")
w = d["writers"]
if strict:
    need(len(w) == ranks, f"{len(w)} writers != ranks {ranks}")
else:  # dynamic: a fast rank may take every task
    need(1 <= len(w) <= ranks, f"{len(w)} writers, not 1..{ranks}")
need(sum(x["tasks"] for x in w) == t["total"], "writers' tasks do not add up to the total")
need(sum(x["bytes"] for x in w) == d["bytes"], "writers' bytes do not add up")
need(d["bandwidth_MBps"]["write_phase"] > 0 and d["bandwidth_MBps"]["ior"] > 0, "a bandwidth is 0")
if nodes > 1 and strict:  # the ranks ran on every node they could, and the pods say so
    names = sorted(h["name"] for h in d["hosts"])
    want = min(nodes, ranks)
    need(len(names) == want and set(names) <= {f"cbhost{i}" for i in range(1, nodes + 1)},
         f"writer hosts {names}, want {want} of cbhost1..{nodes}")
    need(sum(h["tasks"] for h in d["hosts"]) == t["total"], "hosts' tasks do not add up to the total")
    need(all(w["name"].split("@")[-1] in names for w in w), "a writer's pod names no host")
if bad:
    print(f"{path}: " + "; ".join(bad))
    sys.exit(1)
print(f"{path}: {t['complete']}/{t['total']} tasks, {d['bytes']} bytes, {len(w)} writers, ok")
EOF
}

# plain_progress LOG TASKS LAUNCHER: the write's progress line went through
# the launcher into a file (the job's tee), so it is plain: a final line for
# every task, and no carriage return of a line updated in place. (The jobs
# set CHUNKBENCH_PROGRESS_INTERVAL tiny: a file gets a line only when one was
# due, and these writes take milliseconds.)
plain_progress() {
  if ! grep -qE "^write $2/$2 tasks 100\.0%" "$1"; then
    fail "$3: no final progress line in $(basename "$1"): $(head -c 400 "$1")"
  elif grep -q $'\r' "$1"; then
    fail "$3: the progress line was updated in place (carriage returns) in a file"
  else
    pass "$3: the progress line is plain in the job's log"
  fi
}

# ---- cases -------------------------------------------------------------------

case_run() {
  local id dir
  id=$(submit cb-run 4 "$JOBS/run.sbatch" "$TINY,SCHEDULE=cyclic,VERIFY=1,CHUNKBENCH_PROGRESS_INTERVAL=0.00001")
  if ! job_ok cb-run "$id"; then fail "run.sbatch (srun, 4 ranks)"; return; fi
  dir=$T/results/$id
  if check_run "$dir/run.json" 4 cyclic && check_run "$dir/status.json" 4 cyclic &&
    grep -q "OK: 0 tasks with mismatches" "$dir/verify.log" &&
    grep -q "complete:    12" "$T/jobs/cb-run-$id.out" && [ ! -e "$dir/data.h5" ]; then
    pass "run.sbatch (srun --mpi=pmix, 4 ranks on $NODES node(s), cyclic, verified; results in <RESULTS>/$id)"
    plain_progress "$dir/write.log" 12 "srun"
  else
    fail "run.sbatch: results in $dir not as expected ($(ls "$dir" | tr '\n' ' '))"
    show_job cb-run "$id"
  fi
}

case_mpirun() {
  local id dir
  id=$(submit cb-mpirun 2 "$JOBS/run.sbatch" "$TINY,LAUNCHER=mpirun,SCHEDULE=block,IO=collective,KEEP_DATA=1,CHUNKBENCH_PROGRESS_INTERVAL=0.00001")
  if ! job_ok cb-mpirun "$id"; then fail "run.sbatch (mpirun, 2 ranks)"; return; fi
  dir=$T/results/$id
  if check_run "$dir/run.json" 2 block && grep -qE '"io":[[:space:]]*"collective"' "$dir/run.json" && [ -f "$dir/data.h5" ] &&
    grep -q "launcher:   mpirun" "$dir/settings.txt" && grep -q "^  stack:    HDF5 [0-9]" "$dir/settings.txt" &&
    grep -q "^  stack:    MPI: " "$dir/settings.txt"; then
    pass "run.sbatch (LAUNCHER=mpirun, 2 ranks on $NODES node(s), collective, data kept)"
    plain_progress "$dir/write.log" 12 "mpirun in a job"
  else
    fail "run.sbatch with mpirun: results in $dir not as expected"
    show_job cb-mpirun "$id"
  fi
}

case_sweep() {
  local id dir ok=1 n s
  id=$(submit cb-sweep 4 "$JOBS/sweep.sbatch" "$TINY,RANKS=1 2 4,SCHEDULES=block dynamic,IOS=independent")
  if ! job_ok cb-sweep "$id" 600; then fail "sweep.sbatch"; return; fi
  dir=$T/results/$id
  for s in block dynamic; do
    for n in 1 2 4; do
      check_run "$dir/n$n-$s-independent.json" "$n" "$s" "$([ "$s" = block ] && echo 1 || echo 0)" || ok=0
    done
  done
  # The table: a header line, then one line per run; the CSV: header + 6 rows.
  local rows csv
  rows=$(grep -cE '^[1-6] +n[124]-(block|dynamic)-independent\.json' "$dir/compare.txt" || true)
  csv=$(wc -l <"$dir/compare.csv")
  if [ "$rows" != 12 ] || [ "$csv" != 7 ] || ! grep -q "chunkbench compare: 6 runs" "$T/jobs/cb-sweep-$id.out"; then
    echo "compare output: $rows table rows (want 6 + 6 ratio rows), $csv CSV lines (want 7)"
    sed 's/^/  | /' "$dir/compare.txt"
    ok=0
  fi
  if [ $ok = 1 ]; then
    pass "sweep.sbatch (6 runs: ranks 1 2 4 x block dynamic; compare table and CSV)"
  else
    fail "sweep.sbatch: results in $dir not as expected"
    show_job cb-sweep "$id"
  fi
}

# A sweep with runs that cannot work: with KEEP_GOING=1 the others still run
# and are compared, and the job fails naming the failed runs.
case_keepgoing() {
  local id dir report n
  id=$(submit cb-keepgoing 2 "$JOBS/sweep.sbatch" "$TINY,ITER_TYPE=row,RANKS=1 2,SCHEDULES=block,IOS=independent direct,KEEP_GOING=1")
  if report=$(job_ok cb-keepgoing "$id" 600); then
    fail "sweep.sbatch with failing runs passed"
    return
  fi
  dir=$T/results/$id
  n=$(grep -cE '^[12] +n[12]-block-independent\.json' "$dir/compare.txt" 2>/dev/null || true)
  if grep -q 'run n1-block-direct FAILED' <<<"$report" && grep -q 'run n2-block-direct FAILED' <<<"$report" &&
    grep -q '2 of 4 runs failed: n1-block-direct n2-block-direct' <<<"$report" &&
    [ -f "$dir/n1-block-independent.json" ] && [ -f "$dir/n2-block-independent.json" ] && [ "$n" = 4 ]; then
    pass "sweep.sbatch KEEP_GOING=1: good runs done and compared, failed runs named, job failed"
  else
    fail "sweep.sbatch KEEP_GOING=1: unexpected outcome ($n compare rows)"
    sed 's/^/    /' <<<"$report"
  fi
}

case_hsds() {
  if [ -z "${HS_ENDPOINT:-}" ]; then
    echo "SKIP: hdf5_vs_hsds.sbatch: HS_ENDPOINT is not set (the HSDS half needs a server)"
    return
  fi
  local id dir domain
  domain=hdf5://home/${HS_USERNAME:-$USER}/cb-slurm-test-$$-$RANDOM.h5
  id=$(submit cb-hsds 2 "$JOBS/hdf5_vs_hsds.sbatch" "$TINY,HSDS_DOMAIN=$domain,SCHEDULE=cyclic,HSDS_SCHEDULE=server,VERIFY=1")
  if ! job_ok cb-hsds "$id" 600; then fail "hdf5_vs_hsds.sbatch"; return; fi
  dir=$T/results/$id
  if check_run "$dir/hdf5.json" 2 cyclic && check_run "$dir/hsds.json" 2 server 0 &&
    grep -qE '"backend":[[:space:]]*"hsds"' "$dir/hsds.json" && grep -qE '^2 +hsds\.json +hsds' "$dir/compare.txt" &&
    [ "$(wc -l <"$dir/compare.csv")" = 3 ]; then
    pass "hdf5_vs_hsds.sbatch (HDF5 cyclic vs HSDS $domain server schedule, 2 ranks, verified, compared)"
  else
    fail "hdf5_vs_hsds.sbatch: results in $dir not as expected"
    show_job cb-hsds "$id"
  fi
}

# A job that fails must fail the check, and the report must carry the job's
# error file: run the same check used above on a job that cannot work.
case_failing() {
  local id report
  id=$(submit cb-failing 2 "$JOBS/run.sbatch" "$TINY,DATA_DIR=/nonexistent/chunkbench-data")
  if report=$(job_ok cb-failing "$id"); then
    fail "a job with DATA_DIR=/nonexistent passed the harness's check"
    return
  fi
  echo "harness report for the failing job:"
  sed 's/^/    /' <<<"$report"
  if grep -q "did not succeed: state/exit FAILED" <<<"$report" &&
    grep -q "chunkbench: error:" <<<"$report" &&
    grep -q 'FAILED in step "create"' <<<"$report"; then
    pass "failing job (bad DATA_DIR) reported as failed, with its error file"
  else
    fail "failing job: the report lacks the state or the error file's lines"
  fi
}

# Results are never overwritten: a job whose directory exists must refuse.
case_refuse() {
  local id report
  id=$(submit cb-refuse 1 "$JOBS/run.sbatch" "$TINY" --hold)
  mkdir -p "$T/results/$id"
  echo "earlier results" >"$T/results/$id/marker"
  scontrol release "$id"
  if report=$(job_ok cb-refuse "$id"); then
    fail "a job wrote into an existing results directory"
    return
  fi
  if grep -q "already exists: refusing to overwrite" <<<"$report" &&
    [ "$(ls "$T/results/$id")" = marker ] && [ "$(cat "$T/results/$id/marker")" = "earlier results" ]; then
    pass "existing results directory: job refused and left it alone"
  else
    fail "existing results directory: unexpected outcome"
    sed 's/^/    /' <<<"$report"
    ls -la "$T/results/$id"
  fi
}

for c in "${CASES[@]}"; do
  case $c in
    run | mpirun | sweep | keepgoing | hsds | failing | refuse) echo "== $c"; "case_$c" ;;
    *) fail "unknown case '$c'" ;;
  esac
done

echo "$PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
